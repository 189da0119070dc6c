package storetest

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"talkbot/store"
)

// The editors of the editing cases: two Discord users.
var (
	ann = store.Editor{ID: "1001", Name: "Ann"}
	bob = store.Editor{ID: "1002", Name: "Bob"}
)

const istanbul = "ru-ua-istanbul" // the fixture track most cases edit

func editingCases() []struct {
	name string
	fn   func(t *testing.T, open Factory)
} {
	return []struct {
		name string
		fn   func(t *testing.T, open Factory)
	}{
		{"a track's server is stored, listed and exported", testTrackGuild},
		{"an added round is stored with its history record and moves the data version", testEditAddsRound},
		{"every kind of entity is added or edited, recorded, and undone to exactly what it was", testEditAndUndoEachKind},
		{"an edit on an old version is refused with what changed, and nothing is written", testStaleEdit},
		{"of edits racing on one version exactly one is saved", testEditRace},
		{"adding an entity whose key is taken is refused", testKeyTaken},
		{"a save that fails part-way writes nothing, not even its new source", testEditAllOrNothing},
		{"a pasted URL becomes a source in the same save, or is the source the track has", testNewSource},
		{"a source added again by its URL is updated under its id", testSourceByURL},
		{"a statement's party is its speaker's unless given", testStatementParty},
		{"undo is refused after someone else's later change", testUndoBlocked},
		{"undo walks back the editor's own changes, then has nothing left", testUndoWalksBack},
		{"history is newest first, filtered by track, round, side and time, and paged", testHistory},
		{"quick edits of one entity fold into one settled update, finished once", testEditUpdates},
		{"a server's editor role is saved, read and cleared", testEditorRole},
		{"drafts are kept a day", testDrafts},
		{"an export after edits imports unchanged", testExportAfterEdits},
		{"an import records a change per entity it adds, changes or removes", testImportHistory},
		{"a file made before newer edits conflicts field by field, and applies only when forced", testImportConflictsVersioned},
		{"a hand-written file conflicts with fields edited since the last import", testImportConflictsHandWritten},
	}
}

func mustEdit(t *testing.T, s store.Store, e store.Edit) store.Change {
	t.Helper()
	c, err := s.ApplyEdit(t.Context(), e)
	if err != nil {
		t.Fatalf("ApplyEdit: %v", err)
	}
	if c.ID == 0 {
		t.Fatalf("ApplyEdit of %s wrote nothing", c.Entity)
	}
	return c
}

func mustUndo(t *testing.T, s store.Store, ed store.Editor) store.Change {
	t.Helper()
	c, err := s.Undo(t.Context(), ed, time.Time{})
	if err != nil {
		t.Fatalf("Undo(%s): %v", ed.Name, err)
	}
	return c
}

