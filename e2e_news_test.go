package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"talkbot/bot/discordtest"
)

// newsSetup is /talks-admin setup news:true for the target channel, with
// a role to ping for reminders: the news must ping nobody all the same.
func newsSetup(fake *discordtest.Server) map[string]any {
	in := adminSetup(fake, "1d")
	opts := in["data"].(map[string]any)["options"].([]any)[0].(map[string]any)
	opts["options"] = append(opts["options"].([]any), map[string]any{"name": "news", "type": 5, "value": true})
	return in
}

// withFeed writes the bundled data with a feed on the Istanbul track.
func withFeed(t *testing.T, url string) string {
	t.Helper()
	raw, err := os.ReadFile("data/talks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const tz = "    timezone: Europe/Istanbul\n"
	out := bytes.Replace(raw, []byte(tz), []byte(tz+"    feeds:\n      - url: "+url+"\n"), 1)
	path := filepath.Join(t.TempDir(), "talks.yaml")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A feed item reaches the channel that asked for news, through the real
// program and the fake Discord: once, as a card linking to the item,
// pinging nobody.
func TestNewsItemIsPostedThroughTheProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for two feed polls")
	}
	var (
		mu    sync.Mutex
		items string
		polls int
	)
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		polls++
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Wire</title>%s</channel></rss>`, items)
	}))
	t.Cleanup(feed.Close)
	polled := func() int { mu.Lock(); defer mu.Unlock(); return polls }

	fake := discordtest.New(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "talkbot.db")
	if r := talkbot(t, map[string]string{"DATABASE_URL": db}, "", "import", withFeed(t, feed.URL+"/feed.xml")); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	bot := startBot(t, fake, map[string]string{"DATABASE_URL": db, "FEED_POLL": "10s", "FEEDS_ALLOW_PRIVATE": "true"})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	setup := newsSetup(fake)
	if err := fake.Dispatch("INTERACTION_CREATE", setup); err != nil {
		t.Fatal(err)
	}
	cb := callback(t, fake, setup)
	if content, _ := cb["data"].(map[string]any)["content"].(string); !strings.Contains(content, "News: each new item") {
		t.Fatalf("setup reply = %v; want news on", cb)
	}
	// The first poll learns what the feed holds; then an item appears.
	for polled() == 0 {
		if ctx.Err() != nil {
			t.Fatalf("the feed was never polled\n%s", bot.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // the first poll recorded
	mu.Lock()
	items = fmt.Sprintf(`<item><guid>n1</guid><title>Round 3 confirmed @everyone</title><link>https://wire.example.org/n1</link>
		<description>Both delegations confirmed.</description><pubDate>%s</pubDate></item>`, time.Now().Add(2*time.Second).UTC().Format(time.RFC1123Z)) // RFC 1123 keeps whole seconds: not before the first poll
	mu.Unlock()

	var news []discordtest.Message
	for ctx.Err() == nil {
		news = nil
		for _, m := range fake.Messages(channelID) {
			if strings.HasPrefix(m.Content, "News") {
				news = append(news, m)
			}
		}
		if len(news) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(news) == 0 {
		t.Fatalf("no news post within 2 minutes\n%s", bot.logs.String())
	}
	// Another poll or two: nothing more.
	for at := polled(); polled() < at+2 && ctx.Err() == nil; {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	news = nil
	for _, m := range fake.Messages(channelID) {
		if strings.HasPrefix(m.Content, "News") {
			news = append(news, m)
		}
	}
	if len(news) != 1 {
		t.Fatalf("%d news posts; want exactly 1", len(news))
	}
	m := news[0]
	if len(m.Embeds) != 1 || m.Embeds[0].URL != "https://wire.example.org/n1" || m.Embeds[0].Title != "Round 3 confirmed @everyone" {
		t.Errorf("the news post is %+v; want a card titled with the item and linking to it", m)
	}
	am, _ := json.Marshal(m.AllowedMentions)
	var mentions struct {
		Parse []string `json:"parse"`
		Roles []string `json:"roles"`
	}
	if err := json.Unmarshal(am, &mentions); err != nil || mentions.Parse == nil || len(mentions.Parse) != 0 || len(mentions.Roles) != 0 {
		t.Errorf("allowed_mentions = %s; want parse [] and no role", am)
	}
	if !strings.Contains(bot.logs.String(), "FEED_POLL is under a minute") {
		t.Errorf("no warning at start about FEED_POLL=10s\n%s", bot.logs.String())
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}
