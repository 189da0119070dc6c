// Package ratelimit keeps the bot under Discord's global request ceiling
// (50 a second per bot token). Discord's per-route buckets and 429s are
// discordgo's job; this caps the total, so a fan-out to thousands of
// channels never trips the global limit.
package ratelimit

import (
	"net/http"
	"strings"

	"golang.org/x/time/rate"
)

// Transport waits for a token before each request. Interaction callbacks
// and webhook edits are exempt, as Discord exempts them, and must not
// queue behind a fan-out: Discord wants the first answer within 3 seconds.
type Transport struct {
	next    http.RoundTripper
	limiter *rate.Limiter
}

// New limits next to perSecond requests a second, with bursts of at most
// a tenth of that (at least 1).
func New(next http.RoundTripper, perSecond int) *Transport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Transport{next: next, limiter: rate.NewLimiter(rate.Limit(perSecond), max(perSecond/10, 1))}
}

// RoundTrip waits for the limiter, then sends r.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !exempt(r.URL.Path) {
		if err := t.limiter.Wait(r.Context()); err != nil {
			return nil, err
		}
	}
	return t.next.RoundTrip(r)
}

func exempt(path string) bool {
	return strings.Contains(path, "/interactions/") || strings.Contains(path, "/webhooks/")
}
