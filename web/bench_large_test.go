//go:build unix

package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync/atomic"
	"talkbot/internal/cputime"
	"testing"
	"time"

	"talkbot/store/gen"
	"talkbot/store/sqlite/sqlitetest"
	"talkbot/store/storetest"
	"talkbot/web"
)

// BenchmarkLarge serves the track page and the calendar from the large
// generated dataset (50 tracks of 100 rounds, 100,000 statements, 20,000
// positions): in process with p50/p99 of single requests, the 304 answer
// with its server CPU, and 16 clients over loopback for requests a second.
// docs/benchmarks.md records the figures.
func BenchmarkLarge(b *testing.B) {
	s := sqlitetest.Open(b, time.Now)
	tracks := gen.Tracks(gen.Large(storetest.BenchBase))
	if _, err := s.Import(b.Context(), tracks); err != nil {
		b.Fatal(err)
	}
	clock := web.WithClock(func() time.Time { return storetest.BenchBase })
	h := web.New(s, "https://talks.example.org", nil, clock)
	// cold renders every answer: what the first reader after a change waits
	// (its warm-up below fills no cache).
	cold := web.New(s, "https://talks.example.org", nil, clock, web.WithCache(0))
	var ids []string
	for _, t := range tracks {
		ids = append(ids, t.ID)
	}
	page := func(i int) string { return "/t/" + ids[i%len(ids)] }
	calendar := func(i int) string { return "/calendar/" + ids[i%len(ids)] + ".ics" }

	for _, tc := range []struct {
		name string
		path func(int) string
	}{{"track_page", page}, {"calendar", calendar}} {
		for _, v := range []struct {
			name string
			h    http.Handler
		}{{"_cold", cold}, {"", h}} {
			b.Run(tc.name+v.name, func(b *testing.B) {
				// Warm: every track's answer is rendered once first, as
				// after the first reader of each since the last change.
				for i := range ids {
					v.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, tc.path(i), nil))
				}
				b.ReportAllocs()
				var lat []time.Duration
				size := 0
				i := 0
				for b.Loop() {
					req := httptest.NewRequest(http.MethodGet, tc.path(i), nil)
					rec := httptest.NewRecorder()
					start := time.Now()
					v.h.ServeHTTP(rec, req)
					lat = append(lat, time.Since(start))
					if rec.Code != http.StatusOK {
						b.Fatalf("%s: status %d", req.URL, rec.Code)
					}
					size += rec.Body.Len()
					i++
				}
				percentiles(b, lat)
				b.ReportMetric(float64(size)/float64(len(lat)), "body-B")
			})
		}
		b.Run(tc.name+"_304", func(b *testing.B) {
			etags := map[string]string{}
			for i := range ids {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path(i), nil))
				etags[tc.path(i)] = rec.Header().Get("ETag")
			}
			b.ReportAllocs()
			var lat []time.Duration
			cpu0 := cputime.Used(b)
			i := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, tc.path(i), nil)
				req.Header.Set("If-None-Match", etags[tc.path(i)])
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				lat = append(lat, time.Since(start))
				if rec.Code != http.StatusNotModified {
					b.Fatalf("%s: status %d", req.URL, rec.Code)
				}
				i++
			}
			// The process's CPU (user and system, all threads) per answer:
			// the request is served in this goroutine, so this is its cost.
			b.ReportMetric(float64((cputime.Used(b)-cpu0).Nanoseconds())/float64(len(lat)), "cpu-ns/op")
			percentiles(b, lat)
		})
		b.Run(tc.name+"_16_clients", func(b *testing.B) {
			srv := httptest.NewServer(h)
			b.Cleanup(srv.Close)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
			b.Cleanup(client.CloseIdleConnections)
			var n atomic.Int64
			b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0))) // 16 goroutines on GOMAXPROCS 1, 2, 4, 8 or 16
			b.ReportAllocs()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					res, err := client.Get(srv.URL + tc.path(int(n.Add(1))))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						b.Errorf("status %d", res.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "req/s")
		})
	}
}

func percentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}
