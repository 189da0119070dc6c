package commands_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/feeds"
	"talkbot/store"
)

// feedHost stands in for the loopback server's address in golden files,
// whose port changes with every run.
const feedHost = "http://feeds.test"

const wireFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Wire &amp; Ministry News</title>
    <link>https://news.example.org/</link>
    <description>Talks coverage</description>
    <item>
      <title>Delegations agree to a second round</title>
      <link>https://news.example.org/second-round</link>
      <guid>wire-1</guid>
      <pubDate>Wed, 28 May 2025 10:00:00 GMT</pubDate>
    </item>
    <item>
      <title>Prisoner exchange completed</title>
      <link>https://news.example.org/exchange</link>
      <guid>wire-2</guid>
      <pubDate>Tue, 27 May 2025 10:00:00 GMT</pubDate>
    </item>
  </channel>
</rss>`

// feedServer serves the fixtures on loopback: a feed, a web page, a
// broken feed and a 404.
func feedServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(wireFeed))
	})
	mux.HandleFunc("/other.xml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(strings.ReplaceAll(wireFeed, "Wire &amp; Ministry News", "Other Wire")))
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><html><head><title>News</title></head><body><p>Read our feed.</p></body></html>`))
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>Unclosed</item>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

type feedFixture struct {
	*editFixture
	srv *httptest.Server
}

// newFeedFixture is the edit fixture with feeds checked by a real feeds
// client that may reach the loopback server.
func newFeedFixture(t *testing.T) *feedFixture {
	t.Helper()
	f := &feedFixture{editFixture: newEditFixture(t), srv: feedServer(t)}
	client := feeds.NewClient(feeds.ClientOptions{Version: "test", AllowPrivate: true})
	f.c = commands.New(f.s, func() time.Time { return *f.clock }, nil, commands.WithEditors([]string{globalEditor}),
		commands.WithFeedCheck(commands.FetchFeed(client)))
	return f
}

// goldenAt records an outcome with the loopback server's address replaced.
func (f *feedFixture) golden(name string, got any) {
	f.t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		f.t.Fatal(err)
	}
	golden(f.t, name, json.RawMessage(strings.ReplaceAll(string(b), f.srv.URL, feedHost)))
}

// outcome runs req and records the reply or the user error.
func (f *feedFixture) outcome(req commands.Request) outcome {
	f.t.Helper()
	return answer(f.t, f.c, req)
}

// poll records a poll of a feed, as the poller would, at the given time.
func (f *feedFixture) poll(track, feedURL string, at time.Time, r store.PollResult) {
	f.t.Helper()
	ctx := f.t.Context()
	// The claim may take other due feeds too; they are polled later, after
	// the minute's lease, or were claimed already by the same owner.
	if _, err := f.s.ClaimFeeds(ctx, "test", at, time.Minute, 100); err != nil {
		f.t.Fatal(err)
	}
	r.Track, r.URL, r.At, r.NextPoll = track, feedURL, at, at
	if _, err := f.s.FinishPoll(ctx, "test", r); err != nil {
		f.t.Fatal(err)
	}
}

// addFeed follows a feed from the store's side, due at once.
func (f *feedFixture) addFeed(track, feedURL string, keywords ...string) {
	f.t.Helper()
	at := f.clock.Add(-48 * time.Hour)
	if err := f.s.AddFeed(f.t.Context(), store.Feed{Track: track, URL: feedURL, Keywords: keywords, AddedBy: globalEditor, AddedAt: at}); err != nil {
		f.t.Fatal(err)
	}
}

func item(id, title string, published time.Time, matched bool) store.FeedItem {
	return store.FeedItem{ID: id, Title: title, Link: "https://news.example.org/" + id, Summary: "What " + title + " means.",
		Published: published, HasDate: !published.IsZero(), Matched: matched}
}

func press(user string, customID string) commands.Request {
	req, err := commands.ComponentRequest(customID)
	if err != nil {
		panic(err)
	}
	return as(user, req)
}

