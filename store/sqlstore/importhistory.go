package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"

	"talkbot/store"
)

// What an import records in the history, and the conflicts it checks
// first: fields that editors changed after the file was made.

// pending is a change an import makes to one entity, before it is recorded.
type pending struct {
	entity        store.Entity
	side          string // the party it belongs to (see editable.side)
	before, after map[string]string
}

func (p pending) op() store.Op {
	switch {
	case p.before == nil:
		return store.OpAdd
	case p.after == nil:
		return store.OpDelete
	}
	return store.OpEdit
}

// planTrack lists the entities an import of t changes, comparing their
// fields with old (the stored track, when found). Parties, people, sources
// and rounds are matched by id; positions and statements by their content
// key, so a list replaced by the file removes what it no longer holds.
func planTrack(old store.Track, found bool, t *store.Track) []pending {
	var out []pending
	note := func(ent store.Entity, side string, before, after map[string]string) {
		if before == nil || after == nil || !maps.Equal(before, after) {
			out = append(out, pending{ent, side, before, after})
		}
	}
	header := store.Track{ID: t.ID, Title: t.Title, Timezone: t.Timezone, Guild: t.Guild, Public: t.Public}
	var was map[string]string
	if found {
		was = old.Fields()
	}
	note(store.Entity{Kind: store.EntityTrack, Track: t.ID}, "", was, header.Fields())

	oldParties := byKey(old.Parties, func(p store.Party) string { return p.ID })
	for _, p := range t.Parties {
		note(store.Entity{Kind: store.EntityParty, Track: t.ID, Key: p.ID}, p.ID, fieldsOf(oldParties, p.ID), p.Fields())
	}
	oldPeople := byKey(old.People, func(p store.Person) string { return p.ID })
	for _, p := range t.People {
		note(store.Entity{Kind: store.EntityPerson, Track: t.ID, Key: p.ID}, "", fieldsOf(oldPeople, p.ID), p.Fields())
	}
	oldSources := byKey(old.Sources, func(s store.Source) string { return s.ID })
	for _, src := range t.Sources {
		note(store.Entity{Kind: store.EntitySource, Track: t.ID, Key: src.ID}, "", fieldsOf(oldSources, src.ID), src.Fields())
	}
	oldRounds := byKey(old.Rounds, func(r store.Round) string { return store.RoundEntity(t.ID, r.Number).Key })
	for _, r := range t.Rounds {
		r.Track = t.ID
		r.Starts, r.Ends = normalizeWhen(r.Starts), normalizeWhen(r.Ends)
		ent := store.RoundEntity(t.ID, r.Number)
		note(ent, "", fieldsOf(oldRounds, ent.Key), r.Fields())
	}

	// Positions and statements: a key may repeat, so match them in turn.
	oldPositions := map[string][]store.Position{}
	for _, p := range old.Positions {
		k := store.PositionKey(p)
		oldPositions[k] = append(oldPositions[k], p)
	}
	for _, p := range t.Positions {
		p.Track = t.ID
		k := store.PositionKey(p)
		var before map[string]string
		if q := oldPositions[k]; len(q) > 0 {
			before, oldPositions[k] = q[0].Fields(), q[1:]
		}
		note(store.Entity{Kind: store.EntityPosition, Track: t.ID, Key: k}, p.Party, before, p.Fields())
	}
	for _, k := range slices.Sorted(maps.Keys(oldPositions)) {
		for _, p := range oldPositions[k] {
			note(store.Entity{Kind: store.EntityPosition, Track: t.ID, Key: k}, p.Party, p.Fields(), nil)
		}
	}
	oldStatements := map[string][]store.Statement{}
	for _, st := range old.Statements {
		k := store.StatementKey(st)
		oldStatements[k] = append(oldStatements[k], st)
	}
	for _, st := range t.Statements {
		st.Track = t.ID
		k := store.StatementKey(st)
		var before map[string]string
		if q := oldStatements[k]; len(q) > 0 {
			before, oldStatements[k] = q[0].Fields(), q[1:]
		}
		note(store.Entity{Kind: store.EntityStatement, Track: t.ID, Key: k}, st.Party, before, st.Fields())
	}
	for _, k := range slices.Sorted(maps.Keys(oldStatements)) {
		for _, st := range oldStatements[k] {
			note(store.Entity{Kind: store.EntityStatement, Track: t.ID, Key: k}, st.Party, st.Fields(), nil)
		}
	}
	return out
}

type fielder interface{ Fields() map[string]string }

func byKey[T fielder](items []T, key func(T) string) map[string]T {
	out := make(map[string]T, len(items))
	for _, v := range items {
		out[key(v)] = v
	}
	return out
}

