package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"talkbot/store"
)

func (c *Commands) upcoming(ctx context.Context, req Request) (Reply, error) {
	var track *trackInfo
	if strings.TrimSpace(req.Option("track")) != "" {
		t, err := c.track(ctx, req)
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
		return Reply{Content: fmt.Sprintf("No meeting is scheduled in **%s**. `/talks next track:%s` shows the latest round or proposal.", track.Title, track.ID)}, nil
	}
	if len(rounds) == 0 {
		return Reply{Content: "No meeting is scheduled in any of the talks. `/talks next` shows the latest round or proposal."}, nil
	}
	titles, err := c.trackTitles(ctx)
	if err != nil {
		return Reply{}, err
	}
	var lines []string
	for _, r := range rounds {
		line := fmt.Sprintf("%s · **%s**, round %d", shortWhen(r.Starts, true), titles.of(r.Track), r.Number)
		if track != nil {
			line = fmt.Sprintf("%s · round %d", shortWhen(r.Starts, true), r.Number)
		}
		if r.Venue != "" {
			line += " · " + r.Venue
		}
		line += " · " + string(r.Status)
		lines = append(lines, line)
	}
	title := "Upcoming meetings"
	if track != nil {
		title += " · " + track.Title
	}
	b := newEmbed(title, "").description(strings.Join(lines, "\n"))
	b.footer("Soonest first · /talks next track:… for details")
	return embedsReply(b), nil
}