func TestFeedAdd(t *testing.T) {
	f := newFeedFixture(t)
	feed := f.srv.URL + "/feed.xml"
	cases := []struct {
		name string
		req  commands.Request
	}{
		{"feed_add_with_keywords", cmd("talks-edit/feed/add", "url:"+feed, "keywords:ceasefire, prisoners,, Ceasefire ")},
		{"feed_add_again_is_already_followed", cmd("talks-edit/feed/add", "url:"+feed)},
		{"feed_add_without_keywords", cmd("talks-edit/feed/add", "url:"+f.srv.URL+"/other.xml", "track:"+istanbul)},
		{"feed_add_refused_a_web_page", cmd("talks-edit/feed/add", "url:"+f.srv.URL+"/page.html")},
		{"feed_add_refused_a_broken_feed", cmd("talks-edit/feed/add", "url:"+f.srv.URL+"/broken.xml")},
		{"feed_add_refused_not_found", cmd("talks-edit/feed/add", "url:"+f.srv.URL+"/missing.xml")},
		{"feed_add_refused_a_file_url", cmd("talks-edit/feed/add", "url:file:///etc/passwd")},
		{"feed_add_refused_gopher", cmd("talks-edit/feed/add", "url:gopher://example.org/1")},
		{"feed_add_refused_empty_keywords", cmd("talks-edit/feed/add", "url:"+feed, "keywords: , ,")},
		{"feed_add_refused_a_password_in_the_url", cmd("talks-edit/feed/add", "url:https://user:secret@example.org/feed.xml")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.golden(tc.name, f.outcome(as(globalEditor, tc.req)))
		})
	}

	fs, err := f.s.FeedsOf(t.Context(), istanbul)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("after the adds the track has %d feeds, want 2: %+v", len(fs), fs)
	}
	got := fs[0]
	if got.URL != feed || got.AddedBy != globalEditor || !got.AddedAt.Equal(*f.clock) || !got.NextPoll.Equal(*f.clock) ||
		strings.Join(got.Keywords, "|") != "ceasefire|prisoners" {
		t.Errorf("saved feed = %+v; want %s added by %s now, due now, keywords ceasefire and prisoners", got, feed, globalEditor)
	}
	if len(fs[1].Keywords) != 0 {
		t.Errorf("a feed added without keywords has %q", fs[1].Keywords)
	}
}

// A feed on an internal address is refused by the production client,
// which does not allow private addresses.
func TestFeedAddRefusesInternalAddresses(t *testing.T) {
	f := newFeedFixture(t)
	f.c = commands.New(f.s, func() time.Time { return *f.clock }, nil, commands.WithEditors([]string{globalEditor}))
	f.golden("feed_add_refused_a_loopback_address", f.outcome(as(globalEditor, cmd("talks-edit/feed/add", "url:"+f.srv.URL+"/feed.xml"))))
	if fs, _ := f.s.FeedsOf(t.Context(), istanbul); len(fs) != 0 {
		t.Errorf("a refused feed was saved: %+v", fs)
	}
}

