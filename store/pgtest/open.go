package pgtest

import (
	"context"
	"testing"
	"time"

	"talkbot/store/postgres"
	"talkbot/store/sqlstore"
)

// Open opens a store on a fresh, empty database of the throwaway server,
// closed when t ends: sqlitetest.Open's twin for PostgreSQL.
func Open(t testing.TB, now func() time.Time) *sqlstore.DB {
	t.Helper()
	return OpenURL(t, URL(t), now)
}

// OpenURL opens another handle on the database at url, as another replica
// would.
func OpenURL(t testing.TB, url string, now func() time.Time) *sqlstore.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
