package commands

import (
	"context"
	"errors"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// pager is Previous/Next buttons whose custom ids carry the page to show;
// none when everything fits on one page or the id would be too long.
func pager(prefix string, page, pages int) []discordgo.MessageComponent {
	if pages <= 1 {
		return nil
	}
	return pagerOpen(prefix, page, page+1 < pages)
}

func pagerOpen(prefix string, page int, hasNext bool) []discordgo.MessageComponent {
	if page == 0 && !hasNext {
		return nil
	}
	prev := prefix + ":" + strconv.Itoa(page-1)
	next := prefix + ":" + strconv.Itoa(page+1)
	if len(prev) > maxCustomID || len(next) > maxCustomID {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: prev, Disabled: page == 0},
		discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: next, Disabled: !hasNext},
	}}}
}

// pageButton answers a page button of a list: its custom id holds the
// track, the list's own arguments (nargs of them) and the page.
func (c *Commands) pageButton(command string, nargs int, list func(ctx context.Context, t *trackInfo, args []string, page int) (Reply, error)) handler {
	return func(ctx context.Context, req Request) (Reply, error) {
		if len(req.Args) != nargs+2 {
			return Reply{}, userErrorf("This button is out of date: run %s again.", command)
		}
		t, err := c.trackFromButton(ctx, req.Args[0], command)
		if err != nil {
			return Reply{}, err
		}
		reply, err := list(ctx, t, req.Args[1:nargs+1], pageArg(req.Args[nargs+1]))
		reply.Update = true
		return reply, err
	}
}

func pageArg(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (c *Commands) trackFromButton(ctx context.Context, id, command string) (*trackInfo, error) {
	t, err := c.loadTrack(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, userErrorf("These talks are no longer recorded: run %s again.", command)
	}
	return t, err
}
