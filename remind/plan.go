package remind

import (
	"fmt"
	"slices"
	"time"

	"talkbot/store"
)

// Target is who gets a track's reminders: a server channel or a user.
type Target struct {
	ID      string // "channel:ID" or "user:ID"
	GuildID string
	RoleID  string
	Offsets []time.Duration
}

// ReminderKey names one reminder: the round, the start it was planned for,
// the offset, and whom it pings. A rescheduled meeting or a changed role
// gets new keys, so the old reminders are dropped and new ones planned.
func ReminderKey(track string, round int, start time.Time, offset time.Duration, role string) string {
	return fmt.Sprintf("reminder:%s:%d:%d:%s:%s", track, round, start.Unix(), FormatOffset(offset), role)
}

// PlanReminders returns the reminders wanted for a track's rounds at now.
//
// Rules:
//   - only proposed or scheduled rounds whose start is ahead get reminders;
//   - an offset in whole days counts calendar days in the meeting's zone (a
//     "1d" reminder for 10:00 comes at 10:00 the day before, across a DST
//     change); other offsets are exact durations;
//   - a meeting whose time is not announced gets only offsets of a day or
//     more, counted from the start of its day in its zone; shorter ones
//     wait until a time is set;
//   - a reminder is never due at or after the meeting's start (its
//     deadline); of the reminders for one target already due at now (the
//     meeting was added late, or no process ran when they were planned),
//     only the latest is kept, due now, so followers get one reminder, not
//     a burst, and it does not claim to be late. (A reminder planned while
//     running keeps its due time: if the bot is down then, it goes out
//     late, and says so.)
func PlanReminders(rounds []store.Round, targets []Target, now time.Time) ([]store.Delivery, error) {
	var out []store.Delivery
	for _, r := range rounds {
		if !r.Status.Pending() || r.Starts.IsZero() {
			continue
		}
		loc, err := time.LoadLocation(r.Starts.Zone)
		if err != nil {
			return nil, fmt.Errorf("round %d of %s: %w", r.Number, r.Track, err)
		}
		start := r.Starts.At
		if !r.Starts.TimeKnown() {
			start = r.Starts.Date.In(loc)
		}
		if !start.After(now) {
			continue
		}
		for _, t := range targets {
			var due []store.Delivery
			for _, off := range t.Offsets {
				if !r.Starts.TimeKnown() && off < day {
					continue
				}
				at := before(start, off, loc)
				if !at.Before(start) {
					continue
				}
				due = append(due, store.Delivery{
					Key:    ReminderKey(r.Track, r.Number, start, off, t.RoleID),
					Target: t.ID, Kind: store.DeliveryReminder, GuildID: t.GuildID,
					Track: r.Track, Round: r.Number, RoleID: t.RoleID,
					DueAt: at.UTC(), Deadline: start.UTC(), Payload: FormatOffset(off),
				})
			}
			out = append(out, collapsePast(due, now)...)
		}
	}
	return out, nil
}

// before is start moved back by off: whole days on the calendar in loc,
// the rest as a duration.
func before(start time.Time, off time.Duration, loc *time.Location) time.Time {
	days := int(off / day)
	rest := off % day
	return start.In(loc).AddDate(0, 0, -days).Add(-rest)
}

// collapsePast keeps, of the reminders already due at now, only the one
// due last, and makes it due now.
func collapsePast(ds []store.Delivery, now time.Time) []store.Delivery {
	latest := -1
	for i, d := range ds {
		if !d.DueAt.After(now) && (latest < 0 || d.DueAt.After(ds[latest].DueAt)) {
			latest = i
		}
	}
	if latest < 0 {
		return ds
	}
	ds[latest].DueAt = now.UTC()
	keep := ds[latest].Key // DeleteFunc moves elements as it goes
	return slices.DeleteFunc(ds, func(d store.Delivery) bool {
		return !d.DueAt.After(now) && d.Key != keep
	})
}
