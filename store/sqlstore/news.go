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

// newsPlannerLock is the PostgreSQL advisory lock that makes news planners
// take turns: the hourly cap is a count across transactions, which two
// planners at once could both pass. Planning is a few rows a minute, so
// one at a time costs nothing.
const newsPlannerLock = 0x74616c6b6e657773 // "talknews"

// PlanNews plans announced, unplanned items into news posts and digests.
func (s *DB) PlanNews(ctx context.Context, now time.Time, perHour, limit int) (int, error) {
	if perHour < 1 || limit < 1 || now.IsZero() {
		return 0, fmt.Errorf("planning news: now, perHour %d and limit %d must be set", perHour, limit)
	}
	var planned int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if s.d.ConcurrentWriters {
			if err := s.exec(ctx, tx, `SELECT pg_advisory_xact_lock(?)`, int64(newsPlannerLock)); err != nil {
				return fmt.Errorf("waiting for other planners: %w", err)
			}
		}
		// The conditions repeat feed_items_unplanned's predicate.
		rows, err := s.query(ctx, tx, `SELECT track_id, feed_url, item_id FROM feed_items
			WHERE announce AND NOT planned ORDER BY seen_at, track_id, feed_url, item_id LIMIT ?`, limit)
		refs, err := collect(rows, err, func(r *sql.Rows) (ref store.ItemRef, err error) {
			err = r.Scan(&ref.Track, &ref.FeedURL, &ref.ID)
			return ref, err
		})
		if err != nil {
			return fmt.Errorf("reading unplanned items: %w", err)
		}
		p := newsPlan{s: s, tx: tx, now: now, perHour: perHour, follows: map[string][]store.Follow{}, sent: map[string]int{}}
		for _, ref := range refs {
			if err := p.item(ctx, ref); err != nil {
				return err
			}
			if err := s.exec(ctx, tx, `UPDATE feed_items SET planned = TRUE WHERE track_id = ? AND feed_url = ? AND item_id = ?`,
				ref.Track, ref.FeedURL, ref.ID); err != nil {
				return fmt.Errorf("marking an item planned: %w", err)
			}
		}
		planned = len(refs)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("planning news: %w", err)
	}
	return planned, nil
}

// newsPlan is one PlanNews transaction's state.
type newsPlan struct {
	s       *DB
	tx      *sql.Tx
	now     time.Time
	perHour int
	follows map[string][]store.Follow // by track, those taking news
	sent    map[string]int            // news posts per target in the hour of now
}

func (p *newsPlan) item(ctx context.Context, ref store.ItemRef) error {
	follows, ok := p.follows[ref.Track]
	if !ok {
		rows, err := p.s.query(ctx, p.tx, `SELECT `+followColumns+` FROM follows
			WHERE track_id = ? AND disabled = '' AND news ORDER BY guild_id, channel_id`, ref.Track)
		if follows, err = collect(rows, err, scanFollow); err != nil {
			return fmt.Errorf("reading the news follows of %q: %w", ref.Track, err)
		}
		p.follows[ref.Track] = follows
	}
	hour := p.now.UTC().Truncate(time.Hour)
	for _, f := range follows {
		target := store.ChannelTarget(f.ChannelID)
		n, ok := p.sent[target]
		if !ok {
			err := p.s.queryRow(ctx, p.tx, `SELECT COUNT(*) FROM deliveries WHERE target = ? AND kind = ? AND due_at >= ? AND due_at < ?`,
				target, string(store.DeliveryNews), hour.UnixMilli(), hour.Add(time.Hour).UnixMilli()).Scan(&n)
			if err != nil {
				return fmt.Errorf("counting the news posts of %s: %w", target, err)
			}
		}
		if n < p.perHour {
			d := []store.Delivery{{
				Key: store.NewsKey(ref), Target: target, Kind: store.DeliveryNews, GuildID: f.GuildID, Track: ref.Track,
				DueAt: p.now, Deadline: p.now.Add(store.NewsDeadline), Payload: store.EncodeItemRefs([]store.ItemRef{ref}),
			}}
			added, err := p.s.insertDeliveries(ctx, p.tx, d, []int{0})
			if err != nil {
				return fmt.Errorf("recording a news post: %w", err)
			}
			p.sent[target] = n + added
			continue
		}
		p.sent[target] = n
		if err := p.digest(ctx, f, target, hour, ref); err != nil {
			return err
		}
	}
	return nil
}

// digest adds ref to the channel's digest of the hour, recording the
// digest if it is the first. A digest already claimed or sent (a replica
// whose clock runs ahead sent it early) takes no more: the item goes to
// the next hour's.
func (p *newsPlan) digest(ctx context.Context, f store.Follow, target string, hour time.Time, ref store.ItemRef) error {
	for ; ; hour = hour.Add(time.Hour) {
		key := store.NewsDigestKey(f.ChannelID, hour)
		var payload, state string
		err := p.s.queryRow(ctx, p.tx, `SELECT payload, state FROM deliveries WHERE key = ? AND target = ?`, key, target).Scan(&payload, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			end := hour.Add(time.Hour)
			d := []store.Delivery{{
				Key: key, Target: target, Kind: store.DeliveryNewsDigest, GuildID: f.GuildID,
				DueAt: end, Deadline: end.Add(store.NewsDeadline), Payload: store.EncodeItemRefs([]store.ItemRef{ref}),
			}}
			if _, err := p.s.insertDeliveries(ctx, p.tx, d, []int{0}); err != nil {
				return fmt.Errorf("recording a news digest: %w", err)
			}
			return nil
		case err != nil:
			return fmt.Errorf("reading the news digest of %s: %w", target, err)
		case state != string(store.DeliveryPending):
			continue
		}
		refs, err := store.DecodeItemRefs(payload)
		if err != nil {
			return err
		}
		if slices.Contains(refs, ref) {
			return nil
		}
		err = p.s.exec(ctx, p.tx, `UPDATE deliveries SET payload = ? WHERE key = ? AND target = ? AND state = 'pending'`,
			store.EncodeItemRefs(append(refs, ref)), key, target)
		if err != nil {
			return fmt.Errorf("adding to the news digest of %s: %w", target, err)
		}
		return nil
	}
}

// FeedItem reads one item with its feed's title.
func (s *DB) FeedItem(ctx context.Context, ref store.ItemRef) (store.FeedItem, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+feedItemColumns+feedItemsFrom+`
		WHERE i.track_id = ? AND i.feed_url = ? AND i.item_id = ?`, ref.Track, ref.FeedURL, ref.ID)
	items, err := collect(rows, err, scanFeedItem)
	if err != nil {
		return store.FeedItem{}, fmt.Errorf("reading item %q of %s: %w", ref.ID, ref.FeedURL, err)
	}
	if len(items) == 0 {
		return store.FeedItem{}, fmt.Errorf("reading item %q of %s: %w", ref.ID, ref.FeedURL, store.ErrNotFound)
	}
	return items[0], nil
}
