package web_test

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

// pgtest starts a throwaway PostgreSQL for the tests that run on both engines.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// engine opens a fresh, empty store.
type engine struct {
	name string
	open func(t testing.TB, now func() time.Time) *sqlstore.DB
}

var engines = []engine{{"SQLite", sqlitetest.Open}, {"PostgreSQL", openPostgres}}

func openPostgres(t testing.TB, now func() time.Time) *sqlstore.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.URL(t), now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
