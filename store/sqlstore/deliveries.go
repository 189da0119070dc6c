package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"talkbot/store"
)

// A delivery is recorded pending before it is sent; a scheduler claims it
// for a lease, sends it, and finishes it. Every instant is stored in unix
// milliseconds. Pending deliveries that are no longer wanted are deleted,
// not kept as dropped, so that wanting one again (a meeting moved back to
// its first date) records it anew; "dropped" is what a scheduler says of a
// delivery it gave up on.

const deliveryColumns = `key, target, kind, guild_id, track_id, round, role_id, due_at, deadline, payload,
	state, attempts, next_try, owner, lease_ends, late, message_id, sent_at, last_error`

func scanDelivery(r *sql.Rows) (store.Delivery, error) {
	var (
		d                           store.Delivery
		due, nextTry                int64
		deadline, leaseEnds, sentAt sql.NullInt64
	)
	err := r.Scan(&d.Key, &d.Target, &d.Kind, &d.GuildID, &d.Track, &d.Round, &d.RoleID, &due, &deadline, &d.Payload,
		&d.State, &d.Attempts, &nextTry, &d.Owner, &leaseEnds, &d.Late, &d.MessageID, &sentAt, &d.LastError)
	d.DueAt, d.NextTry = time.UnixMilli(due).UTC(), time.UnixMilli(nextTry).UTC()
	d.Deadline, d.LeaseEnds, d.SentAt = fromMillis(deadline), fromMillis(leaseEnds), fromMillis(sentAt)
	return d, err
}

// newDeliveryColumns are what recording a delivery sets; the rest start at
// their defaults.
var newDeliveryColumns = []string{"key", "target", "kind", "guild_id", "track_id", "round", "role_id",
	"due_at", "deadline", "payload", "state", "next_try"}

// insertDeliveries records ds[i] for each i in which as pending deliveries,
// skipping those already recorded in any state, and returns how many it
// recorded. A delivery is first tried at its NextTry, or else its DueAt.
func (s *DB) insertDeliveries(ctx context.Context, q querier, ds []store.Delivery, which []int) (int, error) {
	return s.insertRows(ctx, q, "deliveries", newDeliveryColumns, " ON CONFLICT (key, target) DO NOTHING", len(which),
		func(args []any, i int) []any {
			d := &ds[which[i]]
			next := d.NextTry
			if next.IsZero() {
				next = d.DueAt
			}
			return append(args, d.Key, d.Target, string(d.Kind), d.GuildID, d.Track, d.Round, d.RoleID,
				d.DueAt.UnixMilli(), millisOrNull(d.Deadline), d.Payload, string(store.DeliveryPending), next.UnixMilli())
		})
}

func checkDelivery(d *store.Delivery) error {
	if d.Key == "" || d.Target == "" || d.Kind == "" || d.DueAt.IsZero() {
		return fmt.Errorf("delivery %q to %q: key, target, kind and due time are required", d.Key, d.Target)
	}
	return nil
}

// AddDeliveries records deliveries that are not yet recorded, as pending.
func (s *DB) AddDeliveries(ctx context.Context, ds []store.Delivery) (int, error) {
	which := make([]int, len(ds))
	for i := range ds {
		if err := checkDelivery(&ds[i]); err != nil {
			return 0, err
		}
		which[i] = i
	}
	if len(ds) == 0 {
		return 0, nil
	}
	var added int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		added, err = s.insertDeliveries(ctx, tx, ds, which)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("recording %d deliveries: %w", len(ds), err)
	}
	return added, nil
}

// deliveryID is a delivery's identity.
type deliveryID struct{ key, target string }

