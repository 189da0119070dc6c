package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"talkbot/store"
)

// Servers' scheduled events: what each server asked for (event_settings)
// and the events talkbot made (guild_events). The syncs themselves are
// deliveries of kind "event" to "guild:ID", in the one outbox.

const eventSettingColumns = `guild_id, track_id, enabled, problem, left_out, updated_at`

func scanEventSetting(r *sql.Rows) (store.EventSetting, error) {
	var (
		e       store.EventSetting
		updated int64
	)
	err := r.Scan(&e.GuildID, &e.Track, &e.Enabled, &e.Problem, &e.LeftOut, &updated)
	e.UpdatedAt = time.UnixMilli(updated).UTC()
	return e, err
}

// EnableEvents saves the setting enabled, clears the server's problem,
// and forgets the track's events deleted by hand, in one transaction.
func (s *DB) EnableEvents(ctx context.Context, guildID, track string) error {
	if guildID == "" {
		return fmt.Errorf("enabling events: a server is required")
	}
	now := s.now().UnixMilli()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exec(ctx, tx, `INSERT INTO event_settings (`+eventSettingColumns+`) VALUES (?, ?, TRUE, '', 0, ?)
			ON CONFLICT (guild_id, track_id) DO UPDATE SET enabled = TRUE, updated_at = excluded.updated_at`,
			guildID, track, now); err != nil {
			return err
		}
		if err := s.exec(ctx, tx, `UPDATE event_settings SET problem = '' WHERE guild_id = ?`, guildID); err != nil {
			return err
		}
		if track == "" {
			return s.exec(ctx, tx, `DELETE FROM guild_events WHERE guild_id = ? AND state = 'gone'`, guildID)
		}
		return s.exec(ctx, tx, `DELETE FROM guild_events WHERE guild_id = ? AND track_id = ? AND state = 'gone'`, guildID, track)
	})
	if err != nil {
		return fmt.Errorf("enabling the events of %q in server %s: %w", track, guildID, err)
	}
	return nil
}

// DisableEvents turns a track's row off, or every row of the server for
// "". A track disabled while "" is on gets a row of its own, off, which
// leaves it out of "". The rows stay: the planner reads them to delete the
// events that are no longer wanted.
func (s *DB) DisableEvents(ctx context.Context, guildID, track string) (bool, error) {
	if guildID == "" {
		return false, fmt.Errorf("disabling events: a server is required")
	}
	var was bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.query(ctx, tx, `SELECT `+eventSettingColumns+` FROM event_settings WHERE guild_id = ?`, guildID)
		settings, err := collect(rows, err, scanEventSetting)
		if err != nil {
			return err
		}
		all, leftOut := false, false // "" is on; track is already left out of it
		for _, e := range settings {
			if e.Enabled && (track == "" || e.Track == track) {
				was = true
			}
			if e.Enabled && e.Track == "" {
				all = true
			}
			if !e.Enabled && e.Track == track {
				leftOut = true
			}
		}
		now := s.now().UnixMilli()
		if track == "" {
			return s.exec(ctx, tx, `UPDATE event_settings SET enabled = FALSE, updated_at = ? WHERE guild_id = ? AND enabled`, now, guildID)
		}
		if all && !leftOut {
			was = true
		}
		return s.exec(ctx, tx, `INSERT INTO event_settings (`+eventSettingColumns+`) VALUES (?, ?, FALSE, '', 0, ?)
			ON CONFLICT (guild_id, track_id) DO UPDATE SET enabled = FALSE, updated_at = excluded.updated_at`,
			guildID, track, now)
	})
	if err != nil {
		return false, fmt.Errorf("disabling the events of %q in server %s: %w", track, guildID, err)
	}
	return was, nil
}

// EventSettings lists a server's settings, or every server's.
func (s *DB) EventSettings(ctx context.Context, guildID string) ([]store.EventSetting, error) {
	var (
		rows *sql.Rows
		err  error
	)
	if guildID == "" {
		rows, err = s.query(ctx, s.db, `SELECT `+eventSettingColumns+` FROM event_settings ORDER BY guild_id, track_id`)
	} else {
		rows, err = s.query(ctx, s.db, `SELECT `+eventSettingColumns+` FROM event_settings WHERE guild_id = ? ORDER BY track_id`, guildID)
	}
	out, err := collect(rows, err, scanEventSetting)
	if err != nil {
		return nil, fmt.Errorf("reading the event settings of server %q: %w", guildID, err)
	}
	return out, nil
}

