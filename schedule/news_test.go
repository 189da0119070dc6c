package schedule_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/feeds"
	"talkbot/newsdesk"
	"talkbot/schedule"
	"talkbot/store"
)

// shifted is the wall clock moved ahead by hand, so that a test can jump
// to a feed's next poll while the scheduler runs in real time.
type shifted struct{ by atomic.Int64 }

func (s *shifted) now() time.Time      { return time.Now().Add(time.Duration(s.by.Load())) }
func (s *shifted) add(d time.Duration) { s.by.Add(int64(d)) }
func newsFeedServer(t *testing.T) (*httptest.Server, func(string)) {
	t.Helper()
	var mu sync.Mutex
	body := `<rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link></channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, func(b string) { mu.Lock(); defer mu.Unlock(); body = b }
}

// News goes out through the outbox: once to each channel with news on,
// pinging nobody even when the follow has a role and the item names
// @everyone; and not again after a restart of the poller and scheduler.
func TestNewsIsPostedOnceToEachNewsChannel(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			clk := &shifted{}
			s := e.open(t, clk.now)
			fake := discordtest.New(t)
			importTracks(t, s, trackOf("fan"))
			on1 := store.Follow{GuildID: guildID(1), ChannelID: channelID(1), Track: "fan", RoleID: roleID(1), News: true}
			on2 := store.Follow{GuildID: guildID(2), ChannelID: channelID(2), Track: "fan", News: true}
			off := store.Follow{GuildID: guildID(1), ChannelID: channelID(3), Track: "fan", RoleID: roleID(1)}
			for _, f := range []store.Follow{on1, on2, off} {
				saveFollow(t, s, f)
			}
			srv, setBody := newsFeedServer(t)
			if err := s.AddFeed(t.Context(), store.Feed{Track: "fan", URL: srv.URL + "/feed", AddedAt: clk.now()}); err != nil {
				t.Fatal(err)
			}
			poller := func() *newsdesk.Poller {
				client := feeds.NewClient(feeds.ClientOptions{Version: "test", AllowPrivate: true})
				t.Cleanup(client.CloseIdleConnections)
				return newsdesk.New(s, client, clk.now, slog.New(slog.DiscardHandler), newsdesk.Options{Interval: time.Minute})
			}
			run := func(p *newsdesk.Poller) {
				t.Helper()
				if _, err := p.Round(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			p := poller()
			run(p) // the first fetch: an empty feed
			published := clk.now().Add(time.Second).UTC()
			setBody(fmt.Sprintf(`<rss version="2.0"><channel><title>Wire</title><item><guid>n1</guid>
				<title>Round 3 confirmed @everyone</title><link>https://wire.example.org/n1</link>
				<description>&lt;p&gt;Both delegations &lt;b&gt;confirmed&lt;/b&gt;.&lt;/p&gt;</description><pubDate>%s</pubDate></item></channel></rss>`,
				published.Format(time.RFC1123Z)))
			clk.add(2 * time.Minute)
			run(p)

			r := start(t, s, newSender(t, fake, via{}), clk.now, schedule.Options{})
			waitFor(t, 20*time.Second, "news posted to both channels", func() bool { return r.obs.count("news", "sent") >= 2 })
			for _, ch := range []string{channelID(1), channelID(2)} {
				reqs := posts(fake)[ch]
				if len(reqs) != 1 {
					t.Fatalf("channel %s got %d message requests; want 1", ch, len(reqs))
				}
				nonceOf(t, reqs[0])
				var body struct {
					Content         string `json:"content"`
					AllowedMentions struct {
						Parse []string `json:"parse"`
						Roles []string `json:"roles"`
					} `json:"allowed_mentions"`
					Embeds []struct {
						Title, URL, Description string
					} `json:"embeds"`
				}
				if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
					t.Fatal(err)
				}
				if len(body.AllowedMentions.Parse) != 0 || len(body.AllowedMentions.Roles) != 0 || body.AllowedMentions.Parse == nil {
					t.Errorf("the news post to %s allows mentions %+v; want parse [] and no roles: %s", ch, body.AllowedMentions, reqs[0].Body)
				}
				if len(body.Embeds) != 1 || body.Embeds[0].URL != "https://wire.example.org/n1" || body.Embeds[0].Title != "Round 3 confirmed @everyone" {
					t.Errorf("the news post to %s is %s; want the item's title linking to it", ch, reqs[0].Body)
				}
			}
			if n := len(posts(fake)[channelID(3)]); n != 0 {
				t.Errorf("the channel with news off got %d posts", n)
			}
			noViolations(t, fake)

			// A restart: a new poller and scheduler on the same store.
			clk.add(2 * time.Minute)
			run(poller())
			r2 := start(t, s, newSender(t, fake, via{}), clk.now, schedule.Options{})
			time.Sleep(time.Second) // a second post would show by now
			if n := r2.obs.count("news", "sent"); n != 0 {
				t.Errorf("after a restart %d more news posts were sent", n)
			}
			for _, ch := range []string{channelID(1), channelID(2)} {
				if n := len(posts(fake)[ch]); n != 1 {
					t.Errorf("after a restart channel %s has %d message requests; want 1", ch, n)
				}
			}
		})
	}
}

// Past the hourly cap, a channel's items wait for the hour's end and go
// out as one digest, once, holding every one of them.
func TestNewsPastTheCapGoesOutAsOneDigestAtTheHoursEnd(t *testing.T) {
	e := engines[0]
	clk := &shifted{}
	// Start ten minutes into an hour, so that the hour's end is ahead.
	now := time.Now()
	clk.add(now.Truncate(time.Hour).Add(time.Hour + 10*time.Minute).Sub(now))
	s := e.open(t, clk.now)
	fake := discordtest.New(t)
	importTracks(t, s, trackOf("fan"))
	saveFollow(t, s, store.Follow{GuildID: guildID(1), ChannelID: channelID(1), Track: "fan", News: true})
	srv, setBody := newsFeedServer(t)
	if err := s.AddFeed(t.Context(), store.Feed{Track: "fan", URL: srv.URL + "/feed", AddedAt: clk.now()}); err != nil {
		t.Fatal(err)
	}
	client := feeds.NewClient(feeds.ClientOptions{Version: "test", AllowPrivate: true})
	t.Cleanup(client.CloseIdleConnections)
	p := newsdesk.New(s, client, clk.now, slog.New(slog.DiscardHandler), newsdesk.Options{Interval: time.Minute, MaxPostsPerHour: 1})
	run := func() {
		t.Helper()
		if _, err := p.Round(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	run()
	published := clk.now().Add(time.Second).UTC().Format(time.RFC1123Z)
	var items string
	for i := range 3 {
		items += fmt.Sprintf(`<item><guid>n%d</guid><title>Item %d</title><link>https://wire.example.org/n%d</link><pubDate>%s</pubDate></item>`, i, i, i, published)
	}
	setBody(`<rss version="2.0"><channel><title>Wire</title>` + items + `</channel></rss>`)
	clk.add(2 * time.Minute)
	run()

	r := start(t, s, newSender(t, fake, via{}), clk.now, schedule.Options{})
	waitFor(t, 20*time.Second, "the one news post within the cap", func() bool { return r.obs.count("news", "sent") == 1 })
	time.Sleep(time.Second)
	if n := r.obs.count("news-digest", "sent"); n != 0 {
		t.Fatalf("the digest went out %d times before the hour's end", n)
	}
	// The hour ends.
	clk.add(clk.now().Truncate(time.Hour).Add(time.Hour).Sub(clk.now()) + time.Second)
	waitFor(t, 20*time.Second, "the digest at the hour's end", func() bool { return r.obs.count("news-digest", "sent") == 1 })
	time.Sleep(time.Second)
	reqs := posts(fake)[channelID(1)]
	if len(reqs) != 2 || r.obs.count("news-digest", "sent") != 1 {
		t.Fatalf("%d message requests, %s; want one news post and one digest", len(reqs), r.obs)
	}
	var digest struct {
		Content string `json:"content"`
		Embeds  []struct {
			Description string `json:"description"`
		} `json:"embeds"`
	}
	if err := json.Unmarshal(reqs[1].Body, &digest); err != nil {
		t.Fatal(err)
	}
	if digest.Content != "News digest: 2 more items this hour." || len(digest.Embeds) != 1 {
		t.Fatalf("the digest is %s", reqs[1].Body)
	}
	for _, link := range []string{"n0", "n1", "n2"} {
		in := strings.Contains(string(reqs[0].Body), "/"+link+`"`) || strings.Contains(digest.Embeds[0].Description, "/"+link+")")
		if !in {
			t.Errorf("item %s is in neither the post nor the digest", link)
		}
	}
	noViolations(t, fake)
}
