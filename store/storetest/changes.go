package storetest

import (
	"reflect"
	"testing"
	"time"

	"talkbot/store"
)

// roundOf returns a pointer to a round of a track in tracks, for editing.
func roundOf(tracks []store.Track, track string, number int) *store.Round {
	for i := range tracks {
		if tracks[i].ID != track {
			continue
		}
		for j := range tracks[i].Rounds {
			if tracks[i].Rounds[j].Number == number {
				return &tracks[i].Rounds[j]
			}
		}
	}
	panic("fixture has no round " + track + "/" + itoa(number)) // fixture names are literals
}

// change is what a test expects of a RoundChange, the round looked up in
// the data before and after the import.
type change struct {
	track string
	round int
	kind  store.ChangeKind
}

func testRoundChanges(t *testing.T, open Factory) {
	const ist = "Europe/Istanbul"
	cases := []struct {
		name string
		edit func(ts []store.Track) []store.Track // the second import; nil for none
		want []change
	}{
		{"the first import records nothing", nil, nil},
		{"importing the same data again records nothing", func(ts []store.Track) []store.Track { return ts }, nil},
		{"a new round is added", func(ts []store.Track) []store.Track {
			ts[0].Rounds = append(ts[0].Rounds, store.Round{Number: 5, Status: store.StatusProposed, Starts: dateOnly("2025-08-01", ist), Sources: []string{"tass"}})
			return ts
		}, []change{{"ru-ua-istanbul", 5, store.ChangeAdded}}},
		{"a moved start is a rescheduling", func(ts []store.Track) []store.Track {
			roundOf(ts, "ru-ua-istanbul", 3).Starts = exact("2025-07-24", 19, 0, ist)
			return ts
		}, []change{{"ru-ua-istanbul", 3, store.ChangeRescheduled}}},
		{"a time announced for a date-only round is a rescheduling", func(ts []store.Track) []store.Track {
			roundOf(ts, "ru-ua-istanbul", 2).Starts = exact("2025-06-02", 13, 0, ist)
			return ts
		}, []change{{"ru-ua-istanbul", 2, store.ChangeRescheduled}}},
		{"proposed to scheduled is a status change", func(ts []store.Track) []store.Track {
			roundOf(ts, "ru-ua-istanbul", 2).Status = store.StatusScheduled
			return ts
		}, []change{{"ru-ua-istanbul", 2, store.ChangeStatus}}},
		{"scheduled on a new date is a rescheduling", func(ts []store.Track) []store.Track {
			r := roundOf(ts, "ru-ua-istanbul", 2)
			r.Status, r.Starts = store.StatusScheduled, exact("2025-06-03", 13, 0, ist)
			return ts
		}, []change{{"ru-ua-istanbul", 2, store.ChangeRescheduled}}},
		{"a postponement", func(ts []store.Track) []store.Track {
			roundOf(ts, "geneva", 1).Status = store.StatusPostponed
			return ts
		}, []change{{"geneva", 1, store.ChangePostponed}}},
		{"a cancellation with a new date is a cancellation", func(ts []store.Track) []store.Track {
			r := roundOf(ts, "ru-ua-istanbul", 3)
			r.Status, r.Starts = store.StatusCancelled, dateOnly("2025-07-30", ist)
			return ts
		}, []change{{"ru-ua-istanbul", 3, store.ChangeCancelled}}},
		{"a round that took place is held", func(ts []store.Track) []store.Track {
			roundOf(ts, "ru-ua-istanbul", 3).Status = store.StatusHeld
			return ts
		}, []change{{"ru-ua-istanbul", 3, store.ChangeHeld}}},
		{"a venue, agenda or outcome edit records nothing", func(ts []store.Track) []store.Track {
			r := roundOf(ts, "ru-ua-istanbul", 3)
			r.Venue, r.Agenda, r.Outcomes = "Dolmabahçe Palace", []string{"prisoners"}, []string{"an exchange"}
			roundOf(ts, "geneva", 1).Ends = exact("2025-06-02", 17, 0, "America/New_York")
			return ts
		}, nil},
		{"a track new to the store records nothing (nobody follows it yet)", func(ts []store.Track) []store.Track {
			return []store.Track{{ID: "new", Title: "New", Timezone: "UTC", Sources: []store.Source{{ID: "s"}},
				Rounds: []store.Round{{Number: 1, Status: store.StatusScheduled, Starts: dateOnly("2025-09-01", "UTC"), Sources: []string{"s"}}}}}
		}, nil},
		{"changes to several tracks come in import order", func(ts []store.Track) []store.Track {
			roundOf(ts, "geneva", 1).Status = store.StatusCancelled
			roundOf(ts, "ru-ua-istanbul", 3).Starts = exact("2025-07-23", 20, 0, ist)
			roundOf(ts, "ru-ua-istanbul", 2).Venue = "Ankara"
			return ts
		}, []change{{"ru-ua-istanbul", 3, store.ChangeRescheduled}, {"geneva", 1, store.ChangeCancelled}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := openWith(t, open, fixture())
			ctx := t.Context()
			before := fixture()
			after := before
			if tc.edit != nil {
				c.set(c.now().Add(time.Hour))
				after = tc.edit(fixture())
				if _, err := s.Import(ctx, after); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.RoundChanges(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			var want []store.RoundChange
			for _, w := range tc.want {
				r := *roundOf(after, w.track, w.round)
				rc := store.RoundChange{Track: w.track, Round: w.round, Kind: w.kind, NewStatus: r.Status, NewStarts: r.Starts, At: c.now()}
				if w.kind != store.ChangeAdded {
					o := roundOf(before, w.track, w.round)
					rc.OldStatus, rc.OldStarts = o.Status, o.Starts
				}
				want = append(want, rc)
			}
			var lastID int64
			for i := range got {
				if got[i].ID <= lastID {
					t.Errorf("change ids %d after %d; want rising", got[i].ID, lastID)
				}
				lastID = got[i].ID
				got[i].ID = 0
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("RoundChanges(0) =\n %+v\nwant\n %+v", got, want)
			}
			if last, err := s.LastRoundChange(ctx); err != nil || last != lastID {
				t.Errorf("LastRoundChange() = %d, %v; want %d", last, err, lastID)
			}
		})
	}
}

func testRoundChangePages(t *testing.T, open Factory) {
	s, c := openWith(t, open, fixture())
	ctx := t.Context()
	edited := fixture()
	imports := []func(){
		func() {
			roundOf(edited, "ru-ua-istanbul", 2).Status = store.StatusScheduled
			roundOf(edited, "geneva", 1).Status = store.StatusPostponed
		},
		func() { roundOf(edited, "ru-ua-istanbul", 3).Starts = exact("2025-07-25", 10, 0, "Europe/Istanbul") },
		func() { roundOf(edited, "ru-ua-istanbul", 3).Venue = "Ankara" },
	}
	var stamps []time.Time
	for _, edit := range imports {
		c.set(c.now().Add(time.Hour))
		stamps = append(stamps, c.now())
		edit()
		if _, err := s.Import(ctx, edited); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.RoundChanges(ctx, 0, 0)
	if err != nil || len(all) != 3 {
		t.Fatalf("RoundChanges(0) = %+v, %v; want 3 changes", all, err)
	}
	for i, at := range []time.Time{stamps[0], stamps[0], stamps[1]} {
		if !all[i].At.Equal(at) {
			t.Errorf("change %d at %v; want its import's time %v", i, all[i].At, at)
		}
	}
	cases := []struct {
		name  string
		after int64
		want  []store.RoundChange
	}{
		{"from the start", 0, all},
		{"after the first", all[0].ID, all[1:]},
		{"after the last there is nothing", all[2].ID, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.RoundChanges(ctx, tc.after, 0)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("RoundChanges(%d) = %+v, %v; want %+v", tc.after, got, err, tc.want)
			}
		})
	}
	if got, err := s.RoundChanges(ctx, all[0].ID, 1); err != nil || !reflect.DeepEqual(got, all[1:2]) {
		t.Errorf("RoundChanges(%d, limit 1) = %+v, %v; want only the next change", all[0].ID, got, err)
	}
	if last, err := s.LastRoundChange(ctx); err != nil || last != all[2].ID {
		t.Errorf("LastRoundChange() = %d, %v; want %d", last, err, all[2].ID)
	}
}

func testRoundChangesAtomic(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	edited := fixture()
	roundOf(edited, "ru-ua-istanbul", 3).Status = store.StatusPostponed
	edited[1].Rounds = append(edited[1].Rounds, store.Round{Number: 9, Status: store.StatusProposed, Starts: dateOnly("2025-09-01", "Mars/Olympus_Mons"), Sources: []string{"icrc"}})
	if _, err := s.Import(ctx, edited); err == nil {
		t.Fatal("importing a round in an unknown zone succeeded")
	}
	if got, err := s.RoundChanges(ctx, 0, 0); err != nil || len(got) != 0 {
		t.Errorf("a failed import recorded changes: %+v, %v", got, err)
	}
}

func testRoundChangesOfEmptyTrack(t *testing.T, open Factory) {
	s, _ := openWith(t, open, []store.Track{{ID: "quiet", Title: "Quiet", Timezone: "UTC"}})
	ctx := t.Context()
	r := store.Round{Track: "quiet", Number: 1, Status: store.StatusScheduled, Starts: dateOnly("2025-09-01", "UTC"), Sources: []string{"s"}}
	if _, err := s.Import(ctx, []store.Track{{ID: "quiet", Title: "Quiet", Timezone: "UTC", Sources: []store.Source{{ID: "s"}}, Rounds: []store.Round{r}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.RoundChanges(ctx, 0, 0)
	if err != nil || len(got) != 1 || got[0].Kind != store.ChangeAdded || got[0].Round != 1 {
		t.Errorf("RoundChanges after a known track's first round = %+v, %v; want round 1 added", got, err)
	}
}
