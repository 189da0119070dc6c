package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"talkbot/store"
)

func (c *Commands) upcoming(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	var track *trackInfo
	if strings.TrimSpace(req.Option("track")) != "" {
		t, err := c.readTrack(ctx, req)
		if err != nil {
			return Reply{}, err
		}
		track = t
	}
	id := ""
	if track != nil {
		id = track.ID
	}
	rounds, err := c.store.UpcomingRounds(ctx, id, c.now(), 20)
	if err != nil {
		return Reply{}, fmt.Errorf("upcoming rounds: %w", err)
	}
	if track == nil {
		owners, err := c.trackOwners(ctx)
		if err != nil {
			return Reply{}, err
		}
		rounds = slices.DeleteFunc(rounds, func(r store.Round) bool { return !visible(owners[r.Track], req.GuildID) })
	}
	if len(rounds) == 0 && track != nil {
		return Reply{Content: w.t("upcoming.none_in_track", "Track", track.Title, "Command", w.command("talks/next", "track:"+track.ID))}, nil
	}
	if len(rounds) == 0 {
		return Reply{Content: w.t("upcoming.none", "Command", w.command("talks/next"))}, nil
	}
	titles, err := c.trackTitlesIn(ctx, w)
	if err != nil {
		return Reply{}, err
	}
	var lines []string
	for _, r := range rounds {
		line := w.t("upcoming.line", "When", w.shortWhen(r.Starts, true), "Track", titles.of(r.Track), "Number", r.Number)
		if track != nil {
			line = w.t("upcoming.line_in_track", "When", w.shortWhen(r.Starts, true), "Number", r.Number)
		}
		if r.Venue != "" {
			line += " · " + w.venue(r)
		}
		line += " · " + w.status(r.Status)
		lines = append(lines, line)
	}
	title := w.t("upcoming.title")
	if track != nil {
		title += " · " + track.Title
	}
	b := w.embed(title, "").description(strings.Join(lines, "\n"))
	b.footer(w.t("upcoming.footer", "Command", w.command("talks/next", "track:…")))
	return embedsReply(b), nil
}
