package commands

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// inboxPerPage is how many items a page of the inbox shows: each has its
// own row of buttons, and Discord allows five rows, one of them the pager.
const inboxPerPage = 4

// maxItemSummary is how much of an item's summary a reply shows (the
// poller keeps at most 300 characters anyway).
const maxItemSummary = 300

// inboxScan is how many items one look for a button's item reads; and
// latestScan how far back a handled item is looked for, to say who
// handled it.
const (
	inboxScan  = 100
	latestScan = 500
)

// Custom id prefixes of the inbox's buttons; each carries the track, the
// page the button was on and, for an item, its reference (itemRef).
const (
	inboxPath        = "inbox"
	inboxUsePath     = "inboxuse"
	inboxDismissPath = "inboxdismiss"
)

func (c *Commands) inboxSub() subcommand {
	o := trackOption()
	o.Description = "Which talks (default: the ones with the nearest meeting)"
	return subcommand{name: "inbox", description: "News items from the track's feeds waiting for an editor: make them sources or dismiss them",
		options: []*discordgo.ApplicationCommandOption{o}, handle: c.editInbox}
}

// itemRef names an item in a custom id: item ids and feed URLs may be
// hundreds of characters, and a custom id holds 100. 72 bits of SHA-256
// tell apart the items of one track with room to spare.
func itemRef(feedURL, itemID string) string {
	sum := sha256.Sum256([]byte(feedURL + "\x00" + itemID))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

func (c *Commands) editInbox(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	return c.inboxPage(ctx, c.words(req), t, 0)
}

// inboxPage renders one page of a track's inbox. An empty inbox is an
// embed too, so that a button's update replaces the last item's page.
func (c *Commands) inboxPage(ctx context.Context, w words, t *trackInfo, page int) (Reply, error) {
	res, err := c.feeds.Inbox(ctx, t.ID, inboxPerPage, page*inboxPerPage)
	if err != nil {
		return Reply{}, err
	}
	pages := (res.Total + inboxPerPage - 1) / inboxPerPage
	if res.Total > 0 && page >= pages {
		return c.inboxPage(ctx, w, t, pages-1)
	}
	b := w.embed(w.t("inbox.title", "Track", t.Title), "")
	if res.Total == 0 {
		fs, err := c.feeds.FeedsOf(ctx, t.ID)
		if err != nil {
			return Reply{}, err
		}
		if len(fs) == 0 {
			b.description(w.t("inbox.no_feeds", "Track", inert(t.Title), "Add", w.command("talks-edit/feed/add", "url:")))
		} else {
			b.description(w.n("inbox.nothing_waits", len(fs)))
		}
		reply := embedsReply(b)
		reply.Ephemeral = true
		reply.Components = []discordgo.MessageComponent{}
		return reply, nil
	}
	var rows []discordgo.MessageComponent
	for i, it := range res.Items {
		n := strconv.Itoa(page*inboxPerPage + i + 1)
		b.field(n+". "+w.itemTitle(it), w.itemText(it, true), false)
		args := ":" + t.ID + ":" + strconv.Itoa(page) + ":" + itemRef(it.FeedURL, it.ID)
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: n + " · " + w.t("inbox.use"), Style: discordgo.PrimaryButton, CustomID: inboxUsePath + args},
			discordgo.Button{Label: n + " · " + w.t("inbox.dismiss"), Style: discordgo.SecondaryButton, CustomID: inboxDismissPath + args},
		}})
	}
	b.footer(w.n("inbox.footer", res.Total, "Page", page+1, "Pages", pages))
	reply := embedsReply(b)
	reply.Ephemeral = true
	reply.Components = append(rows, w.pager(inboxPath+":"+t.ID, page, pages)...)
	return reply, nil
}

// itemTitle is an item's title as plain text.
func itemTitle(it store.FeedItem) string { return english().itemTitle(it) }

