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
	if strings.TrimSpace(req.Option("track")) == "" {
		return c.nextAnyTrack(ctx, req.GuildID)
	}
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	r, err := c.store.NextRound(ctx, t.ID, c.now())
	if errors.Is(err, store.ErrNotFound) {
		return c.noneUpcoming(ctx, t)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("next round of %s: %w", t.ID, err)
	}
	return c.roundReply(ctx, t, r, "Next meeting")
}

// nextAnyTrack answers /talks next without a track: the default track is
// the one whose round comes next (see defaultTrack), so the one query that
// picks the track also finds the round.
func (c *Commands) nextAnyTrack(ctx context.Context, guild string) (Reply, error) {
	r, err := c.nextVisibleRound(ctx, guild)
	id := r.Track
	if errors.Is(err, store.ErrNotFound) {
		id, err = c.latestActiveTrack(ctx, guild)
	}
	if err != nil {
		return Reply{}, err
	}
	t, err := c.loadTrack(ctx, id)
	if err != nil {
		return Reply{}, err
	}
	if r.Track == "" {
		return c.noneUpcoming(ctx, t)
	}
	return c.roundReply(ctx, t, r, "Next meeting")
}

// noneUpcoming says there is no meeting ahead and shows the latest round;
// a proposal whose date has passed is called exactly that, never upcoming.
func (c *Commands) noneUpcoming(ctx context.Context, t *trackInfo) (Reply, error) {
	latest, err := c.store.LatestRound(ctx, t.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{Content: fmt.Sprintf("No meeting is scheduled in **%s**, and no round is recorded yet.", t.Title)}, nil
	}
	if err != nil {
		return Reply{}, fmt.Errorf("latest round of %s: %w", t.ID, err)
	}
	var note, heading string
	switch {
	case latest.Status.Pending():
		// A proposal whose date passed is not a round that happened: the
		// reply is headed by what it was (see roundReply), not "Latest round".
		note = fmt.Sprintf("No meeting is scheduled in **%s**. Round %d was %s for %s; that date has passed with no later report.",
			t.Title, latest.Number, latest.Status, roundDate(latest.Starts))
	default:
		note = fmt.Sprintf("No meeting is scheduled in **%s**. The latest round is round %d (%s, %s).",
			t.Title, latest.Number, latest.Status, dateOf(latest.Starts))
		heading = "Latest round"
	}
	reply, err := c.roundReply(ctx, t, latest, heading)
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

// roundDate is the day of a start in the round's own timezone, as
// recorded (When.Date is that day): "Monday 2 June 2025".
func roundDate(w store.When) string { return formatDate(w.Date, true) }

// lapsedHeading is how a lapsed round is named:
// "Round 2 (proposed for Monday 2 June 2025; no later report)".
func lapsedHeading(r store.Round) string {
	return fmt.Sprintf("Round %d (%s for %s; no later report)", r.Number, r.Status, roundDate(r.Starts))
}

func dateOf(w store.When) string {
	if w.TimeKnown() {
		return fmt.Sprintf("<t:%d:D>", w.At.Unix())
	}
	return formatDate(w.Date, true)
}
