package feeds

import (
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// MaxBackoff is the longest a failing feed waits between tries.
const MaxBackoff = 6 * time.Hour

// Backoff is how long to wait before polling a feed again after failures
// failures in a row: twice the interval after the first, doubling each
// time, at most MaxBackoff; then up to a quarter less, drawn from seed, so
// feeds that failed together (a publisher down) do not come back together.
// The same seed gives the same wait, for tests; the poller can pass the
// feed's id. No failures: the interval itself.
func Backoff(interval time.Duration, failures int, seed uint64) time.Duration {
	if interval <= 0 {
		interval = time.Minute
	}
	if failures <= 0 || interval >= MaxBackoff {
		return interval
	}
	d := interval
	for range failures {
		if d >= MaxBackoff/2 {
			d = MaxBackoff
			break
		}
		d *= 2
	}
	r := rand.New(rand.NewPCG(seed, uint64(failures)))
	d -= time.Duration(r.Int64N(int64(d/4) + 1))
	return max(d, interval)
}

// Offset spreads feeds over the poll interval: each URL gets its own
// stable point in [0, interval), so a feed is polled at the same moment of
// every round and a thousand feeds do not start at once.
func Offset(url string, interval time.Duration) time.Duration {
	if interval <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(url))
	return time.Duration(h.Sum64() % uint64(interval))
}
