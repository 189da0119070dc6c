package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"talkbot/store"
)

// Undo reverts the editor's most recent change that is not an undo and
// not undone yet, unless someone else changed that entity after it. The
// revert is a new change (Op undo) that restores the fields the change
// replaced: an added entity is removed.
func (s *DB) Undo(ctx context.Context, editor store.Editor, settleUntil time.Time) (store.Change, error) {
	if editor.ID == "" {
		return store.Change{}, errors.New("undo needs the editor's id; imports are not undone")
	}
	var c store.Change
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockHistory(ctx, tx); err != nil {
			return err
		}
		var err error
		c, err = s.undo(ctx, tx, editor, settleUntil)
		return err
	})
	if err != nil {
		return store.Change{}, err
	}
	return c, nil
}

func (s *DB) undo(ctx context.Context, tx *sql.Tx, editor store.Editor, settleUntil time.Time) (store.Change, error) {
	mine, err := scanChange(s.queryRow(ctx, tx, `SELECT `+historyColumns+` FROM history h
		WHERE editor_id = ? AND op <> 'undo' AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes = h.id)
		ORDER BY id DESC LIMIT 1`, editor.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Change{}, store.ErrNothingToUndo
	}
	if err != nil {
		return store.Change{}, fmt.Errorf("finding the change to undo: %w", err)
	}
	later, err := scanChange(s.queryRow(ctx, tx, `SELECT `+historyColumns+` FROM history
		WHERE entity = ? AND id > ? AND editor_id <> ? ORDER BY id LIMIT 1`, mine.Entity.String(), mine.ID, editor.ID))
	switch {
	case err == nil:
		return store.Change{}, &store.UndoBlockedError{Mine: mine, Later: later}
	case !errors.Is(err, sql.ErrNoRows):
		return store.Change{}, fmt.Errorf("checking for later changes: %w", err)
	}

	zone := ""
	if mine.Entity.Kind != store.EntityTrack {
		header, err := s.trackHeader(ctx, tx, mine.Entity.Track)
		if err != nil {
			return store.Change{}, err
		}
		zone = header.Timezone
	}
	// The entity as the change left it, and as it was before.
	var now, was editable
	if mine.After != nil {
		if now, err = editableOf(mine.Entity, zone, mine.After); err != nil {
			return store.Change{}, fmt.Errorf("reading change %d: %w", mine.ID, err)
		}
	}
	if mine.Before != nil {
		if was, err = editableOf(mine.Entity, zone, mine.Before); err != nil {
			return store.Change{}, fmt.Errorf("reading change %d: %w", mine.ID, err)
		}
	}
	c := store.Change{At: s.now(), Editor: editor, Entity: mine.Entity, Op: store.OpUndo, Source: mine.Source, Undoes: mine.ID}
	side := ""
	if now != nil {
		if c.Before, err = now.stored(ctx, s, tx); err != nil {
			return store.Change{}, err
		}
		side = now.side()
	}
	switch {
	case was != nil:
		if now != nil {
			// A position's or statement's key is its content: the old one
			// replaces the new one rather than overwriting it.
			if now.entity() != was.entity() {
				if err := now.remove(ctx, s, tx); err != nil {
					return store.Change{}, err
				}
			}
		}
		if err := was.write(ctx, s, tx); err != nil {
			return store.Change{}, fmt.Errorf("restoring %s: %w", mine.Entity, err)
		}
		c.After, side = was.fields(), was.side()
	case now != nil:
		if err := now.remove(ctx, s, tx); err != nil {
			return store.Change{}, fmt.Errorf("removing %s: %w", mine.Entity, err)
		}
	}
	if err := s.record(ctx, tx, &c, side); err != nil {
		return store.Change{}, err
	}
	if mine.Entity.Kind == store.EntityTrack && c.After == nil {
		// The track is gone: nothing left to touch.
		return c, s.markChanged(ctx, tx, c.At)
	}
	if err := s.finishChange(ctx, tx, c, settleUntil); err != nil {
		return store.Change{}, err
	}
	return c, nil
}
