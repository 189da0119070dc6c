package newsdesk_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"talkbot/feeds"
	"talkbot/newsdesk"
	"talkbot/store"
	"talkbot/store/pgtest"
	"talkbot/store/sqlite/sqlitetest"
	"talkbot/store/sqlstore"
)

// The poller's tests run on both store engines against a loopback feed
// server; pgtest starts a throwaway PostgreSQL.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type engine struct {
	name string
	open func(t testing.TB, now func() time.Time) *sqlstore.DB
}

var engines = []engine{{"SQLite", sqlitetest.Open}, {"PostgreSQL", pgtest.Open}}

const (
	track    = "ru-ua-istanbul"
	interval = 10 * time.Minute
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// desk is a store with one track, its follows, and a clock.
type desk struct {
	s     *sqlstore.DB
	clock *clock
}

func newDesk(t *testing.T, e engine, follows ...store.Follow) *desk {
	t.Helper()
	c := &clock{t: start}
	s := e.open(t, c.now)
	if _, err := s.Import(t.Context(), []store.Track{{ID: track, Title: "Istanbul talks", Timezone: "Europe/Istanbul"}}); err != nil {
		t.Fatal(err)
	}
	for _, f := range follows {
		if err := s.SaveFollow(t.Context(), f); err != nil {
			t.Fatal(err)
		}
	}
	return &desk{s: s, clock: c}
}

func (d *desk) addFeed(t *testing.T, url string, keywords ...string) {
	t.Helper()
	if err := d.s.AddFeed(t.Context(), store.Feed{Track: track, URL: url, Keywords: keywords, AddedAt: d.clock.now()}); err != nil {
		t.Fatal(err)
	}
}

// poller is a new process's poller (a restart is a new one on the store).
func (d *desk) poller(t testing.TB, s newsdesk.Store, perHour int) *newsdesk.Poller {
	t.Helper()
	client := feeds.NewClient(feeds.ClientOptions{Version: "test", AllowPrivate: true})
	t.Cleanup(client.CloseIdleConnections)
	return newsdesk.New(s, client, d.clock.now, slog.New(slog.DiscardHandler), newsdesk.Options{Interval: interval, MaxPostsPerHour: perHour})
}

func round(t *testing.T, p *newsdesk.Poller) newsdesk.RoundStats {
	t.Helper()
	st, err := p.Round(t.Context())
	if err != nil {
		t.Fatalf("Round: %v", err)
	}
	return st
}

// posts lists the pending news deliveries of a server: "kind target [item
// ids]", sorted.
func (d *desk) posts(t *testing.T, guild string) []string {
	t.Helper()
	ds, err := d.s.PendingFor(t.Context(), guild, 200)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, dl := range ds {
		refs, err := store.DecodeItemRefs(dl.Payload)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(refs))
		for i, r := range refs {
			ids[i] = r.ID
		}
		out = append(out, fmt.Sprintf("%s %s %v", dl.Kind, dl.Target, ids))
	}
	slices.Sort(out)
	return out
}

func (d *desk) feed(t *testing.T, url string) store.Feed {
	t.Helper()
	fs, err := d.s.FeedsOf(t.Context(), track)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.URL == url {
			return f
		}
	}
	t.Fatalf("no feed %s", url)
	return store.Feed{}
}

var (
	newsOn    = store.Follow{GuildID: "g1", ChannelID: "c1", Track: track, News: true}
	newsOnToo = store.Follow{GuildID: "g2", ChannelID: "c2", Track: track, News: true, RoleID: "r2"}
	newsOff   = store.Follow{GuildID: "g1", ChannelID: "c3", Track: track}
)