// StopEvents records the server's problem and drops its pending syncs, so
// a refusal for good is not retried in a loop.
func (s *DB) StopEvents(ctx context.Context, guildID, problem string) error {
	if problem == "" {
		return fmt.Errorf("stopping the events of server %s: %w", guildID, errNoReason)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exec(ctx, tx, `UPDATE event_settings SET problem = ? WHERE guild_id = ?`, problem, guildID); err != nil {
			return err
		}
		return s.exec(ctx, tx, `DELETE FROM deliveries WHERE guild_id = ? AND state = 'pending' AND kind = 'event'`, guildID)
	})
	if err != nil {
		return fmt.Errorf("stopping the events of server %s: %w", guildID, err)
	}
	return nil
}

const guildEventColumns = `guild_id, track_id, round, event_id, state, spec_hash, problem, updated_at`

func scanGuildEvent(r interface{ Scan(...any) error }) (store.GuildEvent, error) {
	var (
		e       store.GuildEvent
		updated int64
	)
	err := r.Scan(&e.GuildID, &e.Track, &e.Round, &e.EventID, &e.State, &e.SpecHash, &e.Problem, &updated)
	e.UpdatedAt = time.UnixMilli(updated).UTC()
	return e, err
}

// GuildEvents lists a server's recorded events by track and round.
func (s *DB) GuildEvents(ctx context.Context, guildID string) ([]store.GuildEvent, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+guildEventColumns+` FROM guild_events WHERE guild_id = ? ORDER BY track_id, round`, guildID)
	out, err := collect(rows, err, func(r *sql.Rows) (store.GuildEvent, error) { return scanGuildEvent(r) })
	if err != nil {
		return nil, fmt.Errorf("reading the events of server %s: %w", guildID, err)
	}
	return out, nil
}

// GuildEvent returns one recorded event.
func (s *DB) GuildEvent(ctx context.Context, guildID, track string, round int) (store.GuildEvent, error) {
	e, err := scanGuildEvent(s.queryRow(ctx, s.db, `SELECT `+guildEventColumns+` FROM guild_events
		WHERE guild_id = ? AND track_id = ? AND round = ?`, guildID, track, round))
	if errors.Is(err, sql.ErrNoRows) {
		return store.GuildEvent{}, store.ErrNotFound
	}
	if err != nil {
		return store.GuildEvent{}, fmt.Errorf("reading the event of round %d of %q in server %s: %w", round, track, guildID, err)
	}
	return e, nil
}

