package web_test

import (
	"os"
	"testing"
	"time"

	"talkbot/store/pgtest"
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

var engines = []engine{{"SQLite", sqlitetest.Open}, {"PostgreSQL", pgtest.Open}}
