// Package storetest is the conformance suite every store engine runs: the
// same cases against SQLite and PostgreSQL.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"talkbot/store"
)

// Factory opens a new, empty, migrated store whose LastChanged stamps come
// from now. It registers its own cleanup.
type Factory func(t testing.TB, now func() time.Time) store.Store

// clock is a settable time source for LastChanged.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// Run runs the conformance suite.
func Run(t *testing.T, open Factory) {
	cases := []struct {
		name string
		fn   func(t *testing.T, open Factory)
	}{
		{"a new store is empty", testEmpty},
		{"an import is exported unchanged", testRoundTrip},
		{"importing the same data again changes nothing", testReimport},
		{"an import upserts by id and keeps what the file leaves out", testUpsert},
		{"a failed import leaves the store untouched", testAtomicImport},
		{"next and upcoming rounds honour dates, times and statuses", testUpcoming},
		{"rounds are found by number and listed in order", testRounds},
		{"a round's notes are stored, changed and removed by imports", testRoundNotes},
		{"positions filter by party and topic, newest first", testPositions},
		{"statements filter by party and speaker, paginated", testStatements},
		{"search finds positions, statements and outcomes", testSearch},
		{"search ranks more mentions first, then the newest", testSearchOrder},
		{"search ignores common words alike on every engine", testCommonWords},
		{"autocomplete matches ids and words of names by prefix", testComplete},
		{"sources come back in the order asked, publishers once each", testSources},
		{"track summaries carry the last active date", testTracks},
		{"reads run concurrently with an import", testConcurrentReads},

		{"follows are upserted, several channels to a track in a server", testFollows},
		{"disabling a channel disables its follows and drops only its pending deliveries", testDisableChannel},
		{"deleting follows by track or all drops their pending deliveries", testDeleteFollows},
		{"subscriptions are upserted and deleted with their pending DMs", testSubscriptions},
		{"pausing a user's DMs drops the pending ones until the user subscribes again", testPauseSubscriptions},
		{"digests are upserted and deleted with their pending posts", testDigests},
		{"a server's post language is kept apart from its editor role", testPostLanguage},
		{"a subscriber's language is kept with the subscription and replaced by a new one", testSubscriptionLanguage},
		{"adding deliveries records only new ones, every field intact", testAddDeliveries},
		{"replanning adds and removes only pending reminders, and is idempotent", testReplan},
		{"replanning thousands of reminders writes only the difference", testReplanMany},
		{"claims take due deliveries only, oldest first", testClaimDue},
		{"a claim is taken over only once its lease ends, and a stale owner changes nothing", testLease},
		{"a retry is not claimed before its next try", testRetry},
		{"finished deliveries are never claimed again", testOutcomes},
		{"the next due time follows pending deliveries and claims", testNextDue},
		{"deliveries past their deadline are dropped and counted", testDropExpired},
		{"a server's pending deliveries come soonest first", testPendingFor},
		{"concurrent claimers get every delivery exactly once", testClaimRace},
		{"imports record what followers should hear about rounds", testRoundChanges},
		{"round changes are paged by id", testRoundChangePages},
		{"a failed import records no round change", testRoundChangesAtomic},
		{"a known track's first round is recorded as added", testRoundChangesOfEmptyTrack},
		{"the bundled data fills and updates only a store that holds nothing else", testSeedBundled},
		{"translated names stay with the name they translate through edits", testNamesThroughEdits},
	}
	cases = append(cases, editingCases()...)
	cases = append(cases, feedCases()...)
	cases = append(cases, eventCases()...)
	cases = append(cases, newsCases()...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

func openWith(t *testing.T, open Factory, tracks []store.Track) (store.Store, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC)}
	s := open(t, c.now)
	if tracks != nil {
		if _, err := s.Import(t.Context(), tracks); err != nil {
			t.Fatalf("importing the fixture: %v", err)
		}
	}
	return s, c
}

