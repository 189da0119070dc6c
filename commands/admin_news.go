package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// News posts in a server's channels (issue 13): /talks-admin setup
// news:true makes a follow take its track's news feed items, and
// /talks-admin show names the feeds of those tracks that keep failing.

func newsOption() *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionBoolean, Name: "news",
		Description: "Also post the talks' news feed items here (default: no; left out, kept as it was)",
	}
}

// newsSetting reads the news option; left out, the follow keeps what it
// had (a new one takes none), so that changing the reminders does not
// switch news off.
func (c *Commands) newsSetting(ctx context.Context, req Request, channel, track string) (bool, error) {
	switch typed := strings.ToLower(strings.TrimSpace(req.Option("news"))); typed {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "":
	default:
		w := c.words(req)
		return false, &UserError{w.t("setup.error.news", "Option", w.optionName("talks-admin/setup", "news"), "Typed", echo(typed),
			"Example", w.command("talks-admin/setup", "channel:#news", "news:true"))}
	}
	follows, err := c.settings.Follows(ctx, req.GuildID)
	if err != nil {
		return false, fmt.Errorf("follows of %s: %w", req.GuildID, err)
	}
	i := slices.IndexFunc(follows, func(f store.Follow) bool { return f.ChannelID == channel && f.Track == track })
	return i >= 0 && follows[i].News, nil
}

// failingFor is how long a feed must fail before show names it: a
// publisher down for an afternoon is not worth an admin's attention.
const failingFor = 24 * time.Hour

// failingFeeds lists, for the tracks followed here with news on, the
// feeds failing for failingFor or longer.
func (c *Commands) failingFeeds(ctx context.Context, w words, follows []store.Follow, titles trackTitles) ([]string, error) {
	var tracks []string
	for _, f := range follows {
		if f.News && f.Disabled == "" && !slices.Contains(tracks, f.Track) {
			tracks = append(tracks, f.Track)
		}
	}
	var lines []string
	now := c.now()
	for _, track := range tracks {
		feeds, err := c.settings.FeedsOf(ctx, track)
		if err != nil {
			return nil, fmt.Errorf("feeds of %s: %w", track, err)
		}
		for _, f := range feeds {
			if f.FailingSince.IsZero() || now.Sub(f.FailingSince) < failingFor {
				continue
			}
			name := f.Title
			if name == "" {
				name = f.URL
			}
			lines = append(lines, w.t("show.feed_failing", "Track", titles.of(track), "Feed", echo(name),
				"Since", fmt.Sprintf("<t:%d:R>", f.FailingSince.Unix()), "Error", echo(truncate(f.LastError, 200, ""))))
		}
	}
	return lines, nil
}
