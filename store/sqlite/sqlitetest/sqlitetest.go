// Package sqlitetest opens throwaway SQLite stores for tests, as
// store/pgtest does for PostgreSQL; store/storetest, the conformance suite,
// stays free of any engine.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"talkbot/data"
	"talkbot/store"
	"talkbot/store/sqlite"
	"talkbot/store/sqlstore"
)

// Open opens an empty SQLite store in a temporary directory; it closes at
// cleanup.
func Open(t testing.TB, now func() time.Time) *sqlstore.DB {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "talkbot.db"), now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Bundled opens a SQLite store holding the bundled data, for tests of what
// readers see.
func Bundled(t testing.TB, now func() time.Time) store.Store {
	t.Helper()
	s := Open(t, now)
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	return s
}