// SaveGuildEvent records or replaces a round's event; a zero UpdatedAt is
// stamped with the store's clock.
func (s *DB) SaveGuildEvent(ctx context.Context, e store.GuildEvent) error {
	if e.GuildID == "" || e.Track == "" || e.EventID == "" {
		return fmt.Errorf("saving event %+v: server, track and event id are required", e)
	}
	switch e.State {
	case store.GuildEventActive, store.GuildEventCancelled, store.GuildEventDone, store.GuildEventGone:
	default:
		return fmt.Errorf("saving the event of round %d of %q: %q is no state", e.Round, e.Track, e.State)
	}
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = s.now()
	}
	err := s.exec(ctx, s.db, `INSERT INTO guild_events (`+guildEventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (guild_id, track_id, round) DO UPDATE SET event_id = excluded.event_id, state = excluded.state,
			spec_hash = excluded.spec_hash, problem = excluded.problem, updated_at = excluded.updated_at`,
		e.GuildID, e.Track, e.Round, e.EventID, string(e.State), e.SpecHash, e.Problem, e.UpdatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("saving the event of round %d of %q in server %s: %w", e.Round, e.Track, e.GuildID, err)
	}
	return nil
}

// DeleteGuildEvent forgets a round's event if it is still eventID: a
// newer event recorded meanwhile stays.
func (s *DB) DeleteGuildEvent(ctx context.Context, guildID, track string, round int, eventID string) error {
	err := s.exec(ctx, s.db, `DELETE FROM guild_events WHERE guild_id = ? AND track_id = ? AND round = ? AND event_id = ?`,
		guildID, track, round, eventID)
	if err != nil {
		return fmt.Errorf("forgetting the event of round %d of %q in server %s: %w", round, track, guildID, err)
	}
	return nil
}

// ReplanEvents makes a server's pending event deliveries exactly p.Want,
// marks p.Done done and records p.LeftOut, in one transaction. Unlike a
// reminder, a sync already finished under the same key is wanted again
// only because the event was brought elsewhere since (A, then B, then A
// again), so it is made pending again; a claimed one is left alone.
func (s *DB) ReplanEvents(ctx context.Context, p store.EventPlan) (added, removed int, err error) {
	if p.GuildID == "" {
		return 0, 0, fmt.Errorf("replanning events: a server is required")
	}
	wanted := make(map[deliveryID]int, len(p.Want))
	for i := range p.Want {
		d := &p.Want[i]
		if err := checkDelivery(d); err != nil {
			return 0, 0, err
		}
		if d.Kind != store.DeliveryEvent || d.GuildID != p.GuildID {
			return 0, 0, fmt.Errorf("replanning the events of server %s: delivery %q is a %s of server %q", p.GuildID, d.Key, d.Kind, d.GuildID)
		}
		if _, dup := wanted[deliveryID{d.Key, d.Target}]; !dup {
			wanted[deliveryID{d.Key, d.Target}] = i
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.query(ctx, tx, `SELECT key, target FROM deliveries
			WHERE guild_id = ? AND state IN ('pending', 'claimed') AND kind = 'event'`, p.GuildID)
		have, err := collect(rows, err, func(r *sql.Rows) (id deliveryID, err error) {
			err = r.Scan(&id.key, &id.target)
			return id, err
		})
		if err != nil {
			return fmt.Errorf("reading pending event syncs: %w", err)
		}
		var stale []deliveryID
		for _, id := range have {
			if _, ok := wanted[id]; ok {
				delete(wanted, id)
			} else {
				stale = append(stale, id)
			}
		}
		fresh := make([]int, 0, len(wanted))
		for _, i := range wanted {
			fresh = append(fresh, i)
		}
		slices.Sort(fresh)
		if added, err = s.insertRows(ctx, tx, "deliveries", newDeliveryColumns,
			` ON CONFLICT (key, target) DO UPDATE SET state = 'pending', attempts = 0, due_at = excluded.due_at,
				next_try = excluded.next_try, deadline = excluded.deadline, payload = excluded.payload,
				owner = '', lease_ends = NULL, last_error = ''
			WHERE deliveries.state IN ('sent', 'dropped', 'failed')`, len(fresh),
			func(args []any, i int) []any {
				d := &p.Want[fresh[i]]
				return append(args, d.Key, d.Target, string(d.Kind), d.GuildID, d.Track, d.Round, d.RoleID,
					d.DueAt.UnixMilli(), millisOrNull(d.Deadline), d.Payload, string(store.DeliveryPending), d.DueAt.UnixMilli())
			}); err != nil {
			return err
		}
		if removed, err = s.deletePending(ctx, tx, stale); err != nil {
			return err
		}
		now := s.now().UnixMilli()
		for _, r := range p.Done {
			if err := s.exec(ctx, tx, `UPDATE guild_events SET state = 'done', updated_at = ?
				WHERE guild_id = ? AND track_id = ? AND round = ? AND state IN ('active', 'cancelled')`,
				now, p.GuildID, r.Track, r.Round); err != nil {
				return fmt.Errorf("marking round %d of %q done: %w", r.Round, r.Track, err)
			}
		}
		return s.exec(ctx, tx, `UPDATE event_settings SET left_out = ? WHERE guild_id = ? AND left_out <> ?`, p.LeftOut, p.GuildID, p.LeftOut)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("replanning the events of server %s: %w", p.GuildID, err)
	}
	return added, removed, nil
}

// EventInFlight reports whether a sync of the same round, planned before
// d (earlier due, or as due and a smaller key), is claimed.
func (s *DB) EventInFlight(ctx context.Context, d store.Delivery) (bool, error) {
	var n int
	err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM deliveries
		WHERE guild_id = ? AND state = 'claimed' AND kind = 'event' AND track_id = ? AND round = ? AND key <> ?
			AND (due_at < ? OR (due_at = ? AND key < ?))`,
		d.GuildID, d.Track, d.Round, d.Key, d.DueAt.UnixMilli(), d.DueAt.UnixMilli(), d.Key).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("looking for syncs of round %d of %q in server %s: %w", d.Round, d.Track, d.GuildID, err)
	}
	return n > 0, nil
}
