package storetest

import (
	"fmt"
	"testing"
	"time"

	"talkbot/store"
)

// BenchPoll measures the store's share of polling: a round over 1,000
// feeds that all answer 304 (claim 50 at a time, record each poll), and
// recording a poll of a 500-item feed whose items are all known already,
// the steady state of a busy feed.
func BenchPoll(b *testing.B, open Factory) {
	ctx := b.Context()
	track := []store.Track{{ID: "bench", Title: "Bench", Timezone: "UTC"}}
	addFeeds := func(b *testing.B, s store.Store, n int) {
		b.Helper()
		if _, err := s.Import(ctx, track); err != nil {
			b.Fatal(err)
		}
		for i := range n {
			f := store.Feed{Track: "bench", URL: fmt.Sprintf("https://example.org/%04d.xml", i), AddedBy: "1", AddedAt: BenchBase}
			if err := s.AddFeed(ctx, f); err != nil {
				b.Fatal(err)
			}
		}
	}

	b.Run("a round of 1,000 feeds answering 304", func(b *testing.B) {
		const n = 1000
		s := open(b, time.Now)
		addFeeds(b, s, n)
		b.ReportAllocs()
		round := 0
		for b.Loop() {
			now := BenchBase.Add(time.Duration(round) * time.Hour)
			polled := 0
			for {
				fs, err := s.ClaimFeeds(ctx, "bench", now, time.Minute, 50)
				if err != nil {
					b.Fatal(err)
				}
				if len(fs) == 0 {
					break
				}
				for _, f := range fs {
					r := store.PollResult{Track: f.Track, URL: f.URL, NotModified: true, At: now, NextPoll: now.Add(time.Hour)}
					if _, err := s.FinishPoll(ctx, "bench", r); err != nil {
						b.Fatal(err)
					}
				}
				polled += len(fs)
			}
			if polled != n {
				b.Fatalf("a round polled %d feeds; want %d", polled, n)
			}
			round++
		}
	})

	b.Run("a poll of 500 known items", func(b *testing.B) {
		s := open(b, time.Now)
		addFeeds(b, s, 1)
		items := make([]store.FeedItem, 500)
		for i := range items {
			items[i] = store.FeedItem{ID: fmt.Sprintf("https://example.org/news/%03d", i), Title: fmt.Sprintf("Item %d", i),
				Link: fmt.Sprintf("https://example.org/news/%03d", i), Summary: "A summary of about a line of text, as feeds give.",
				Published: BenchBase.Add(-time.Duration(i) * time.Hour), HasDate: true, Matched: i%3 == 0}
		}
		url := "https://example.org/0000.xml"
		pollAt := func(b *testing.B, now time.Time) []store.FeedItem {
			if fs, err := s.ClaimFeeds(ctx, "bench", now, time.Minute, 1); err != nil || len(fs) != 1 {
				b.Fatalf("ClaimFeeds = %d feeds, %v", len(fs), err)
			}
			fresh, err := s.FinishPoll(ctx, "bench", store.PollResult{Track: "bench", URL: url, Items: items, At: now, NextPoll: now})
			if err != nil {
				b.Fatal(err)
			}
			return fresh
		}
		pollAt(b, BenchBase) // the first fetch records them all
		b.ReportAllocs()
		i := 1
		for b.Loop() {
			if fresh := pollAt(b, BenchBase.Add(time.Duration(i)*time.Minute)); len(fresh) != 0 {
				b.Fatalf("known items came back fresh: %d", len(fresh))
			}
			i++
		}
	})
}
