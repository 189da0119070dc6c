package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"talkbot/store"
)

const roundColumns = `track_id, number, status, starts_date, starts_at, ends_date, ends_at,
	timezone, zone, venue, venue_names, proposed_by, details, sources`

func scanRound(r interface{ Scan(...any) error }) (store.Round, error) {
	var (
		rd                   store.Round
		startsDate, endsDate string
		startsAt, endsAt     sql.NullInt64
		zone                 string
		details, sources     string
		venueNames           string
	)
	err := r.Scan(&rd.Track, &rd.Number, &rd.Status, &startsDate, &startsAt, &endsDate, &endsAt,
		&rd.Timezone, &zone, &rd.Venue, &venueNames, &rd.ProposedBy, &details, &sources)
	if err != nil {
		return rd, err
	}
	if rd.VenueNames, err = decodeNames(venueNames, rd.Venue); err != nil {
		return rd, fmt.Errorf("round %d venue: %w", rd.Number, err)
	}
	if rd.Starts.Date, err = parseDate(startsDate); err != nil {
		return rd, err
	}
	rd.Starts.At, rd.Starts.Zone = fromUnix(startsAt), zone
	if endsDate != "" {
		if rd.Ends.Date, err = parseDate(endsDate); err != nil {
			return rd, err
		}
		rd.Ends.At, rd.Ends.Zone = fromUnix(endsAt), zone
	}
	if err := decodeDetails(details, &rd); err != nil {
		return rd, fmt.Errorf("round %d: %w", rd.Number, err)
	}
	rd.Sources, err = decodeList(sources)
	return rd, err
}

func (s *DB) rounds(ctx context.Context, q querier, track string) ([]store.Round, error) {
	rows, err := s.query(ctx, q, `SELECT `+roundColumns+` FROM rounds WHERE track_id = ? ORDER BY number`, track)
	out, err := collect(rows, err, func(r *sql.Rows) (store.Round, error) { return scanRound(r) })
	if err != nil {
		return nil, fmt.Errorf("reading rounds of %q: %w", track, err)
	}
	return out, nil
}

// Rounds lists a track's rounds by number.
func (s *DB) Rounds(ctx context.Context, track string) ([]store.Round, error) {
	return s.rounds(ctx, s.db, track)
}

// RoundsPage is one page of a track's rounds by number, with the total.
func (s *DB) RoundsPage(ctx context.Context, track string, limit, offset int) (store.Page[store.Round], error) {
	var page store.Page[store.Round]
	if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM rounds WHERE track_id = ?`, track).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("counting rounds of %q: %w", track, err)
	}
	rows, err := s.query(ctx, s.db, `SELECT `+roundColumns+` FROM rounds WHERE track_id = ? ORDER BY number LIMIT ? OFFSET ?`, track, limit, offset)
	page.Items, err = collect(rows, err, func(r *sql.Rows) (store.Round, error) { return scanRound(r) })
	if err != nil {
		return page, fmt.Errorf("reading rounds of %q: %w", track, err)
	}
	return page, nil
}

// LatestRound is the round with the latest start.
func (s *DB) LatestRound(ctx context.Context, track string) (store.Round, error) {
	row := s.queryRow(ctx, s.db, `SELECT `+roundColumns+` FROM rounds WHERE track_id = ? ORDER BY from_at DESC, number DESC LIMIT 1`, track)
	r, err := scanRound(row)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("latest round of %q: %w", track, store.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("reading the latest round of %q: %w", track, err)
	}
	return r, nil
}

// Round returns one round by number.
func (s *DB) Round(ctx context.Context, track string, number int) (store.Round, error) {
	row := s.queryRow(ctx, s.db, `SELECT `+roundColumns+` FROM rounds WHERE track_id = ? AND number = ?`, track, number)
	r, err := scanRound(row)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("round %d of %q: %w", number, track, store.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("reading round %d of %q: %w", number, track, err)
	}
	return r, nil
}

// NextRound returns the first pending round still ahead at after.
func (s *DB) NextRound(ctx context.Context, track string, after time.Time) (store.Round, error) {
	rs, err := s.UpcomingRounds(ctx, track, after, 1)
	if err != nil {
		return store.Round{}, err
	}
	if len(rs) == 0 {
		return store.Round{}, fmt.Errorf("next round of %q: %w", track, store.ErrNotFound)
	}
	return rs[0], nil
}

// UpcomingRounds lists pending rounds still ahead at after, soonest first.
func (s *DB) UpcomingRounds(ctx context.Context, track string, after time.Time, limit int) ([]store.Round, error) {
	// until_at > after is the rule; from_at > after - maxDay says the same
	// (no round's window is longer than a day) in a form the from_at index
	// can scan in the order wanted.
	q := `SELECT ` + roundColumns + ` FROM rounds WHERE from_at > ? AND until_at > ? AND status IN ('proposed', 'scheduled')`
	args := []any{after.Unix() - maxDay, after.Unix()}
	if track != "" {
		q += ` AND track_id = ?`
		args = append(args, track)
	}
	q += ` ORDER BY from_at, track_id, number`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.query(ctx, s.db, q, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (store.Round, error) { return scanRound(r) })
	if err != nil {
		return nil, fmt.Errorf("reading upcoming rounds: %w", err)
	}
	return out, nil
}

// maxDay bounds until_at - from_at: a calendar day is at most 25 hours
// (a DST change); 48 leaves room for any zone rule.
const maxDay = 48 * 60 * 60

// timeline returns from_at and until_at for a round's start (see the
// rounds table): an exact start counts as ahead through its own second.
func timeline(w store.When) (from, until int64, err error) {
	f, u, err := w.Bounds()
	if err != nil {
		return 0, 0, err
	}
	if w.TimeKnown() {
		return f.Unix(), f.Unix() + 1, nil
	}
	return f.Unix(), u.Unix(), nil
}
