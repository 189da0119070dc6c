package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/dataset"
	"talkbot/feeds"
	"talkbot/i18n"
	"talkbot/store"
)

// Feeds is what /talks-edit feed, /talks-edit inbox and /talks news read
// and write: a track's feeds and the items they brought.
type Feeds interface {
	AddFeed(ctx context.Context, f store.Feed) error
	RemoveFeed(ctx context.Context, track, url string) (bool, error)
	FeedsOf(ctx context.Context, track string) ([]store.Feed, error)
	Inbox(ctx context.Context, track string, limit, offset int) (store.Page[store.FeedItem], error)
	HandleItem(ctx context.Context, track, feedURL, itemID, handled, by, sourceID string) error
	LatestItems(ctx context.Context, track string, limit int) ([]store.FeedItem, error)
}

// FeedChecker fetches a feed once, before it is followed, so that an
// address that does not answer with a feed is refused while the editor is
// still there to fix it.
type FeedChecker interface {
	FeedCheck(ctx context.Context, url string) (title string, items int, err error)
}

// FeedCheckFunc is a FeedChecker as a plain function.
type FeedCheckFunc func(ctx context.Context, url string) (string, int, error)

// FeedCheck calls f.
func (f FeedCheckFunc) FeedCheck(ctx context.Context, url string) (string, int, error) {
	return f(ctx, url)
}

// FetchFeed checks feeds with feeds.Fetch through client, which should be
// feeds.NewClient's: the URL is typed by a user, so the client must refuse
// internal addresses.
func FetchFeed(client *http.Client) FeedChecker {
	return FeedCheckFunc(func(ctx context.Context, url string) (string, int, error) {
		res, err := feeds.Fetch(ctx, client, url, feeds.Conditional{})
		if err != nil {
			return "", 0, err
		}
		return res.Title, len(res.Items), nil
	})
}

// WithFeedCheck sets how /talks-edit feed add checks a feed; without it,
// feeds.NewClient's defaults (public addresses only) are used.
func WithFeedCheck(fc FeedChecker) Option { return func(c *Commands) { c.feedCheck = fc } }

// Limits on the keywords of a feed: enough for any topic, short enough
// that the list fits a reply.
const (
	maxKeywords      = 20
	maxKeywordLength = 60
	maxKeywordsTyped = 600
)

// failingAfter is how long a feed fails before the list calls it failing
// (the 24 hours): a few failed polls are routine on the web.
const failingAfter = 24 * time.Hour

func (c *Commands) feedSubs(track func() *discordgo.ApplicationCommandOption) []subcommand {
	urlOpt := func(desc string, complete bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: desc,
			Required: true, Autocomplete: complete, MaxLength: maxURLLength}
	}
	return []subcommand{
		{group: "feed", name: "add", description: "Follow an RSS, Atom or JSON feed: its matching items reach the inbox and news",
			options: []*discordgo.ApplicationCommandOption{
				urlOpt("The feed's http(s) address", false),
				track(),
				{Type: discordgo.ApplicationCommandOptionString, Name: "keywords", MaxLength: maxKeywordsTyped,
					Description: "Only items that mention one of these, comma-separated, e.g. ceasefire, prisoners (default: all)"},
			}, handle: c.editFeedAdd},
		{group: "feed", name: "list", description: "The feeds the track follows, with when each was last read and any error",
			options: []*discordgo.ApplicationCommandOption{track()}, handle: c.editFeedList},
		{group: "feed", name: "remove", description: "Stop following a feed; the items it brought go with it",
			options: []*discordgo.ApplicationCommandOption{urlOpt("The feed's address, as /talks-edit feed list shows it", true), track()},
			handle:  c.editFeedRemove},
	}
}

// parseKeywords reads a comma-separated list: each keyword trimmed, blanks
// and repeats (ignoring case) dropped. A list that names nothing is an
// error: "no keywords" is said by leaving the option out.
func parseKeywords(typed string) ([]string, error) {
	if strings.TrimSpace(typed) == "" {
		return nil, nil
	}
	if n := textLen(typed); n > maxKeywordsTyped {
		return nil, fieldSay("keywords", "field.too_long", "Length", n, "Max", maxKeywordsTyped)
	}
	var out []string
	seen := map[string]bool{}
	for _, k := range strings.Split(typed, ",") {
		k = strings.Join(strings.Fields(k), " ")
		if k == "" || seen[strings.ToLower(k)] {
			continue
		}
		if controlChar(k, false) >= 0 {
			return nil, fieldSay("keywords", "field.keyword_control", "Typed", echo(k))
		}
		if textLen(k) > maxKeywordLength {
			return nil, fieldSay("keywords", "field.keyword_too_long", "Typed", echo(k), "Max", maxKeywordLength)
		}
		seen[strings.ToLower(k)] = true
		out = append(out, k)
	}
	switch {
	case len(out) == 0:
		return nil, fieldSay("keywords", "field.no_keyword")
	case len(out) > maxKeywords:
		return nil, fieldSay("keywords", "field.too_many_keywords", "Count", len(out), "Max", maxKeywords)
	}
	return out, nil
}