func export(t *testing.T, s store.Store) []store.Track {
	t.Helper()
	ts, err := s.Export(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func dataVersion(t *testing.T, s store.Store) int64 {
	t.Helper()
	v, err := s.DataVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// historyTotal counts every history record, the imports' too.
func historyTotal(t *testing.T, s store.Store) int {
	t.Helper()
	p, err := s.History(t.Context(), store.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

func version(t *testing.T, s store.Store, e store.Entity) int64 {
	t.Helper()
	v, err := s.Version(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sameTracks fails the test when got and want differ, naming the parts.
func sameTracks(t *testing.T, got, want []store.Track, what string) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d tracks, want %d", what, len(got), len(want))
	}
	for i := range got {
		diffTrack(t, got[i], want[i])
	}
	t.Fatalf("%s: the store differs", what)
}

func testTrackGuild(t *testing.T, open Factory) {
	tracks := fixture()
	tracks[1].Guild = "900"
	s, _ := openWith(t, open, tracks)
	ctx := t.Context()
	if tr, err := s.Track(ctx, "geneva"); err != nil || tr.Guild != "900" {
		t.Errorf("Track(geneva).Guild = %q, %v; want 900", tr.Guild, err)
	}
	sums, err := s.Tracks(ctx)
	if err != nil || len(sums) != 2 || sums[0].Guild != "900" || sums[1].Guild != "" {
		t.Errorf("Tracks() = %+v, %v; want geneva of server 900 and a global track", sums, err)
	}
	sameTracks(t, export(t, s), byID(tracks), "export")
	// Moving a track to another server is a change like any other.
	tracks[1].Guild = ""
	before := dataVersion(t, s)
	if _, err := s.Import(ctx, tracks); err != nil {
		t.Fatal(err)
	}
	if tr, _ := s.Track(ctx, "geneva"); tr.Guild != "" || dataVersion(t, s) != before+1 {
		t.Errorf("after importing geneva as global: guild %q, version %d (was %d)", tr.Guild, dataVersion(t, s), before)
	}
}

// round5 is a new round of the Istanbul track using every kind of field.
func round5() store.Round {
	return store.Round{
		Number: 5, Status: store.StatusScheduled, Starts: exact("2025-08-04", 13, 30, "Europe/Istanbul"),
		Ends: exact("2025-08-04", 18, 0, "Europe/Istanbul"), Venue: "Ankara", ProposedBy: "ukraine",
		Delegations: []store.Delegation{{Party: "russia", Head: "medinsky", Members: []string{"lavrov"}}, {Party: "ukraine"}},
		Mediators:   []string{"turkiye"}, Agenda: []string{"exchange lists", "humanitarian corridor"},
		Outcomes: []string{"Agreed a corridor for grain ships"}, Documents: []string{"Joint note"},
		Notes: []string{"Held behind closed doors."}, Sources: []string{"tass"},
	}
}

func testEditAddsRound(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	c.set(c.now().Add(time.Hour))
	v0 := dataVersion(t, s)
	r := round5()
	got := mustEdit(t, s, store.Edit{Editor: ann, New: true, Source: "tass", TrackID: istanbul, Round: &r})

	stored, err := s.Round(ctx, istanbul, 5)
	if err != nil {
		t.Fatal(err)
	}
	r.Track = istanbul
	if !reflect.DeepEqual(stored, r) {
		t.Errorf("round 5 reads as\n%+v\nwant\n%+v", stored, r)
	}
	want := store.Change{ID: got.ID, At: c.now(), Editor: ann, Entity: store.RoundEntity(istanbul, 5), Op: store.OpAdd, After: r.Fields(), Source: "tass"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ApplyEdit returned\n%+v\nwant\n%+v", got, want)
	}
	if rec, err := s.Change(ctx, got.ID); err != nil || !reflect.DeepEqual(rec, want) {
		t.Errorf("Change(%d) = %+v, %v; want the record returned", got.ID, rec, err)
	}
	if v := version(t, s, want.Entity); v != got.ID {
		t.Errorf("Version(round 5) = %d; want %d", v, got.ID)
	}
	if v, err := s.HistoryVersion(ctx); err != nil || v != got.ID {
		t.Errorf("HistoryVersion() = %d, %v; want %d", v, err, got.ID)
	}
	if v := dataVersion(t, s); v != v0+1 {
		t.Errorf("DataVersion() = %d after an edit; want %d", v, v0+1)
	}
	if at, err := s.LastChanged(ctx); err != nil || !at.Equal(c.now()) {
		t.Errorf("LastChanged() = %v, %v; want %v", at, err, c.now())
	}
	if hits, err := s.Search(ctx, store.SearchQuery{Track: istanbul, Text: "grain ships"}); err != nil || len(hits) != 1 || hits[0].Round != 5 {
		t.Errorf("search for the new outcome = %+v, %v; want round 5", hits, err)
	}
	if sums, err := s.Tracks(ctx); err != nil || sums[1].LastActive != date("2025-08-04") {
		t.Errorf("Tracks() = %+v, %v; want the Istanbul track last active on the new round's day", sums, err)
	}
	if _, err := s.Change(ctx, got.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Change of a missing id: err = %v; want ErrNotFound", err)
	}
	// The same edit again changes nothing and records nothing.
	r2 := round5()
	if c, err := s.ApplyEdit(ctx, store.Edit{Editor: ann, Base: got.ID, Source: "tass", TrackID: istanbul, Round: &r2}); err != nil || c.ID != 0 {
		t.Errorf("an edit that changes nothing = %+v, %v; want no record", c, err)
	}
	if v := dataVersion(t, s); v != v0+1 {
		t.Errorf("DataVersion() = %d after an edit that changed nothing; want %d", v, v0+1)
	}
}

func testEditAndUndoEachKind(t *testing.T, open Factory) {
	withSource := func(e store.Edit) store.Edit { e.Source = "tass"; return e }
	cases := []struct {
		name   string
		entity store.Entity
		edit   func(ts []store.Track) store.Edit // ts is the fixture, to edit from
		op     store.Op
	}{
		{"a new track", store.Entity{Kind: store.EntityTrack, Track: "doha"}, func([]store.Track) store.Edit {
			return store.Edit{New: true, Track: &store.Track{ID: "doha", Title: "Doha talks", Timezone: "Asia/Qatar", Guild: "900"}}
		}, store.OpAdd},
		{"a track's title", store.Entity{Kind: store.EntityTrack, Track: istanbul}, func(ts []store.Track) store.Edit {
			tr := ts[0]
			tr.Title = "Istanbul talks"
			return store.Edit{Track: &tr}
		}, store.OpEdit},
		{"a new party", store.Entity{Kind: store.EntityParty, Track: istanbul, Key: "qatar"}, func([]store.Track) store.Edit {
			return store.Edit{New: true, TrackID: istanbul, Party: &store.Party{ID: "qatar", Name: "Qatar", Role: store.RoleMediator}}
		}, store.OpAdd},
		{"a party's role", store.Entity{Kind: store.EntityParty, Track: istanbul, Key: "usa"}, func([]store.Track) store.Edit {
			return store.Edit{TrackID: istanbul, Party: &store.Party{ID: "usa", Name: "United States", Role: store.RoleObserver}}
		}, store.OpEdit},
		{"a new person", store.Entity{Kind: store.EntityPerson, Track: istanbul, Key: "yermak"}, func([]store.Track) store.Edit {
			return store.Edit{New: true, TrackID: istanbul, Person: &store.Person{ID: "yermak", Name: "Andriy Yermak", Party: "ukraine", Title: "Head of the Presidential Office"}}
		}, store.OpAdd},
		{"a person's title", store.Entity{Kind: store.EntityPerson, Track: istanbul, Key: "lavrov"}, func([]store.Track) store.Edit {
			return store.Edit{TrackID: istanbul, Person: &store.Person{ID: "lavrov", Name: "Sergey Lavrov", Party: "russia", Title: "Minister"}}
		}, store.OpEdit},
		{"a new source", store.Entity{Kind: store.EntitySource, Track: istanbul, Key: "ap-1"}, func([]store.Track) store.Edit {
			return store.Edit{TrackID: istanbul, SourceDoc: &store.Source{ID: "ap-1", Publisher: "AP", Title: "Talks resume", URL: "https://apnews.example/1", Published: date("2025-06-01")}}
		}, store.OpAdd},
		{"a source's title", store.Entity{Kind: store.EntitySource, Track: istanbul, Key: "reuters-2025-05-28"}, func(ts []store.Track) store.Edit {
			src := ts[0].Sources[0]
			src.Title = "Moscow proposes a second round"
			return store.Edit{TrackID: istanbul, SourceDoc: &src}
		}, store.OpEdit},
		{"a new round", store.RoundEntity(istanbul, 5), func([]store.Track) store.Edit {
			r := round5()
			return withSource(store.Edit{New: true, TrackID: istanbul, Round: &r})
		}, store.OpAdd},
		{"a round with delegations, mediators and notes", store.RoundEntity(istanbul, 2), func(ts []store.Track) store.Edit {
			r := *roundOf(ts, istanbul, 2)
			r.Status, r.Starts, r.Venue = store.StatusScheduled, exact("2025-06-02", 13, 0, "Europe/Istanbul"), "Çırağan Palace"
			return withSource(store.Edit{Round: &r})
		}, store.OpEdit},
		{"a round's exact time and end", store.RoundEntity(istanbul, 3), func(ts []store.Track) store.Edit {
			r := *roundOf(ts, istanbul, 3)
			r.Starts, r.Ends = exact("2025-07-24", 10, 15, "Europe/Istanbul"), store.When{}
			return withSource(store.Edit{Round: &r})
		}, store.OpEdit},
		{"a round in its own zone", store.RoundEntity("geneva", 1), func(ts []store.Track) store.Edit {
			r := *roundOf(ts, "geneva", 1)
			r.Status = store.StatusHeld
			return store.Edit{Source: "icrc", Round: &r}
		}, store.OpEdit},
		{"a new position", store.Entity{Kind: store.EntityPosition, Track: istanbul}, func([]store.Track) store.Edit {
			return withSource(store.Edit{New: true, TrackID: istanbul, Position: &store.Position{Party: "russia", Topic: "ceasefire", Summary: "A ceasefire only after the memorandum.", StatedOn: date("2025-06-01"), By: "lavrov"}})
		}, store.OpAdd},
		{"a new statement", store.Entity{Kind: store.EntityStatement, Track: istanbul}, func([]store.Track) store.Edit {
			return withSource(store.Edit{New: true, TrackID: istanbul, Statement: &store.Statement{By: "umerov", SaidOn: date("2025-06-01"), Medium: "press conference", Text: "We will come to Istanbul. <@&123>"}})
		}, store.OpAdd},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := openWith(t, open, fixture())
			ctx := t.Context()
			before := export(t, s)
			v0 := dataVersion(t, s)
			c.set(c.now().Add(time.Minute))
			e := tc.edit(fixture())
			e.Editor = ann
			if !e.New && e.SourceDoc == nil {
				e.Base = version(t, s, tc.entity)
			}
			got := mustEdit(t, s, e)
			if tc.entity.Key == "" && tc.entity.Kind != store.EntityTrack {
				tc.entity.Key = got.Entity.Key // a content key
			}
			if got.Entity != tc.entity || got.Op != tc.op || got.Editor != ann || (got.Before == nil) != (tc.op == store.OpAdd) {
				t.Errorf("change = %+v; want %s of %s by Ann", got, tc.op, tc.entity)
			}
			if reflect.DeepEqual(export(t, s), before) {
				t.Fatal("the edit changed nothing in the export")
			}
			if dataVersion(t, s) != v0+1 {
				t.Errorf("DataVersion() = %d after the edit; want %d", dataVersion(t, s), v0+1)
			}

			c.set(c.now().Add(time.Minute))
			undo := mustUndo(t, s, ann)
			want := store.Change{ID: undo.ID, At: c.now(), Editor: ann, Entity: tc.entity, Op: store.OpUndo,
				Before: got.After, After: got.Before, Source: got.Source, Undoes: got.ID}
			if !reflect.DeepEqual(undo, want) {
				t.Errorf("undo =\n%+v\nwant\n%+v", undo, want)
			}
			sameTracks(t, export(t, s), before, "after the undo")
			if dataVersion(t, s) != v0+2 {
				t.Errorf("DataVersion() = %d after the undo; want %d", dataVersion(t, s), v0+2)
			}
			if v := version(t, s, tc.entity); v != undo.ID {
				t.Errorf("Version(%s) = %d after the undo; want the undo's id %d", tc.entity, v, undo.ID)
			}
			if _, err := s.Undo(ctx, ann, time.Time{}); !errors.Is(err, store.ErrNothingToUndo) {
				t.Errorf("a second undo: err = %v; want ErrNothingToUndo", err)
			}
		})
	}
}

func testStaleEdit(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	ent := store.RoundEntity(istanbul, 2)
	base := version(t, s, ent)
	// Ann and Bob open round 2 at the same version; Ann saves first.
	annR := *roundOf(fixture(), istanbul, 2)
	annR.Venue = "Ankara"
	c.set(c.now().Add(time.Minute))
	first := mustEdit(t, s, store.Edit{Editor: ann, Base: base, Source: "tass", Round: &annR})
	after := export(t, s)
	v := dataVersion(t, s)
	n := historyTotal(t, s)

	bobR := *roundOf(fixture(), istanbul, 2)
	bobR.Status = store.StatusCancelled
	_, err := s.ApplyEdit(ctx, store.Edit{Editor: bob, Base: base, Source: "tass", Round: &bobR, SettleUntil: c.now().Add(time.Minute)})
	var stale *store.StaleError
	if !errors.As(err, &stale) {
		t.Fatalf("Bob's edit on the old version: err = %v; want a StaleError", err)
	}
	if len(stale.Since) != 1 || !reflect.DeepEqual(stale.Since[0], first) {
		t.Errorf("StaleError.Since = %+v; want Ann's change %+v", stale.Since, first)
	}
	if diff := store.Diff(stale.Since[0].Before, stale.Since[0].After); len(diff) != 1 || diff[0] != (store.FieldChange{Field: "venue", Old: "Istanbul", New: "Ankara"}) {
		t.Errorf("what changed meanwhile = %+v; want the venue", diff)
	}
	sameTracks(t, export(t, s), after, "after the stale edit")
	if dataVersion(t, s) != v || historyTotal(t, s) != n {
		t.Errorf("the stale edit moved the version to %d or the history to %d records", dataVersion(t, s), historyTotal(t, s))
	}
	if due, err := s.DueEditUpdates(ctx, c.now().Add(time.Hour)); err != nil || len(due) != 0 {
		t.Errorf("the stale edit queued updates %+v, %v", due, err)
	}
	// Bob reloads and saves on the current version.
	bobR.Venue = "Ankara"
	if c := mustEdit(t, s, store.Edit{Editor: bob, Base: first.ID, Source: "tass", Round: &bobR}); c.Before["venue"] != "Ankara" {
		t.Errorf("Bob's edit saw before = %+v", c.Before)
	}
}

func testEditRace(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	base := version(t, s, store.RoundEntity(istanbul, 2))
	n0 := historyTotal(t, s)
	const editors = 8
	var (
		wg           sync.WaitGroup
		mu           sync.Mutex
		saved, stale int
		others       []error
	)
	for i := range editors {
		wg.Go(func() {
			r := *roundOf(fixture(), istanbul, 2)
			r.Venue = "Venue " + itoa(i)
			_, err := s.ApplyEdit(ctx, store.Edit{Editor: store.Editor{ID: itoa(2000 + i), Name: "E"}, Base: base, Source: "tass", Round: &r})
			var se *store.StaleError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				saved++
			case errors.As(err, &se):
				stale++
			default:
				others = append(others, err)
			}
		})
	}
	wg.Wait()
	if saved != 1 || stale != editors-1 || len(others) > 0 {
		t.Errorf("%d saved, %d stale, errors %v; want 1 saved and the rest stale", saved, stale, others)
	}
	if n := historyTotal(t, s); n != n0+1 {
		t.Errorf("history has %d records; want %d", n, n0+1)
	}
}

func testKeyTaken(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	before := export(t, s)
	n0 := historyTotal(t, s)
	r := round5()
	r.Number = 1
	cases := []struct {
		name  string
		edit  store.Edit
		field string
	}{
		{"a round number", store.Edit{New: true, Source: "tass", TrackID: istanbul, Round: &r}, "number"},
		{"a party id", store.Edit{New: true, TrackID: istanbul, Party: &store.Party{ID: "russia", Name: "Russia again"}}, "id"},
		{"a person id", store.Edit{New: true, TrackID: istanbul, Person: &store.Person{ID: "lavrov", Name: "S. Lavrov", Party: "russia"}}, "id"},
		{"a track id", store.Edit{New: true, Track: &store.Track{ID: "geneva", Title: "Geneva", Timezone: "UTC"}}, "id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.edit.Editor = ann
			_, err := s.ApplyEdit(ctx, tc.edit)
			var fe *store.FieldError
			if !errors.Is(err, store.ErrExists) || !errors.As(err, &fe) || fe.Field != tc.field || fe.Code != store.FieldTaken {
				t.Errorf("err = %v; want a FieldError on %s wrapping ErrExists, coded taken", err, tc.field)
			}
		})
	}
	sameTracks(t, export(t, s), before, "after the refused adds")
	if n := historyTotal(t, s); n != n0 {
		t.Errorf("refused adds left %d history records", n-n0)
	}
}

func testEditAllOrNothing(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	before := export(t, s)
	v := dataVersion(t, s)
	n0 := historyTotal(t, s)
	pasted := &store.Source{ID: "kyiv-1", Publisher: "kyivindependent.example", Title: "https://kyivindependent.example/a", URL: "https://kyivindependent.example/a"}
	good := round5()
	badZone := round5()
	badZone.Starts = dateOnly("2025-08-04", "Mars/Olympus_Mons")
	badHead := round5()
	badHead.Delegations = []store.Delegation{{Party: "russia", Head: "putin"}}
	cases := []struct {
		name  string
		edit  store.Edit
		field string // "" for an error that is no FieldError
		code  store.FieldCode
	}{
		{"a position of an unknown side, with a pasted URL", store.Edit{NewSource: pasted, TrackID: istanbul, Position: &store.Position{Party: "moldova", Topic: "t", Summary: "S.", StatedOn: date("2025-06-01")}}, "party", store.FieldUnknown},
		{"a position stated by nobody known", store.Edit{Source: "tass", TrackID: istanbul, Position: &store.Position{Party: "russia", Topic: "t", Summary: "S.", StatedOn: date("2025-06-01"), By: "nobody"}}, "by", store.FieldUnknown},
		{"a statement by an unknown speaker, with a pasted URL", store.Edit{NewSource: pasted, TrackID: istanbul, Statement: &store.Statement{By: "nobody", SaidOn: date("2025-06-01"), Text: "T."}}, "by", store.FieldUnknown},
		{"a statement citing a source the track lacks", store.Edit{Source: "tass", TrackID: istanbul, Statement: &store.Statement{By: "lavrov", SaidOn: date("2025-06-01"), Text: "T.", Sources: []string{"icrc"}}}, "sources", store.FieldUnknown},
		{"a round named after a source the track lacks", store.Edit{Source: "icrc", TrackID: istanbul, New: true, Round: &good}, "source", store.FieldUnknown},
		{"a round without a source", store.Edit{TrackID: istanbul, New: true, Round: &store.Round{Number: 6, Status: store.StatusProposed, Starts: dateOnly("2025-09-01", "Europe/Istanbul")}}, "source", store.FieldRequired},
		{"a round in a zone that does not exist, with a pasted URL", store.Edit{NewSource: pasted, TrackID: istanbul, New: true, Round: &badZone}, "starts", ""},
		{"a round whose delegation head is unknown", store.Edit{Source: "tass", TrackID: istanbul, New: true, Round: &badHead}, "delegations", store.FieldUnknown},
		{"a person of an unknown party", store.Edit{TrackID: istanbul, New: true, Person: &store.Person{ID: "x", Name: "X", Party: "moldova"}}, "party", store.FieldUnknown},
		{"a party with an unknown role", store.Edit{TrackID: istanbul, New: true, Party: &store.Party{ID: "x", Name: "X", Role: "referee"}}, "role", store.FieldInvalid},
		{"a track in an unknown zone", store.Edit{New: true, Track: &store.Track{ID: "x", Title: "X", Timezone: "Nowhere/City"}}, "timezone", ""},
		{"an edit in a track that does not exist", store.Edit{TrackID: "nope", New: true, Party: &store.Party{ID: "x", Name: "X"}}, "", ""},
		{"an edit of two entities at once", store.Edit{TrackID: istanbul, Party: &store.Party{ID: "x", Name: "X"}, Person: &store.Person{ID: "y", Name: "Y"}}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.set(c.now().Add(time.Minute))
			tc.edit.Editor = ann
			tc.edit.SettleUntil = c.now().Add(time.Minute)
			_, err := s.ApplyEdit(ctx, tc.edit)
			var fe *store.FieldError
			switch {
			case err == nil:
				t.Fatal("the edit was saved")
			case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field || fe.Code != tc.code):
				t.Errorf("err = %v; want a FieldError on %s coded %q", err, tc.field, tc.code)
			}
			sameTracks(t, export(t, s), before, "after the refused edit")
			if n := historyTotal(t, s); n != n0 {
				t.Errorf("the refused edit left %d history records", n-n0)
			}
			if dataVersion(t, s) != v {
				t.Errorf("the refused edit moved the data version")
			}
			if due, err := s.DueEditUpdates(ctx, c.now().Add(time.Hour)); err != nil || len(due) != 0 {
				t.Errorf("the refused edit queued updates %+v, %v", due, err)
			}
		})
	}
}

