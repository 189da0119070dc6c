package schedule_test

import (
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"talkbot/internal/cputime"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
)

// BenchmarkFanOut5000 sends one reminder to each of 5,000 channels, all due
// at the same instant, through a sender held to 1,000 requests a second:
// the floor is 5 s (4.9 s strictly, as the ceiling lets a tenth of a
// second's requests through at once). It reports the time from the due
// instant to the last message (s/fanout), that over 5 s (x-floor), the
// 429s the fake answered, and the most requests the fake saw in any one
// second. Run it with -benchtime 1x.
func BenchmarkFanOut5000(b *testing.B) {
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := fanOut(b, e, 5000, 1000)
				b.ReportMetric(r.elapsed.Seconds(), "s/fanout")
				b.ReportMetric(r.elapsed.Seconds()/5, "x-floor")
				b.ReportMetric(float64(r.tooMany), "429s")
				b.ReportMetric(float64(r.busiestSecond), "max-req/s")
			}
		})
	}
}

type fanOutResult struct {
	elapsed       time.Duration // from the due instant to the last message
	tooMany       int           // 429 answers
	busiestSecond int           // most message requests in any one second
}

// fanOut follows a track in n channels, imports a meeting whose 1m
// reminder falls due a few seconds later, runs a scheduler and waits for
// every channel's reminder. The benchmark's timer (and its allocation
// count) runs from the due instant to the last message.
func fanOut(b *testing.B, e engine, n, perSecond int) fanOutResult {
	b.StopTimer()
	fake := discordtest.New(b)
	s := e.open(b, time.Now)
	for i := range n {
		saveFollow(b, s, store.Follow{GuildID: guildID(i / 10), ChannelID: channelID(i), Track: "fan", Offsets: []time.Duration{time.Minute}})
	}
	due := time.Now().Add(4 * time.Second).Truncate(time.Second)
	importTracks(b, s, trackOf("fan", meeting(b, 1, due.Add(time.Minute), "Europe/Istanbul", store.StatusScheduled)))
	start(b, s, newSender(b, fake, via{perSecond: perSecond}), time.Now, schedule.Options{})
	time.Sleep(time.Until(due)) // the reminders are planned meanwhile
	b.StartTimer()

	sent := 0
	deadline := due.Add(time.Minute)
	for sent < n {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d reminders sent a minute after they were due", sent, n)
		}
		time.Sleep(20 * time.Millisecond)
		sent = 0
		for _, r := range fake.Requests() {
			if r.Route == messagesRoute && r.Status == http.StatusOK {
				sent++
			}
		}
	}
	b.StopTimer()

	var r fanOutResult
	var at []time.Time
	for _, req := range fake.Requests() {
		if req.Route != messagesRoute {
			continue
		}
		at = append(at, req.At)
		if req.Status == http.StatusTooManyRequests {
			r.tooMany++
		}
		if req.Status == http.StatusOK {
			r.elapsed = max(r.elapsed, req.At.Sub(due))
		}
	}
	r.busiestSecond = busiest(at, time.Second)
	if v := fake.Violations(); len(v) > 0 {
		b.Fatalf("violations: %v", v[0])
	}
	b.StartTimer() // b.Loop stops it
	return r
}

// busiest returns the most instants in any window of length w.
func busiest(at []time.Time, w time.Duration) int {
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	most, lo := 0, 0
	for hi := range at {
		for at[hi].Sub(at[lo]) >= w {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

// BenchmarkIdle10000Servers runs a scheduler for 20 s with 10,000 servers
// following tracks and nothing due, and reports the process's CPU time per
// second of wall time (cpu-%: percent of one core; the fake Discord and
// SQLite run in the process too), the heap in use at the end (heap-MB) and
// the store calls a second. Run it with -benchtime 1x.
func BenchmarkIdle10000Servers(b *testing.B) {
	cases := []struct {
		name  string
		ahead bool
	}{
		{"NoMeetingAhead", false},
		{"RemindersPending", true}, // a meeting in a week: 20,000 reminders wait
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				r := idle(b, 10000, tc.ahead, 20*time.Second)
				b.ReportMetric(r.cpuPercent, "cpu-%")
				b.ReportMetric(r.heapMB, "heap-MB")
				b.ReportMetric(r.callsPerSecond, "store-calls/s")
			}
		})
	}
}

type idleResult struct {
	cpuPercent, heapMB, callsPerSecond float64
}

func idle(b *testing.B, servers int, ahead bool, measure time.Duration) idleResult {
	const tracks = 10
	s := sqlitetest.Open(b, time.Now)
	var ts []store.Track
	for i := range tracks {
		r := meeting(b, 1, time.Now().Add(-72*time.Hour), "Europe/Istanbul", store.StatusHeld)
		if ahead {
			r = meeting(b, 1, time.Now().Add(7*24*time.Hour), "Europe/Istanbul", store.StatusScheduled)
		}
		ts = append(ts, trackOf(fmt.Sprintf("tr%02d", i), r))
	}
	importTracks(b, s, ts...)
	for i := range servers {
		saveFollow(b, s, store.Follow{GuildID: guildID(i), ChannelID: channelID(i), Track: fmt.Sprintf("tr%02d", i%tracks),
			Offsets: []time.Duration{24 * time.Hour, time.Hour}})
	}
	fake := discordtest.New(b)
	counted := newCountingStore(s)
	startOn(b, s, counted, newSender(b, fake, via{}), time.Now, schedule.Options{})
	time.Sleep(3 * time.Second) // the first plan
	if ahead {
		if at, ok, err := s.NextDue(b.Context()); err != nil || !ok || at.Before(time.Now().Add(measure)) {
			b.Fatalf("NextDue = %v, %v, %v; want reminders planned, none due in the next %v", at, ok, err, measure)
		}
	}

	runtime.GC()
	before, calls0 := cputime.Used(b), totalCalls(counted)
	began := time.Now()
	time.Sleep(measure)
	used, wall, calls := cputime.Used(b)-before, time.Since(began), totalCalls(counted)-calls0
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return idleResult{
		cpuPercent:     100 * used.Seconds() / wall.Seconds(),
		heapMB:         float64(ms.HeapInuse) / (1 << 20),
		callsPerSecond: float64(calls) / wall.Seconds(),
	}
}

func totalCalls(c *countingStore) int {
	calls, _ := c.snapshot()
	return calls["total"]
}