// Each way a fetch fails is said in plain words.
func TestFeedAddSaysWhyAFeedFailed(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"a timeout", &url.Error{Op: "Get", URL: "https://x.example.org/", Err: context.DeadlineExceeded}, "did not answer within 10 seconds"},
		{"a host that does not resolve", &url.Error{Op: "Get", URL: "https://x.example.org/", Err: &net.DNSError{Err: "no such host", Name: "x.example.org", IsNotFound: true}}, "names a host that does not exist"},
		{"a server error", &feeds.StatusError{Code: 503, RetryAfter: time.Minute}, "the server answered 503 Service Unavailable"},
		{"too many redirects", &url.Error{Op: "Get", URL: "https://x.example.org/", Err: feeds.ErrTooManyRedirects}, "redirects more than 5 times"},
		{"a body too large", &feeds.TooLargeError{Limit: feeds.MaxBodySize}, "larger than 5 MB"},
		{"a redirect to a blocked address", &url.Error{Op: "Get", URL: "https://x.example.org/", Err: &feeds.BlockedAddressError{Addr: "10.0.0.1", Reason: "private"}}, "not on the public internet (10.0.0.1, private)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newEditFixture(t)
			c := commands.New(f.s, func() time.Time { return *f.clock }, nil, commands.WithEditors([]string{globalEditor}),
				commands.WithFeedCheck(commands.FeedCheckFunc(func(context.Context, string) (string, int, error) { return "", 0, tc.err })))
			_, err := c.Handle(t.Context(), as(globalEditor, cmd("talks-edit/feed/add", "url:https://x.example.org/feed")))
			ue, ok := commands.AsUserError(err)
			if !ok || !strings.Contains(ue.Message, tc.want) {
				t.Errorf("got %v; want a user error saying %q", err, tc.want)
			}
		})
	}
}

// Every feed command, autocomplete and button is refused to members who
// may not edit the track: a member, and a server editor on a global track.
func TestFeedCommandsRefuseNonEditors(t *testing.T) {
	f := newFeedFixture(t)
	feed := f.srv.URL + "/feed.xml"
	f.addFeed(istanbul, feed)
	f.poll(istanbul, feed, f.clock.Add(-time.Hour), store.PollResult{Title: "Wire", Items: []store.FeedItem{item("a", "Talks resume", f.clock.Add(-2*time.Hour), true)}})
	inbox := f.ok(as(globalEditor, cmd("talks-edit/inbox")))
	use := button(t, inbox, "1 · Use as source").CustomID
	dismiss := button(t, inbox, "1 · Dismiss").CustomID
	reqs := map[string]commands.Request{
		"feed add":    cmd("talks-edit/feed/add", "url:"+feed),
		"feed list":   cmd("talks-edit/feed/list"),
		"feed remove": cmd("talks-edit/feed/remove", "url:"+feed),
		"inbox":       cmd("talks-edit/inbox"),
		"inbox page":  {Kind: commands.KindComponent, Path: "inbox", Args: []string{istanbul, "0"}},
		"use":         mustComponent(use),
		"dismiss":     mustComponent(dismiss),
	}
	for _, user := range []string{member, serverEditor, otherEditor} {
		for name, req := range reqs {
			t.Run(name+" by "+user, func(t *testing.T) {
				msg := f.refused(as(user, req))
				if !strings.Contains(msg, "TALKBOT_EDITORS") {
					t.Errorf("refusal %q does not say who may", msg)
				}
			})
		}
		t.Run("url autocomplete by "+user, func(t *testing.T) {
			req := cmd("talks-edit/feed/remove", "url:")
			req.Kind, req.Focused = commands.KindAutocomplete, "url"
			if r := f.ok(as(user, req)); len(r.Choices) != 0 {
				t.Errorf("a non-editor got choices %+v", r.Choices)
			}
		})
	}
	if page, _ := f.s.Inbox(t.Context(), istanbul, 10, 0); page.Total != 1 {
		t.Errorf("after refused clicks the inbox holds %d items, want 1", page.Total)
	}
	if fs, _ := f.s.FeedsOf(t.Context(), istanbul); len(fs) != 1 {
		t.Errorf("after refused commands the track has %d feeds, want 1", len(fs))
	}
}

func mustComponent(customID string) commands.Request {
	r, err := commands.ComponentRequest(customID)
	if err != nil {
		panic(err)
	}
	return r
}

