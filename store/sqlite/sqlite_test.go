package sqlite_test

import (
	"path/filepath"
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