func testNewSource(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	n0 := historyTotal(t, s)
	c.set(c.now().Add(time.Minute))
	pasted := &store.Source{ID: "kyiv-1", Publisher: "kyivindependent.example", Title: "https://kyivindependent.example/a", URL: "https://kyivindependent.example/a"}
	p := store.Position{Party: "ukraine", Topic: "ceasefire", Summary: "A ceasefire first.", StatedOn: date("2025-06-01")}
	got := mustEdit(t, s, store.Edit{Editor: ann, New: true, NewSource: pasted, TrackID: istanbul, Position: &p})
	if got.Source != "kyiv-1" || got.After["sources"] != "kyiv-1" {
		t.Errorf("the position's change = %+v; want it sourced to kyiv-1", got)
	}
	srcs, err := s.Sources(ctx, istanbul, []string{"kyiv-1"})
	if err != nil || len(srcs) != 1 || srcs[0] != *pasted {
		t.Errorf("Sources(kyiv-1) = %+v, %v; want the pasted source", srcs, err)
	}
	h, err := s.History(ctx, store.HistoryQuery{Track: istanbul, Since: c.now()})
	if err != nil || h.Total != 2 || h.Items[1].Entity != (store.Entity{Kind: store.EntitySource, Track: istanbul, Key: "kyiv-1"}) || h.Items[1].Op != store.OpAdd {
		t.Fatalf("history = %+v, %v; want the source's add, then the position's", h, err)
	}
	// The same URL pasted again is the source the track has, whatever id
	// the command made up.
	again := *pasted
	again.ID = "kyiv-2"
	st := store.Statement{By: "sybiha", SaidOn: date("2025-06-02"), Text: "See the article."}
	got = mustEdit(t, s, store.Edit{Editor: ann, New: true, NewSource: &again, TrackID: istanbul, Statement: &st})
	if got.Source != "kyiv-1" || got.After["sources"] != "kyiv-1" {
		t.Errorf("the statement's change = %+v; want it sourced to the known kyiv-1", got)
	}
	if n := historyTotal(t, s) - n0; n != 3 {
		t.Errorf("the edits made %d history records; want 3 (no second source)", n)
	}
	// Undo takes the statement, then the position, then the source.
	for _, want := range []store.EntityKind{store.EntityStatement, store.EntityPosition, store.EntitySource} {
		if u := mustUndo(t, s, ann); u.Entity.Kind != want {
			t.Errorf("undo reverted %s; want the %s", u.Entity, want)
		}
	}
	sameTracks(t, export(t, s), byID(fixture()), "after undoing everything")
}

