package storetest

import (
	"reflect"
	"testing"

	"talkbot/store"
)

// testSeedBundled: the bundled data fills an empty store and updates a
// store that held only bundled data; a store that took another import is
// left alone until the bundled data is imported on purpose.
func testSeedBundled(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	v1 := fixture()
	v2 := fixture()
	v2[0].Rounds[0].Venue = "Dolmabahçe Palace, Istanbul"
	v3 := fixture()
	v3[0].Rounds[0].Venue = "Ankara"

	seed := func(tracks []store.Track, hash string, force bool, want store.SeedOutcome, wantSeeded string) {
		t.Helper()
		res, err := s.SeedBundled(ctx, tracks, hash, force)
		if err != nil {
			t.Fatalf("SeedBundled(%s): %v", hash, err)
		}
		if res.Outcome != want || res.Seeded != wantSeeded {
			t.Fatalf("SeedBundled(%s, force %v) = outcome %d, seeded %q; want %d, %q", hash, force, res.Outcome, res.Seeded, want, wantSeeded)
		}
	}
	holds := func(want []store.Track, what string) {
		t.Helper()
		got, err := s.Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, byID(want)) {
			t.Errorf("the store does not hold %s", what)
		}
	}

	seed(v1, "h1", false, store.SeedFilled, "")
	holds(v1, "the first bundled data")
	before, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seed(v1, "h1", false, store.SeedCurrent, "h1")
	if after, err := s.DataVersion(ctx); err != nil || after != before {
		t.Errorf("seeding the same bundled data again moved the data version from %d to %d (%v)", before, after, err)
	}
	seed(v2, "h2", false, store.SeedUpdated, "h1")
	holds(v2, "the updated bundled data")
	seed(v2, "h2b", false, store.SeedCurrent, "h2") // a new file with the same data

	// Another import makes the store the editor's: the bundled data no
	// longer goes over it, and the caller learns what was seeded last.
	edited := fixture()
	edited[0].Rounds[0].Venue = "An editor's venue"
	if _, err := s.Import(ctx, edited); err != nil {
		t.Fatal(err)
	}
	seed(v3, "h3", false, store.SeedKept, "h2b")
	holds(edited, "the editor's data after a newer bundled data came")
	seed(v3, "h3", false, store.SeedKept, "h2b")

	// Importing the bundled file on purpose makes it bundled-only again.
	seed(v3, "h3", true, store.SeedUpdated, "h2b")
	holds(v3, "the bundled data imported on purpose")
	seed(v1, "h4", false, store.SeedUpdated, "h3")
	holds(v1, "the bundled data after the store became bundled-only again")

	// An import that changes nothing keeps the store bundled-only.
	if _, err := s.Import(ctx, v1); err != nil {
		t.Fatal(err)
	}
	seed(v2, "h5", false, store.SeedUpdated, "h4")

	// A failed seeding changes nothing, its record included.
	bad := fixture()
	bad[0].Rounds = []store.Round{{Track: bad[0].ID, Number: 9, Status: store.StatusProposed, Starts: dateOnly("2025-09-01", "Mars/Olympus_Mons"), Sources: []string{"tass"}}}
	if _, err := s.SeedBundled(ctx, bad, "h6", false); err == nil {
		t.Fatal("seeding a round in an unknown zone succeeded")
	}
	holds(v2, "the last bundled data after a failed seeding")
	seed(v2, "h5", false, store.SeedCurrent, "h5")
}