func TestFeedListAndRemove(t *testing.T) {
	f := newFeedFixture(t)
	healthy, failing, fresh := f.srv.URL+"/feed.xml", "https://gone.example.org/rss", "https://new.example.org/atom.xml"
	f.addFeed(istanbul, healthy, "ceasefire", "prisoners")
	f.addFeed(istanbul, failing)
	f.addFeed(istanbul, fresh)
	f.poll(istanbul, failing, f.clock.Add(-30*time.Hour), store.PollResult{Err: "feeds: the server answered 503 Service Unavailable"})
	f.poll(istanbul, healthy, f.clock.Add(-time.Hour), store.PollResult{Title: "Wire & Ministry News",
		Items: []store.FeedItem{item("a", "One", f.clock.Add(-3*time.Hour), true), item("b", "Two", f.clock.Add(-4*time.Hour), false)}})
	f.poll(istanbul, failing, f.clock.Add(-time.Hour), store.PollResult{Err: "feeds: the server answered 410 Gone"})

	f.golden("feed_list", f.outcome(as(globalEditor, cmd("talks-edit/feed/list"))))

	ac := as(globalEditor, cmd("talks-edit/feed/remove", "url:gone"))
	ac.Kind, ac.Focused = commands.KindAutocomplete, "url"
	if r := f.ok(ac); len(r.Choices) != 1 || r.Choices[0].Value != failing {
		t.Errorf("url autocomplete for %q = %+v; want only %s", "gone", r.Choices, failing)
	}

	f.golden("feed_remove", f.outcome(as(globalEditor, cmd("talks-edit/feed/remove", "url:"+healthy))))
	f.golden("feed_remove_not_followed", f.outcome(as(globalEditor, cmd("talks-edit/feed/remove", "url:"+healthy))))
	if items, _ := f.s.LatestItems(t.Context(), istanbul, 10); len(items) != 0 {
		t.Errorf("the removed feed's items remain: %+v", items)
	}
	f.ok(as(globalEditor, cmd("talks-edit/feed/remove", "url:"+failing)))
	f.ok(as(globalEditor, cmd("talks-edit/feed/remove", "url:"+fresh)))
	f.golden("feed_list_none", f.outcome(as(globalEditor, cmd("talks-edit/feed/list"))))
}