func testSourceByURL(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	first := mustEdit(t, s, store.Edit{Editor: ann, TrackID: istanbul, SourceDoc: &store.Source{ID: "ap-1", Publisher: "apnews.example", Title: "https://apnews.example/1", URL: "https://apnews.example/1"}})
	// Bob adds it again with a proper title, under an id of his own.
	second := mustEdit(t, s, store.Edit{Editor: bob, TrackID: istanbul, SourceDoc: &store.Source{ID: "ap-x", Publisher: "AP", Title: "Talks resume", URL: "https://apnews.example/1", Published: date("2025-06-01")}})
	if second.Entity != first.Entity || second.Op != store.OpEdit {
		t.Errorf("the second add = %s %s; want an edit of %s", second.Op, second.Entity, first.Entity)
	}
	srcs, err := s.Sources(ctx, istanbul, []string{"ap-1", "ap-x"})
	want := store.Source{ID: "ap-1", Publisher: "AP", Title: "Talks resume", URL: "https://apnews.example/1", Published: date("2025-06-01")}
	if err != nil || len(srcs) != 1 || srcs[0] != want {
		t.Errorf("Sources = %+v, %v; want only %+v", srcs, err, want)
	}
	pubs, err := s.Publishers(ctx)
	if err != nil || !contains(pubs, "AP") {
		t.Errorf("Publishers() = %q, %v; want AP among them", pubs, err)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func testStatementParty(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	st := store.Statement{By: "umerov", SaidOn: date("2025-06-01"), Text: "Ready."}
	c := mustEdit(t, s, store.Edit{Editor: ann, New: true, Source: "tass", TrackID: istanbul, Statement: &st})
	if c.After["party"] != "ukraine" {
		t.Errorf("the statement's party = %q; want the speaker's, ukraine", c.After["party"])
	}
	page, err := s.Statements(t.Context(), store.StatementQuery{Track: istanbul, Party: "ukraine", Limit: 1})
	if err != nil || len(page.Items) != 1 || page.Items[0].Text != "Ready." {
		t.Errorf("Ukraine's newest statement = %+v, %v; want the new one", page.Items, err)
	}
	if hits, err := s.Search(t.Context(), store.SearchQuery{Track: istanbul, Text: "ready"}); err != nil || len(hits) == 0 {
		t.Errorf("search for the new statement = %+v, %v", hits, err)
	}
}

func testUndoBlocked(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	r := *roundOf(fixture(), istanbul, 2)
	r.Venue = "Ankara"
	mine := mustEdit(t, s, store.Edit{Editor: ann, Base: version(t, s, store.RoundEntity(istanbul, 2)), Source: "tass", Round: &r})
	r.Status = store.StatusScheduled
	later := mustEdit(t, s, store.Edit{Editor: bob, Base: mine.ID, Source: "tass", Round: &r})
	after := export(t, s)
	n := historyTotal(t, s)

	_, err := s.Undo(ctx, ann, time.Time{})
	var blocked *store.UndoBlockedError
	if !errors.As(err, &blocked) {
		t.Fatalf("Ann's undo after Bob's change: err = %v; want UndoBlockedError", err)
	}
	if !reflect.DeepEqual(blocked.Mine, mine) || !reflect.DeepEqual(blocked.Later, later) {
		t.Errorf("blocked = %+v; want Ann's change, then Bob's", blocked)
	}
	sameTracks(t, export(t, s), after, "after the refused undo")
	if historyTotal(t, s) != n {
		t.Error("the refused undo was recorded")
	}
	// Bob may undo his own change; Ann still may not undo hers, which Bob
	// changed after her.
	if u := mustUndo(t, s, bob); u.Undoes != later.ID {
		t.Errorf("Bob's undo reverted %d; want %d", u.Undoes, later.ID)
	}
	if _, err := s.Undo(ctx, ann, time.Time{}); !errors.As(err, &blocked) {
		t.Errorf("Ann's undo after Bob's undo: err = %v; want still blocked", err)
	}
	if _, err := s.Undo(ctx, store.Editor{Name: "import x.yaml"}, time.Time{}); err == nil {
		t.Error("an undo without an editor id succeeded")
	}
}

func testUndoWalksBack(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	if _, err := s.Undo(ctx, ann, time.Time{}); !errors.Is(err, store.ErrNothingToUndo) {
		t.Fatalf("undo with no changes: err = %v; want ErrNothingToUndo", err)
	}
	start := export(t, s)
	r := round5()
	add := mustEdit(t, s, store.Edit{Editor: ann, New: true, Source: "tass", TrackID: istanbul, Round: &r})
	r.Status = store.StatusHeld
	edit := mustEdit(t, s, store.Edit{Editor: ann, Base: add.ID, Source: "tass", TrackID: istanbul, Round: &r})
	party := mustEdit(t, s, store.Edit{Editor: ann, Base: version(t, s, store.Entity{Kind: store.EntityParty, Track: istanbul, Key: "usa"}), TrackID: istanbul, Party: &store.Party{ID: "usa", Name: "USA", Role: store.RoleMediator}})
	for _, want := range []int64{party.ID, edit.ID, add.ID} {
		if u := mustUndo(t, s, ann); u.Undoes != want {
			t.Errorf("undo reverted %d; want %d", u.Undoes, want)
		}
	}
	sameTracks(t, export(t, s), start, "after three undos")
	if _, err := s.Round(ctx, istanbul, 5); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("round 5 after undoing its add: err = %v; want ErrNotFound", err)
	}
	if _, err := s.Undo(ctx, ann, time.Time{}); !errors.Is(err, store.ErrNothingToUndo) {
		t.Errorf("a fourth undo: err = %v; want ErrNothingToUndo", err)
	}
	// An added round that was undone may be added again from version 0.
	mustEdit(t, s, store.Edit{Editor: bob, New: true, Source: "tass", TrackID: istanbul, Round: &r})
}

func testHistory(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	t0 := c.now()
	var all []store.Change // oldest first
	step := func(e store.Edit) {
		t.Helper()
		c.set(c.now().Add(time.Minute))
		all = append(all, mustEdit(t, s, e))
	}
	r2 := *roundOf(fixture(), istanbul, 2)
	for _, venue := range []string{"Ankara", "Antalya", "Istanbul"} {
		r2.Venue = venue
		step(store.Edit{Editor: ann, Base: version(t, s, store.RoundEntity(istanbul, 2)), Source: "tass", Round: &r2})
	}
	step(store.Edit{Editor: bob, New: true, Source: "tass", TrackID: istanbul, Position: &store.Position{Party: "russia", Topic: "ceasefire", Summary: "Not yet.", StatedOn: date("2025-06-01")}})
	step(store.Edit{Editor: bob, New: true, Source: "tass", TrackID: istanbul, Statement: &store.Statement{By: "umerov", SaidOn: date("2025-06-01"), Text: "Now."}})
	step(store.Edit{Editor: bob, Base: version(t, s, store.Entity{Kind: store.EntityParty, Track: istanbul, Key: "russia"}), TrackID: istanbul, Party: &store.Party{ID: "russia", Name: "Russian Federation", Role: store.RoleParty}})
	g := *roundOf(fixture(), "geneva", 1)
	g.Venue = "Geneva"
	step(store.Edit{Editor: ann, Base: version(t, s, store.RoundEntity("geneva", 1)), Source: "icrc", Round: &g})
	c.set(c.now().Add(time.Minute))
	all = append(all, mustUndo(t, s, bob)) // the party rename

	newest := func(idx ...int) []store.Change {
		out := make([]store.Change, len(idx))
		for i, j := range idx {
			out[i] = all[j]
		}
		return out
	}
	cases := []struct {
		name  string
		q     store.HistoryQuery
		want  []store.Change
		total int
	}{
		{"everything", store.HistoryQuery{}, newest(7, 6, 5, 4, 3, 2, 1, 0), 8},
		{"one track", store.HistoryQuery{Track: istanbul}, newest(7, 5, 4, 3, 2, 1, 0), 7},
		{"one track, paged", store.HistoryQuery{Track: istanbul, Limit: 3, Offset: 3}, newest(3, 2, 1), 7},
		{"past the last page", store.HistoryQuery{Track: istanbul, Limit: 3, Offset: 7}, nil, 7},
		{"one round", store.HistoryQuery{Track: istanbul, Round: 2}, newest(2, 1, 0), 3},
		{"one round, first page", store.HistoryQuery{Track: istanbul, Round: 2, Limit: 2}, newest(2, 1), 3},
		{"one side: its positions, statements and itself", store.HistoryQuery{Track: istanbul, Party: "russia"}, newest(7, 5, 3), 3},
		{"the other side", store.HistoryQuery{Track: istanbul, Party: "ukraine"}, newest(4), 1},
		{"since a time", store.HistoryQuery{Track: istanbul, Since: t0.Add(5 * time.Minute)}, newest(7, 5, 4), 3},
		{"another track", store.HistoryQuery{Track: "geneva"}, newest(6), 1},
		{"a track with none", store.HistoryQuery{Track: "nope"}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.q.Since.IsZero() {
				tc.q.Since = t0.Add(time.Millisecond) // leave out the fixture's import
			}
			got, err := s.History(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != tc.total || !reflect.DeepEqual(got.Items, tc.want) {
				t.Errorf("History(%+v) = %d of %d:\n%+v\nwant %d of %d:\n%+v", tc.q, len(got.Items), got.Total, got.Items, len(tc.want), tc.total, tc.want)
			}
		})
	}
	asked := []store.Entity{store.RoundEntity(istanbul, 2), store.RoundEntity("geneva", 1), store.RoundEntity(istanbul, 1), store.RoundEntity(istanbul, 99)}
	latest, err := s.LatestChanges(ctx, asked)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := s.ChangeCounts(ctx, asked)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range []struct {
		track string
		n     int
	}{{istanbul, 2}, {"geneva", 1}, {istanbul, 1}, {istanbul, 99}} {
		e := asked[i]
		h, err := s.History(ctx, store.HistoryQuery{Track: r.track, Round: r.n})
		if err != nil {
			t.Fatal(err)
		}
		if counts[e] != h.Total {
			t.Errorf("ChangeCounts[%s] = %d; History counts %d", e, counts[e], h.Total)
		}
	}
	if _, ok := counts[store.RoundEntity(istanbul, 99)]; ok || len(counts) != 3 {
		t.Errorf("ChangeCounts = %v; want the three entities with changes only", counts)
	}
	imported, err := s.History(ctx, store.HistoryQuery{Track: istanbul, Round: 1})
	if err != nil || imported.Total != 1 || imported.Items[0].Editor.Name != "import" {
		t.Fatalf("round 1's history = %+v, %v; want its import", imported, err)
	}
	want := map[store.Entity]store.Change{store.RoundEntity(istanbul, 2): all[2], store.RoundEntity("geneva", 1): all[6],
		store.RoundEntity(istanbul, 1): imported.Items[0]}
	if !reflect.DeepEqual(latest, want) {
		t.Errorf("LatestChanges = %+v; want\n%+v", latest, want)
	}
	if v, err := s.HistoryVersion(ctx); err != nil || v != all[7].ID {
		t.Errorf("HistoryVersion() = %d, %v; want %d", v, err, all[7].ID)
	}
}

func testEditUpdates(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	t0 := c.now()
	settle := 2 * time.Minute
	ent := store.RoundEntity(istanbul, 3)
	r := *roundOf(fixture(), istanbul, 3)
	edit := func(ed store.Editor, status store.Status) store.Change {
		t.Helper()
		r.Status = status
		return mustEdit(t, s, store.Edit{Editor: ed, Base: version(t, s, ent), Source: "tass", Round: &r, SettleUntil: c.now().Add(settle)})
	}
	due := func(at time.Time) []store.EditUpdate {
		t.Helper()
		us, err := s.DueEditUpdates(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		return us
	}
	first := edit(ann, store.StatusPostponed)
	if us := due(t0.Add(settle - time.Millisecond)); len(us) != 0 {
		t.Errorf("updates due before the window ends: %+v", us)
	}
	c.set(t0.Add(30 * time.Second))
	second := edit(ann, store.StatusCancelled)
	want := []store.EditUpdate{{Entity: ent, First: first.ID, Last: second.ID, DueAt: t0.Add(settle)}}
	read := due(t0.Add(settle))
	if !reflect.DeepEqual(read, want) {
		t.Fatalf("DueEditUpdates = %+v; want the two edits folded, due when the first settles: %+v", read, want)
	}
	// An untimed edit is not announced and changes nothing queued.
	r.Venue = "Ankara"
	mustEdit(t, s, store.Edit{Editor: ann, Base: second.ID, Source: "tass", Round: &r})
	// A third edit lands after the scheduler read the update: finishing
	// the read one adds nothing and keeps it.
	third := edit(bob, store.StatusHeld)
	post := store.Delivery{Key: "update:" + ent.String() + ":" + itoa(int(read[0].Last)), Target: store.ChannelTarget("c1"), Kind: store.DeliveryUpdate,
		GuildID: "g1", Track: istanbul, Round: 3, DueAt: t0.Add(settle)}
	if err := s.FinishEditUpdate(ctx, read[0], []store.Delivery{post}); err != nil {
		t.Fatal(err)
	}
	if ps, err := s.PendingFor(ctx, "g1", 0); err != nil || len(ps) != 0 {
		t.Errorf("finishing a moved-on update recorded %+v, %v", ps, err)
	}
	read = due(t0.Add(settle))
	if len(read) != 1 || read[0].First != first.ID || read[0].Last != third.ID {
		t.Fatalf("DueEditUpdates after a third edit = %+v; want first %d, last %d", read, first.ID, third.ID)
	}
	post.Key = "update:" + ent.String() + ":" + itoa(int(third.ID))
	for range 2 { // a second finish (another replica) changes nothing
		if err := s.FinishEditUpdate(ctx, read[0], []store.Delivery{post}); err != nil {
			t.Fatal(err)
		}
	}
	if ps, err := s.PendingFor(ctx, "g1", 0); err != nil || len(ps) != 1 || ps[0].Key != post.Key {
		t.Errorf("pending after finishing = %+v, %v; want the one post", ps, err)
	}
	if us := due(t0.Add(time.Hour)); len(us) != 0 {
		t.Errorf("a finished update is still queued: %+v", us)
	}
	// An undo is announced like an edit: it opens a new window.
	c.set(t0.Add(10 * time.Minute))
	u, err := s.Undo(ctx, bob, c.now().Add(settle))
	if err != nil {
		t.Fatal(err)
	}
	want = []store.EditUpdate{{Entity: ent, First: u.ID, Last: u.ID, DueAt: c.now().Add(settle)}}
	if got := due(c.now().Add(settle)); !reflect.DeepEqual(got, want) {
		t.Errorf("after an undo, DueEditUpdates = %+v; want %+v", got, want)
	}
	// Finishing with no posts just forgets it.
	if err := s.FinishEditUpdate(ctx, want[0], nil); err != nil {
		t.Fatal(err)
	}
	if got := due(c.now().Add(time.Hour)); len(got) != 0 {
		t.Errorf("an update finished with no posts is still queued: %+v", got)
	}
}

func testEditorRole(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	check := func(guild, want string) {
		t.Helper()
		if got, err := s.EditorRole(ctx, guild); err != nil || got != want {
			t.Errorf("EditorRole(%s) = %q, %v; want %q", guild, got, err, want)
		}
	}
	check("g1", "")
	for _, step := range []struct{ guild, role string }{{"g1", "r1"}, {"g2", "r9"}, {"g1", "r2"}} {
		if err := s.SaveEditorRole(ctx, step.guild, step.role); err != nil {
			t.Fatal(err)
		}
	}
	check("g1", "r2")
	check("g2", "r9")
	if err := s.SaveEditorRole(ctx, "g1", ""); err != nil {
		t.Fatal(err)
	}
	check("g1", "")
	check("g2", "r9")
	if err := s.SaveEditorRole(ctx, "", "r1"); err == nil {
		t.Error("SaveEditorRole without a server succeeded")
	}
}

func testDrafts(t *testing.T, open Factory) {
	s, c := openWith(t, open, nil)
	ctx := t.Context()
	d := store.Draft{UserID: "1001", Kind: store.EntityRound, Base: 7,
		Context: map[string]string{"track": istanbul, "source": "tass"},
		Values:  map[string]string{"starts": "2025-06-02T25:00", "agenda": "one\ntwo", "venue": "<@&1> 🕊️"}}
	id, err := s.SaveDraft(ctx, d)
	if err != nil || id == 0 {
		t.Fatalf("SaveDraft = %d, %v", id, err)
	}
	d.ID, d.Created = id, c.now()
	if got, err := s.Draft(ctx, id); err != nil || !reflect.DeepEqual(got, d) {
		t.Errorf("Draft(%d) = %+v, %v; want %+v", id, got, err, d)
	}
	d.Values["starts"] = "2025-06-02T13:00"
	if got, err := s.SaveDraft(ctx, d); err != nil || got != id {
		t.Errorf("SaveDraft of draft %d = %d, %v; want it replaced", id, got, err)
	}
	if got, err := s.Draft(ctx, id); err != nil || got.Values["starts"] != "2025-06-02T13:00" {
		t.Errorf("Draft after replacing = %+v, %v", got, err)
	}
	// A day later, saving another draft deletes the old one.
	c.set(c.now().Add(24*time.Hour + time.Second))
	other, err := s.SaveDraft(ctx, store.Draft{UserID: "1002", Kind: store.EntityStatement})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Draft(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a draft older than a day: err = %v; want ErrNotFound", err)
	}
	if got, err := s.Draft(ctx, other); err != nil || got.UserID != "1002" || got.Values != nil && len(got.Values) != 0 {
		t.Errorf("Draft(%d) = %+v, %v", other, got, err)
	}
	if _, err := s.Draft(ctx, other+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a missing draft: err = %v; want ErrNotFound", err)
	}
	if _, err := s.SaveDraft(ctx, store.Draft{ID: other + 100, UserID: "1"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("replacing a missing draft: err = %v; want ErrNotFound", err)
	}
}

func testExportAfterEdits(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	r := round5()
	mustEdit(t, s, store.Edit{Editor: ann, New: true, Source: "tass", TrackID: istanbul, Round: &r})
	mustEdit(t, s, store.Edit{Editor: ann, New: true, Source: "tass", TrackID: istanbul, Statement: &store.Statement{By: "lavrov", SaidOn: date("2025-06-03"), Text: "Later."}})
	mustEdit(t, s, store.Edit{Editor: ann, New: true, Track: &store.Track{ID: "doha", Title: "Doha", Timezone: "Asia/Qatar", Guild: "900", Public: true}})
	mustEdit(t, s, store.Edit{Editor: ann, New: true, TrackID: "doha", Party: &store.Party{ID: "qatar", Name: "Qatar", Role: store.RoleHost}})
	exported := export(t, s)
	published := map[string]bool{}
	for _, tr := range exported {
		published[tr.ID] = tr.Published()
	}
	if !published["doha"] || !published[istanbul] {
		t.Errorf("exported tracks published %v: want the public server track doha and the global %s", published, istanbul)
	}
	summaries, err := s.Tracks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ts := range summaries {
		if ts.ID == "doha" && (!ts.Public || ts.Guild != "900") {
			t.Errorf("Tracks lists doha as %+v, want server 900's public track", ts)
		}
	}
	v := dataVersion(t, s)
	if _, err := s.Import(ctx, exported); err != nil {
		t.Fatal(err)
	}
	if dataVersion(t, s) != v {
		t.Error("importing the export changed the store")
	}
	fresh, _ := openWith(t, open, exported)
	sameTracks(t, export(t, fresh), exported, "the export imported into a new store")
}

func testImportHistory(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	h, err := s.History(ctx, store.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// Istanbul: the track, 4 parties, 4 people, 2 sources, 4 rounds, 4
	// positions, 3 statements; Geneva: 1, 2, 1, 1, 2, 0, 1.
	if h.Total != 22+8 {
		t.Errorf("the first import recorded %d changes; want 30", h.Total)
	}
	for _, ch := range h.Items {
		if ch.Op != store.OpAdd || ch.Editor != (store.Editor{Name: "import"}) || ch.Before != nil || ch.After == nil {
			t.Errorf("first import recorded %+v; want adds by import", ch)
			break
		}
	}
	n := h.Total
	v := dataVersion(t, s)
	if _, err := s.Import(ctx, fixture()); err != nil {
		t.Fatal(err)
	}
	if historyTotal(t, s) != n || dataVersion(t, s) != v {
		t.Errorf("an import that changed nothing recorded %d changes", historyTotal(t, s)-n)
	}

	c.set(c.now().Add(time.Hour))
	edited := fixture()
	roundOf(edited, istanbul, 3).Venue = "Ankara"
	gone := edited[0].Statements[1]
	edited[0].Statements = append(edited[0].Statements[:1], edited[0].Statements[2:]...)
	added := store.Position{Track: istanbul, Party: "russia", Topic: "ceasefire", Summary: "Later.", StatedOn: date("2025-06-05"), Sources: []string{"tass"}}
	edited[0].Positions = append(edited[0].Positions, added)
	if _, err := s.ImportWith(ctx, edited, store.ImportOptions{By: "import talks.yaml"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.History(ctx, store.HistoryQuery{Since: c.now()})
	if err != nil {
		t.Fatal(err)
	}
	by := store.Editor{Name: "import talks.yaml"}
	r3 := *roundOf(fixture(), istanbul, 3)
	want := map[store.Entity]store.Change{
		store.RoundEntity(istanbul, 3): {Editor: by, Op: store.OpEdit, Before: r3.Fields(), After: roundOf(edited, istanbul, 3).Fields()},
		{Kind: store.EntityStatement, Track: istanbul, Key: store.StatementKey(gone)}: {Editor: by, Op: store.OpDelete, Before: gone.Fields()},
		{Kind: store.EntityPosition, Track: istanbul, Key: store.PositionKey(added)}:  {Editor: by, Op: store.OpAdd, After: added.Fields()},
	}
	if got.Total != len(want) {
		t.Fatalf("the second import recorded %+v; want %d changes", got.Items, len(want))
	}
	for _, ch := range got.Items {
		w, ok := want[ch.Entity]
		w.ID, w.At, w.Entity = ch.ID, c.now(), ch.Entity
		if !ok || !reflect.DeepEqual(ch, w) {
			t.Errorf("recorded %+v; want %+v", ch, w)
		}
	}
	if p, err := s.History(ctx, store.HistoryQuery{Track: istanbul, Party: "ukraine", Since: c.now()}); err != nil || p.Total != 1 {
		t.Errorf("Ukraine's changes in the second import = %+v, %v; want the removed statement", p, err)
	}
}

func testImportConflictsVersioned(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	made, err := s.HistoryVersion(ctx) // the file is exported here
	if err != nil {
		t.Fatal(err)
	}
	file := fixture()
	roundOf(file, istanbul, 2).Status = store.StatusScheduled // the file's own change

	c.set(c.now().Add(time.Hour))
	r := *roundOf(fixture(), istanbul, 2)
	r.Venue = "Ankara"
	edit := mustEdit(t, s, store.Edit{Editor: ann, Base: version(t, s, store.RoundEntity(istanbul, 2)), Source: "tass", Round: &r})
	st := store.Statement{By: "lavrov", SaidOn: date("2025-06-03"), Text: "Later."}
	said := mustEdit(t, s, store.Edit{Editor: bob, New: true, Source: "tass", TrackID: istanbul, Statement: &st})
	before := export(t, s)
	v, n := dataVersion(t, s), historyTotal(t, s)

	_, err = s.ImportWith(ctx, file, store.ImportOptions{By: "import old.yaml", FileVersion: made})
	var ce *store.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("importing a file made before the edits: err = %v; want a ConflictError", err)
	}
	want := []store.Conflict{
		{Entity: store.RoundEntity(istanbul, 2), Field: "venue", File: "Istanbul", Current: "Ankara", ChangedBy: ann, ChangedAt: edit.At},
	}
	for _, f := range []string{"by", "party", "said_on", "sources", "text"} { // "medium" was empty
		want = append(want, store.Conflict{Entity: said.Entity, Field: f, File: "", Current: said.After[f], ChangedBy: bob, ChangedAt: said.At})
	}
	slicesSortConflicts(want)
	if !reflect.DeepEqual(ce.Conflicts, want) {
		t.Errorf("conflicts =\n%+v\nwant\n%+v", ce.Conflicts, want)
	}
	sameTracks(t, export(t, s), before, "after the refused import")
	if dataVersion(t, s) != v || historyTotal(t, s) != n {
		t.Error("the refused import moved the version or wrote history")
	}

	// A file exported after the edits, with the same change of its own,
	// imports cleanly.
	fresh := export(t, s)
	roundOf(fresh, istanbul, 2).Status = store.StatusScheduled
	now, _ := s.HistoryVersion(ctx)
	if _, err := s.ImportWith(ctx, fresh, store.ImportOptions{By: "import new.yaml", FileVersion: now}); err != nil {
		t.Fatalf("importing a file made after the edits: %v", err)
	}

	// Forced, the old file wins, and the history says it was forced.
	c.set(c.now().Add(time.Hour))
	if _, err := s.ImportWith(ctx, file, store.ImportOptions{By: "import old.yaml", FileVersion: made, Force: true}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Round(ctx, istanbul, 2); err != nil || got.Venue != "Istanbul" {
		t.Errorf("round 2 after the forced import = %+v, %v; want the file's venue", got, err)
	}
	h, err := s.History(ctx, store.HistoryQuery{Since: c.now()})
	if err != nil || h.Total != 2 {
		t.Fatalf("the forced import recorded %+v, %v; want the round and the statement", h, err)
	}
	for _, ch := range h.Items {
		if !ch.Forced || ch.Editor.Name != "import old.yaml" {
			t.Errorf("forced import recorded %+v; want it marked forced", ch)
		}
	}
}

func slicesSortConflicts(cs []store.Conflict) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && (cs[j].Entity.String() < cs[j-1].Entity.String() ||
			cs[j].Entity == cs[j-1].Entity && cs[j].Field < cs[j-1].Field); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

func testImportConflictsHandWritten(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	c.set(c.now().Add(time.Hour))
	r := *roundOf(fixture(), istanbul, 2)
	r.Venue = "Ankara"
	edit := mustEdit(t, s, store.Edit{Editor: ann, Base: version(t, s, store.RoundEntity(istanbul, 2)), Source: "tass", Round: &r})

	// The hand-written file still says Istanbul, and changes the status.
	file := fixture()
	roundOf(file, istanbul, 2).Status = store.StatusScheduled
	_, err := s.Import(ctx, file)
	var ce *store.ConflictError
	want := []store.Conflict{{Entity: store.RoundEntity(istanbul, 2), Field: "venue", File: "Istanbul", Current: "Ankara", ChangedBy: ann, ChangedAt: edit.At}}
	if !errors.As(err, &ce) || !reflect.DeepEqual(ce.Conflicts, want) {
		t.Fatalf("importing a hand-written file over an edit: err = %v; want %+v", err, want)
	}
	// A file that agrees with the edit imports, and fields the editor did
	// not touch are the file's to change.
	roundOf(file, istanbul, 2).Venue = "Ankara"
	if _, err := s.Import(ctx, file); err != nil {
		t.Fatalf("importing a file that keeps the edit: %v", err)
	}
	// Once imported, an entity's older edits no longer conflict.
	roundOf(file, istanbul, 2).Venue = "Antalya"
	if _, err := s.Import(ctx, file); err != nil {
		t.Fatalf("importing over an edit older than the last import: %v", err)
	}
	if got, _ := s.Round(ctx, istanbul, 2); got.Venue != "Antalya" || got.Status != store.StatusScheduled {
		t.Errorf("round 2 = %+v; want the file's venue and status", got)
	}
}
