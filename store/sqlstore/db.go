// Package sqlstore implements store.Store over database/sql. SQLite and
// PostgreSQL share it; a Dialect holds the little that differs between them
// (placeholders and full-text search).
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"talkbot/store"
)

// Dialect is what differs between engines.
type Dialect struct {
	// Numbered placeholders ($1, $2) instead of "?".
	Numbered bool
	// Search builds a full-text query selecting SearchColumns from
	// search_docs d, best match first, for documents holding every one of
	// words (store.SearchWords, never empty), in one track or all ("").
	Search func(words []string, track string, limit int) (query string, args []any)
	// AfterImport, when set, runs at the end of an import that changed
	// something, in its transaction (SQLite merges its full-text index).
	AfterImport string
	// ConcurrentWriters says several transactions write at once
	// (PostgreSQL): claims lock their rows with FOR UPDATE SKIP LOCKED, and
	// round changes are numbered under a table lock so that ids become
	// visible in order. Without it (SQLite) one writer at a time gives both.
	ConcurrentWriters bool
}

// DB is a store.Store backed by a SQL database.
type DB struct {
	db    *sql.DB
	d     Dialect
	now   func() time.Time
	binds sync.Map // query with ? -> query with $n
	stmts sync.Map // rebound query -> *sql.Stmt, for queries outside transactions
}

var _ store.Store = (*DB)(nil)

// New wraps an open, migrated database. now stamps LastChanged.
func New(db *sql.DB, d Dialect, now func() time.Time) *DB {
	return &DB{db: db, d: d, now: now}
}

// SQL returns the underlying database, for engine-specific tests.
func (s *DB) SQL() *sql.DB { return s.db }

// Close closes the prepared statements and the database.
func (s *DB) Close() error {
	s.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	return s.db.Close()
}

// Ping checks the database answers.
func (s *DB) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// rebind rewrites "?" placeholders for engines that number them. Queries are
// written once with "?" so both engines run the same text.
func (s *DB) rebind(q string) string {
	if !s.d.Numbered {
		return q
	}
	if v, ok := s.binds.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	if len(q) < 4096 { // multi-row INSERTs vary in length; keep them out
		s.binds.Store(q, out)
	}
	return out
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// prepared returns a cached prepared statement for a read outside a
// transaction: parsing and planning cost as much as the lookups themselves.
// Reads inside a transaction (export, import) are not cached.
func (s *DB) prepared(ctx context.Context, q querier, sqlText string) (*sql.Stmt, string, error) {
	text := s.rebind(sqlText)
	if q != querier(s.db) || len(text) >= 4096 {
		return nil, text, nil
	}
	if v, ok := s.stmts.Load(text); ok {
		return v.(*sql.Stmt), text, nil
	}
	st, err := s.db.PrepareContext(ctx, text)
	if err != nil {
		return nil, text, err
	}
	if v, loaded := s.stmts.LoadOrStore(text, st); loaded {
		st.Close()
		return v.(*sql.Stmt), text, nil
	}
	return st, text, nil
}

func (s *DB) query(ctx context.Context, q querier, sqlText string, args ...any) (*sql.Rows, error) {
	st, text, err := s.prepared(ctx, q, sqlText)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.QueryContext(ctx, text, args...)
}

func (s *DB) queryRow(ctx context.Context, q querier, sqlText string, args ...any) *sql.Row {
	st, text, err := s.prepared(ctx, q, sqlText)
	if err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.QueryRowContext(ctx, text, args...) // reports a prepare error itself
}

func (s *DB) exec(ctx context.Context, q querier, sqlText string, args ...any) error {
	_, err := q.ExecContext(ctx, s.rebind(sqlText), args...)
	return err
}

// execCount runs a statement and returns how many rows it changed.
func (s *DB) execCount(ctx context.Context, q querier, sqlText string, args ...any) (int, error) {
	res, err := q.ExecContext(ctx, s.rebind(sqlText), args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// insertRows sends n rows in multi-row INSERTs, each ending with suffix (an
// ON CONFLICT clause, or ""), and returns how many rows were written. row
// appends the values of row i to args.
func (s *DB) insertRows(ctx context.Context, q querier, table string, cols []string, suffix string, n int, row func(args []any, i int) []any) (int, error) {
	width := len(cols)
	tuple := "(" + placeholders(width) + ")"
	perStmt := maxParams / width
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	written := 0
	for start := 0; start < n; start += perStmt {
		end := min(start+perStmt, n)
		var b strings.Builder
		b.Grow(len(head) + (end-start)*(len(tuple)+1) + len(suffix))
		b.WriteString(head)
		args := make([]any, 0, (end-start)*width)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString(tuple)
			args = row(args, i)
		}
		b.WriteString(suffix)
		k, err := s.execCount(ctx, q, b.String(), args...)
		if err != nil {
			return written, fmt.Errorf("writing %s: %w", table, err)
		}
		written += k
	}
	return written, nil
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
