package schedule_test

import (
	"os"
	"testing"
	"time"

	"talkbot/store/pgtest"
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

var engines = []engine{{"SQLite", sqlitetest.Open}, {"PostgreSQL", pgtest.Open}}
