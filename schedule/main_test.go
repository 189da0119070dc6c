package schedule_test

import (
	"context"
	"os"
	"testing"
	"time"

	"talkbot/store/pgtest"
	"talkbot/store/postgres"
	"talkbot/store/sqlite/sqlitetest"
	"talkbot/store/sqlstore"
)

// The scheduler's tests run against the real store engines and the fake
// Discord through the real sender; pgtest starts a throwaway PostgreSQL.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// engine opens a fresh, empty store whose clock is now.
type engine struct {
	name string
	open func(t testing.TB, now func() time.Time) *sqlstore.DB
}

var engines = []engine{{"SQLite", sqlitetest.Open}, {"PostgreSQL", openPostgres}}

func openPostgres(t testing.TB, now func() time.Time) *sqlstore.DB {
	t.Helper()
	return openPostgresURL(t, pgtest.URL(t), now)
}

// openPostgresURL opens another handle on a database, as another replica
// would.
func openPostgresURL(t testing.TB, url string, now func() time.Time) *sqlstore.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
