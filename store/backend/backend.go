// Package backend opens the store engine a configuration names.
package backend

import (
	"context"
	"fmt"
	"time"

	"talkbot/config"
	"talkbot/store"
	"talkbot/store/postgres"
	"talkbot/store/sqlite"
)

// Open opens and migrates the configured store.
func Open(ctx context.Context, db config.Database, now func() time.Time) (store.Store, error) {
	switch db.Engine {
	case config.SQLite:
		return sqlite.Open(ctx, db.Path, now)
	case config.Postgres:
		return postgres.Open(ctx, db.URL, now)
	}
	return nil, fmt.Errorf("unknown store engine %q", db.Engine)
}