func TestInbox(t *testing.T) {
	f := newFeedFixture(t)
	// Items are recorded as a poll would: no fetch, and a fixed URL keeps
	// the buttons' references the same from run to run.
	feed := "https://news.example.org/rss"
	f.golden("inbox_without_feeds", f.outcome(as(globalEditor, cmd("talks-edit/inbox"))))
	f.addFeed(istanbul, feed)
	f.golden("inbox_empty", f.outcome(as(globalEditor, cmd("talks-edit/inbox"))))

	// Six matched items, newest first a to f, one unmatched, and one whose
	// id is far longer than a custom id.
	long := strings.Repeat("x", 600)
	var items []store.FeedItem
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		items = append(items, item(id, "Report "+strings.ToUpper(id), f.clock.Add(-time.Duration(i+1)*time.Hour), true))
	}
	items = append(items, item(long, "Report with a long id", f.clock.Add(-10*time.Hour), true),
		item("skip", "Unrelated", f.clock.Add(-time.Minute), false))
	f.poll(istanbul, feed, f.clock.Add(-time.Minute), store.PollResult{Title: "Wire & Ministry News", Items: items})

	first := f.ok(as(globalEditor, cmd("talks-edit/inbox")))
	f.golden("inbox_page_1", outcome{Reply: &first})
	next := f.ok(as(globalEditor, mustComponent(button(t, first, "Next").CustomID)))
	f.golden("inbox_page_2", outcome{Reply: &next})
	if !next.Update || !strings.Contains(next.Embeds[0].Fields[1].Name, "Report with a long id") {
		t.Fatalf("page 2 = %+v; want an update showing the item with the long id", next.Embeds[0].Fields)
	}

	// Use as source on the long-id item: its button works.
	used := f.ok(as(globalEditor, mustComponent(button(t, next, "6 · Use as source").CustomID)))
	f.golden("inbox_use_as_source", outcome{Reply: &used})
	srcID := "wire-ministry-news-2025-05-29" // 22:00 UTC is the next day in Istanbul
	if !strings.Contains(used.Content, "`"+srcID+"`") {
		t.Fatalf("use as source answered %q; want source %s", used.Content, srcID)
	}
	tr, err := f.s.Track(t.Context(), istanbul)
	if err != nil {
		t.Fatal(err)
	}
	var made *store.Source
	for i := range tr.Sources {
		if tr.Sources[i].ID == srcID {
			made = &tr.Sources[i]
		}
	}
	if made == nil || made.URL != "https://news.example.org/"+long || made.Publisher != "Wire & Ministry News" ||
		made.Title != "Report with a long id" || made.Published.String() != "2025-05-29" {
		t.Fatalf("source made = %+v", made)
	}
	// The next edit finds it first as the editor types the source.
	ac := as(globalEditor, cmd("talks-edit/round/status", "number:2", "status:held", "source:"))
	ac.Kind, ac.Focused = commands.KindAutocomplete, "source"
	if r := f.ok(ac); len(r.Choices) == 0 || r.Choices[0].Value != srcID {
		t.Errorf("source autocomplete after use as source = %+v; want %s first", r.Choices, srcID)
	}
	// The change is in the history, by the editor.
	hist, err := f.s.History(t.Context(), store.HistoryQuery{Track: istanbul, Limit: 1})
	if err != nil || len(hist.Items) != 1 || hist.Items[0].Editor.ID != globalEditor {
		t.Errorf("latest change = %+v, %v; want the source by %s", hist.Items, err, globalEditor)
	}

	// A second click, as another editor would: no second source.
	f.golden("inbox_use_as_source_again", f.outcome(as(globalEditor, mustComponent(button(t, next, "6 · Use as source").CustomID))))
	tr2, _ := f.s.Track(t.Context(), istanbul)
	if len(tr2.Sources) != len(tr.Sources) {
		t.Errorf("a second click made a source: %d sources, then %d", len(tr.Sources), len(tr2.Sources))
	}

	// Dismiss the newest.
	dismissed := f.ok(as(globalEditor, mustComponent(button(t, first, "1 · Dismiss").CustomID)))
	f.golden("inbox_dismiss", outcome{Reply: &dismissed})
	f.golden("inbox_dismiss_again", f.outcome(as(globalEditor, mustComponent(button(t, first, "1 · Dismiss").CustomID))))
	f.golden("inbox_use_a_dismissed_item", f.outcome(as(globalEditor, mustComponent(button(t, first, "1 · Use as source").CustomID))))
	if page, _ := f.s.Inbox(t.Context(), istanbul, 10, 0); page.Total != 4 {
		t.Errorf("after one use and one dismissal the inbox holds %d, want 4", page.Total)
	}

	// A button for an item that no longer exists, and one of the wrong shape.
	f.golden("inbox_button_for_an_unknown_item", f.outcome(as(globalEditor, press(globalEditor, "inboxuse:"+istanbul+":0:AAAAAAAAAAAA"))))
	if msg := f.refused(as(globalEditor, press(globalEditor, "inboxdismiss:"+istanbul))); !strings.Contains(msg, "/talks-edit inbox") {
		t.Errorf("a button of the wrong shape: %q", msg)
	}
}

// Every custom id of the inbox fits Discord's 100 characters, whatever
// the items' ids and feed URLs.
func TestInboxCustomIDsFit(t *testing.T) {
	f := newFeedFixture(t)
	feed := "https://news.example.org/" + strings.Repeat("feed/", 150) + "rss"
	f.addFeed(istanbul, feed)
	var items []store.FeedItem
	for i := range 9 {
		items = append(items, item(strings.Repeat(strconv.Itoa(i), 900), strings.Repeat("Long title ", 40), f.clock.Add(-time.Duration(i+1)*time.Hour), true))
	}
	f.poll(istanbul, feed, f.clock.Add(-time.Minute), store.PollResult{Title: strings.Repeat("Publisher ", 40), Items: items})
	r := f.ok(as(globalEditor, cmd("talks-edit/inbox")))
	checkLimits(t, r)
	n := 0
	for _, row := range r.Components {
		for _, c := range row.(discordgo.ActionsRow).Components {
			b := c.(discordgo.Button)
			if len(b.CustomID) > 100 {
				t.Errorf("custom id of %d bytes: %s", len(b.CustomID), b.CustomID)
			}
			n++
		}
	}
	if n != 4*2+2 {
		t.Errorf("%d buttons; want two for each of 4 items and a pager", n)
	}
}

