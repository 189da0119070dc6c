package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/remind"
	"talkbot/store"
)

// newsFeed is a loopback feed host for the news crash test: its first
// answer holds only an old item (the archive, which a new feed does not
// post); every later answer adds one fresh item, dated after the first
// poll, so the test waits for no poll by the clock.
type newsFeed struct {
	*httptest.Server
	mu       sync.Mutex
	requests int
	fresh    time.Time // the fresh item's date: set at the second request
}

const (
	newsItemID    = "urn:wire:round-3-confirmed"
	newsItemTitle = "Round 3 confirmed"
)

func newNewsFeed(t *testing.T) *newsFeed {
	t.Helper()
	f := &newsFeed{}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *newsFeed) url() string { return f.URL + "/wire.xml" }

func (f *newsFeed) polls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func (f *newsFeed) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	items := `<item><guid>urn:wire:archive</guid><title>Talks proposed</title><link>https://wire.example.org/archive</link>
		<pubDate>Mon, 02 Jun 2025 10:00:00 +0000</pubDate></item>`
	if f.requests > 1 {
		if f.fresh.IsZero() {
			// RFC 1123 keeps whole seconds: a second later, truncated, is
			// still after the first poll, which came before this request.
			f.fresh = time.Now().Add(time.Second).Truncate(time.Second)
		}
		items += fmt.Sprintf(`<item><guid>%s</guid><title>%s</title><link>https://wire.example.org/n1</link>
		<description>Both delegations confirmed the date.</description><pubDate>%s</pubDate></item>`,
			newsItemID, newsItemTitle, f.fresh.UTC().Format(time.RFC1123Z))
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprintf(w, `<rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link>%s</channel></rss>`, items)
}

// A SIGKILL between Discord accepting a news post and the process
// recording it: the restarted process takes the delivery over when its
// lease ends and posts again with the same nonce; Discord (enforce_nonce)
// answers with the first message, so the channel holds one news post.
func TestNewsPostSurvivesSIGKILLDuringSend(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the real binary around feed polls")
	}
	bin := buildTalkbot(t)
	k := crashSettings(t)
	// Both engines at once: the cases mostly wait for polls and leases.
	var wg sync.WaitGroup
	for engine, db := range engines(t) {
		wg.Go(func() {
			t.Run(engine, func(t *testing.T) { killDuringNewsSend(t, bin, db(t)["DATABASE_URL"], k) })
		})
	}
	wg.Wait()
}

func killDuringNewsSend(t *testing.T, bin, db string, k crashKnobs) {
	feed := newNewsFeed(t)
	fake := discordtest.New(t)
	proxy := newHoldingProxy(t, fake.URL, func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/channels/"+crashChannel+"/messages")
	})

	// The store, while no process runs: the bundled data, a channel that
	// takes the track's news, and the feed.
	if r := talkbot(t, map[string]string{"DATABASE_URL": db}, "", "import", "data/talks.yaml"); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	s := openStoreAt(t, db)
	err := s.SaveFollow(t.Context(), store.Follow{GuildID: crashGuild, ChannelID: crashChannel, Track: crashTrack, News: true})
	if err == nil {
		err = s.AddFeed(t.Context(), store.Feed{Track: crashTrack, URL: feed.url(), AddedAt: time.Now()})
	}
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	env := map[string]string{
		"DATABASE_URL": db, "DISCORD_TOKEN": fake.Token, "DISCORD_API_URL": proxy.URL + discordtest.DefaultBasePath,
		"LOG_LEVEL": "debug", "FEED_POLL": "10s", "FEEDS_ALLOW_PRIVATE": "true",
	}
	for name, v := range k.env {
		env[name] = v
	}
	proc := newBotProcess(t, bin, env)
	proc.start()
	// The first poll records the archive; the second (within FEED_POLL)
	// brings the fresh item, whose post the proxy holds.
	select {
	case <-proxy.held:
	case <-time.After(45 * time.Second):
		t.Fatalf("no news post within 45 s (%d polls of the feed)\n%s", feed.polls(), proc.logTail())
	}
	proc.kill()
	proxy.Release()
	news := fake.Messages(crashChannel)
	if len(news) != 1 {
		t.Fatalf("%d messages when the first post reached Discord; want 1", len(news))
	}
	first := news[0]
	if feed.polls() < 2 {
		t.Errorf("a news post after %d polls; want the archive's poll first, posting nothing", feed.polls())
	}

	polledBefore := feed.polls()
	proc.start()
	ctx, cancel := context.WithTimeout(t.Context(), k.lease+20*time.Second)
	defer cancel()
	var posts []discordtest.Request
	_, err = fake.WaitRequest(ctx, func(r discordtest.Request) bool {
		if r.Route == messageRoute && r.Params["channel_id"] == crashChannel {
			posts = append(posts, r)
		}
		return len(posts) >= 2
	})
	if err != nil {
		t.Fatalf("the restarted process did not post again within the %v lease and 20 s: %v\n%s", k.lease, err, proc.logTail())
	}
	if n := proc.waitMetric(`talkbot_deliveries_total{kind="news",result="sent"}`, 1, 5*time.Second); n != 1 {
		t.Errorf("news posts the restarted process recorded as sent: %v; want 1\n%s", n, proc.logTail())
	}
	// The restarted process polls the feed again: the item is known. (A
	// claim the killed process held on the feed lapses after a minute.)
	for until := time.Now().Add(90 * time.Second); feed.polls() == polledBefore && time.Now().Before(until); {
		time.Sleep(50 * time.Millisecond)
	}
	if feed.polls() == polledBefore {
		t.Errorf("the restarted process did not poll the feed\n%s", proc.logTail())
	}
	proc.stop()

	want := remind.NonceFor(store.NewsKey(store.ItemRef{Track: crashTrack, FeedURL: feed.url(), ID: newsItemID}), store.ChannelTarget(crashChannel))
	for i, p := range posts {
		var body struct {
			Nonce        string `json:"nonce"`
			EnforceNonce bool   `json:"enforce_nonce"`
		}
		if err := json.Unmarshal(p.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Nonce != want || !body.EnforceNonce || p.Status != http.StatusOK {
			t.Errorf("post %d: nonce %q, enforce_nonce %v, status %d; want %q, true, 200", i+1, body.Nonce, body.EnforceNonce, p.Status, want)
		}
	}
	ms := fake.Messages(crashChannel)
	if len(ms) != 1 {
		var lines []string
		for _, m := range ms {
			lines = append(lines, fmt.Sprintf("%s nonce %q: %.80q", m.ID, m.Nonce, m.Content))
		}
		t.Fatalf("%d messages in the channel; want exactly the one news post:\n%s", len(ms), strings.Join(lines, "\n"))
	}
	m := ms[0]
	if m.ID != first.ID || m.Nonce != want {
		t.Errorf("the channel's message is %s with nonce %q; want the first one, %s, with %q", m.ID, m.Nonce, first.ID, want)
	}
	if !strings.HasPrefix(m.Content, "News") || len(m.Embeds) != 1 || m.Embeds[0].Title != newsItemTitle || m.Embeds[0].URL != "https://wire.example.org/n1" {
		t.Errorf("the message is not the news post of the item: %q %+v", m.Content, m.Embeds)
	}

	s = openStoreAt(t, db)
	defer s.Close()
	if at, ok, err := s.NextDue(t.Context()); err != nil {
		t.Error(err)
	} else if ok {
		pending, _ := s.PendingFor(t.Context(), crashGuild, 0)
		t.Errorf("a delivery still waits (next at %v); pending: %+v", at, pending)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}
