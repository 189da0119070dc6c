package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"talkbot/store"
)

// Who gets what: server channels following a track, users subscribed to
// one, and servers' digest schedules. Taking a target away (unfollowing,
// losing a channel, pausing a user's DMs) deletes its pending deliveries in
// the same transaction, so a scheduler never picks them up afterwards; what
// was sent or is being sent stays as the record.

const followColumns = `guild_id, channel_id, track_id, role_id, offsets, updates, news, disabled, updated_at`

func scanFollow(r *sql.Rows) (store.Follow, error) {
	var (
		f       store.Follow
		offsets string
		updated int64
	)
	if err := r.Scan(&f.GuildID, &f.ChannelID, &f.Track, &f.RoleID, &offsets, &f.Updates, &f.News, &f.Disabled, &updated); err != nil {
		return f, err
	}
	var err error
	f.Offsets, err = decodeOffsets(offsets)
	f.UpdatedAt = time.UnixMilli(updated).UTC()
	return f, err
}

// SaveFollow records a follow, or replaces the one of that channel and
// track (which enables it again). A zero UpdatedAt is stamped with the
// store's clock.
func (s *DB) SaveFollow(ctx context.Context, f store.Follow) error {
	if f.GuildID == "" || f.ChannelID == "" || f.Track == "" {
		return fmt.Errorf("saving follow %+v: guild, channel and track are required", f)
	}
	if f.UpdatedAt.IsZero() {
		f.UpdatedAt = s.now()
	}
	switch f.Updates {
	case "":
		f.Updates = store.UpdatesRounds
	case store.UpdatesRounds, store.UpdatesAll, store.UpdatesNone:
	default:
		return fmt.Errorf("saving the follow of %q in channel %s: updates %q is not rounds, all or none", f.Track, f.ChannelID, f.Updates)
	}
	err := s.exec(ctx, s.db, `INSERT INTO follows (`+followColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (guild_id, channel_id, track_id) DO UPDATE SET role_id = excluded.role_id,
			offsets = excluded.offsets, updates = excluded.updates, news = excluded.news, disabled = excluded.disabled, updated_at = excluded.updated_at`,
		f.GuildID, f.ChannelID, f.Track, f.RoleID, encodeOffsets(f.Offsets), string(f.Updates), f.News, f.Disabled, f.UpdatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("saving the follow of %q in channel %s: %w", f.Track, f.ChannelID, err)
	}
	return nil
}

// Follows lists a server's follows, disabled ones too, by track and channel.
func (s *DB) Follows(ctx context.Context, guildID string) ([]store.Follow, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+followColumns+` FROM follows WHERE guild_id = ? ORDER BY track_id, channel_id`, guildID)
	out, err := collect(rows, err, scanFollow)
	if err != nil {
		return nil, fmt.Errorf("reading the follows of server %s: %w", guildID, err)
	}
	return out, nil
}

// FollowsOf lists the active follows of a track by server and channel.
func (s *DB) FollowsOf(ctx context.Context, track string) ([]store.Follow, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+followColumns+` FROM follows WHERE track_id = ? AND disabled = '' ORDER BY guild_id, channel_id`, track)
	out, err := collect(rows, err, scanFollow)
	if err != nil {
		return nil, fmt.Errorf("reading the follows of %q: %w", track, err)
	}
	return out, nil
}

// DeleteFollows removes a server's follows of a track ("" for all) and
// their pending deliveries (reminders and updates; a digest and event
// syncs belong to the server, not to a follow).
func (s *DB) DeleteFollows(ctx context.Context, guildID, track string) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if track == "" {
			n, err = s.execCount(ctx, tx, `DELETE FROM follows WHERE guild_id = ?`, guildID)
		} else {
			n, err = s.execCount(ctx, tx, `DELETE FROM follows WHERE guild_id = ? AND track_id = ?`, guildID, track)
		}
		if err != nil {
			return err
		}
		if track == "" {
			_, err = s.execCount(ctx, tx, `DELETE FROM deliveries WHERE guild_id = ? AND state = 'pending' AND kind IN ('reminder', 'update')`, guildID)
		} else {
			_, err = s.execCount(ctx, tx, `DELETE FROM deliveries WHERE guild_id = ? AND state = 'pending' AND kind IN ('reminder', 'update') AND track_id = ?`, guildID, track)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("deleting the follows of server %s (track %q): %w", guildID, track, err)
	}
	return n, nil
}

// errNoReason refuses an empty reason, which would read as "active".
var errNoReason = errors.New("a reason is required")

// DisableChannel marks every follow posting to a channel disabled and drops
// every pending delivery to it, whatever its kind.
func (s *DB) DisableChannel(ctx context.Context, guildID, channelID, reason string) error {
	if reason == "" {
		return fmt.Errorf("disabling channel %s: %w", channelID, errNoReason)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exec(ctx, tx, `UPDATE follows SET disabled = ? WHERE guild_id = ? AND channel_id = ?`, reason, guildID, channelID); err != nil {
			return err
		}
		return s.exec(ctx, tx, `DELETE FROM deliveries WHERE target = ? AND state = 'pending'`, store.ChannelTarget(channelID))
	})
	if err != nil {
		return fmt.Errorf("disabling channel %s: %w", channelID, err)
	}
	return nil
}

const subscriptionColumns = `user_id, track_id, offsets, paused, noticed, language`

func scanSubscription(r *sql.Rows) (store.Subscription, error) {
	var (
		sub     store.Subscription
		offsets string
	)
	if err := r.Scan(&sub.UserID, &sub.Track, &offsets, &sub.Paused, &sub.Noticed, &sub.Language); err != nil {
		return sub, err
	}
	var err error
	sub.Offsets, err = decodeOffsets(offsets)
	return sub, err
}

// SaveSubscription records a subscription or replaces the user's one to
// that track, paused state included.
func (s *DB) SaveSubscription(ctx context.Context, sub store.Subscription) error {
	if sub.UserID == "" || sub.Track == "" {
		return fmt.Errorf("saving subscription %+v: user and track are required", sub)
	}
	err := s.exec(ctx, s.db, `INSERT INTO subscriptions (`+subscriptionColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, track_id) DO UPDATE SET offsets = excluded.offsets,
			paused = excluded.paused, noticed = excluded.noticed, language = excluded.language`,
		sub.UserID, sub.Track, encodeOffsets(sub.Offsets), sub.Paused, sub.Noticed, sub.Language)
	if err != nil {
		return fmt.Errorf("saving the subscription of %s to %q: %w", sub.UserID, sub.Track, err)
	}
	return nil
}

// DeleteSubscription removes a user's subscription to a track and the
// pending DMs it planned; false when there was none.
func (s *DB) DeleteSubscription(ctx context.Context, userID, track string) (bool, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = s.execCount(ctx, tx, `DELETE FROM subscriptions WHERE user_id = ? AND track_id = ?`, userID, track); err != nil {
			return err
		}
		return s.exec(ctx, tx, `DELETE FROM deliveries WHERE target = ? AND state = 'pending' AND track_id = ?`, store.UserTarget(userID), track)
	})
	if err != nil {
		return false, fmt.Errorf("deleting the subscription of %s to %q: %w", userID, track, err)
	}
	return n > 0, nil
}