// editFeedAdd follows a feed after one fetch shows that it is one.
func (c *Commands) editFeedAdd(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	u, err := checkURL("url", req.Option("url"))
	if err != nil {
		return Reply{}, optionError(err)
	}
	// The export must stay a file that check accepts.
	if problem := dataset.FeedURLProblem(u); problem != "" {
		return Reply{}, sayError("edit.option_refused", "Option", "url", "Reason", problem)
	}
	keywords, err := parseKeywords(req.Option("keywords"))
	if err != nil {
		return Reply{}, optionError(err)
	}
	// A repeat is refused before the fetch: nothing to wait for.
	existing, err := c.feeds.FeedsOf(ctx, t.ID)
	if err != nil {
		return Reply{}, err
	}
	for _, f := range existing {
		if f.URL == u {
			return Reply{}, alreadyFollowed(t, u)
		}
	}
	w := c.words(req)
	title, items, err := c.feedCheck.FeedCheck(ctx, u)
	if err != nil {
		if ctx.Err() != nil {
			return Reply{}, ctx.Err() // the interaction ended, not the feed
		}
		return Reply{}, sayError("feed.not_followed", "URL", echo(u), "Why", feedRefusal(err))
	}
	now := c.now()
	err = c.feeds.AddFeed(ctx, store.Feed{Track: t.ID, URL: u, Keywords: keywords, AddedBy: req.UserID, AddedAt: now, NextPoll: now})
	switch {
	case errors.Is(err, store.ErrExists):
		return Reply{}, alreadyFollowed(t, u)
	case errors.Is(err, store.ErrNotFound):
		return Reply{}, sayError("edit.track_gone")
	case err != nil:
		return Reply{}, err
	}
	kept := w.t("feed.keeping_all")
	if len(keywords) > 0 {
		kept = w.t("feed.keeping", "Keywords", w.orList(keywordList(keywords)))
	}
	msg := w.t("feed.following", "Feed", inert(orHost(title, u)), "URL", u, "Track", inert(t.Title), "Kept", kept) + " " +
		w.n("feed.not_posted", items, "Inbox", w.command("talks-edit/inbox"), "List", w.command("talks-edit/feed/list"))
	return Reply{Content: msg, Ephemeral: true}, nil
}

func alreadyFollowed(t *trackInfo, u string) error {
	return sayError("feed.already", "Track", t.Title, "URL", u, "List", cmdOf("talks-edit/feed/list"), "Remove", cmdOf("talks-edit/feed/remove"))
}

// feedRefusal says in plain words why a feed could not be followed.
func feedRefusal(err error) phrase {
	var (
		scheme   *feeds.SchemeError
		blocked  *feeds.BlockedAddressError
		status   *feeds.StatusError
		tooLarge *feeds.TooLargeError
		notFeed  *feeds.NotFeedError
		dns      *net.DNSError
		netErr   net.Error
	)
	switch {
	case errors.As(err, &scheme):
		return say("feed.why.scheme")
	case errors.As(err, &blocked):
		return say("feed.why.blocked", "Addr", blocked.Addr, "Reason", blockedWhy(blocked.Reason))
	case errors.Is(err, feeds.ErrTooManyRedirects):
		return say("feed.why.redirects", "Max", feeds.MaxRedirects)
	case errors.As(err, &status) && status.Code == http.StatusNotFound:
		return say("feed.why.not_found", "Hint", feedHint)
	case errors.As(err, &status):
		return say("feed.why.status", "Code", status.Code, "Status", http.StatusText(status.Code))
	case errors.As(err, &tooLarge):
		return say("feed.why.too_large", "MB", tooLarge.Limit>>20)
	case errors.As(err, &notFeed):
		return say("feed.why.not_a_feed", "Reason", libText{inert(truncate(notFeed.Reason, 200, "")), notFeed.Reason}, "Hint", feedHint)
	case errors.As(err, &dns):
		return say("feed.why.dns")
	case errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return say("feed.why.timeout", "Seconds", int(feeds.DefaultTimeout/time.Second))
	}
	raw := strings.TrimPrefix(err.Error(), "feeds: ")
	return say("feed.why.unreachable", "Error", libText{inert(truncate(raw, 200, "")), raw})
}

// feedHint is where a feed is usually found, for an address that served
// something else.
var feedHint = say("feed.hint")

// keywordList shows keywords as typed, each in quotes.
func keywordList(keywords []string) string {
	out := make([]string, len(keywords))
	for i, k := range keywords {
		out[i] = echo(k)
	}
	return strings.Join(out, ", ")
}

// orList joins a list as prose: "a", "a or b", "a, b or c".
func (w words) orList(list string) string {
	if i := strings.LastIndex(list, ", "); i >= 0 {
		return w.t("list.or", "List", list[:i], "Last", list[i+2:])
	}
	return list
}