func TestANewItemIsPlannedOnceForEachNewsChannel(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			d := newDesk(t, e, newsOn, newsOnToo, newsOff)
			srv := newFeedServer(t, feedItem{id: "archive", title: "Old news", at: start.Add(-time.Hour)})
			d.addFeed(t, srv.url())
			p := d.poller(t, d.s, 6)

			// The first fetch learns the archive and posts none of it.
			if st := round(t, p); st.Polled != 1 || st.Planned != 0 {
				t.Fatalf("the first round: %+v; want one feed polled, nothing planned", st)
			}
			if got := d.posts(t, "g1"); len(got) != 0 {
				t.Fatalf("after the first fetch, g1 has %q; want nothing", got)
			}
			// Not due yet: nothing fetched.
			d.clock.add(time.Second)
			if st := round(t, p); st.Polled != 0 {
				t.Errorf("a round before the next poll polled %d feeds; want 0", st.Polled)
			}

			srv.set(feedItem{id: "archive", title: "Old news", at: start.Add(-time.Hour)},
				feedItem{id: "n1", title: "Round 3 confirmed", summary: "Both delegations", at: start.Add(5 * time.Minute)})
			d.clock.add(interval)
			if st := round(t, p); st.Polled != 1 || st.Planned != 1 {
				t.Fatalf("the second round: %+v; want one feed polled and one item planned", st)
			}
			if got, want := d.posts(t, "g1"), []string{"news channel:c1 [n1]"}; !slices.Equal(got, want) {
				t.Errorf("g1's posts = %q; want %q (c3 has news off)", got, want)
			}
			if got, want := d.posts(t, "g2"), []string{"news channel:c2 [n1]"}; !slices.Equal(got, want) {
				t.Errorf("g2's posts = %q; want %q", got, want)
			}

			// A restart: a new poller on the same store. The feed is
			// unchanged and answers 304 to the ETag; nothing is planned.
			restarted := d.poller(t, d.s, 6)
			d.clock.add(interval)
			if st := round(t, restarted); st.Polled != 1 || st.NotModified != 1 || st.Planned != 0 {
				t.Errorf("after a restart: %+v; want a 304 and nothing planned", st)
			}
			reqs := srv.seen()
			if last := reqs[len(reqs)-1]; last.Get("If-None-Match") == "" || !isTalkbot(last.Get("User-Agent")) {
				t.Errorf("the last request sent If-None-Match %q, User-Agent %q; want the ETag and talkbot's name", last.Get("If-None-Match"), last.Get("User-Agent"))
			}
			// The item edited (same id, new title): not news again.
			srv.set(feedItem{id: "archive", title: "Old news", at: start.Add(-time.Hour)},
				feedItem{id: "n1", title: "Round 3 confirmed for Monday", at: start.Add(5 * time.Minute)})
			d.clock.add(interval)
			if st := round(t, restarted); st.Polled != 1 || st.NotModified != 0 || st.Planned != 0 {
				t.Errorf("an edited item: %+v; want a fetch and nothing planned", st)
			}
			if got := d.posts(t, "g1"); len(got) != 1 {
				t.Errorf("g1's posts after the edit = %q; want the one post", got)
			}
		})
	}
}

func isTalkbot(ua string) bool { return len(ua) > 8 && ua[:8] == "talkbot/" }

func TestKeywordsSelectTheNews(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			d := newDesk(t, e, newsOn)
			srv := newFeedServer(t)
			d.addFeed(t, srv.url(), "ceasefire")
			p := d.poller(t, d.s, 6)
			round(t, p)
			srv.set(feedItem{id: "w", title: "Weather in Istanbul", at: start.Add(time.Minute)},
				feedItem{id: "c", title: "Ceasefires discussed", at: start.Add(time.Minute)})
			d.clock.add(interval)
			round(t, p)
			if got, want := d.posts(t, "g1"), []string{"news channel:c1 [c]"}; !slices.Equal(got, want) {
				t.Errorf("posts = %q; want %q", got, want)
			}
		})
	}
}

func TestRetryAfterAndBackOff(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			d := newDesk(t, e, newsOn)
			srv := newFeedServer(t)
			d.addFeed(t, srv.url())
			p := d.poller(t, d.s, 6)

			// 429 asking for an hour: the feed waits the hour, longer than
			// its back-off.
			srv.fail(http.StatusTooManyRequests, "3600")
			if st := round(t, p); st.Failed != 1 {
				t.Fatalf("a 429: %+v; want a failed poll", st)
			}
			f := d.feed(t, srv.url())
			if want := d.clock.now().Add(time.Hour); !f.NextPoll.Equal(want) || f.Failures != 1 {
				t.Errorf("after a 429 with Retry-After 3600, next poll %v, failures %d; want %v, 1", f.NextPoll, f.Failures, want)
			}
			d.clock.add(59 * time.Minute)
			if st := round(t, p); st.Polled != 0 {
				t.Errorf("a round before the Retry-After ended polled %d feeds; want 0", st.Polled)
			}

			// A 503 without Retry-After: exponential back-off, growing.
			srv.fail(http.StatusServiceUnavailable, "")
			var waits []time.Duration
			for range 3 {
				d.clock.t = d.feed(t, srv.url()).NextPoll
				round(t, p)
				f := d.feed(t, srv.url())
				waits = append(waits, f.NextPoll.Sub(d.clock.now()))
			}
			if waits[0] <= interval || waits[1] <= waits[0] || waits[2] <= waits[1] || waits[2] > feeds.MaxBackoff {
				t.Errorf("a failing feed waited %v; want longer than the interval, growing, at most %v", waits, feeds.MaxBackoff)
			}
			if f := d.feed(t, srv.url()); f.Failures != 4 || f.FailingSince.IsZero() {
				t.Errorf("after four failures the feed is %+v; want 4 failures and a failing-since", f)
			}

			// Recovery: the next poll at the feed's own point of the interval.
			srv.fail(0, "")
			d.clock.t = d.feed(t, srv.url()).NextPoll
			if st := round(t, p); st.Failed != 0 || st.Polled != 1 {
				t.Errorf("recovery: %+v; want a good poll", st)
			}
			f = d.feed(t, srv.url())
			if wait := f.NextPoll.Sub(d.clock.now()); f.Failures != 0 || wait <= 0 || wait > interval {
				t.Errorf("after recovery: failures %d, next poll in %v; want 0 and within the interval", f.Failures, wait)
			}
			if off := feeds.Offset(srv.url(), interval).Truncate(time.Millisecond); f.NextPoll.Sub(f.NextPoll.Truncate(interval)) != off {
				t.Errorf("the next poll %v is not at the feed's offset %v in the interval", f.NextPoll, off)
			}
		})
	}
}