// ReplanReminders makes a track's pending reminders exactly want. It diffs
// want against the track's pending reminder keys in Go and writes only the
// difference, in multi-row statements, in one transaction. A wanted
// reminder already recorded in another state (sent, claimed, dropped,
// failed) is left as it is and not counted.
func (s *DB) ReplanReminders(ctx context.Context, track string, want []store.Delivery) (added, removed int, err error) {
	wanted := make(map[deliveryID]int, len(want)) // -> first index in want
	for i := range want {
		d := &want[i]
		if err := checkDelivery(d); err != nil {
			return 0, 0, err
		}
		if d.Kind != store.DeliveryReminder || d.Track != track {
			return 0, 0, fmt.Errorf("replanning %q: delivery %q is a %s of %q, not a reminder of this track", track, d.Key, d.Kind, d.Track)
		}
		id := deliveryID{d.Key, d.Target}
		if _, dup := wanted[id]; !dup {
			wanted[id] = i
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.query(ctx, tx, `SELECT key, target FROM deliveries
			WHERE track_id = ? AND state = 'pending' AND kind = 'reminder'`, track)
		have, err := collect(rows, err, func(r *sql.Rows) (id deliveryID, err error) {
			err = r.Scan(&id.key, &id.target)
			return id, err
		})
		if err != nil {
			return fmt.Errorf("reading pending reminders: %w", err)
		}
		var stale []deliveryID
		for _, id := range have {
			if _, ok := wanted[id]; ok {
				delete(wanted, id) // recorded already
			} else {
				stale = append(stale, id)
			}
		}
		fresh := make([]int, 0, len(wanted))
		for _, i := range wanted {
			fresh = append(fresh, i)
		}
		slices.Sort(fresh) // write in the caller's order
		if added, err = s.insertDeliveries(ctx, tx, want, fresh); err != nil {
			return err
		}
		removed, err = s.deletePending(ctx, tx, stale)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("replanning the reminders of %q: %w", track, err)
	}
	return added, removed, nil
}

// deletePending deletes the named deliveries that are still pending.
func (s *DB) deletePending(ctx context.Context, q querier, ids []deliveryID) (int, error) {
	const perStmt = maxParams / 2
	deleted := 0
	for start := 0; start < len(ids); start += perStmt {
		end := min(start+perStmt, len(ids))
		args := make([]any, 0, 2*(end-start))
		for _, id := range ids[start:end] {
			args = append(args, id.key, id.target)
		}
		n, err := s.execCount(ctx, q, `DELETE FROM deliveries WHERE state = 'pending' AND (key, target) IN (VALUES `+
			repeatJoin("(?, ?)", end-start)+`)`, args...)
		if err != nil {
			return deleted, fmt.Errorf("deleting pending deliveries: %w", err)
		}
		deleted += n
	}
	return deleted, nil
}

func repeatJoin(s string, n int) string {
	b := make([]byte, 0, n*(len(s)+1))
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, s...)
	}
	return string(b)
}

// DropExpired marks dropped the pending deliveries past their deadline.
func (s *DB) DropExpired(ctx context.Context, now time.Time) (map[store.DeliveryKind]int, error) {
	rows, err := s.query(ctx, s.db, `UPDATE deliveries SET state = 'dropped', last_error = 'past its deadline'
		WHERE state = 'pending' AND deadline IS NOT NULL AND deadline <= ? RETURNING kind`, now.UnixMilli())
	kinds, err := collect(rows, err, func(r *sql.Rows) (k string, err error) {
		err = r.Scan(&k)
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("dropping expired deliveries: %w", err)
	}
	out := map[store.DeliveryKind]int{}
	for _, k := range kinds {
		out[store.DeliveryKind(k)]++
	}
	return out, nil
}

// NextDue is the earliest instant a pending delivery may go or a claim
// expires. Each half is the first entry of an index (deliveries_due,
// deliveries_lease), however many rows wait.
func (s *DB) NextDue(ctx context.Context) (time.Time, bool, error) {
	var pending, claimed sql.NullInt64
	err := s.queryRow(ctx, s.db, `SELECT
		(SELECT next_try FROM deliveries WHERE state = 'pending' ORDER BY next_try LIMIT 1),
		(SELECT lease_ends FROM deliveries WHERE state = 'claimed' ORDER BY lease_ends LIMIT 1)`).Scan(&pending, &claimed)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("reading the next due delivery: %w", err)
	}
	switch {
	case pending.Valid && claimed.Valid:
		return time.UnixMilli(min(pending.Int64, claimed.Int64)).UTC(), true, nil
	case pending.Valid:
		return fromMillis(pending), true, nil
	case claimed.Valid:
		return fromMillis(claimed), true, nil
	}
	return time.Time{}, false, nil
}

// The claim statements pick the due rows, oldest NextTry first, and claim
// them in the same statement, so a row is claimed once. The condition reads
// the partial index deliveries_claimable in order and stops at the limit:
// it repeats the index's predicate word for word (SQLite only uses a
// partial index when it does), and relies on a claim's NextTry being before
// its lease ends (a claim is made at or after NextTry, for a positive
// lease), so that expired claims are among the rows with next_try <= now.
//
// PostgreSQL lets several claimers run at once: the CTE locks the rows it
// picks and skips rows another claimer holds, and is MATERIALIZED so that
// it runs exactly once. SQLite has one writer at a time, so the UPDATE is
// atomic as it stands; without statistics (nothing runs ANALYZE) its
// planner would rather sort the due rows of deliveries_due, so the index
// is named.
const (
	claimable = `state IN ('pending', 'claimed') AND next_try <= ? AND (state = 'pending' OR lease_ends <= ?)
		ORDER BY next_try LIMIT ?`
	claimDuePostgres = `WITH due AS MATERIALIZED (
		SELECT key AS due_key, target AS due_target FROM deliveries WHERE ` + claimable + `
		FOR UPDATE SKIP LOCKED)
	UPDATE deliveries SET state = 'claimed', owner = ?, lease_ends = ?, attempts = attempts + 1
	FROM due WHERE key = due_key AND target = due_target
	RETURNING ` + deliveryColumns
	claimDueSQLite = `UPDATE deliveries SET state = 'claimed', owner = ?, lease_ends = ?, attempts = attempts + 1
	WHERE (key, target) IN (SELECT key, target FROM deliveries INDEXED BY deliveries_claimable WHERE ` + claimable + `)
	RETURNING ` + deliveryColumns
)

