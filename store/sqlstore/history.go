package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"talkbot/store"
)

// The history: one row per change, from an edit, an undo or an import,
// written in the transaction of the change. Rows are never updated or
// deleted. An entity's version is the id of its latest row.

const historyColumns = `id, at, editor_id, editor_name, entity, op, before, after, source_id, undoes, forced`

func scanChange(r interface{ Scan(...any) error }) (store.Change, error) {
	var (
		c             store.Change
		at            int64
		entity        string
		before, after sql.NullString
	)
	err := r.Scan(&c.ID, &at, &c.Editor.ID, &c.Editor.Name, &entity, &c.Op, &before, &after, &c.Source, &c.Undoes, &c.Forced)
	if err != nil {
		return c, err
	}
	c.At = time.UnixMilli(at).UTC()
	if c.Entity, err = store.ParseEntity(entity); err != nil {
		return c, err
	}
	if c.Before, err = decodeFields(before); err != nil {
		return c, fmt.Errorf("change %d: %w", c.ID, err)
	}
	if c.After, err = decodeFields(after); err != nil {
		return c, fmt.Errorf("change %d: %w", c.ID, err)
	}
	return c, nil
}

func encodeFields(f map[string]string) (sql.NullString, error) {
	if f == nil {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(f)
	return sql.NullString{String: string(b), Valid: true}, err
}

func decodeFields(s sql.NullString) (map[string]string, error) {
	if !s.Valid {
		return nil, nil
	}
	var f map[string]string
	if err := json.Unmarshal([]byte(s.String), &f); err != nil {
		return nil, fmt.Errorf("corrupt fields %.40q: %w", s.String, err)
	}
	return f, nil
}

// lockHistory makes the writers of history take turns on engines with
// concurrent writers (PostgreSQL), from before they read a version until
// they commit: two edits of one entity cannot both pass the version check,
// and ids become visible in order, so a reader's mark never skips one.
// Readers do not wait for it. SQLite has one writer at a time anyway.
func (s *DB) lockHistory(ctx context.Context, tx querier) error {
	if !s.d.ConcurrentWriters {
		return nil
	}
	if err := s.exec(ctx, tx, `LOCK TABLE history IN EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("locking the history: %w", err)
	}
	return nil
}

// record appends c to the history (c.ID and c.At are set from the row);
// party is the side the entity belongs to, for History's Party filter.
func (s *DB) record(ctx context.Context, tx querier, c *store.Change, party string) error {
	before, err := encodeFields(c.Before)
	if err != nil {
		return err
	}
	after, err := encodeFields(c.After)
	if err != nil {
		return err
	}
	if c.At.IsZero() {
		c.At = s.now()
	}
	c.At = time.UnixMilli(c.At.UnixMilli()).UTC()
	err = s.queryRow(ctx, tx, `INSERT INTO history (at, editor_id, editor_name, entity, track_id, kind, party, op,
			before, after, source_id, undoes, forced)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.At.UnixMilli(), c.Editor.ID, c.Editor.Name, c.Entity.String(), c.Entity.Track, string(c.Entity.Kind), party,
		string(c.Op), before, after, c.Source, c.Undoes, c.Forced).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("recording the change of %s: %w", c.Entity, err)
	}
	return nil
}

// Version is the id of the entity's latest change, 0 if none.
func (s *DB) Version(ctx context.Context, e store.Entity) (int64, error) {
	return s.version(ctx, s.db, e)
}

func (s *DB) version(ctx context.Context, q querier, e store.Entity) (int64, error) {
	var v int64
	err := s.queryRow(ctx, q, `SELECT COALESCE(MAX(id), 0) FROM history WHERE entity = ?`, e.String()).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("reading the version of %s: %w", e, err)
	}
	return v, nil
}

// changesSince lists the entity's changes after id, oldest first.
func (s *DB) changesSince(ctx context.Context, q querier, e store.Entity, after int64) ([]store.Change, error) {
	rows, err := s.query(ctx, q, `SELECT `+historyColumns+` FROM history WHERE entity = ? AND id > ? ORDER BY id`, e.String(), after)
	out, err := collect(rows, err, func(r *sql.Rows) (store.Change, error) { return scanChange(r) })
	if err != nil {
		return nil, fmt.Errorf("reading the changes of %s: %w", e, err)
	}
	return out, nil
}

