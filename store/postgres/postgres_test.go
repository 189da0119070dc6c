package postgres_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"talkbot/store"
	"talkbot/store/pgtest"
	"talkbot/store/postgres"
	"talkbot/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func open(t testing.TB, now func() time.Time) store.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), pgtest.URL(t), now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

// Replicas start together: each migrates under the advisory lock and all
// end on the same schema.
func TestReplicasMigrateTogether(t *testing.T) {
	url := pgtest.URL(t)
	now := func() time.Time { return time.Now() }
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), url, now)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			if _, err := s.Empty(t.Context()); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a replica failed to open the shared database: %v", err)
	}
}

// Replicas claim together: three handles on one database, three workers
// each, and every delivery is claimed by exactly one of them.
func TestReplicasClaimEachDeliveryOnce(t *testing.T) {
	url := pgtest.URL(t)
	var stores []store.Store
	for range 3 {
		s, err := postgres.Open(t.Context(), url, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.ClaimRace(t, stores, 3)
}

// Replicas poll together: three handles on one database, two workers
// each, and every feed is claimed by one of them and its item recorded once.
func TestReplicasClaimEachFeedOnce(t *testing.T) {
	url := pgtest.URL(t)
	var stores []store.Store
	for range 3 {
		s, err := postgres.Open(t.Context(), url, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	if _, err := stores[0].Import(t.Context(), []store.Track{{ID: "ru-ua-istanbul", Title: "T", Timezone: "UTC"}}); err != nil {
		t.Fatal(err)
	}
	storetest.FeedClaimRace(t, stores, 2)
}

func BenchmarkStore(b *testing.B)   { storetest.Bench(b, open) }
func BenchmarkImport(b *testing.B)  { storetest.BenchImport(b, open) }
func BenchmarkClaim(b *testing.B)   { storetest.BenchClaim(b, open) }
func BenchmarkNextDue(b *testing.B) { storetest.BenchNextDue(b, open) }
func BenchmarkReplan(b *testing.B)  { storetest.BenchReplan(b, open) }
func BenchmarkEdit(b *testing.B)    { storetest.BenchEdit(b, open) }
func BenchmarkHistory(b *testing.B) { storetest.BenchHistory(b, open) }
func BenchmarkPoll(b *testing.B)    { storetest.BenchPoll(b, open) }

// A search in a track ANDs the words with the track's lexeme: a query of
// stopwords only must still find nothing (not the whole track), and track
// ids that need quoting in tsquery syntax work.
func TestSearchInTrackEdgeCases(t *testing.T) {
	s := open(t, time.Now)
	var tracks []store.Track
	for _, id := range []string{"plain", `o'neil \ talks`} {
		tracks = append(tracks, store.Track{
			ID: id, Title: id, Timezone: "UTC",
			Parties:    []store.Party{{ID: "p", Name: "P", Role: store.RoleParty}},
			People:     []store.Person{{ID: "a", Name: "A", Party: "p"}},
			Sources:    []store.Source{{ID: "s", Publisher: "S"}},
			Statements: []store.Statement{{Track: id, By: "a", Party: "p", SaidOn: store.Date{Year: 2025, Month: 1, Day: 1}, Text: "The ceasefire holds in " + id + ".", Sources: []string{"s"}}},
		})
	}
	if _, err := s.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		track, text string
		want        int
	}{
		{"plain", "the", 0},
		{"plain", "The ceasefire", 1},
		{`o'neil \ talks`, "ceasefire", 1},
		{`o'neil \ talks`, "the of", 0},
	} {
		hits, err := s.Search(t.Context(), store.SearchQuery{Track: tc.track, Text: tc.text})
		if err != nil {
			t.Errorf("Search(%q in %q): %v", tc.text, tc.track, err)
			continue
		}
		if len(hits) != tc.want {
			t.Errorf("Search(%q in %q) = %d hits; want %d", tc.text, tc.track, len(hits), tc.want)
		}
		for _, h := range hits {
			if h.Track != tc.track {
				t.Errorf("Search(%q in %q) found a hit in %q", tc.text, tc.track, h.Track)
			}
		}
	}
}

// Replicas plan news together: the hourly cap holds across them and every
// item is planned once.
func TestReplicasPlanNewsOnce(t *testing.T) {
	url := pgtest.URL(t)
	var stores []store.Store
	for range 3 {
		s, err := postgres.Open(t.Context(), url, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.NewsPlanRace(t, stores)
}
