package sqlite_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"talkbot/store"
	"talkbot/store/sqlite"
	"talkbot/store/sqlite/sqlitetest"
	"talkbot/store/storetest"
)

func open(t testing.TB, now func() time.Time) store.Store { return sqlitetest.Open(t, now) }

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talkbot.db")
	now := func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	s, err := sqlite.Open(t.Context(), path, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(t.Context(), []store.Track{{ID: "t", Title: "T", Timezone: "UTC"}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(t.Context(), path, now)
	if err != nil {
		t.Fatalf("reopening (migrations must be idempotent): %v", err)
	}
	defer s.Close()
	if empty, err := s.Empty(t.Context()); err != nil || empty {
		t.Errorf("Empty() after reopening = %v, %v; want false", empty, err)
	}
}

func BenchmarkStore(b *testing.B)   { storetest.Bench(b, open) }
func BenchmarkImport(b *testing.B)  { storetest.BenchImport(b, open) }
func BenchmarkClaim(b *testing.B)   { storetest.BenchClaim(b, open) }
func BenchmarkNextDue(b *testing.B) { storetest.BenchNextDue(b, open) }
func BenchmarkReplan(b *testing.B)  { storetest.BenchReplan(b, open) }
func BenchmarkEdit(b *testing.B)    { storetest.BenchEdit(b, open) }
func BenchmarkHistory(b *testing.B) { storetest.BenchHistory(b, open) }
func BenchmarkPoll(b *testing.B)    { storetest.BenchPoll(b, open) }

// A database filled before rounds had notes keeps its rows' old layout of
// details (four lists, then the delegations, no notes part); opened by
// this version, those rows read as before, with no notes, and a later
// import adds notes to them.
func TestRoundsStoredBeforeNotesStillRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talkbot.db")
	now := func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	s, err := sqlite.Open(t.Context(), path, now)
	if err != nil {
		t.Fatal(err)
	}
	round := store.Round{
		Track: "t", Number: 1, Status: store.StatusHeld,
		Starts:      store.When{Date: store.Date{Year: 2025, Month: 5, Day: 16}, Zone: "UTC"},
		Mediators:   []string{"turkiye"},
		Agenda:      []string{"memorandum"},
		Delegations: []store.Delegation{{Party: "russia", Head: "medinsky"}, {Party: "ukraine", Members: []string{"umerov"}}},
		Sources:     []string{"s"},
	}
	tr := store.Track{
		ID: "t", Title: "T", Timezone: "UTC",
		Parties: []store.Party{{ID: "russia", Name: "Russia"}, {ID: "ukraine", Name: "Ukraine"}, {ID: "turkiye", Name: "Türkiye", Role: store.RoleMediator}},
		People:  []store.Person{{ID: "medinsky", Name: "M", Party: "russia"}, {ID: "umerov", Name: "U", Party: "ukraine"}},
		Sources: []store.Source{{ID: "s", Publisher: "P"}},
		Rounds:  []store.Round{round},
	}
	if _, err := s.Import(t.Context(), []store.Track{tr}); err != nil {
		t.Fatal(err)
	}
	// The details exactly as the version before notes wrote them.
	old := "10:7:turkiye,,14:10:memorandum,,0:,0:,20:6:russia,8:medinsky,,22:7:ukraine,0:,6:umerov,,"
	res, err := s.SQL().ExecContext(t.Context(), `UPDATE rounds SET details = ? WHERE number = 1`, old)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("rewriting the details of round 1: %d rows, %v", n, err)
	}
	s.Close()
	s, err = sqlite.Open(t.Context(), path, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	got, err := s.Round(t.Context(), "t", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, round) {
		t.Errorf("round stored before notes reads as\n%+v\nwant\n%+v", got, round)
	}
	tr.Rounds[0].Notes = []string{"Added later."}
	if _, err := s.Import(t.Context(), []store.Track{tr}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Round(t.Context(), "t", 1); err != nil || !reflect.DeepEqual(got.Notes, []string{"Added later."}) {
		t.Errorf("notes after a new import = %q, %v", got.Notes, err)
	}
}
