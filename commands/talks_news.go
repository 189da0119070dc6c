package commands

import (
	"context"
	"fmt"
	"strings"
	"talkbot/store"

	"github.com/bwmarrin/discordgo"
)

// newsItems is how many items /talks news shows: a screenful of headlines.
const newsItems = 10

func (c *Commands) newsSub() subcommand {
	return subcommand{name: "news", description: "The latest news about the talks, from the feeds its editors follow",
		options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.news}
}

// news lists a track's latest matching items, each headline a link, as a
// reader would browse them; handled or not, since what editors did with an
// item does not change what was reported.
func (c *Commands) news(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	items, err := c.feeds.LatestItems(ctx, t.ID, newsItems)
	if err != nil {
		return Reply{}, err
	}
	if len(items) == 0 {
		fs, err := c.feeds.FeedsOf(ctx, t.ID)
		if err != nil {
			return Reply{}, err
		}
		if len(fs) == 0 {
			return Reply{Content: w.t("news.no_feeds", "Track", inert(t.Title), "Command", w.command("talks-edit/feed/add", "url:")), Ephemeral: true}, nil
		}
		return Reply{Content: w.n("news.nothing_matches", len(fs), "Track", inert(t.Title)), Ephemeral: true}, nil
	}
	// Each line is cut to a share of the description, so that ten long
	// headlines still all show.
	share := maxDescription/len(items) - 1
	lines := make([]string, 0, len(items))
	for _, it := range items {
		head := w.itemTitle(it)
		if link := itemLink(it); link != "" {
			head = "[" + head + "](" + link + ")"
		}
		line := "• **" + head + "**\n  " + inert(orHost(it.FeedTitle, it.FeedURL)) + ", " + w.itemWhen(it)
		if textLen(line) > share {
			// Cut the headline, never the link's target.
			line = "• **" + truncate(w.itemTitle(it), max(share-textLen(orHost(it.FeedTitle, it.FeedURL))-40, 20), "") + "**\n  " +
				inert(orHost(it.FeedTitle, it.FeedURL)) + ", " + w.itemWhen(it)
		}
		lines = append(lines, line)
	}
	b := w.embed(w.t("news.title", "Track", t.Title), "")
	b.description(strings.Join(lines, "\n"))
	b.footer(w.n("news.footer", len(items)))
	return embedsReply(b), nil
}

// itemWhen is when an item was published, or when talkbot first saw it.
func (w words) itemWhen(it store.FeedItem) string {
	if it.HasDate {
		return fmt.Sprintf("<t:%d:R>", it.Published.Unix())
	}
	return w.t("news.seen", "When", fmt.Sprintf("<t:%d:R>", it.SeenAt.Unix()))
}
