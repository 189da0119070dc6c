// Package sqlite is the embedded store engine: one file, no server.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"talkbot/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dialect is SQLite's SQL: "?" placeholders and FTS5 search.
var dialect = sqlstore.Dialect{
	Name:   "sqlite",
	Search: search,
}

// search ranks inside FTS5 (ORDER BY rank LIMIT on the FTS table alone lets
// FTS5 sort internally) and joins only the top rows to their documents.
func search(text, track string, limit int) (string, []any, bool) {
	match := matchQuery(text, track)
	if match == "" {
		return "", nil, false
	}
	return `SELECT ` + sqlstore.SearchColumns + ` FROM (
		SELECT rowid, rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?
	) AS f JOIN search_docs d ON d.id = f.rowid ORDER BY f.rank, d.id`, []any{match, limit}, true
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
	_, err = p.Up(ctx)
	return err
}

// matchQuery turns typed text into an FTS5 query: every word must appear in
// the body, and the document must belong to the track when one is given
// (see the track column in the migration). Each word is quoted so that FTS5
// operators typed by a user (AND, NEAR, *, column filters) are plain words.
func matchQuery(text, track string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return ""
	}
	for i, w := range words {
		words[i] = `body : "` + w + `"`
	}
	q := strings.Join(words, " AND ")
	if track != "" {
		q = `track : x` + hex.EncodeToString([]byte(track)) + ` AND ` + q
	}
	return q
}