func byID(tracks []store.Track) []store.Track {
	out := slices.Clone(tracks)
	slices.SortFunc(out, func(a, b store.Track) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

func testEmpty(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	empty, err := s.Empty(ctx)
	if err != nil || !empty {
		t.Fatalf("Empty() = %v, %v; want true", empty, err)
	}
	if changed, err := s.LastChanged(ctx); err != nil || !changed.IsZero() {
		t.Errorf("LastChanged() = %v, %v; want zero", changed, err)
	}
	if v, err := s.DataVersion(ctx); err != nil || v != 0 {
		t.Errorf("DataVersion() = %d, %v; want 0", v, err)
	}
	if _, err := s.Round(ctx, "ru-ua-istanbul", 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Round on an empty store: err = %v, want ErrNotFound", err)
	}
	if _, err := s.NextRound(ctx, "", time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("NextRound on an empty store: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Track(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Track(nope): err = %v, want ErrNotFound", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func testRoundTrip(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	got, err := s.Export(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := byID(fixture())
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			diffTrack(t, got[i], want[i])
		}
		t.Fatalf("export differs from the import (%d tracks, want %d)", len(got), len(want))
	}
	if empty, err := s.Empty(t.Context()); err != nil || empty {
		t.Errorf("Empty() after an import = %v, %v; want false", empty, err)
	}
}

// diffTrack reports the first differing part of two tracks.
func diffTrack(t *testing.T, got, want store.Track) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("track %s: %s differs:\n got %+v\nwant %+v", want.ID, gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func testReimport(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	first, err := s.LastChanged(t.Context())
	if err != nil || !first.Equal(c.now()) {
		t.Fatalf("LastChanged() = %v, %v; want %v", first, err, c.now())
	}
	c.set(c.now().Add(time.Hour))
	stats, err := s.Import(t.Context(), fixture())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Wrote() {
		t.Errorf("re-import wrote %+v; want nothing", stats)
	}
	if again, _ := s.LastChanged(t.Context()); !again.Equal(first) {
		t.Errorf("LastChanged moved to %v on an import that changed nothing", again)
	}
	if v, err := s.DataVersion(t.Context()); err != nil || v != 1 {
		t.Errorf("DataVersion() after one changing and one idle import = %d, %v; want 1", v, err)
	}
	// The clock does not move, but the version does.
	edited := fixture()
	edited[0].Title = "Edited"
	if _, err := s.Import(t.Context(), edited); err != nil {
		t.Fatal(err)
	}
	if v, err := s.DataVersion(t.Context()); err != nil || v != 2 {
		t.Errorf("DataVersion() after a second changing import = %d, %v; want 2", v, err)
	}
}

func testUpsert(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	c.set(c.now().Add(time.Hour))
	edit := store.Track{
		ID: "ru-ua-istanbul", Title: "Russia–Ukraine direct talks in Istanbul", Timezone: "Europe/Istanbul", Names: fixture()[0].Names,
		Parties: []store.Party{{ID: "russia", Name: "Russia", Role: store.RoleParty}, {ID: "saudi-arabia", Name: "Saudi Arabia", Role: store.RoleMediator}},
		Sources: []store.Source{{ID: "tass", Publisher: "TASS"}},
		Rounds: []store.Round{{
			Track: "ru-ua-istanbul", Number: 2, Status: store.StatusScheduled,
			Starts: exact("2025-06-02", 13, 0, "Europe/Istanbul"), Venue: "Çırağan Palace", Sources: []string{"tass"},
		}},
	}
	stats, err := s.Import(ctx, []store.Track{edit})
	if err != nil {
		t.Fatal(err)
	}
	// russia is unchanged in place 0; saudi-arabia is new in place 1; tass
	// moved from place 1 to 0. The file lists no positions or statements, so
	// the track is left with none (nothing to write).
	want := store.ImportStats{Parties: 1, Sources: 1, Rounds: 1}
	if !reflect.DeepEqual(stats, want) {
		t.Errorf("stats = %+v; want %+v", stats, want)
	}
	r, err := s.Round(ctx, "ru-ua-istanbul", 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != store.StatusScheduled || !r.Starts.TimeKnown() || r.Venue != "Çırağan Palace" {
		t.Errorf("round 2 after the upsert = %+v", r)
	}
	if got := r.Starts.At; !got.Equal(time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("round 2 starts at %v; want 10:00 UTC (13:00 in Istanbul)", got)
	}
	if _, err := s.Round(ctx, "ru-ua-istanbul", 1); err != nil {
		t.Errorf("round 1, not in the file, is gone: %v", err)
	}
	tr, err := s.Track(ctx, "ru-ua-istanbul")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range tr.Parties {
		ids = append(ids, p.ID)
	}
	if !slices.Contains(ids, "ukraine") || !slices.Contains(ids, "saudi-arabia") {
		t.Errorf("parties after the upsert = %v; want ukraine kept and saudi-arabia added", ids)
	}
	if len(tr.Sources) == 0 {
		t.Error("Track returned no sources; want the track's recorded sources")
	}
	if ps, err := s.Positions(ctx, store.PositionQuery{Track: "ru-ua-istanbul"}); err != nil || len(ps) != 0 {
		t.Errorf("positions after importing a track without any: %d, %v; want the file's list (none)", len(ps), err)
	}
	if hits, err := s.Search(ctx, store.SearchQuery{Text: "unconditional"}); err != nil || len(hits) != 0 {
		t.Errorf("search still finds a replaced position: %+v, %v", hits, err)
	}
	if hits, err := s.Search(ctx, store.SearchQuery{Text: "prisoner exchange"}); err != nil || len(hits) != 1 {
		t.Errorf("search for round 1's outcome (round kept) found %d hits, %v; want 1", len(hits), err)
	}
	if changed, _ := s.LastChanged(ctx); !changed.Equal(c.now()) {
		t.Errorf("LastChanged() = %v; want the time of the changing import %v", changed, c.now())
	}
}

func testAtomicImport(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	before, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	good := store.Track{ID: "aaa-new", Title: "A new track", Timezone: "UTC"}
	bad := fixture()[0]
	bad.Title = "Changed title"
	bad.Rounds = []store.Round{{Track: bad.ID, Number: 9, Status: store.StatusProposed, Starts: dateOnly("2025-09-01", "Mars/Olympus_Mons"), Sources: []string{"tass"}}}
	if _, err := s.Import(ctx, []store.Track{good, bad}); err == nil {
		t.Fatal("importing a round in an unknown zone succeeded")
	}
	after, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Error("a failed import changed the store")
	}
}

func testUpcoming(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	ist := mustZone("Europe/Istanbul")
	cases := []struct {
		name  string
		track string
		at    time.Time
		want  []string // "track/number", soonest first
	}{
		{"a date-only round is upcoming all through its day", "ru-ua-istanbul", time.Date(2025, 6, 2, 23, 59, 0, 0, ist), []string{"ru-ua-istanbul/2", "ru-ua-istanbul/3"}},
		{"a date-only round is past once its day ends in its zone", "ru-ua-istanbul", time.Date(2025, 6, 3, 0, 0, 0, 0, ist), []string{"ru-ua-istanbul/3"}},
		{"an exact round is upcoming at its very start", "ru-ua-istanbul", time.Date(2025, 7, 23, 19, 0, 0, 0, ist), []string{"ru-ua-istanbul/3"}},
		{"an exact round is past a second after its start", "ru-ua-istanbul", time.Date(2025, 7, 23, 19, 0, 1, 0, ist), nil},
		{"held, cancelled and postponed rounds are never upcoming", "geneva", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), []string{"geneva/1"}},
		// Istanbul's round 2 has no time: it sorts at the start of its day
		// (21:00 UTC on 1 June), before New York's 09:00 (13:00 UTC) round.
		{"across tracks the soonest comes first", "", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), []string{"ru-ua-istanbul/2", "geneva/1", "ru-ua-istanbul/3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := s.UpcomingRounds(ctx, tc.track, tc.at, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				got = append(got, r.Track+"/"+itoa(r.Number))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("UpcomingRounds(%q, %v) = %v; want %v", tc.track, tc.at, got, tc.want)
			}
			next, err := s.NextRound(ctx, tc.track, tc.at)
			if len(tc.want) == 0 {
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("NextRound = %v, %v; want ErrNotFound", next.Number, err)
				}
				return
			}
			if err != nil || next.Track+"/"+itoa(next.Number) != tc.want[0] {
				t.Errorf("NextRound = %s/%d, %v; want %s", next.Track, next.Number, err, tc.want[0])
			}
		})
	}
	// 09:00 in New York on 2 June is 13:00 UTC: before Istanbul's round 2 day ends.
	rs, err := s.UpcomingRounds(ctx, "", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), 1)
	if err != nil || len(rs) != 1 || rs[0].Track != "ru-ua-istanbul" || rs[0].Number != 2 {
		t.Fatalf("UpcomingRounds with limit 1 = %+v, %v; want only ru-ua-istanbul/2", rs, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func testRoundNotes(t *testing.T, open Factory) {
	tracks := fixture()
	s, _ := openWith(t, open, tracks)
	ctx := t.Context()
	for _, notes := range [][]string{
		tracks[0].Rounds[1].Notes,
		{"A different note."},
		nil,
		{"Notes again, on a round that had none."},
	} {
		tracks[0].Rounds[1].Notes = notes
		if _, err := s.Import(ctx, tracks); err != nil {
			t.Fatal(err)
		}
		r, err := s.Round(ctx, "ru-ua-istanbul", 2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Notes, notes) || (notes == nil) != (r.Notes == nil) {
			t.Errorf("after importing notes %q, Round(2).Notes = %q", notes, r.Notes)
		}
		if !reflect.DeepEqual(r.Delegations, tracks[0].Rounds[1].Delegations) {
			t.Errorf("notes %q changed the delegations: %+v", notes, r.Delegations)
		}
	}
	if r, err := s.Round(ctx, "ru-ua-istanbul", 1); err != nil || r.Notes != nil {
		t.Errorf("round 1 has no notes, yet Round(1).Notes = %q, %v", r.Notes, err)
	}
}

func testRounds(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	rs, err := s.Rounds(ctx, "ru-ua-istanbul")
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	for _, r := range rs {
		nums = append(nums, r.Number)
	}
	if !slices.Equal(nums, []int{1, 2, 3, 4}) {
		t.Errorf("Rounds = %v; want 1..4 in order", nums)
	}
	r, err := s.Round(ctx, "ru-ua-istanbul", 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, fixture()[0].Rounds[1]) {
		t.Errorf("Round(2) = %+v\nwant %+v", r, fixture()[0].Rounds[1])
	}
	if r.Starts.TimeKnown() {
		t.Error("round 2's time was not announced, yet TimeKnown() is true")
	}
	if _, err := s.Round(ctx, "ru-ua-istanbul", 99); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Round(99): err = %v; want ErrNotFound", err)
	}
	if rs, err := s.Rounds(ctx, "no-such-track"); err != nil || len(rs) != 0 {
		t.Errorf("Rounds of an unknown track = %d, %v; want none", len(rs), err)
	}
	page, err := s.RoundsPage(ctx, "ru-ua-istanbul", 2, 1)
	if err != nil || page.Total != 4 || len(page.Items) != 2 || page.Items[0].Number != 2 || page.Items[1].Number != 3 {
		t.Errorf("RoundsPage(limit 2, offset 1) = %+v, %v; want rounds 2 and 3 of 4", page, err)
	}
	latest, err := s.LatestRound(ctx, "ru-ua-istanbul")
	if err != nil || latest.Number != 3 {
		t.Errorf("LatestRound = %d, %v; want round 3 (23 July, the latest start)", latest.Number, err)
	}
	if _, err := s.LatestRound(ctx, "no-such-track"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LatestRound of an unknown track: %v; want ErrNotFound", err)
	}
}

func testPositions(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	cases := []struct {
		name string
		q    store.PositionQuery
		want []string // summaries' first words, in order
	}{
		{"all of a party, newest first", store.PositionQuery{Track: "ru-ua-istanbul", Party: "ukraine"}, []string{"Ukraine expects", "Ukraine is", "Only a"}},
		{"a topic across parties", store.PositionQuery{Track: "ru-ua-istanbul", Topic: "memorandum"}, []string{"Ukraine expects", "Russia has"}},
		{"a party and a topic", store.PositionQuery{Track: "ru-ua-istanbul", Party: "russia", Topic: "memorandum"}, []string{"Russia has"}},
		{"a page", store.PositionQuery{Track: "ru-ua-istanbul", Limit: 2, Offset: 1}, []string{"Ukraine is", "Russia has"}},
		{"an unknown party", store.PositionQuery{Track: "ru-ua-istanbul", Party: "mars"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := s.Positions(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, firstWords(p.Summary))
				if len(p.Sources) == 0 {
					t.Errorf("position %q came back without its sources", p.Summary)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Positions(%+v) = %q; want %q", tc.q, got, tc.want)
			}
		})
	}
}

func firstWords(s string) string {
	n := 0
	for i, r := range s {
		if r == ' ' {
			n++
			if n == 2 {
				return s[:i]
			}
		}
	}
	return s
}

func testStatements(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	cases := []struct {
		name      string
		q         store.StatementQuery
		wantTotal int
		wantBy    []string
	}{
		{"all, newest first", store.StatementQuery{Track: "ru-ua-istanbul"}, 3, []string{"sybiha", "umerov", "lavrov"}},
		{"by party", store.StatementQuery{Track: "ru-ua-istanbul", Party: "ukraine"}, 2, []string{"sybiha", "umerov"}},
		{"by speaker", store.StatementQuery{Track: "ru-ua-istanbul", Person: "lavrov"}, 1, []string{"lavrov"}},
		{"a page keeps the total", store.StatementQuery{Track: "ru-ua-istanbul", Limit: 1, Offset: 1}, 3, []string{"umerov"}},
		{"a page past the end", store.StatementQuery{Track: "ru-ua-istanbul", Limit: 5, Offset: 10}, 3, nil},
		{"nobody matches", store.StatementQuery{Track: "ru-ua-istanbul", Person: "nobody"}, 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.Statements(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, st := range page.Items {
				got = append(got, st.By)
			}
			if page.Total != tc.wantTotal || !slices.Equal(got, tc.wantBy) {
				t.Errorf("Statements(%+v) = %v (total %d); want %v (total %d)", tc.q, got, page.Total, tc.wantBy, tc.wantTotal)
			}
		})
	}
}

func testSearch(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	cases := []struct {
		name  string
		q     store.SearchQuery
		want  []store.HitKind // kinds of the hits, in any order
		check func(t *testing.T, hits []store.SearchHit)
	}{
		{"a word in a position", store.SearchQuery{Text: "unconditional"}, []store.HitKind{store.HitPosition}, func(t *testing.T, hits []store.SearchHit) {
			h := hits[0]
			if h.Party != "ukraine" || h.Topic != "ceasefire" || h.Person != "umerov" || h.On != date("2025-05-28") || len(h.Sources) != 1 || h.Track != "ru-ua-istanbul" {
				t.Errorf("hit = %+v; want Ukraine's ceasefire position with its date, speaker and source", h)
			}
		}},
		{"a word in a quote", store.SearchQuery{Text: "Russians"}, []store.HitKind{store.HitStatement}, nil},
		{"a round's outcome", store.SearchQuery{Text: "prisoner"}, []store.HitKind{store.HitOutcome}, func(t *testing.T, hits []store.SearchHit) {
			if hits[0].Round != 1 || hits[0].On != date("2025-05-16") {
				t.Errorf("hit = %+v; want round 1 on 2025-05-16", hits[0])
			}
		}},
		{"word forms match (stemming)", store.SearchQuery{Text: "ceasefires", Track: "ru-ua-istanbul"}, []store.HitKind{store.HitPosition}, nil},
		{"every word must match", store.SearchQuery{Text: "well-prepared meeting"}, []store.HitKind{store.HitPosition, store.HitStatement}, nil},
		{"one track only", store.SearchQuery{Text: "ceasefire", Track: "geneva"}, []store.HitKind{store.HitStatement}, nil},
		{"nothing matches", store.SearchQuery{Text: "zeppelin"}, nil, nil},
		{"punctuation only is no query", store.SearchQuery{Text: `"*( ) -`}, nil, nil},
		{"query syntax is taken as words", store.SearchQuery{Text: `memorandum core* "causes`}, []store.HitKind{store.HitPosition}, nil},
		{"operators alone are no error", store.SearchQuery{Text: `AND OR NEAR( * :`}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := s.Search(ctx, tc.q)
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.q.Text, err)
			}
			var kinds []store.HitKind
			for _, h := range hits {
				kinds = append(kinds, h.Kind)
			}
			slices.Sort(kinds)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(kinds, want) {
				t.Fatalf("Search(%q) kinds = %v; want %v", tc.q.Text, kinds, want)
			}
			if tc.check != nil {
				tc.check(t, hits)
			}
		})
	}
}

