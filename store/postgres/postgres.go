// Package postgres is the store engine for deployments that outgrow one
// process: several replicas share one PostgreSQL database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"talkbot/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dialect is PostgreSQL's SQL: numbered placeholders and tsvector search.
var dialect = sqlstore.Dialect{
	Numbered:          true,
	Search:            search,
	ConcurrentWriters: true,
	// GIN puts new entries in a pending list that every search scans until
	// (auto)vacuum merges it: after a large import that was 350 pages and
	// 2 ms per search. Merge it as part of the import instead.
	AfterImport: `SELECT gin_clean_pending_list('search_docs_tsv'::regclass)`,
}

func search(words []string, track string, limit int) (string, []any) {
	// words (store.SearchWords) has no common words left, and plainto_tsquery
	// ANDs what remains, as SQLite does: quotes, "or" and "-word" are plain
	// text on both. numnode still guards against a query PostgreSQL reduces
	// to nothing, which would otherwise match a whole track once ANDed with
	// the track's lexeme.
	q := `SELECT ` + sqlstore.SearchColumns + ` FROM search_docs d
		CROSS JOIN plainto_tsquery('english', ?) AS q WHERE numnode(q) > 0`
	args := []any{strings.Join(words, " ")}
	if track != "" {
		// The track's lexeme (see migration 00003) narrows the index scan.
		q += ` AND d.tsv @@ (q && CAST(? AS tsquery)) AND d.track_id = ?`
		args = append(args, trackLexeme(track), track)
	} else {
		q += ` AND d.tsv @@ q`
	}
	// ts_rank without normalisation ignores document length, like SQLite's
	// search; equally good matches come newest first on both.
	return q + ` ORDER BY ts_rank(d.tsv, q) DESC, d.on_date DESC, d.id DESC LIMIT ?`, append(args, limit)
}

// trackLexeme is the track's lexeme in tsquery syntax: quoted, with quotes
// and backslashes escaped.
func trackLexeme(track string) string {
	return `'` + lexemeEscaper.Replace("#"+track) + `'`
}

var lexemeEscaper = strings.NewReplacer(`\`, `\\`, `'`, `''`)

// Open connects to the database at url (postgres:// or postgresql://) and
// applies the migrations under an advisory lock, so replicas starting
// together migrate once.
func Open(ctx context.Context, url string, now func() time.Time) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("opening PostgreSQL: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating PostgreSQL: %w", err)
	}
	return sqlstore.New(db, dialect, now), nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}