// orHost is a feed's title, else its URL's host, for a feed not yet read.
func orHost(title, u string) string {
	if strings.TrimSpace(title) != "" {
		return title
	}
	if p, err := url.Parse(u); err == nil && p.Hostname() != "" {
		return strings.TrimPrefix(p.Hostname(), "www.")
	}
	return u
}

// editFeedList shows a track's feeds and how each is doing.
func (c *Commands) editFeedList(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	fs, err := c.feeds.FeedsOf(ctx, t.ID)
	if err != nil {
		return Reply{}, err
	}
	w := c.words(req)
	if len(fs) == 0 {
		return Reply{Content: w.t("feed.none", "Track", inert(t.Title), "Add", w.command("talks-edit/feed/add", "url:")), Ephemeral: true}, nil
	}
	now := c.now()
	b := w.embed(w.t("feed.list.title", "Track", t.Title), "")
	for _, f := range fs {
		var lines []string
		lines = append(lines, f.URL)
		if len(f.Keywords) > 0 {
			lines = append(lines, w.t("feed.list.keywords", "Keywords", keywordList(f.Keywords)))
		} else {
			lines = append(lines, w.t("feed.list.no_keywords"))
		}
		read := w.t("feed.list.never")
		if !f.LastSuccess.IsZero() {
			read = fmt.Sprintf("<t:%d:R>", f.LastSuccess.Unix())
		}
		lines = append(lines, w.n("feed.list.read", f.ItemsSeen, "Read", read))
		if !f.FailingSince.IsZero() && now.Sub(f.FailingSince) >= failingAfter {
			lines = append(lines, w.t("feed.list.failing", "Since", f.FailingSince.Unix()))
		}
		if f.LastError != "" {
			last := strings.TrimPrefix(f.LastError, "feeds: ")
			shown := inert(truncate(last, 300, ""))
			if w.lang() != i18n.English {
				// The feed client's English, quoted for passing on.
				shown = echoCode(last)
			}
			lines = append(lines, w.t("feed.list.error", "Error", shown))
		}
		b.field(orHost(f.Title, f.URL), strings.Join(lines, "\n"), false)
	}
	b.footer(w.n("feed.list.footer", len(fs), "Inbox", w.command("talks-edit/inbox")))
	reply := embedsReply(b)
	reply.Ephemeral = true
	return reply, nil
}

// editFeedRemove stops following a feed.
func (c *Commands) editFeedRemove(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	typed := strings.TrimSpace(req.Option("url"))
	fs, err := c.feeds.FeedsOf(ctx, t.ID)
	if err != nil {
		return Reply{}, err
	}
	var found *store.Feed
	for i := range fs {
		if fs[i].URL == typed {
			found = &fs[i]
		}
	}
	if found == nil {
		if len(fs) == 0 {
			return Reply{}, sayError("feed.none_to_remove", "Track", t.Title)
		}
		return Reply{}, sayError("feed.not_following", "Track", t.Title, "Typed", echo(typed), "List", cmdOf("talks-edit/feed/list"))
	}
	ok, err := c.feeds.RemoveFeed(ctx, t.ID, found.URL)
	if err != nil {
		return Reply{}, err
	}
	if !ok { // removed meanwhile by another editor
		return Reply{}, sayError("feed.no_longer", "Track", t.Title, "Typed", echo(typed), "List", cmdOf("talks-edit/feed/list"))
	}
	return Reply{Content: c.words(req).n("feed.removed", found.ItemsSeen, "Feed", inert(orHost(found.Title, found.URL)), "URL", found.URL, "Track", inert(t.Title)), Ephemeral: true}, nil
}

// completeFeedURLs offers the track's feeds, matching what was typed in
// the URL or title. A URL longer than a choice's value allows cannot be
// offered; it can still be pasted.
func (c *Commands) completeFeedURLs(ctx context.Context, req Request, typed string) ([]store.Choice, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return nil, err
	}
	fs, err := c.feeds.FeedsOf(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	low := strings.ToLower(strings.TrimSpace(typed))
	var out []store.Choice
	for _, f := range fs {
		if len(f.URL) > maxChoiceValue {
			continue
		}
		if low == "" || strings.Contains(strings.ToLower(f.URL+" "+f.Title), low) {
			out = append(out, store.Choice{Name: orHost(f.Title, f.URL) + " · " + f.URL, Value: f.URL})
		}
	}
	return out, nil
}

// blockedWhy is the kind of address feeds refuses ("loopback",
// "private"): English reads the feeds package's word, other languages
// their own (feed.blocked.*), or that word when the catalog lacks it.
type blockedWhy string

func (b blockedWhy) in(w words) string {
	if w.lang() != i18n.English {
		if s, ok := w.l.Lookup("feed.blocked." + strings.ReplaceAll(string(b), " ", "_")); ok {
			return s
		}
	}
	return string(b)
}
