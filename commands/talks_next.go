package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"talkbot/store"
)

func (c *Commands) next(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	if strings.TrimSpace(req.Option("track")) == "" {
		return c.nextAnyTrack(ctx, w, req.GuildID)
	}
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	r, err := c.store.NextRound(ctx, t.ID, c.now())
	if errors.Is(err, store.ErrNotFound) {
		return c.noneUpcoming(ctx, w, t)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("next round of %s: %w", t.ID, err)
	}
	return c.roundReplyIn(ctx, w, t, r, w.t("round.heading_next"))
}

// nextAnyTrack answers /talks next without a track: the default track is
// the one whose round comes next (see defaultTrack), so the one query that
// picks the track also finds the round.
func (c *Commands) nextAnyTrack(ctx context.Context, w words, guild string) (Reply, error) {
	r, err := c.nextVisibleRound(ctx, guild)
	id := r.Track
	if errors.Is(err, store.ErrNotFound) {
		id, err = c.latestActiveTrack(ctx, w, guild)
	}
	if err != nil {
		return Reply{}, err
	}
	t, err := c.loadTrack(ctx, id)
	if err != nil {
		return Reply{}, err
	}
	t = t.in(w.lang())
	if r.Track == "" {
		return c.noneUpcoming(ctx, w, t)
	}
	return c.roundReplyIn(ctx, w, t, r, w.t("round.heading_next"))
}

// noneUpcoming says there is no meeting ahead and shows the latest round;
// a proposal whose date has passed is called exactly that, never upcoming.
func (c *Commands) noneUpcoming(ctx context.Context, w words, t *trackInfo) (Reply, error) {
	latest, err := c.store.LatestRound(ctx, t.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{Content: w.t("next.none_no_round", "Track", t.Title)}, nil
	}
	if err != nil {
		return Reply{}, fmt.Errorf("latest round of %s: %w", t.ID, err)
	}
	var note, heading string
	switch {
	case latest.Status.Pending():
		// A proposal whose date passed is not a round that happened: the
		// reply is headed by what it was (see roundReply), not "Latest round".
		note = w.t("next.lapsed", "Track", t.Title, "Number", latest.Number,
			"Status", w.status(latest.Status), "Date", w.date(latest.Starts.Date, true))
	default:
		note = w.t("next.latest", "Track", t.Title, "Number", latest.Number,
			"Status", w.status(latest.Status), "Date", w.dateOf(latest.Starts))
		heading = w.t("round.heading_latest")
	}
	reply, err := c.roundReplyIn(ctx, w, t, latest, heading)
	reply.Content = note
	return reply, err
}

// lapsed reports whether r was still only proposed or scheduled when its
// date passed: nothing later says it happened.
func lapsed(r store.Round, now time.Time) bool {
	if !r.Status.Pending() || r.Starts.IsZero() {
		return false
	}
	_, until, err := r.Starts.Bounds()
	return err == nil && !until.After(now)
}

// lapsedHeading is how a lapsed round is named:
// "Round 2 (proposed for Monday 2 June 2025; no later report)", the day
// in the round's own timezone, as recorded (When.Date is that day).
func (w words) lapsedHeading(r store.Round) string {
	return w.t("round.lapsed", "Number", r.Number, "Status", w.status(r.Status), "Date", w.date(r.Starts.Date, true))
}

func (w words) dateOf(at store.When) string {
	if at.TimeKnown() {
		return fmt.Sprintf("<t:%d:D>", at.At.Unix())
	}
	return w.date(at.Date, true)
}
