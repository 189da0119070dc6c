package storetest

import (
	"path/filepath"
	"testing"
	"time"

	"talkbot/data"
	"talkbot/store"
	"talkbot/store/sqlite"
)

// Bundled opens a SQLite store in a temporary directory holding the
// bundled data, for tests of what readers see. It closes at cleanup.
func Bundled(t testing.TB, now func() time.Time) store.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "talkbot.db"), now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	return s
}
