package feeds

import (
	"fmt"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	const interval = 10 * time.Minute
	if got := Backoff(interval, 0, 1); got != interval {
		t.Errorf("no failures: %s, want the interval", got)
	}
	base := interval
	for failures := 1; failures <= 40; failures++ {
		base = min(base*2, MaxBackoff)
		got := Backoff(interval, failures, 42)
		if got < base*3/4 || got > base {
			t.Errorf("%d failures: %s, want within [%s, %s]", failures, got, base*3/4, base)
		}
		if again := Backoff(interval, failures, 42); again != got {
			t.Errorf("%d failures: the same seed gave %s then %s", failures, got, again)
		}
	}
	if got := Backoff(interval, 1<<30, 7); got > MaxBackoff || got < MaxBackoff*3/4 {
		t.Errorf("a huge failure count: %s", got)
	}
	seen := map[time.Duration]bool{}
	for seed := range uint64(20) {
		seen[Backoff(interval, 3, seed)] = true
	}
	if len(seen) < 10 {
		t.Errorf("20 seeds gave only %d waits: the jitter does not spread", len(seen))
	}
	if got := Backoff(12*time.Hour, 3, 1); got != 12*time.Hour {
		t.Errorf("an interval past the cap: %s, want the interval", got)
	}
}

func TestOffsetSpreadsFeedsStably(t *testing.T) {
	const interval = 10 * time.Minute
	perMinute := make([]int, 10)
	for i := range 1000 {
		url := fmt.Sprintf("https://feeds%d.example.org/rss", i)
		o := Offset(url, interval)
		if o < 0 || o >= interval {
			t.Fatalf("%s: offset %s outside [0, %s)", url, o, interval)
		}
		if Offset(url, interval) != o {
			t.Fatalf("%s: the offset changed", url)
		}
		perMinute[o/time.Minute]++
	}
	for m, n := range perMinute {
		if n < 50 || n > 150 {
			t.Errorf("minute %d has %d of 1000 feeds, want about 100: %v", m, n, perMinute)
		}
	}
	if Offset("https://x.example/", 0) != 0 {
		t.Errorf("a zero interval needs no offset")
	}
}
