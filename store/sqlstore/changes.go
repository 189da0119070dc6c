package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"talkbot/store"
)

// changeKind says what followers are told about a round an import writes
// (old is the stored round, if existed), and ok is false when the edit
// means nothing to them (a venue, an agenda). When both the status and the
// start changed, the status wins only if the round will no longer happen
// as planned: "postponed" says more than "rescheduled", "scheduled" less.
func changeKind(old store.Round, existed bool, r store.Round) (kind store.ChangeKind, ok bool) {
	if !existed {
		return store.ChangeAdded, true
	}
	statusChanged := old.Status != r.Status
	startChanged := old.Starts.Date != r.Starts.Date || !old.Starts.At.Equal(r.Starts.At)
	if statusChanged {
		switch r.Status {
		case store.StatusPostponed:
			return store.ChangePostponed, true
		case store.StatusCancelled:
			return store.ChangeCancelled, true
		case store.StatusHeld:
			return store.ChangeHeld, true
		}
	}
	switch {
	case startChanged:
		return store.ChangeRescheduled, true
	case statusChanged:
		return store.ChangeStatus, true
	}
	return "", false
}

var roundChangeColumns = []string{"track_id", "round", "kind", "old_status", "new_status",
	"old_starts_date", "old_starts_at", "old_zone", "new_starts_date", "new_starts_at", "new_zone", "changed_at"}

// recordRoundChanges writes an import's round changes, stamped at, inside
// its transaction.
func (s *DB) recordRoundChanges(ctx context.Context, tx querier, changes []store.RoundChange, at time.Time) error {
	if len(changes) == 0 {
		return nil
	}
	if s.d.ConcurrentWriters {
		// An identity value is taken at insert but seen at commit, so two
		// imports could commit ids out of order and a reader who has seen
		// the higher one would skip the lower for good. The lock (which
		// readers do not wait for) makes the next import take its ids
		// after this one commits.
		if err := s.exec(ctx, tx, `LOCK TABLE round_changes IN EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("locking round changes: %w", err)
		}
	}
	stamp := at.UnixMilli()
	_, err := s.insertRows(ctx, tx, "round_changes", roundChangeColumns, "", len(changes), func(args []any, i int) []any {
		c := changes[i]
		return append(args, c.Track, c.Round, string(c.Kind), string(c.OldStatus), string(c.NewStatus),
			c.OldStarts.Date.String(), millisOrNull(c.OldStarts.At), c.OldStarts.Zone,
			c.NewStarts.Date.String(), millisOrNull(c.NewStarts.At), c.NewStarts.Zone, stamp)
	})
	if err != nil {
		return fmt.Errorf("recording round changes: %w", err)
	}
	return nil
}

// RoundChanges lists changes with an id above after, oldest first, at most
// limit of them (all when limit is 0).
func (s *DB) RoundChanges(ctx context.Context, after int64, limit int) ([]store.RoundChange, error) {
	if limit <= 0 {
		limit = math.MaxInt32
	}
	rows, err := s.query(ctx, s.db, `SELECT id, track_id, round, kind, old_status, new_status,
		old_starts_date, old_starts_at, old_zone, new_starts_date, new_starts_at, new_zone, changed_at
		FROM round_changes WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	out, err := collect(rows, err, func(r *sql.Rows) (store.RoundChange, error) {
		var (
			c                store.RoundChange
			oldDate, newDate string
			oldAt, newAt     sql.NullInt64
			oldZone, newZone string
			changedAt        int64
		)
		err := r.Scan(&c.ID, &c.Track, &c.Round, &c.Kind, &c.OldStatus, &c.NewStatus,
			&oldDate, &oldAt, &oldZone, &newDate, &newAt, &newZone, &changedAt)
		if err != nil {
			return c, err
		}
		if c.OldStarts, err = scanWhen(oldDate, oldAt, oldZone); err != nil {
			return c, err
		}
		if c.NewStarts, err = scanWhen(newDate, newAt, newZone); err != nil {
			return c, err
		}
		c.At = time.UnixMilli(changedAt).UTC()
		return c, nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading round changes after %d: %w", after, err)
	}
	return out, nil
}

func scanWhen(date string, at sql.NullInt64, zone string) (store.When, error) {
	if date == "" {
		return store.When{}, nil
	}
	d, err := store.ParseDate(date)
	if err != nil {
		return store.When{}, err
	}
	return store.When{Date: d, At: fromMillis(at), Zone: zone}, nil
}

// LastRoundChange is the highest change id, 0 when none.
func (s *DB) LastRoundChange(ctx context.Context) (int64, error) {
	var id int64
	if err := s.queryRow(ctx, s.db, `SELECT COALESCE(MAX(id), 0) FROM round_changes`).Scan(&id); err != nil {
		return 0, fmt.Errorf("reading the last round change: %w", err)
	}
	return id, nil
}