func TestNews(t *testing.T) {
	f := newFeedFixture(t)
	f.golden("news_without_feeds", f.outcome(cmd("talks/news")))
	feed, other := f.srv.URL+"/feed.xml", f.srv.URL+"/other.xml"
	f.addFeed(istanbul, feed)
	f.addFeed(istanbul, other)
	f.poll(istanbul, feed, f.clock.Add(-2*time.Hour), store.PollResult{Title: "Wire & Ministry News"})
	f.golden("news_with_nothing_matching", f.outcome(cmd("talks/news", "track:"+istanbul)))

	f.poll(istanbul, feed, f.clock.Add(-time.Hour), store.PollResult{Items: []store.FeedItem{
		item("a", "Delegations agree to a second round", f.clock.Add(-5*time.Hour), true),
		item("b", "Unrelated [story] about *football*", f.clock.Add(-4*time.Hour), false),
		{ID: "c", Title: "Undated @everyone note", Link: "https://news.example.org/c?q=(1)", Matched: true},
	}})
	f.poll(istanbul, other, f.clock.Add(-time.Hour), store.PollResult{Title: "Other Wire", Items: []store.FeedItem{
		item("d", "Memorandum drafts exchanged", f.clock.Add(-3*time.Hour), true),
		{ID: "e", Title: "No link here", Published: f.clock.Add(-6 * time.Hour), HasDate: true, Matched: true},
	}})
	news := f.outcome(cmd("talks/news"))
	f.golden("news", news)
	if news.Reply == nil || news.Reply.Ephemeral || strings.Contains(news.Reply.Embeds[0].Description, "football") {
		t.Errorf("news = %+v; want a public list without the unmatched item", news)
	}
	// Handled items stay news: what editors did does not change what was reported.
	if err := f.s.HandleItem(t.Context(), istanbul, feed, "a", store.HandledDismissed, globalEditor, ""); err != nil {
		t.Fatal(err)
	}
	if again := f.outcome(cmd("talks/news")); !strings.Contains(again.Reply.Embeds[0].Description, "second round") {
		t.Errorf("a dismissed item left the news: %s", again.Reply.Embeds[0].Description)
	}
}

// A source made from an old item leads the source choices all the same,
// though newer sources exist: the editor cites it next. Without a feed
// title the publisher is the item's own site.
func TestUseAsSourceLeadsTheSourceChoices(t *testing.T) {
	f := newFeedFixture(t)
	feed := "https://www.agency.example.org/rss"
	f.addFeed(istanbul, feed)
	f.poll(istanbul, feed, f.clock.Add(-time.Minute), store.PollResult{Items: []store.FeedItem{
		item("old", "An old report", time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC), true)}})
	inbox := f.ok(as(globalEditor, cmd("talks-edit/inbox")))
	used := f.ok(as(globalEditor, mustComponent(button(t, inbox, "1 · Use as source").CustomID)))
	const want = "news-example-org-2025-01-10"
	if !strings.Contains(used.Content, "`"+want+"`") || !strings.Contains(used.Content, `"news.example.org"`) {
		t.Fatalf("use as source answered %q; want source %s published by news.example.org", used.Content, want)
	}
	ac := as(globalEditor, cmd("talks-edit/statement/add", "speaker:lavrov", "source:"))
	ac.Kind, ac.Focused = commands.KindAutocomplete, "source"
	if r := f.ok(ac); len(r.Choices) < 2 || r.Choices[0].Value != want {
		t.Errorf("source choices = %+v; want %s first", r.Choices, want)
	}
}
