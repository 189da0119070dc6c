package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"talkbot/store"
)

// Empty reports whether the store holds no track.
func (s *DB) Empty(ctx context.Context) (bool, error) { return s.empty(ctx, s.db) }

func (s *DB) empty(ctx context.Context, q querier) (bool, error) {
	var n int
	if err := s.queryRow(ctx, q, `SELECT COUNT(*) FROM tracks`).Scan(&n); err != nil {
		return false, fmt.Errorf("counting tracks: %w", err)
	}
	return n == 0, nil
}

// LastChanged is when an import last changed anything.
func (s *DB) LastChanged(ctx context.Context) (time.Time, error) {
	var v string
	err := s.queryRow(ctx, s.db, `SELECT value FROM meta WHERE key = 'last_changed'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("reading last change: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading last change %q: %w", v, err)
	}
	return t, nil
}

// DataVersion counts the imports that changed anything.
func (s *DB) DataVersion(ctx context.Context) (int64, error) { return s.dataVersion(ctx, s.db) }

func (s *DB) dataVersion(ctx context.Context, q querier) (int64, error) {
	var v int64
	err := s.queryRow(ctx, q, `SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'version'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the data version: %w", err)
	}
	return v, nil
}

// Tracks lists every track's summary by id.
func (s *DB) Tracks(ctx context.Context) ([]store.TrackSummary, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, title, names, timezone, guild_id, public, last_active FROM tracks ORDER BY id`)
	out, err := collect(rows, err, func(r *sql.Rows) (store.TrackSummary, error) {
		var t store.TrackSummary
		var active, names string
		if err := r.Scan(&t.ID, &t.Title, &names, &t.Timezone, &t.Guild, &t.Public, &active); err != nil {
			return t, err
		}
		if t.Names, err = decodeNames(names, t.Title); err != nil {
			return t, err
		}
		t.LastActive, err = parseDate(active)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing tracks: %w", err)
	}
	return out, nil
}

// Track returns a track's header, parties and people.
func (s *DB) Track(ctx context.Context, id string) (store.Track, error) {
	t, err := s.trackHeader(ctx, s.db, id)
	if err != nil {
		return t, err
	}
	if t.Parties, err = s.parties(ctx, s.db, id); err != nil {
		return t, err
	}
	if t.People, err = s.people(ctx, s.db, id); err != nil {
		return t, err
	}
	t.Sources, err = s.allSources(ctx, s.db, id)
	return t, err
}

func (s *DB) trackHeader(ctx context.Context, q querier, id string) (store.Track, error) {
	t := store.Track{ID: id}
	var names string
	err := s.queryRow(ctx, q, `SELECT title, names, timezone, guild_id, public FROM tracks WHERE id = ?`, id).Scan(&t.Title, &names, &t.Timezone, &t.Guild, &t.Public)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("track %q: %w", id, store.ErrNotFound)
	}
	if err == nil {
		t.Names, err = decodeNames(names, t.Title)
	}
	if err != nil {
		return t, fmt.Errorf("reading track %q: %w", id, err)
	}
	return t, nil
}

func (s *DB) parties(ctx context.Context, q querier, track string) ([]store.Party, error) {
	rows, err := s.query(ctx, q, `SELECT id, name, names, role FROM parties WHERE track_id = ? ORDER BY seq, id`, track)
	out, err := collect(rows, err, func(r *sql.Rows) (p store.Party, err error) {
		var names string
		if err = r.Scan(&p.ID, &p.Name, &names, &p.Role); err != nil {
			return p, err
		}
		p.Names, err = decodeNames(names, p.Name)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading parties of %q: %w", track, err)
	}
	return out, nil
}

func (s *DB) people(ctx context.Context, q querier, track string) ([]store.Person, error) {
	rows, err := s.query(ctx, q, `SELECT id, name, names, party, title FROM people WHERE track_id = ? ORDER BY seq, id`, track)
	out, err := collect(rows, err, func(r *sql.Rows) (p store.Person, err error) {
		var names string
		if err = r.Scan(&p.ID, &p.Name, &names, &p.Party, &p.Title); err != nil {
			return p, err
		}
		p.Names, err = decodeNames(names, p.Name)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading people of %q: %w", track, err)
	}
	return out, nil
}

const sourceColumns = `id, publisher, title, url, published`

func scanSource(r *sql.Rows) (store.Source, error) {
	var src store.Source
	var published string
	if err := r.Scan(&src.ID, &src.Publisher, &src.Title, &src.URL, &published); err != nil {
		return src, err
	}
	var err error
	src.Published, err = parseDate(published)
	return src, err
}

func (s *DB) allSources(ctx context.Context, q querier, track string) ([]store.Source, error) {
	rows, err := s.query(ctx, q, `SELECT `+sourceColumns+` FROM sources WHERE track_id = ? ORDER BY seq, id`, track)
	out, err := collect(rows, err, scanSource)
	if err != nil {
		return nil, fmt.Errorf("reading sources of %q: %w", track, err)
	}
	return out, nil
}

// Sources returns the named sources of a track in the order asked.
func (s *DB) Sources(ctx context.Context, track string, ids []string) ([]store.Source, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, track)
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.query(ctx, s.db, `SELECT `+sourceColumns+` FROM sources WHERE track_id = ? AND id IN (`+placeholders(len(ids))+`)`, args...)
	found, err := collect(rows, err, scanSource)
	if err != nil {
		return nil, fmt.Errorf("reading sources of %q: %w", track, err)
	}
	byID := make(map[string]store.Source, len(found))
	for _, src := range found {
		byID[src.ID] = src
	}
	out := make([]store.Source, 0, len(ids))
	for _, id := range ids {
		if src, ok := byID[id]; ok {
			out = append(out, src)
			delete(byID, id) // a repeated id is listed once
		}
	}
	return out, nil
}

// Publishers lists every source's publisher once, by name.
func (s *DB) Publishers(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT name FROM publishers ORDER BY name`)
	out, err := collect(rows, err, func(r *sql.Rows) (p string, err error) {
		err = r.Scan(&p)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing publishers: %w", err)
	}
	return out, nil
}

// Export returns every track in full, by id.
func (s *DB) Export(ctx context.Context) ([]store.Track, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("starting export: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to undo
	rows, err := s.query(ctx, tx, `SELECT id FROM tracks ORDER BY id`)
	ids, err := collect(rows, err, func(r *sql.Rows) (id string, err error) {
		err = r.Scan(&id)
		return id, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing tracks: %w", err)
	}
	out := make([]store.Track, 0, len(ids))
	for _, id := range ids {
		t, err := s.loadTrack(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// loadTrack reads one track in full.
func (s *DB) loadTrack(ctx context.Context, q querier, id string) (store.Track, error) {
	t, err := s.trackHeader(ctx, q, id)
	if err != nil {
		return t, err
	}
	if t.Parties, err = s.parties(ctx, q, id); err != nil {
		return t, err
	}
	if t.People, err = s.people(ctx, q, id); err != nil {
		return t, err
	}
	if t.Sources, err = s.allSources(ctx, q, id); err != nil {
		return t, err
	}
	if t.Rounds, err = s.rounds(ctx, q, id); err != nil {
		return t, err
	}
	if t.Positions, err = s.positions(ctx, q, store.PositionQuery{Track: id}, "seq"); err != nil {
		return t, err
	}
	if t.Statements, err = s.statements(ctx, q, store.StatementQuery{Track: id}, "seq"); err != nil {
		return t, err
	}
	t.Feeds, err = s.trackFeeds(ctx, q, id)
	return t, err
}

func placeholders(n int) string {
	b := make([]byte, 0, 2*n)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}