func fieldsOf[T fielder](m map[string]T, key string) map[string]string {
	v, ok := m[key]
	if !ok {
		return nil
	}
	return v.Fields()
}

// conflicts lists, for each field the import would change, the latest
// change an editor (not an import) made to it after the file's version;
// for a file without one (fileVersion 0), after the entity was last
// imported.
func (s *DB) conflicts(ctx context.Context, tx querier, planned []pending, fileVersion int64) ([]store.Conflict, error) {
	if len(planned) == 0 {
		return nil, nil
	}
	// Most stores have no edits at all: one index probe says so.
	var edited bool
	err := s.queryRow(ctx, tx, `SELECT EXISTS (SELECT 1 FROM history WHERE editor_id <> '')`).Scan(&edited)
	if err != nil || !edited {
		return nil, err
	}
	names := make([]any, len(planned))
	for i, p := range planned {
		names[i] = p.entity.String()
	}
	// Per entity: the editors' changes, oldest first, and the latest import.
	edits := map[string][]store.Change{}
	imported := map[string]int64{}
	for start := 0; start < len(names); start += maxParams {
		chunk := names[start:min(start+maxParams, len(names))]
		rows, err := s.query(ctx, tx, `SELECT `+historyColumns+` FROM history
			WHERE editor_id <> '' AND entity IN (`+placeholders(len(chunk))+`) ORDER BY id`, chunk...)
		cs, err := collect(rows, err, func(r *sql.Rows) (store.Change, error) { return scanChange(r) })
		if err != nil {
			return nil, fmt.Errorf("reading editors' changes: %w", err)
		}
		for _, c := range cs {
			edits[c.Entity.String()] = append(edits[c.Entity.String()], c)
		}
		if fileVersion > 0 {
			continue
		}
		rows, err = s.query(ctx, tx, `SELECT entity, MAX(id) FROM history
			WHERE editor_id = '' AND entity IN (`+placeholders(len(chunk))+`) GROUP BY entity`, chunk...)
		type last struct {
			entity string
			id     int64
		}
		ls, err := collect(rows, err, func(r *sql.Rows) (l last, err error) {
			err = r.Scan(&l.entity, &l.id)
			return l, err
		})
		if err != nil {
			return nil, fmt.Errorf("reading the last imports: %w", err)
		}
		for _, l := range ls {
			imported[l.entity] = l.id
		}
	}
	var out []store.Conflict
	for _, p := range planned {
		name := p.entity.String()
		after := fileVersion
		if fileVersion == 0 {
			after = imported[name]
		}
		latest := map[string]store.Change{} // field -> the latest edit of it
		for _, c := range edits[name] {
			if c.ID <= after {
				continue
			}
			for _, fc := range store.Diff(c.Before, c.After) {
				latest[fc.Field] = c
			}
		}
		for _, fc := range store.Diff(p.before, p.after) {
			c, ok := latest[fc.Field]
			if !ok {
				continue
			}
			out = append(out, store.Conflict{Entity: p.entity, Field: fc.Field, File: fc.New, Current: fc.Old, ChangedBy: c.Editor, ChangedAt: c.At})
		}
	}
	slices.SortFunc(out, func(a, b store.Conflict) int {
		return cmp.Or(cmp.Compare(a.Entity.String(), b.Entity.String()), cmp.Compare(a.Field, b.Field))
	})
	return out, nil
}

var historyInsertColumns = []string{"at", "editor_id", "editor_name", "entity", "track_id", "kind", "party", "op",
	"before", "after", "source_id", "undoes", "forced"}

// recordImport appends the import's changes to the history, marking those
// of entities with conflicts forced.
func (s *DB) recordImport(ctx context.Context, tx querier, planned []pending, conflicts []store.Conflict, by string) error {
	if len(planned) == 0 {
		return nil
	}
	forced := map[store.Entity]bool{}
	for _, c := range conflicts {
		forced[c.Entity] = true
	}
	at := s.now().UnixMilli()
	var encErr error
	_, err := s.insertRows(ctx, tx, "history", historyInsertColumns, "", len(planned), func(args []any, i int) []any {
		p := planned[i]
		before, err := encodeFields(p.before)
		if err != nil {
			encErr = err
		}
		after, err := encodeFields(p.after)
		if err != nil {
			encErr = err
		}
		return append(args, at, "", by, p.entity.String(), p.entity.Track, string(p.entity.Kind), p.side,
			string(p.op()), before, after, "", 0, forced[p.entity])
	})
	if err == nil {
		err = encErr
	}
	if err != nil {
		return fmt.Errorf("recording the import in the history: %w", err)
	}
	return nil
}
