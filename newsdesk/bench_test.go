package newsdesk_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"talkbot/internal/cputime"
	"testing"
	"time"

	"talkbot/store"
)

// BenchmarkPollRound1000NotModified is one poll round of 1,000 feeds that
// all answer 304, at the default concurrency: claims, conditional GETs to
// a loopback server, and the polls recorded. CPU includes the loopback
// server, which runs in the same process.
func BenchmarkPollRound1000NotModified(b *testing.B) {
	const feeds = 1000
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", `"v1"`)
				if r.Header.Get("If-None-Match") == `"v1"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprint(w, `<rss version="2.0"><channel><title>Wire</title><item><guid>a</guid><title>A</title></item></channel></rss>`)
			}))
			b.Cleanup(srv.Close)
			c := &clock{t: start}
			s := e.open(b, c.now)
			if _, err := s.Import(b.Context(), []store.Track{{ID: track, Title: "T", Timezone: "UTC"}}); err != nil {
				b.Fatal(err)
			}
			for i := range feeds {
				if err := s.AddFeed(b.Context(), store.Feed{Track: track, URL: fmt.Sprintf("%s/feed/%d.xml", srv.URL, i), AddedAt: start}); err != nil {
					b.Fatal(err)
				}
			}
			d := &desk{s: s, clock: c}
			p := d.poller(b, s, 6)
			if st, err := p.Round(b.Context()); err != nil || st.Polled != feeds {
				b.Fatalf("the first round: %+v, %v", st, err)
			}
			b.ReportAllocs()
			var cpu time.Duration
			for b.Loop() {
				c.add(interval)
				before := cputime.Used(b)
				st, err := p.Round(b.Context())
				cpu += cputime.Used(b) - before
				if err != nil || st.NotModified != feeds {
					b.Fatalf("a round: %+v, %v; want %d answers 304", st, err, feeds)
				}
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
