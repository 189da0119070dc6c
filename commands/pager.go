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
// pager's buttons are in English, words.pager's in the reader's language.
func pager(prefix string, page, pages int) []discordgo.MessageComponent {
	return english().pager(prefix, page, pages)
}

func (w words) pager(prefix string, page, pages int) []discordgo.MessageComponent {
	if pages <= 1 {
		return nil
	}
	return w.pagerOpen(prefix, page, page+1 < pages)
}

func (w words) pagerOpen(prefix string, page int, hasNext bool) []discordgo.MessageComponent {
	if page == 0 && !hasNext {
		return nil
	}
	prev := prefix + ":" + strconv.Itoa(page-1)
	next := prefix + ":" + strconv.Itoa(page+1)
	if len(prev) > maxCustomID || len(next) > maxCustomID {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: w.t("pager.previous"), Style: discordgo.SecondaryButton, CustomID: prev, Disabled: page == 0},
		discordgo.Button{Label: w.t("pager.next"), Style: discordgo.SecondaryButton, CustomID: next, Disabled: !hasNext},
	}}}
}

// pageButton answers a page button of a list: its custom id holds the
// track, the list's own arguments (nargs of them) and the page. command is
// the list's path ("talks/rounds"), named to the reader when the button is
// out of date.
func (c *Commands) pageButton(command string, nargs int, list func(ctx context.Context, w words, t *trackInfo, args []string, page int) (Reply, error)) handler {
	return func(ctx context.Context, req Request) (Reply, error) {
		w := c.words(req)
		if len(req.Args) != nargs+2 {
			return Reply{}, &UserError{w.t("error.button_out_of_date", "Command", w.command(command))}
		}
		t, err := c.loadTrack(ctx, req.Args[0])
		if errors.Is(err, store.ErrNotFound) {
			return Reply{}, &UserError{w.t("error.button_track_gone", "Command", w.command(command))}
		}
		if err != nil {
			return Reply{}, err
		}
		reply, err := list(ctx, w, t.in(w.lang()), req.Args[1:nargs+1], pageArg(req.Args[nargs+1]))
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
