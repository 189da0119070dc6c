// Package sqlite is the embedded store engine: one file, no server.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"talkbot/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dialect is SQLite's SQL: "?" placeholders and FTS5 search.
var dialect = sqlstore.Dialect{
	Search: search,
	// An import leaves the index in many segments, each of which a search
	// seeks into; merging them into one takes about 0.2 s for the large
	// benchmark dataset and makes a search about 20% faster.
	AfterImport: `INSERT INTO search_fts (search_fts) VALUES ('optimize')`,
}

// Open opens (creating if needed) the SQLite database at path and applies
// the migrations.
func Open(ctx context.Context, path string, now func() time.Time) (*sqlstore.DB, error) {
	// WAL lets readers run beside the one writer; immediate transactions take
	// the write lock up front so two writers wait instead of deadlocking.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// A 64 MiB page cache and memory-mapped reads keep lookups off the
	// read() syscall once the working set is warm.
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "mmap_size(268435456)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening SQLite %s: %w", path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating SQLite %s: %w", path, err)
	}
	return sqlstore.New(db, dialect, now), nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return err
	}
	return indexSearch(ctx, db)
}