func (w words) itemTitle(it store.FeedItem) string {
	if strings.TrimSpace(it.Title) == "" {
		return w.t("inbox.untitled")
	}
	return inert(it.Title)
}

// itemText is an item's publisher, time and link, and with summary its
// summary too.
func (w words) itemText(it store.FeedItem, summary bool) string {
	line := inert(orHost(it.FeedTitle, it.FeedURL)) + " · " + w.itemWhen(it)
	if link := itemLink(it); link != "" {
		line += " · [" + w.t("inbox.read") + "](" + link + ")"
	}
	if s := strings.TrimSpace(it.Summary); summary && s != "" {
		line += "\n" + quote(truncate(inert(s), maxItemSummary, ""))
	}
	return line
}

// itemLink is an item's link fit for markdown, or "" when it has none an
// editor should follow: only http(s), and with the characters that would
// end a markdown link escaped.
func itemLink(it store.FeedItem) string {
	u, err := checkURL("link", it.Link)
	if err != nil {
		return ""
	}
	return strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(u)
}

// inboxButton answers the inbox's Previous and Next: args are the track
// and the page.
func (c *Commands) inboxButton(ctx context.Context, req Request) (Reply, error) {
	if len(req.Args) != 2 {
		return Reply{}, sayError("inbox.button_out_of_date", "Inbox", cmdOf("talks-edit/inbox"))
	}
	t, err := c.editTrackByID(ctx, req, req.Args[0])
	if err != nil {
		return Reply{}, err
	}
	reply, err := c.inboxPage(ctx, c.words(req), t, pageArg(req.Args[1]))
	reply.Update = true
	return reply, err
}

// inboxItem reads an item button's args (track, page, ref), checks the
// editor, and finds the item among the inbox's.
func (c *Commands) inboxItem(ctx context.Context, req Request) (*trackInfo, int, store.FeedItem, error) {
	if len(req.Args) != 3 {
		return nil, 0, store.FeedItem{}, sayError("inbox.button_out_of_date", "Inbox", cmdOf("talks-edit/inbox"))
	}
	t, err := c.editTrackByID(ctx, req, req.Args[0])
	if err != nil {
		return nil, 0, store.FeedItem{}, err
	}
	page, ref := pageArg(req.Args[1]), req.Args[2]
	for offset := 0; ; offset += inboxScan {
		res, err := c.feeds.Inbox(ctx, t.ID, inboxScan, offset)
		if err != nil {
			return nil, 0, store.FeedItem{}, err
		}
		for _, it := range res.Items {
			if itemRef(it.FeedURL, it.ID) == ref {
				return t, page, it, nil
			}
		}
		if offset+inboxScan >= res.Total {
			break
		}
	}
	// Not waiting: say who handled it, if it is still recorded.
	latest, err := c.feeds.LatestItems(ctx, t.ID, latestScan)
	if err != nil {
		return nil, 0, store.FeedItem{}, err
	}
	for _, it := range latest {
		if itemRef(it.FeedURL, it.ID) == ref && it.Handled != store.HandledNone {
			return nil, 0, store.FeedItem{}, handledError(&store.HandledError{Handled: it.Handled, By: it.HandledBy, SourceID: it.SourceID})
		}
	}
	return nil, 0, store.FeedItem{}, sayError("inbox.item_gone", "Inbox", cmdOf("talks-edit/inbox"))
}

// handledError tells an editor that someone handled the item first.
func handledError(he *store.HandledError) error {
	who := "<@" + he.By + ">"
	if he.Handled == store.HandledSource {
		return sayError("inbox.already_source", "Source", he.SourceID, "Who", who, "Edit", cmdOf("talks-edit"))
	}
	return sayError("inbox.already_dismissed", "Who", who)
}

