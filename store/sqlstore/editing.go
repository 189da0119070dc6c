package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"talkbot/store"
)

// SaveEditorRole records the role whose members may edit a server's own
// tracks; "" clears it.
func (s *DB) SaveEditorRole(ctx context.Context, guildID, roleID string) error {
	if guildID == "" {
		return errors.New("saving the editor role: a server is required")
	}
	err := s.exec(ctx, s.db, `INSERT INTO guild_settings (guild_id, editor_role) VALUES (?, ?)
		ON CONFLICT (guild_id) DO UPDATE SET editor_role = excluded.editor_role`, guildID, roleID)
	if err != nil {
		return fmt.Errorf("saving the editor role of server %s: %w", guildID, err)
	}
	return nil
}

// EditorRole is a server's editor role, "" when none is set.
func (s *DB) EditorRole(ctx context.Context, guildID string) (string, error) {
	var role string
	if _, err := scanOne(s.queryRow(ctx, s.db, `SELECT editor_role FROM guild_settings WHERE guild_id = ?`, guildID), &role); err != nil {
		return "", fmt.Errorf("reading the editor role of server %s: %w", guildID, err)
	}
	return role, nil
}

// draftLifetime is how long a draft is kept: a refused submit is pasted
// back within minutes, so a day is plenty.
const draftLifetime = 24 * time.Hour

// SaveDraft adds a draft (ID 0) or replaces one, and deletes drafts older
// than a day. It returns the draft's id.
func (s *DB) SaveDraft(ctx context.Context, d store.Draft) (int64, error) {
	now := s.now()
	if d.Created.IsZero() {
		d.Created = now
	}
	context, err := json.Marshal(d.Context)
	if err != nil {
		return 0, err
	}
	values, err := json.Marshal(d.Values)
	if err != nil {
		return 0, err
	}
	id := d.ID
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exec(ctx, tx, `DELETE FROM drafts WHERE created < ?`, now.Add(-draftLifetime).UnixMilli()); err != nil {
			return err
		}
		if id == 0 {
			return s.queryRow(ctx, tx, `INSERT INTO drafts (user_id, kind, base, context, field_values, created)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				d.UserID, string(d.Kind), d.Base, string(context), string(values), d.Created.UnixMilli()).Scan(&id)
		}
		n, err := s.execCount(ctx, tx, `UPDATE drafts SET user_id = ?, kind = ?, base = ?, context = ?, field_values = ?, created = ?
			WHERE id = ?`, d.UserID, string(d.Kind), d.Base, string(context), string(values), d.Created.UnixMilli(), id)
		if err == nil && n == 0 {
			err = fmt.Errorf("draft %d: %w", id, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("saving a draft of %s: %w", d.UserID, err)
	}
	return id, nil
}

// Draft returns a draft; store.ErrNotFound when it is missing or was
// deleted for its age.
func (s *DB) Draft(ctx context.Context, id int64) (store.Draft, error) {
	d := store.Draft{ID: id}
	var (
		context, values string
		created         int64
	)
	found, err := scanOne(s.queryRow(ctx, s.db, `SELECT user_id, kind, base, context, field_values, created FROM drafts WHERE id = ?`, id),
		&d.UserID, &d.Kind, &d.Base, &context, &values, &created)
	if err != nil {
		return d, fmt.Errorf("reading draft %d: %w", id, err)
	}
	if !found {
		return d, fmt.Errorf("draft %d: %w", id, store.ErrNotFound)
	}
	d.Created = time.UnixMilli(created).UTC()
	if err := json.Unmarshal([]byte(context), &d.Context); err != nil {
		return d, fmt.Errorf("reading draft %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(values), &d.Values); err != nil {
		return d, fmt.Errorf("reading draft %d: %w", id, err)
	}
	return d, nil
}

// DueEditUpdates lists the settled updates due at now, oldest first.
func (s *DB) DueEditUpdates(ctx context.Context, now time.Time) ([]store.EditUpdate, error) {
	rows, err := s.query(ctx, s.db, `SELECT entity, first, last, due_at FROM edit_updates WHERE due_at <= ? ORDER BY due_at, entity`, now.UnixMilli())
	out, err := collect(rows, err, func(r *sql.Rows) (store.EditUpdate, error) {
		var (
			u      store.EditUpdate
			entity string
			due    int64
		)
		if err := r.Scan(&entity, &u.First, &u.Last, &due); err != nil {
			return u, err
		}
		u.DueAt = time.UnixMilli(due).UTC()
		var err error
		u.Entity, err = store.ParseEntity(entity)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading due edit updates: %w", err)
	}
	return out, nil
}

// FinishEditUpdate records ds (those not recorded yet) and forgets u, in
// one transaction, if no change folded into u since it was read; else it
// does nothing, and u comes back from DueEditUpdates with its new last.
func (s *DB) FinishEditUpdate(ctx context.Context, u store.EditUpdate, ds []store.Delivery) error {
	which := make([]int, len(ds))
	for i := range ds {
		if err := checkDelivery(&ds[i]); err != nil {
			return err
		}
		which[i] = i
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// Deleting first takes the row's lock (PostgreSQL), so an edit
		// folding into u waits for this transaction or went before it.
		n, err := s.execCount(ctx, tx, `DELETE FROM edit_updates WHERE entity = ? AND last = ?`, u.Entity.String(), u.Last)
		if err != nil || n == 0 {
			return err
		}
		_, err = s.insertDeliveries(ctx, tx, ds, which)
		return err
	})
	if err != nil {
		return fmt.Errorf("finishing the update of %s: %w", u.Entity, err)
	}
	return nil
}