// ClaimDue claims up to limit deliveries due at now for owner until
// now+lease, oldest first.
func (s *DB) ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]store.Delivery, error) {
	if owner == "" || lease <= 0 || limit <= 0 {
		return nil, fmt.Errorf("claiming deliveries: owner %q, lease %v and limit %d must be set", owner, lease, limit)
	}
	at, until := now.UnixMilli(), now.Add(lease).UnixMilli()
	var rows *sql.Rows
	var err error
	if s.d.ConcurrentWriters {
		rows, err = s.query(ctx, s.db, claimDuePostgres, at, at, limit, owner, until)
	} else {
		rows, err = s.query(ctx, s.db, claimDueSQLite, owner, until, at, at, limit)
	}
	out, err := collect(rows, err, scanDelivery)
	if err != nil {
		return nil, fmt.Errorf("claiming deliveries for %s: %w", owner, err)
	}
	slices.SortFunc(out, func(a, b store.Delivery) int {
		return cmp.Or(a.NextTry.Compare(b.NextTry), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Target, b.Target))
	})
	return out, nil
}

// FinishDelivery records how a claimed delivery ended if owner still holds
// the claim. A delivery sent, dropped or failed keeps its owner as the
// record of who finished it; one put back to pending has none.
func (s *DB) FinishDelivery(ctx context.Context, d store.Delivery, owner string, o store.Outcome) (bool, error) {
	const held = ` WHERE key = ? AND target = ? AND state = 'claimed' AND owner = ?`
	var (
		n   int
		err error
	)
	switch o.State {
	case store.DeliverySent:
		n, err = s.execCount(ctx, s.db, `UPDATE deliveries SET state = 'sent', message_id = ?, sent_at = ?, late = ?, lease_ends = NULL`+held,
			o.MessageID, millisOrNull(o.At), o.Late, d.Key, d.Target, owner)
	case store.DeliveryPending:
		if o.NextTry.IsZero() {
			return false, fmt.Errorf("finishing delivery %q to %q: a retry needs its next try", d.Key, d.Target)
		}
		n, err = s.execCount(ctx, s.db, `UPDATE deliveries SET state = 'pending', next_try = ?, last_error = ?, owner = '', lease_ends = NULL`+held,
			o.NextTry.UnixMilli(), o.Error, d.Key, d.Target, owner)
	case store.DeliveryDropped, store.DeliveryFailed:
		n, err = s.execCount(ctx, s.db, `UPDATE deliveries SET state = ?, last_error = ?, late = ?, lease_ends = NULL`+held,
			string(o.State), o.Error, o.Late, d.Key, d.Target, owner)
	default:
		return false, fmt.Errorf("finishing delivery %q to %q: %q is no outcome", d.Key, d.Target, o.State)
	}
	if err != nil {
		return false, fmt.Errorf("finishing delivery %q to %q: %w", d.Key, d.Target, err)
	}
	return n == 1, nil
}

// PendingFor lists the pending deliveries to a server's channels (not its
// event syncs, which post nothing) in the order they will go (NextTry, which is DueAt unless retried); limit 0
// means all.
func (s *DB) PendingFor(ctx context.Context, guildID string, limit int) ([]store.Delivery, error) {
	if guildID == "" {
		return nil, fmt.Errorf("reading pending deliveries: a server is required")
	}
	q := `SELECT ` + deliveryColumns + ` FROM deliveries WHERE guild_id = ? AND state = 'pending' AND kind <> 'event' ORDER BY next_try, key, target`
	args := []any{guildID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.query(ctx, s.db, q, args...)
	out, err := collect(rows, err, scanDelivery)
	if err != nil {
		return nil, fmt.Errorf("reading the pending deliveries of server %s: %w", guildID, err)
	}
	return out, nil
}