// inboxUse makes an item a source of the track, through the edit path
// (with its history), and marks the item used. An item whose link the
// track already has as a source is marked with that source: a second
// click never makes a second source.
func (c *Commands) inboxUse(ctx context.Context, req Request) (Reply, error) {
	t, page, it, err := c.inboxItem(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	link, err := checkURL("link", it.Link)
	if err != nil {
		return Reply{}, sayError("inbox.no_link", "Add", cmdOf("talks-edit/source/add"))
	}
	src, existed := sourceByURL(t, link)
	if !existed {
		src = itemSource(t, it, link)
		version, err := c.edits.Version(ctx, store.Entity{Kind: store.EntitySource, Track: t.ID, Key: src.ID})
		if err != nil {
			return Reply{}, err
		}
		e := store.Edit{Editor: editor(req), Base: version, New: true, Source: src.ID, SourceDoc: &src, TrackID: t.ID}
		if _, err := c.edits.ApplyEdit(ctx, e); err != nil {
			return Reply{}, editError(t, err)
		}
	}
	if err := c.handleItem(ctx, t, it, store.HandledSource, req.UserID, src.ID); err != nil {
		return Reply{}, err
	}
	w := c.words(req)
	what := w.t("inbox.made_source", "Source", src.ID, "Line", sourceLine(src), "Edit", w.command("talks-edit"))
	if existed {
		what = w.t("inbox.had_source", "Source", src.ID, "Line", sourceLine(src), "Edit", w.command("talks-edit"))
	}
	return c.afterHandling(ctx, w, t, page, what)
}

// inboxDismiss marks an item not worth a source.
func (c *Commands) inboxDismiss(ctx context.Context, req Request) (Reply, error) {
	t, page, it, err := c.inboxItem(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	if err := c.handleItem(ctx, t, it, store.HandledDismissed, req.UserID, ""); err != nil {
		return Reply{}, err
	}
	w := c.words(req)
	return c.afterHandling(ctx, w, t, page, w.t("inbox.dismissed", "Title", w.itemTitle(it)))
}

// handleItem records what the editor did; a race lost to another editor
// says who won.
func (c *Commands) handleItem(ctx context.Context, t *trackInfo, it store.FeedItem, handled, by, sourceID string) error {
	err := c.feeds.HandleItem(ctx, t.ID, it.FeedURL, it.ID, handled, by, sourceID)
	var he *store.HandledError
	switch {
	case errors.As(err, &he):
		return handledError(he)
	case errors.Is(err, store.ErrNotFound):
		return sayError("inbox.item_gone", "Inbox", cmdOf("talks-edit/inbox"))
	}
	return err
}

// afterHandling shows the inbox's page again, without the item handled,
// under what was done.
func (c *Commands) afterHandling(ctx context.Context, w words, t *trackInfo, page int, done string) (Reply, error) {
	reply, err := c.inboxPage(ctx, w, t, page)
	if err != nil {
		return Reply{}, err
	}
	reply.Content, reply.Update = done, true
	return reply, nil
}

// itemSource is the source an item becomes: its link, the feed's title as
// publisher, its title, and the day it was published in the track's zone.
func itemSource(t *trackInfo, it store.FeedItem, link string) store.Source {
	publisher := oneLine(it.FeedTitle)
	if publisher == "" {
		if u, err := url.Parse(link); err == nil {
			publisher = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	title := oneLine(it.Title)
	if title == "" {
		title = link
	}
	var published store.Date
	day := ""
	if it.HasDate {
		loc, err := time.LoadLocation(t.Timezone)
		if err != nil {
			loc = time.UTC
		}
		published = store.DateOf(it.Published.In(loc))
		day = published.String()
	}
	return store.Source{
		ID:        newSourceID(t, publisher, day),
		Publisher: truncate(publisher, maxNameLength, ""),
		Title:     truncate(title, maxTitleLength, ""),
		URL:       link,
		Published: published,
	}
}

// oneLine is text from a feed on one line, without control characters.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || (r < 0x20) || r == 0x7f
	}), " ")
}