func TestPastTheHourlyCapTheRestFoldIntoADigest(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			d := newDesk(t, e, newsOn)
			srv := newFeedServer(t)
			d.addFeed(t, srv.url())
			p := d.poller(t, d.s, 3)
			round(t, p)
			var items []feedItem
			for i := range 5 {
				items = append(items, feedItem{id: "n" + itoa(i), title: "Item " + itoa(i), at: start.Add(time.Duration(i+1) * time.Minute)})
			}
			srv.set(items...)
			d.clock.add(interval)
			round(t, p)
			got := d.posts(t, "g1")
			posts, digests := 0, 0
			for _, g := range got {
				if g[:5] == "news " {
					posts++
				} else {
					digests++
				}
			}
			if posts != 3 || digests != 1 || len(got) != 4 {
				t.Errorf("5 items with a cap of 3: %q; want 3 posts and one digest of the other 2", got)
			}
		})
	}
}

func TestNewsOffPlansNothing(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			d := newDesk(t, e, newsOff)
			srv := newFeedServer(t)
			d.addFeed(t, srv.url())
			p := d.poller(t, d.s, 6)
			round(t, p)
			srv.set(feedItem{id: "n1", title: "News", at: start.Add(time.Minute)})
			d.clock.add(interval)
			if st := round(t, p); st.Planned != 1 {
				t.Errorf("round: %+v; want the item planned (to nobody)", st)
			}
			if got := d.posts(t, "g1"); len(got) != 0 {
				t.Errorf("news off: %q; want nothing", got)
			}
		})
	}
}

// Two replicas poll one PostgreSQL at the same moment: each feed is
// fetched by one of them and each item planned once.
func TestTwoReplicasPollEachFeedOnce(t *testing.T) {
	url := pgtest.URL(t)
	c := &clock{t: start}
	s1, s2 := pgtest.OpenURL(t, url, c.now), pgtest.OpenURL(t, url, c.now)
	d := &desk{s: s1, clock: c}
	if _, err := s1.Import(t.Context(), []store.Track{{ID: track, Title: "T", Timezone: "UTC"}}); err != nil {
		t.Fatal(err)
	}
	if err := s1.SaveFollow(t.Context(), newsOn); err != nil {
		t.Fatal(err)
	}
	var srvs []*feedServer
	for range 6 {
		srv := newFeedServer(t)
		d.addFeed(t, srv.url())
		srvs = append(srvs, srv)
	}
	p1, p2 := d.poller(t, s1, 100), d.poller(t, s2, 100)
	both := func() {
		var wg sync.WaitGroup
		for _, p := range []*newsdesk.Poller{p1, p2} {
			wg.Go(func() { round(t, p) })
		}
		wg.Wait()
	}
	both()
	for i, srv := range srvs {
		srv.set(feedItem{id: "n" + itoa(i), title: "News " + itoa(i), at: start.Add(time.Minute)})
	}
	c.add(interval)
	both()
	for i, srv := range srvs {
		if n := len(srv.seen()); n != 2 {
			t.Errorf("feed %d was fetched %d times in two rounds; want 2", i, n)
		}
	}
	got := d.posts(t, "g1")
	if len(got) != 6 {
		t.Errorf("posts = %q; want one for each of the 6 items", got)
	}
}

// Stopping mid-fetch is not the feed's failure: no failure is counted and
// the feed is polled again once the claim lapses.
func TestStoppingMidFetchCountsNoFailure(t *testing.T) {
	d := newDesk(t, engines[0])
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	d.addFeed(t, srv.URL+"/slow.xml")
	p := d.poller(t, d.s, 6)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { _, err := p.Round(ctx); done <- err }()
	<-arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Round after cancel: %v; want context.Canceled", err)
	}
	if f := d.feed(t, srv.URL+"/slow.xml"); f.Failures != 0 || f.LastError != "" {
		t.Errorf("after a stop mid-fetch the feed is %+v; want no failure counted", f)
	}
}
