package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"talkbot/store"
)

// ApplyEdit saves one edit, its history record and its pending update in
// one transaction, or nothing. An edit that changes nothing writes nothing
// and returns a Change with ID 0.
func (s *DB) ApplyEdit(ctx context.Context, e store.Edit) (store.Change, error) {
	var c store.Change
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockHistory(ctx, tx); err != nil {
			return err
		}
		var err error
		c, err = s.applyEdit(ctx, tx, e)
		return err
	})
	if err != nil {
		return store.Change{}, err
	}
	return c, nil
}

func (s *DB) applyEdit(ctx context.Context, tx *sql.Tx, e store.Edit) (store.Change, error) {
	if e.Editor.ID == "" && e.Editor.Name == "" {
		return store.Change{}, errors.New("an edit needs its editor")
	}
	now := s.now()
	ed, err := s.editableFor(ctx, tx, &e)
	if err != nil {
		return store.Change{}, err
	}
	ent := ed.entity()
	if e.NewSource != nil {
		if err := s.addNewSource(ctx, tx, &e, ent.Track, now); err != nil {
			return store.Change{}, err
		}
		// The edit cites the source by the id it was given or found under.
		if ed, err = s.editableFor(ctx, tx, &e); err != nil {
			return store.Change{}, err
		}
	}
	if err := s.checkSource(ctx, tx, e, ent); err != nil {
		return store.Change{}, err
	}

	before, err := ed.stored(ctx, s, tx)
	if err != nil {
		return store.Change{}, err
	}
	if e.New && before != nil {
		return store.Change{}, &store.FieldError{Field: keyField(ent.Kind), Reason: fmt.Sprintf("%s exists already", ent), Code: store.FieldTaken, Value: ent.Key, Err: store.ErrExists}
	}
	version, err := s.version(ctx, tx, ent)
	if err != nil {
		return store.Change{}, err
	}
	// Base 0 on nothing is an add, whatever the entity's past (an add
	// undone leaves a version behind); a source added again by its URL
	// (source add) updates it without a version.
	blind := e.Base == 0 && (before == nil || e.SourceDoc != nil)
	if e.Base != version && !blind {
		since, err := s.changesSince(ctx, tx, ent, e.Base)
		if err != nil {
			return store.Change{}, err
		}
		return store.Change{}, &store.StaleError{Since: since}
	}
	if err := ed.check(ctx, s, tx); err != nil {
		return store.Change{}, err
	}
	after := ed.fields()
	c := store.Change{At: now, Editor: e.Editor, Entity: ent, Op: store.OpEdit, Before: before, After: after, Source: e.Source}
	if before == nil {
		c.Op = store.OpAdd
	} else if maps.Equal(before, after) {
		return c, nil
	}
	if err := ed.write(ctx, s, tx); err != nil {
		return store.Change{}, fmt.Errorf("saving %s: %w", ent, err)
	}
	if err := s.record(ctx, tx, &c, ed.side()); err != nil {
		return store.Change{}, err
	}
	if err := s.finishChange(ctx, tx, c, e.SettleUntil); err != nil {
		return store.Change{}, err
	}
	return c, nil
}

// finishChange does what every edit and undo does after its write: the
// track's last activity, the data version readers' caches watch, and the
// update followers will get once the change has settled.
func (s *DB) finishChange(ctx context.Context, tx querier, c store.Change, settleUntil time.Time) error {
	if err := s.touchTrack(ctx, tx, c.Entity.Track); err != nil {
		return err
	}
	if err := s.markChanged(ctx, tx, c.At); err != nil {
		return err
	}
	if settleUntil.IsZero() {
		return nil
	}
	// A later change of the same entity moves last and keeps first and the
	// due time, so quick edits fold into one update.
	err := s.exec(ctx, tx, `INSERT INTO edit_updates (entity, first, last, due_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (entity) DO UPDATE SET last = excluded.last`,
		c.Entity.String(), c.ID, c.ID, settleUntil.UnixMilli())
	if err != nil {
		return fmt.Errorf("queueing the update of %s: %w", c.Entity, err)
	}
	return nil
}

func keyField(k store.EntityKind) string {
	switch k {
	case store.EntityRound:
		return "number"
	case store.EntityPosition:
		return "summary"
	case store.EntityStatement:
		return "text"
	}
	return "id"
}