// LatestChanges returns the latest change of each entity that has one.
func (s *DB) LatestChanges(ctx context.Context, es []store.Entity) (map[store.Entity]store.Change, error) {
	out := make(map[store.Entity]store.Change, len(es))
	const perStmt = maxParams
	for start := 0; start < len(es); start += perStmt {
		end := min(start+perStmt, len(es))
		args := make([]any, 0, end-start)
		for _, e := range es[start:end] {
			args = append(args, e.String())
		}
		rows, err := s.query(ctx, s.db, `SELECT `+historyColumns+` FROM history WHERE id IN (
			SELECT MAX(id) FROM history WHERE entity IN (`+placeholders(end-start)+`) GROUP BY entity)`, args...)
		cs, err := collect(rows, err, func(r *sql.Rows) (store.Change, error) { return scanChange(r) })
		if err != nil {
			return nil, fmt.Errorf("reading the latest changes: %w", err)
		}
		for _, c := range cs {
			out[c.Entity] = c
		}
	}
	return out, nil
}

// ChangeCounts counts each entity's changes, a batch of entities a query.
func (s *DB) ChangeCounts(ctx context.Context, es []store.Entity) (map[store.Entity]int, error) {
	out := make(map[store.Entity]int, len(es))
	for start := 0; start < len(es); start += maxParams {
		end := min(start+maxParams, len(es))
		args := make([]any, 0, end-start)
		for _, e := range es[start:end] {
			args = append(args, e.String())
		}
		rows, err := s.query(ctx, s.db, `SELECT entity, COUNT(*) FROM history WHERE entity IN (`+placeholders(end-start)+`) GROUP BY entity`, args...)
		type count struct {
			entity string
			n      int
		}
		cs, err := collect(rows, err, func(r *sql.Rows) (count, error) {
			var c count
			return c, r.Scan(&c.entity, &c.n)
		})
		if err != nil {
			return nil, fmt.Errorf("counting changes: %w", err)
		}
		for _, c := range cs {
			e, err := store.ParseEntity(c.entity)
			if err != nil {
				return nil, fmt.Errorf("counting changes: %w", err)
			}
			out[e] = c.n
		}
	}
	return out, nil
}

// History lists changes, newest first, with the total that match.
func (s *DB) History(ctx context.Context, q store.HistoryQuery) (store.Page[store.Change], error) {
	var page store.Page[store.Change]
	where := ` WHERE 1 = 1`
	var args []any
	switch {
	case q.Round != 0:
		if q.Track == "" {
			return page, fmt.Errorf("history of round %d: a track is required", q.Round)
		}
		// The entity names the track: the entity index alone serves it.
		where += ` AND entity = ?`
		args = append(args, store.RoundEntity(q.Track, q.Round).String())
	case q.Track != "":
		where += ` AND track_id = ?`
		args = append(args, q.Track)
	}
	if q.Party != "" {
		if q.Track == "" {
			return page, fmt.Errorf("history of side %q: a track is required", q.Party)
		}
		where += ` AND party = ?`
		args = append(args, q.Party)
	}
	if !q.Since.IsZero() {
		where += ` AND at >= ?`
		args = append(args, q.Since.UnixMilli())
	}
	if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM history`+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("counting history: %w", err)
	}
	if page.Total == 0 || q.Offset >= page.Total {
		return page, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = math.MaxInt32
	}
	rows, err := s.query(ctx, s.db, `SELECT `+historyColumns+` FROM history`+where+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(q.Offset, 0))...)
	page.Items, err = collect(rows, err, func(r *sql.Rows) (store.Change, error) { return scanChange(r) })
	if err != nil {
		return page, fmt.Errorf("reading history: %w", err)
	}
	return page, nil
}

// HistoryVersion is the highest change id, 0 if none.
func (s *DB) HistoryVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.queryRow(ctx, s.db, `SELECT COALESCE(MAX(id), 0) FROM history`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading the history version: %w", err)
	}
	return v, nil
}

// Change returns one history record.
func (s *DB) Change(ctx context.Context, id int64) (store.Change, error) {
	c, err := scanChange(s.queryRow(ctx, s.db, `SELECT `+historyColumns+` FROM history WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("change %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("reading change %d: %w", id, err)
	}
	return c, nil
}
