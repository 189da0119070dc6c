package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"talkbot/store"
)

// maxParams bounds the placeholders in one multi-row INSERT; both engines
// accept far more, but a few thousand already amortise the round trips.
const maxParams = 8000

// Import upserts tracks in one transaction, writing only what changed: it
// is ImportWith for a hand-written file, named "import" in the history.
func (s *DB) Import(ctx context.Context, tracks []store.Track) (store.ImportStats, error) {
	return s.ImportWith(ctx, tracks, store.ImportOptions{By: "import"})
}

// ImportWith upserts tracks in one transaction and records a change per
// entity it adds, changes or removes, unless it would overwrite fields
// editors changed after the file was made (*ConflictError, nothing
// applied) and o.Force is not set.
func (s *DB) ImportWith(ctx context.Context, tracks []store.Track, o store.ImportOptions) (store.ImportStats, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.ImportStats{}, fmt.Errorf("starting import: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	stats, err := s.importIn(ctx, tx, tracks, o, true)
	if err != nil {
		return store.ImportStats{}, err
	}
	if err := tx.Commit(); err != nil {
		return store.ImportStats{}, fmt.Errorf("committing import: %w", err)
	}
	return stats, nil
}

// importIn is ImportWith inside the transaction tx, which the caller
// commits; check says whether to look for conflicts at all.
func (s *DB) importIn(ctx context.Context, tx *sql.Tx, tracks []store.Track, o store.ImportOptions, check bool) (store.ImportStats, error) {
	// History first: writers of history take it in the same order (see
	// lockHistory), before any row lock.
	if err := s.lockHistory(ctx, tx); err != nil {
		return store.ImportStats{}, err
	}
	var stats store.ImportStats
	changed := false
	var changes []store.RoundChange
	var planned []pending
	for i := range tracks {
		c, err := s.importTrack(ctx, tx, &tracks[i], &stats, &changes, &planned)
		if err != nil {
			return store.ImportStats{}, fmt.Errorf("importing track %q: %w", tracks[i].ID, err)
		}
		changed = changed || c
	}
	var conflicts []store.Conflict
	if check {
		var err error
		if conflicts, err = s.conflicts(ctx, tx, planned, o.FileVersion); err != nil {
			return store.ImportStats{}, err
		}
	}
	if len(conflicts) > 0 && !o.Force {
		return store.ImportStats{}, &store.ConflictError{Conflicts: conflicts}
	}
	stats.Overridden = conflicts
	if err := s.recordImport(ctx, tx, planned, conflicts, o.By); err != nil {
		return store.ImportStats{}, err
	}
	now := s.now()
	// Round changes are written last (only the stamp below follows): on
	// PostgreSQL they take a table lock, held until the commit, so it is
	// taken as late as possible and after every row lock of the import.
	if err := s.recordRoundChanges(ctx, tx, changes, now); err != nil {
		return store.ImportStats{}, err
	}
	if changed {
		if err := s.markChanged(ctx, tx, now); err != nil {
			return store.ImportStats{}, err
		}
		if s.d.AfterImport != "" {
			if err := s.exec(ctx, tx, s.d.AfterImport); err != nil {
				return store.ImportStats{}, fmt.Errorf("finishing the import: %w", err)
			}
		}
	}
	return stats, nil
}

// importTrack writes what differs between t and the stored track, and adds
// to changes what followers of the track should hear about its rounds.
func (s *DB) importTrack(ctx context.Context, tx querier, t *store.Track, stats *store.ImportStats, changes *[]store.RoundChange, planned *[]pending) (bool, error) {
	old, err := s.loadTrack(ctx, tx, t.ID)
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	*planned = append(*planned, planTrack(old, found, t)...)
	w := &trackWriter{s: s, tx: tx, track: t.ID}

	if !found || old.Title != t.Title || !maps.Equal(old.Names, t.Names) || old.Timezone != t.Timezone || old.Guild != t.Guild || old.Public != t.Public {
		if err := s.writeTrackHeader(ctx, tx, *t); err != nil {
			return false, fmt.Errorf("writing track: %w", err)
		}
		stats.Tracks++
		w.changed = true
	}

	parties := changedByID(old.Parties, t.Parties, func(p store.Party) string { return p.ID })
	err = w.upsert(ctx, "parties", []string{"id", "seq", "name", "names", "role", "search_key"}, "track_id, id", len(parties), func(i int) []any {
		p := t.Parties[parties[i]]
		return []any{p.ID, parties[i], p.Name, encodeNames(p.Name, p.Names), string(p.Role), searchKey(p.ID, p.Name)}
	})
	if err != nil {
		return false, err
	}
	stats.Parties += len(parties)

	people := changedByID(old.People, t.People, func(p store.Person) string { return p.ID })
	err = w.upsert(ctx, "people", []string{"id", "seq", "name", "names", "party", "title", "search_key"}, "track_id, id", len(people), func(i int) []any {
		p := t.People[people[i]]
		return []any{p.ID, people[i], p.Name, encodeNames(p.Name, p.Names), p.Party, p.Title, searchKey(p.ID, p.Name)}
	})
	if err != nil {
		return false, err
	}
	stats.People += len(people)

	sources := changedByID(old.Sources, t.Sources, func(s store.Source) string { return s.ID })
	err = w.upsert(ctx, "sources", []string{"id", "seq", "publisher", "title", "url", "published"}, "track_id, id", len(sources), func(i int) []any {
		src := t.Sources[sources[i]]
		return []any{src.ID, sources[i], src.Publisher, src.Title, src.URL, src.Published.String()}
	})
	if err != nil {
		return false, err
	}
	stats.Sources += len(sources)
	// Sources share a few publishers: write each once, in one statement.
	var publishers []string
	for _, i := range sources {
		publishers = append(publishers, t.Sources[i].Publisher)
	}
	slices.Sort(publishers)
	publishers = slices.Compact(publishers)
	_, err = s.insertRows(ctx, tx, "publishers", []string{"name"}, " ON CONFLICT (name) DO NOTHING", len(publishers), func(args []any, i int) []any {
		return append(args, publishers[i])
	})
	if err != nil {
		return false, fmt.Errorf("recording publishers: %w", err)
	}

	// A track's first import is no news: nobody could follow it before.
	if !found {
		changes = nil
	}
	if err := s.importRounds(ctx, w, old.Rounds, t, stats, changes); err != nil {
		return false, err
	}
	if err := s.importFacts(ctx, w, old, t, stats); err != nil {
		return false, err
	}
	if err := s.importFeeds(ctx, w, t, stats); err != nil {
		return false, err
	}
	if w.changed {
		if err := s.touchTrack(ctx, tx, t.ID); err != nil {
			return false, err
		}
	}
	return w.changed, nil
}

// touchTrack recomputes a track's last active date after a write.
func (s *DB) touchTrack(ctx context.Context, tx querier, id string) error {
	err := s.exec(ctx, tx, `UPDATE tracks SET last_active = COALESCE((SELECT MAX(d) FROM (
			SELECT MAX(starts_date) AS d FROM rounds WHERE track_id = ?
			UNION ALL SELECT MAX(stated_on) FROM positions WHERE track_id = ?
			UNION ALL SELECT MAX(said_on) FROM statements WHERE track_id = ?) AS dates), '')
		WHERE id = ?`, id, id, id, id)
	if err != nil {
		return fmt.Errorf("updating last activity: %w", err)
	}
	return nil
}

// markChanged stamps LastChanged and counts DataVersion up: every import or
// edit that changed anything does, so that readers' caches (the commands'
// track cache) see the change whichever process wrote it.
func (s *DB) markChanged(ctx context.Context, tx querier, now time.Time) error {
	err := s.exec(ctx, tx, `INSERT INTO meta (key, value) VALUES ('last_changed', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, now.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("recording the change: %w", err)
	}
	err = s.exec(ctx, tx, `INSERT INTO meta (key, value) VALUES ('version', '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)`)
	if err != nil {
		return fmt.Errorf("counting the change: %w", err)
	}
	return nil
}

// writeTrackHeader inserts or overwrites a track's header.
func (s *DB) writeTrackHeader(ctx context.Context, q querier, t store.Track) error {
	return s.exec(ctx, q, `INSERT INTO tracks (id, title, names, timezone, guild_id, public, search_key) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, names = excluded.names, timezone = excluded.timezone,
			guild_id = excluded.guild_id, public = excluded.public, search_key = excluded.search_key`,
		t.ID, t.Title, encodeNames(t.Title, t.Names), t.Timezone, t.Guild, t.Public, searchKey(t.ID, t.Title))
}

// editTrackHeader is writeTrackHeader for an edit, which has no
// translations of the title: it leaves the stored ones alone (see
// encodeNames).
func (s *DB) editTrackHeader(ctx context.Context, q querier, t store.Track) error {
	return s.exec(ctx, q, `INSERT INTO tracks (id, title, timezone, guild_id, public, search_key) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, timezone = excluded.timezone,
			guild_id = excluded.guild_id, public = excluded.public, search_key = excluded.search_key`,
		t.ID, t.Title, t.Timezone, t.Guild, t.Public, searchKey(t.ID, t.Title))
}

// changedByID returns the indexes in next of the items that are new, differ
// from the stored one, or moved in the list (their order is kept).
func changedByID[T any](old, next []T, id func(T) string) []int {
	at := make(map[string]int, len(old))
	for i, v := range old {
		at[id(v)] = i
	}
	var out []int
	for i, v := range next {
		j, ok := at[id(v)]
		if !ok || j != i || !reflect.DeepEqual(old[j], v) {
			out = append(out, i)
		}
	}
	return out
}

// importRounds writes the rounds that differ from the stored ones and, when
// changes is not nil, adds the changes followers should hear about.
func (s *DB) importRounds(ctx context.Context, w *trackWriter, old []store.Round, t *store.Track, stats *store.ImportStats, changes *[]store.RoundChange) error {
	byNumber := make(map[int]store.Round, len(old))
	for _, r := range old {
		byNumber[r.Number] = r
	}
	var changed []store.Round
	for _, r := range t.Rounds {
		r.Track = t.ID
		r.Starts, r.Ends = normalizeWhen(r.Starts), normalizeWhen(r.Ends)
		o, existed := byNumber[r.Number]
		if existed && reflect.DeepEqual(o, r) {
			continue
		}
		changed = append(changed, r)
		if changes == nil {
			continue
		}
		if kind, ok := changeKind(o, existed, r); ok {
			c := store.RoundChange{Track: t.ID, Round: r.Number, Kind: kind, NewStatus: r.Status, NewStarts: r.Starts}
			if existed {
				c.OldStatus, c.OldStarts = o.Status, o.Starts
			}
			*changes = append(*changes, c)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	rows := make([][]any, len(changed))
	for i, r := range changed {
		from, until, err := timeline(r.Starts)
		if err != nil {
			return fmt.Errorf("round %d: %w", r.Number, err)
		}
		rows[i] = []any{r.Number, string(r.Status), r.Starts.Date.String(), unixOrNull(r.Starts.At),
			r.Ends.Date.String(), unixOrNull(r.Ends.At), r.Timezone, r.Starts.Zone, from, until,
			r.Venue, r.ProposedBy, encodeDetails(r), encodeList(r.Sources)}
		if !w.edit {
			rows[i] = append(rows[i], encodeNames(r.Venue, r.VenueNames))
		}
	}
	cols := []string{"number", "status", "starts_date", "starts_at", "ends_date", "ends_at", "timezone", "zone",
		"from_at", "until_at", "venue", "proposed_by", "details", "sources"}
	if !w.edit {
		cols = append(cols, "venue_names")
	}
	if err := w.upsert(ctx, "rounds", cols, "track_id, number", len(rows), func(i int) []any { return rows[i] }); err != nil {
		return err
	}
	stats.Rounds += len(changed)

	// Outcomes are searchable: replace the documents of the rounds written.
	numbers := make([]any, 0, len(changed))
	var docs [][]any
	for _, r := range changed {
		numbers = append(numbers, r.Number)
		for _, o := range r.Outcomes {
			docs = append(docs, []any{string(store.HitOutcome), r.Number, "", "", "", r.Starts.Date.String(), o, encodeList(r.Sources)})
		}
	}
	for start := 0; start < len(numbers); start += maxParams - 1 {
		end := min(start+maxParams-1, len(numbers))
		args := append([]any{t.ID}, numbers[start:end]...)
		err := s.exec(ctx, w.tx, `DELETE FROM search_docs WHERE track_id = ? AND kind = 'outcome' AND round IN (`+placeholders(end-start)+`)`, args...)
		if err != nil {
			return fmt.Errorf("clearing outcome search: %w", err)
		}
	}
	return w.insertDocs(ctx, docs)
}

// importFacts replaces a track's positions and statements when they differ:
// they have no ids, so the imported list is the whole list.
func (s *DB) importFacts(ctx context.Context, w *trackWriter, old store.Track, t *store.Track, stats *store.ImportStats) error {
	positions := make([]store.Position, len(t.Positions))
	for i, p := range t.Positions {
		p.Track = t.ID
		positions[i] = p
	}
	if !reflect.DeepEqual(nilIfEmpty(old.Positions), nilIfEmpty(positions)) {
		if err := w.replace(ctx, "positions", "position"); err != nil {
			return err
		}
		cols := []string{"seq", "party", "topic", "summary", "stated_on", "by_person", "sources"}
		err := w.insert(ctx, "positions", cols, len(positions), func(i int) []any {
			p := positions[i]
			return []any{i, p.Party, p.Topic, p.Summary, p.StatedOn.String(), p.By, encodeList(p.Sources)}
		})
		if err != nil {
			return err
		}
		docs := make([][]any, len(positions))
		for i, p := range positions {
			docs[i] = []any{string(store.HitPosition), 0, p.Party, p.By, p.Topic, p.StatedOn.String(), p.Summary, encodeList(p.Sources)}
		}
		if err := w.insertDocs(ctx, docs); err != nil {
			return err
		}
		stats.Positions += len(positions)
	}

	statements := make([]store.Statement, len(t.Statements))
	for i, st := range t.Statements {
		st.Track = t.ID
		statements[i] = st
	}
	if !reflect.DeepEqual(nilIfEmpty(old.Statements), nilIfEmpty(statements)) {
		if err := w.replace(ctx, "statements", "statement"); err != nil {
			return err
		}
		cols := []string{"seq", "person", "party", "said_on", "medium", "text", "language", "sources"}
		err := w.insert(ctx, "statements", cols, len(statements), func(i int) []any {
			st := statements[i]
			return []any{i, st.By, st.Party, st.SaidOn.String(), st.Medium, st.Text, st.Language, encodeList(st.Sources)}
		})
		if err != nil {
			return err
		}
		docs := make([][]any, len(statements))
		for i, st := range statements {
			docs[i] = []any{string(store.HitStatement), 0, st.Party, st.By, "", st.SaidOn.String(), st.Text, encodeList(st.Sources)}
		}
		if err := w.insertDocs(ctx, docs); err != nil {
			return err
		}
		stats.Statements += len(statements)
	}
	return nil
}

func nilIfEmpty[T any](v []T) []T {
	if len(v) == 0 {
		return nil
	}
	return v
}

// trackWriter writes rows of one track inside the import transaction.
type trackWriter struct {
	s       *DB
	tx      querier
	track   string
	changed bool
	// edit says the rows come from an edit, which carries no translated
	// names: those stored are left as they are.
	edit bool
}

// replace deletes a track's rows from table and their search documents.
func (w *trackWriter) replace(ctx context.Context, table, kind string) error {
	if err := w.s.exec(ctx, w.tx, `DELETE FROM `+table+` WHERE track_id = ?`, w.track); err != nil {
		return fmt.Errorf("clearing %s: %w", table, err)
	}
	if err := w.s.exec(ctx, w.tx, `DELETE FROM search_docs WHERE track_id = ? AND kind = ?`, w.track, kind); err != nil {
		return fmt.Errorf("clearing %s search: %w", table, err)
	}
	w.changed = true
	return nil
}

func (w *trackWriter) insertDocs(ctx context.Context, docs [][]any) error {
	cols := []string{"kind", "round", "party", "person", "topic", "on_date", "body", "sources"}
	return w.insert(ctx, "search_docs", cols, len(docs), func(i int) []any { return docs[i] })
}

func (w *trackWriter) insert(ctx context.Context, table string, cols []string, n int, row func(int) []any) error {
	return w.write(ctx, table, cols, "", n, row)
}

// upsert inserts rows or, on a conflict over key, overwrites every column.
func (w *trackWriter) upsert(ctx context.Context, table string, cols []string, key string, n int, row func(int) []any) error {
	return w.write(ctx, table, cols, key, n, row)
}

// write sends rows of (track_id, cols...) in multi-row INSERTs.
func (w *trackWriter) write(ctx context.Context, table string, cols []string, key string, n int, row func(int) []any) error {
	if n == 0 {
		return nil
	}
	w.changed = true
	var suffix string
	if key != "" {
		sets := make([]string, len(cols))
		for i, c := range cols {
			sets[i] = c + " = excluded." + c
		}
		suffix = " ON CONFLICT (" + key + ") DO UPDATE SET " + strings.Join(sets, ", ")
	}
	all := append([]string{"track_id"}, cols...)
	_, err := w.s.insertRows(ctx, w.tx, table, all, suffix, n, func(args []any, i int) []any {
		return append(append(args, w.track), row(i)...)
	})
	return err
}