// editableFor names what e edits, completed from the track: the track of
// the entity, a round's zones, a statement's party (the speaker's when not
// given), a source found by its URL, and e.Source among the entity's
// sources.
func (s *DB) editableFor(ctx context.Context, q querier, e *store.Edit) (editable, error) {
	set := 0
	for _, p := range []bool{e.Track != nil, e.Party != nil, e.Person != nil, e.SourceDoc != nil, e.Round != nil, e.Position != nil, e.Statement != nil} {
		if p {
			set++
		}
	}
	if set != 1 {
		return nil, fmt.Errorf("an edit changes exactly one entity; this one names %d", set)
	}
	if e.Track != nil {
		return trackEdit{*e.Track}, nil
	}
	track := e.TrackID
	switch {
	case e.Round != nil && e.Round.Track != "":
		track = e.Round.Track
	case e.Position != nil && e.Position.Track != "":
		track = e.Position.Track
	case e.Statement != nil && e.Statement.Track != "":
		track = e.Statement.Track
	}
	header, err := s.trackHeader(ctx, q, track)
	if err != nil {
		return nil, err
	}
	cite := func(sources []string) []string {
		if e.Source == "" || slices.Contains(sources, e.Source) {
			return sources
		}
		return append(slices.Clip(sources), e.Source)
	}
	switch {
	case e.Party != nil:
		return partyEdit{track, *e.Party}, nil
	case e.Person != nil:
		return personEdit{track, *e.Person}, nil
	case e.SourceDoc != nil:
		src := *e.SourceDoc
		if src.URL != "" {
			found, ok, err := s.source(ctx, q, track, `url = ?`, src.URL)
			if err != nil {
				return nil, err
			}
			if ok {
				src.ID = found.ID
			}
		}
		return sourceEdit{track, src}, nil
	case e.Round != nil:
		r := *e.Round
		r.Track = track
		zone := header.Timezone
		if r.Timezone != "" {
			zone = r.Timezone
		}
		for _, w := range []*store.When{&r.Starts, &r.Ends} {
			if !w.IsZero() && w.Zone == "" {
				w.Zone = zone
			}
			*w = normalizeWhen(*w)
		}
		r.Sources = cite(r.Sources)
		return roundEdit{r}, nil
	case e.Position != nil:
		p := *e.Position
		p.Track, p.Sources = track, cite(p.Sources)
		return positionEdit{p}, nil
	}
	st := *e.Statement
	st.Track, st.Sources = track, cite(st.Sources)
	if st.Party == "" && st.By != "" {
		var party string
		if _, err := scanOne(s.queryRow(ctx, q, `SELECT party FROM people WHERE track_id = ? AND id = ?`, track, st.By), &party); err != nil {
			return nil, fmt.Errorf("reading the party of %q: %w", st.By, err)
		}
		st.Party = party
	}
	return statementEdit{st}, nil
}

// checkSource refuses an edit of a round, position or statement that names
// no source, and one that names a source the track lacks.
func (s *DB) checkSource(ctx context.Context, q querier, e store.Edit, ent store.Entity) error {
	switch ent.Kind {
	case store.EntityRound, store.EntityPosition, store.EntityStatement:
		if e.Source == "" {
			return fieldErr(store.FieldRequired, "source", "", "every change names its source")
		}
	case store.EntitySource:
		if e.Source == ent.Key {
			return nil // a source added by source add is its own
		}
	}
	return s.checkRefs(ctx, q, "source", "sources", ent.Track, e.Source)
}

// addNewSource creates e.NewSource (a pasted URL) with its own history
// record, unless the track has a source with that URL already: then the
// edit cites that one.
func (s *DB) addNewSource(ctx context.Context, tx querier, e *store.Edit, track string, now time.Time) error {
	src := *e.NewSource
	if src.URL != "" {
		found, ok, err := s.source(ctx, tx, track, `url = ?`, src.URL)
		if err != nil {
			return err
		}
		if ok {
			e.Source = found.ID
			return nil
		}
	}
	if src.ID == "" {
		return fieldErr(store.FieldRequired, "source", "", "a new source needs an id")
	}
	if _, taken, err := s.source(ctx, tx, track, `id = ?`, src.ID); err != nil || taken {
		if err != nil {
			return err
		}
		return &store.FieldError{Field: "source", Reason: fmt.Sprintf("source %q exists already with another URL", src.ID), Code: store.FieldTaken, Value: src.ID, Err: store.ErrExists}
	}
	ed := sourceEdit{track, src}
	if err := ed.check(ctx, s, tx); err != nil {
		return err
	}
	if err := ed.write(ctx, s, tx); err != nil {
		return fmt.Errorf("saving source %q: %w", src.ID, err)
	}
	c := store.Change{At: now, Editor: e.Editor, Entity: ed.entity(), Op: store.OpAdd, After: ed.fields(), Source: src.ID}
	if err := s.record(ctx, tx, &c, ""); err != nil {
		return err
	}
	e.Source = src.ID
	return nil
}
