package storetest

import (
	"fmt"
	"testing"
	"time"

	"talkbot/store"
)

// benchDeliveries is n reminders due a second apart from start, spread
// over 50 tracks and 1,000 servers' channels like a busy deployment's.
func benchDeliveries(n int, start time.Time) []store.Delivery {
	out := make([]store.Delivery, n)
	for i := range out {
		guild := fmt.Sprintf("g%04d", i%1000)
		out[i] = toChannel(guild, fmt.Sprintf("c%06d", i%10_000), fmt.Sprintf("track-%02d", i%50), 1+i%7, start.Add(time.Duration(i)*time.Second))
	}
	return out
}

func seedDeliveries(b *testing.B, s store.Store, ds []store.Delivery) {
	b.Helper()
	if n, err := s.AddDeliveries(b.Context(), ds); err != nil || n != len(ds) {
		b.Fatalf("AddDeliveries = %d, %v; want %d", n, err, len(ds))
	}
}

// BenchClaim measures the scheduler's cycle, claim what is due and finish
// it as sent, over 40,000 deliveries: in the steady state (one due at a
// time among many pending) and in a backlog (all due, 50 at a time).
func BenchClaim(b *testing.B, open Factory) {
	const n = 40_000
	ctx := b.Context()
	sent := store.Outcome{State: store.DeliverySent, MessageID: "m", At: BenchBase}
	cycle := func(b *testing.B, s store.Store, now time.Time, limit int) int {
		ds, err := s.ClaimDue(ctx, "bench", now, time.Minute, limit)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range ds {
			if ok, err := s.FinishDelivery(ctx, d, "bench", sent); err != nil || !ok {
				b.Fatalf("FinishDelivery = %v, %v", ok, err)
			}
		}
		return len(ds)
	}

	b.Run("one due of 40,000 pending", func(b *testing.B) {
		s := open(b, time.Now)
		seedDeliveries(b, s, benchDeliveries(n, BenchBase))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if i > 0 && i%n == 0 { // all sent: plan the next 40,000
				b.StopTimer()
				seedDeliveries(b, s, benchDeliveries(n, BenchBase.Add(time.Duration(i)*time.Second)))
				b.StartTimer()
			}
			if got := cycle(b, s, BenchBase.Add(time.Duration(i)*time.Second), 50); got != 1 {
				b.Fatalf("claimed %d deliveries at step %d; want the one due", got, i)
			}
			i++
		}
	})

	b.Run("backlog of 40,000, 50 at a time", func(b *testing.B) {
		s := open(b, time.Now)
		round := 0
		seed := func() {
			seedDeliveries(b, s, benchDeliveries(n, BenchBase.Add(-time.Duration(round+1)*n*time.Second)))
			round++
		}
		seed()
		b.ReportAllocs()
		claimed := 0
		for b.Loop() {
			got := cycle(b, s, BenchBase, 50)
			if got == 0 {
				b.StopTimer()
				seed()
				b.StartTimer()
				got = cycle(b, s, BenchBase, 50)
			}
			claimed += got
		}
		b.ReportMetric(float64(claimed)/b.Elapsed().Seconds(), "deliveries/s")
	})
}

// BenchNextDue measures NextDue with 10,000 follows, 40,000 pending
// reminders and a few claims: it reads the first entry of two indexes.
func BenchNextDue(b *testing.B, open Factory) {
	ctx := b.Context()
	s := open(b, time.Now)
	for i := range 10_000 {
		f := store.Follow{GuildID: fmt.Sprintf("g%04d", i%1000), ChannelID: fmt.Sprintf("c%06d", i), Track: fmt.Sprintf("track-%02d", i%50),
			Offsets: []time.Duration{24 * time.Hour, time.Hour}, UpdatedAt: BenchBase}
		if err := s.SaveFollow(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
	seedDeliveries(b, s, benchDeliveries(40_000, BenchBase))
	if got, err := s.ClaimDue(ctx, "bench", BenchBase.Add(9*time.Second), time.Hour, 10); err != nil || len(got) != 10 {
		b.Fatalf("ClaimDue = %d, %v; want 10 claims", len(got), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := s.NextDue(ctx); err != nil || !ok {
			b.Fatalf("NextDue = %v, %v", ok, err)
		}
	}
}

// BenchReplan measures replanning a track's 40,000 reminders: from none,
// and again when nothing changed (the common case after an import).
func BenchReplan(b *testing.B, open Factory) {
	want := manyReminders("ta", 40_000, BenchBase)
	b.Run("40,000 new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			s := open(b, time.Now)
			b.StartTimer()
			if added, _, err := s.ReplanReminders(b.Context(), "ta", want); err != nil || added != len(want) {
				b.Fatalf("ReplanReminders = %d added, %v", added, err)
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
	})
	b.Run("40,000 unchanged", func(b *testing.B) {
		s := open(b, time.Now)
		if _, _, err := s.ReplanReminders(b.Context(), "ta", want); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if added, removed, err := s.ReplanReminders(b.Context(), "ta", want); err != nil || added+removed != 0 {
				b.Fatalf("ReplanReminders = %d added, %d removed, %v; want no change", added, removed, err)
			}
		}
	})
}
