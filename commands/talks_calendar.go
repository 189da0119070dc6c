package commands

import (
	"context"
	"net/url"

	"github.com/bwmarrin/discordgo"
)

func (c *Commands) calendarSub() subcommand {
	return subcommand{name: "calendar", description: "The address to subscribe to in your calendar app",
		options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.calendar}
}

// calendar gives the feed's address; the web edge (package web) serves it
// at PUBLIC_URL, which only the operator knows.
func (c *Commands) calendar(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	if c.publicURL == "" {
		return Reply{Content: w.t("calendar.unpublished"), Ephemeral: true}, nil
	}
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	if !t.Published() {
		// Server-owned tracks stay inside their server unless made public.
		return Reply{Content: w.t("calendar.not_public", "Track", t.Title, "All", c.publicURL+"/calendar.ics"), Ephemeral: true}, nil
	}
	id := url.PathEscape(t.ID)
	return Reply{Content: w.t("calendar.feed", "Track", t.Title, "Feed", c.publicURL+"/calendar/"+id+".ics",
		"All", c.publicURL+"/calendar.ics", "Page", c.publicURL+"/t/"+id), Ephemeral: true}, nil
}
