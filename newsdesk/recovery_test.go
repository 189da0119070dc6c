package newsdesk_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"talkbot/feeds"
	"talkbot/newsdesk"
)

// A feed that answers 503 twice and then 200: each failure is counted from
// the first one's time, the good answer resets the count and clears the
// failing mark and the error, and the item that appeared meanwhile is
// posted.
func TestAFeedRecoversAfterTwo503s(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			d := newDesk(t, e, newsOn)
			archive := feedItem{id: "archive", title: "Talks proposed", at: start.Add(-time.Hour)}
			srv := newFeedServer(t, archive)
			d.addFeed(t, srv.url())
			p := d.poller(t, d.s, 6)
			if st := round(t, p); st.Polled != 1 || st.Failed != 0 {
				t.Fatalf("the first round: %+v; want one good poll", st)
			}

			srv.fail(http.StatusServiceUnavailable, "")
			srv.set(archive, feedItem{id: "n1", title: "Round 3 confirmed", at: start.Add(5 * time.Minute)})
			var firstFailure time.Time
			for i := 1; i <= 2; i++ {
				d.clock.t = d.feed(t, srv.url()).NextPoll
				if i == 1 {
					firstFailure = d.clock.now()
				}
				if st := round(t, p); st.Polled != 1 || st.Failed != 1 || st.Planned != 0 {
					t.Fatalf("503 number %d: %+v; want one failed poll, nothing planned", i, st)
				}
				f := d.feed(t, srv.url())
				if f.Failures != i || !f.FailingSince.Equal(firstFailure) || !strings.Contains(f.LastError, "503") {
					t.Errorf("after 503 number %d: failures %d, failing since %v, last error %q; want %d, %v, an error naming 503",
						i, f.Failures, f.FailingSince, f.LastError, i, firstFailure)
				}
				if !f.NextPoll.After(d.clock.now().Add(interval)) {
					t.Errorf("after 503 number %d the next poll is at %v; want backed off past the interval", i, f.NextPoll)
				}
			}
			if got := d.posts(t, "g1"); len(got) != 0 {
				t.Fatalf("while the feed fails, g1 has %q; want nothing", got)
			}

			srv.fail(0, "")
			d.clock.t = d.feed(t, srv.url()).NextPoll
			if st := round(t, p); st.Polled != 1 || st.Failed != 0 || st.Planned != 1 {
				t.Fatalf("the recovery: %+v; want a good poll and the new item planned", st)
			}
			f := d.feed(t, srv.url())
			if f.Failures != 0 || !f.FailingSince.IsZero() || f.LastError != "" || !f.LastSuccess.Equal(d.clock.now()) {
				t.Errorf("after the recovery: failures %d, failing since %v, last error %q, last success %v; want 0, zero, none, %v",
					f.Failures, f.FailingSince, f.LastError, f.LastSuccess, d.clock.now())
			}
			if got, want := d.posts(t, "g1"), []string{"news channel:c1 [n1]"}; !slices.Equal(got, want) {
				t.Errorf("g1's posts = %q; want %q", got, want)
			}
			if n := len(srv.seen()); n != 4 {
				t.Errorf("the feed was fetched %d times; want 4 (one good, two 503s, one good)", n)
			}
		})
	}
}

// A feed whose server never answers is cut at the client's timeout
// (feeds.DefaultTimeout, 10 s, in production; 200 ms here, so the test
// waits for no 10 s) and counted as the feed's failure, not left to hold
// its claim.
func TestASlowFeedIsCutAtTheClientsTimeout(t *testing.T) {
	d := newDesk(t, engines[0], newsOn)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // before the server's Close, which waits for handlers
	d.addFeed(t, srv.URL+"/slow.xml")
	client := feeds.NewClient(feeds.ClientOptions{Version: "test", AllowPrivate: true, Timeout: 200 * time.Millisecond})
	t.Cleanup(client.CloseIdleConnections)
	p := newsdesk.New(d.s, client, d.clock.now, slog.New(slog.DiscardHandler), newsdesk.Options{Interval: interval})
	if st := round(t, p); st.Polled != 1 || st.Failed != 1 {
		t.Fatalf("a round with a silent feed: %+v; want one failed poll", st)
	}
	f := d.feed(t, srv.URL+"/slow.xml")
	// net/http words the cut by whichever timer fires first: "Client.Timeout
	// exceeded", "timeout awaiting response headers" or "context deadline
	// exceeded".
	lower := strings.ToLower(f.LastError)
	timedOut := strings.Contains(lower, "timeout") || strings.Contains(lower, "deadline exceeded")
	if f.Failures != 1 || !timedOut {
		t.Errorf("the silent feed: failures %d, last error %q; want 1 and a timeout", f.Failures, f.LastError)
	}
}