// saying is a track "t" whose one speaker said each text on its date
// (pairs of date and text), for search cases.
func saying(said ...[2]string) []store.Track {
	tr := store.Track{
		ID: "t", Title: "T", Timezone: "UTC",
		Parties: []store.Party{{ID: "p", Name: "P", Role: store.RoleParty}},
		People:  []store.Person{{ID: "a", Name: "A", Party: "p"}},
		Sources: []store.Source{{ID: "s", Publisher: "S"}},
	}
	for _, st := range said {
		tr.Statements = append(tr.Statements, store.Statement{Track: "t", By: "a", Party: "p", SaidOn: date(st[0]), Text: st[1], Sources: []string{"s"}})
	}
	return []store.Track{tr}
}

func testSearchOrder(t *testing.T, open Factory) {
	tracks := saying(
		[2]string{"2025-01-01", "A ceasefire was discussed at length with the delegation."},
		[2]string{"2025-03-01", "Ceasefire now."},
		[2]string{"2024-12-01", "Ceasefire, ceasefire, ceasefire: the word of the day."},
		[2]string{"2025-02-01", "The ceasefire holds."},
		[2]string{"2025-04-01", "Nothing about that here."},
	)
	s, _ := openWith(t, open, tracks)
	hits, err := s.Search(t.Context(), store.SearchQuery{Track: "t", Text: "ceasefire", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hits {
		got = append(got, h.On.String())
	}
	// Three mentions beat one; among single mentions the newest come first,
	// and the limit keeps the best.
	want := []string{"2024-12-01", "2025-03-01", "2025-02-01"}
	if !slices.Equal(got, want) {
		t.Errorf("Search(ceasefire, limit 3) dates = %v; want %v", got, want)
	}
}

func testComplete(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	cases := []struct {
		name string
		q    store.CompleteQuery
		want []string // values
	}{
		{"tracks by a word of the title", store.CompleteQuery{Kind: store.CompleteTracks, Prefix: "Istan"}, []string{"ru-ua-istanbul"}},
		{"tracks with no prefix", store.CompleteQuery{Kind: store.CompleteTracks}, []string{"geneva", "ru-ua-istanbul"}},
		{"parties by name, case-insensitively", store.CompleteQuery{Kind: store.CompleteParties, Prefix: "UKR"}, []string{"ukraine"}},
		{"parties by a non-ASCII name", store.CompleteQuery{Kind: store.CompleteParties, Prefix: "tü"}, []string{"turkiye"}},
		{"a party in two tracks is offered once", store.CompleteQuery{Kind: store.CompleteParties, Prefix: "rus"}, []string{"russia"}},
		{"parties of one track", store.CompleteQuery{Kind: store.CompleteParties, Track: "geneva"}, []string{"red-cross", "russia"}},
		{"people by surname", store.CompleteQuery{Kind: store.CompletePeople, Prefix: "lav"}, []string{"lavrov"}},
		{"people by id", store.CompleteQuery{Kind: store.CompletePeople, Prefix: "sybiha"}, []string{"sybiha"}},
		{"topics by prefix", store.CompleteQuery{Kind: store.CompleteTopics, Prefix: "me"}, []string{"memorandum"}},
		{"topics of one track", store.CompleteQuery{Kind: store.CompleteTopics, Track: "ru-ua-istanbul"}, []string{"ceasefire", "memorandum", "preparation"}},
		{"a percent sign is no wildcard", store.CompleteQuery{Kind: store.CompletePeople, Prefix: "l%v"}, nil},
		{"an underscore is no wildcard", store.CompleteQuery{Kind: store.CompleteTopics, Prefix: "m_m"}, nil},
		{"the limit holds, by name", store.CompleteQuery{Kind: store.CompletePeople, Limit: 2}, []string{"sybiha", "umerov"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Complete(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var vals []string
			for _, c := range got {
				vals = append(vals, c.Value)
				if c.Name == "" {
					t.Errorf("choice %q has no name", c.Value)
				}
			}
			if !slices.Equal(vals, tc.want) {
				t.Errorf("Complete(%+v) = %v; want %v", tc.q, vals, tc.want)
			}
		})
	}
}

func testSources(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	got, err := s.Sources(t.Context(), "ru-ua-istanbul", []string{"tass", "missing", "reuters-2025-05-28", "tass"})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Source{fixture()[0].Sources[1], fixture()[0].Sources[0]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sources = %+v; want %+v", got, want)
	}
	pubs, err := s.Publishers(t.Context())
	if err != nil || !slices.Equal(pubs, []string{"ICRC", "Reuters", "TASS"}) {
		t.Errorf("Publishers = %v, %v; want ICRC, Reuters, TASS", pubs, err)
	}
}

func testTracks(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	got, err := s.Tracks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []store.TrackSummary{
		{ID: "geneva", Title: "Geneva humanitarian talks", Timezone: "Europe/Zurich", LastActive: date("2025-06-10")},
		{ID: "ru-ua-istanbul", Title: "Russia–Ukraine direct talks in Istanbul", Names: fixture()[0].Names, Timezone: "Europe/Istanbul", LastActive: date("2025-07-23")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tracks = %+v; want %+v", got, want)
	}
}

func testConcurrentReads(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 4 {
		wg.Go(func() {
			for range 25 {
				if _, err := s.Rounds(ctx, "ru-ua-istanbul"); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		edited := fixture()
		for i := range 5 {
			edited[0].Rounds[3].Venue = "Venue " + itoa(i)
			if _, err := s.Import(ctx, edited); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r, err := s.Round(ctx, "ru-ua-istanbul", 4)
	if err != nil || r.Venue != "Venue 4" {
		t.Errorf("after the imports round 4's venue = %q, %v; want the last import's", r.Venue, err)
	}
}
