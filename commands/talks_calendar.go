package commands

import (
	"context"
	"fmt"
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
	if c.publicURL == "" {
		return Reply{Content: "The operator of this bot has not published the calendar feeds, so there is no address to subscribe to yet.", Ephemeral: true}, nil
	}
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	if !t.Published() {
		// Server-owned tracks stay inside their server unless made public.
		return Reply{Content: fmt.Sprintf("**%s** is this server's own track and was not made public: it is not published in a calendar. "+
			"Every shared track is in <%s/calendar.ics>.", t.Title, c.publicURL), Ephemeral: true}, nil
	}
	id := url.PathEscape(t.ID)
	return Reply{Content: fmt.Sprintf("**Calendar of %s**\n"+
		"Add this address to your calendar app (Google Calendar: Other calendars › From URL; Apple Calendar: File › New Calendar Subscription; Thunderbird: New Calendar › On the Network); it stays in sync:\n"+
		"<%s/calendar/%s.ics>\n"+
		"Every shared track in one calendar: <%s/calendar.ics>\n"+
		"The track's web page: <%s/t/%s>",
		t.Title, c.publicURL, id, c.publicURL, c.publicURL, id), Ephemeral: true}, nil
}