// Subscriptions lists a user's subscriptions, paused ones too, by track.
func (s *DB) Subscriptions(ctx context.Context, userID string) ([]store.Subscription, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+subscriptionColumns+` FROM subscriptions WHERE user_id = ? ORDER BY track_id`, userID)
	out, err := collect(rows, err, scanSubscription)
	if err != nil {
		return nil, fmt.Errorf("reading the subscriptions of %s: %w", userID, err)
	}
	return out, nil
}

// SubscriptionsOf lists the active subscriptions to a track by user.
func (s *DB) SubscriptionsOf(ctx context.Context, track string) ([]store.Subscription, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+subscriptionColumns+` FROM subscriptions WHERE track_id = ? AND paused = '' ORDER BY user_id`, track)
	out, err := collect(rows, err, scanSubscription)
	if err != nil {
		return nil, fmt.Errorf("reading the subscriptions to %q: %w", track, err)
	}
	return out, nil
}

// PauseSubscriptions pauses a user's active subscriptions (one already
// paused keeps its first reason and notice) and drops every pending DM to
// the user. A newly paused subscription is not yet noticed.
func (s *DB) PauseSubscriptions(ctx context.Context, userID, reason string) error {
	if reason == "" {
		return fmt.Errorf("pausing the DMs of %s: %w", userID, errNoReason)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := s.exec(ctx, tx, `UPDATE subscriptions SET paused = ?, noticed = FALSE WHERE user_id = ? AND paused = ''`, reason, userID)
		if err != nil {
			return err
		}
		return s.exec(ctx, tx, `DELETE FROM deliveries WHERE target = ? AND state = 'pending'`, store.UserTarget(userID))
	})
	if err != nil {
		return fmt.Errorf("pausing the DMs of %s: %w", userID, err)
	}
	return nil
}

// MarkPauseNoticed records that a user was told their DMs are paused.
func (s *DB) MarkPauseNoticed(ctx context.Context, userID string) error {
	if err := s.exec(ctx, s.db, `UPDATE subscriptions SET noticed = TRUE WHERE user_id = ? AND paused <> ''`, userID); err != nil {
		return fmt.Errorf("marking the pause of %s noticed: %w", userID, err)
	}
	return nil
}

// SaveDigest records or replaces a server's digest schedule. A zero
// UpdatedAt is stamped with the store's clock.
func (s *DB) SaveDigest(ctx context.Context, d store.Digest) error {
	if d.GuildID == "" {
		return fmt.Errorf("saving digest %+v: a server is required", d)
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = s.now()
	}
	err := s.exec(ctx, s.db, `INSERT INTO digests (guild_id, schedule, timezone, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (guild_id) DO UPDATE SET schedule = excluded.schedule, timezone = excluded.timezone, updated_at = excluded.updated_at`,
		d.GuildID, d.Schedule, d.Timezone, d.UpdatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("saving the digest of server %s: %w", d.GuildID, err)
	}
	return nil
}

// DeleteDigest removes a server's digest schedule and its pending digests.
func (s *DB) DeleteDigest(ctx context.Context, guildID string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exec(ctx, tx, `DELETE FROM digests WHERE guild_id = ?`, guildID); err != nil {
			return err
		}
		return s.exec(ctx, tx, `DELETE FROM deliveries WHERE guild_id = ? AND state = 'pending' AND kind = 'digest'`, guildID)
	})
	if err != nil {
		return fmt.Errorf("deleting the digest of server %s: %w", guildID, err)
	}
	return nil
}

// Digests lists every digest schedule by server.
func (s *DB) Digests(ctx context.Context) ([]store.Digest, error) {
	rows, err := s.query(ctx, s.db, `SELECT guild_id, schedule, timezone, updated_at FROM digests ORDER BY guild_id`)
	out, err := collect(rows, err, func(r *sql.Rows) (store.Digest, error) {
		var d store.Digest
		var updated int64
		err := r.Scan(&d.GuildID, &d.Schedule, &d.Timezone, &updated)
		d.UpdatedAt = time.UnixMilli(updated).UTC()
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading digests: %w", err)
	}
	return out, nil
}

// inTx runs fn in a transaction and commits it if fn succeeds.
func (s *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
