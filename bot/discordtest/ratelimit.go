package discordtest

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type limitSpec struct {
	limit  int
	window time.Duration
}

// bucket is one route's allowance for one set of major parameters, as
// Discord counts them: "/channels/1/messages" and "/channels/2/messages"
// have separate buckets of the same route.
type bucket struct {
	remaining int
	resetAt   time.Time
}

// majorParams are the path parameters that split a route's rate limit
// (Discord: channel, guild, webhook id+token); an interaction's callback
// route is split by interaction as well.
var majorParams = []string{"channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id", "interaction_token"}

// injection is a scripted answer to the next requests of a route.
type injection struct {
	route      string
	left       int
	status     int
	body       any
	rateLimit  bool
	retryAfter time.Duration
	global     bool
}

// FailNext makes the next n requests of route (e.g.
// "POST /channels/{channel_id}/messages") answer status with body as JSON;
// a nil body becomes Discord's {"message": "<status> <text>", "code": 0}.
// discordgo retries a 502 up to its MaxRestRetries. Call it from the test
// goroutine: an unknown route fails the test.
func (s *Server) FailNext(route string, n int, status int, body any) {
	s.t.Helper()
	s.mustKnowRoute(route)
	if body == nil {
		body = errorBody(0, strconv.Itoa(status)+": "+http.StatusText(status))
	}
	s.inject(&injection{route: route, left: n, status: status, body: body})
}

// RateLimitNext makes the next n requests of route answer 429 with Discord's
// body {"message", "retry_after" (seconds), "global"} and headers:
// Retry-After and, for a global limit, X-RateLimit-Global and
// X-RateLimit-Scope: global (and no bucket headers, as Discord does); for a
// route limit, the bucket headers with Remaining 0 and Reset-After equal to
// retryAfter, and X-RateLimit-Scope: user. Call it from the test goroutine.
func (s *Server) RateLimitNext(route string, n int, retryAfter time.Duration, global bool) {
	s.t.Helper()
	s.mustKnowRoute(route)
	s.inject(&injection{route: route, left: n, status: http.StatusTooManyRequests, rateLimit: true, retryAfter: retryAfter, global: global})
}

// SetRateLimit gives route a real bucket of limit requests per window (per
// major parameter, as Discord counts) instead of the default: every answer
// carries X-RateLimit-Limit, -Remaining, -Reset, -Reset-After and -Bucket,
// and a request over the limit gets a 429. Call it from the test goroutine.
func (s *Server) SetRateLimit(route string, limit int, window time.Duration) {
	s.t.Helper()
	s.mustKnowRoute(route)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits[route] = limitSpec{limit: limit, window: window}
	for k := range s.buckets {
		if k == route || strings.HasPrefix(k, route+" ") {
			delete(s.buckets, k) // a new limit starts with a full bucket
		}
	}
}

func (s *Server) inject(in *injection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.injections = append(s.injections, in)
}

// takeInjection uses up one answer scripted for route, if there is one.
func (s *Server) takeInjection(route string) *injection {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, in := range s.injections {
		if in.route == route && in.left > 0 {
			in.left--
			c := *in
			return &c
		}
	}
	return nil
}

// bucketKey names the bucket of a request: the route (or, for a path that
// is not a Discord route, the path) and its major parameters.
func bucketKey(r *Request) string {
	key := r.Route
	if key == "" {
		key = r.Method + " " + r.Path
	}
	for _, p := range majorParams {
		if v, ok := r.Params[p]; ok {
			key += " " + p + "=" + v
		}
	}
	return key
}

// limitLocked returns the bucket size of route: SetRateLimit's, else the
// default. s.mu must be held.
func (s *Server) limitLocked(route string) limitSpec {
	if spec, ok := s.limits[route]; ok {
		return spec
	}
	return defaultLimit
}

// take counts r against its bucket and returns the rate-limit headers to
// send and, when the bucket is empty, how long until it refills.
func (s *Server) take(r *Request, now time.Time) (http.Header, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	spec := s.limitLocked(r.Route)
	key := bucketKey(r)
	b := s.buckets[key]
	if b == nil || !now.Before(b.resetAt) {
		b = &bucket{remaining: spec.limit, resetAt: now.Add(spec.window)}
		s.buckets[key] = b
	}
	h := http.Header{}
	if b.remaining == 0 {
		wait := b.resetAt.Sub(now)
		setBucketHeaders(h, r.Route, spec.limit, 0, b.resetAt, now)
		setRetryHeaders(h, wait, "user")
		return h, wait
	}
	b.remaining--
	setBucketHeaders(h, r.Route, spec.limit, b.remaining, b.resetAt, now)
	return h, 0
}

// peek returns the headers of r's bucket without counting r, for answers
// scripted by FailNext.
func (s *Server) peek(r *Request, now time.Time) http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	spec := s.limitLocked(r.Route)
	remaining, resetAt := spec.limit, now.Add(spec.window)
	if b := s.buckets[bucketKey(r)]; b != nil && now.Before(b.resetAt) {
		remaining, resetAt = b.remaining, b.resetAt
	}
	h := http.Header{}
	setBucketHeaders(h, r.Route, spec.limit, remaining, resetAt, now)
	return h
}

// injectedRateLimit builds the answer of a RateLimitNext.
func (s *Server) injectedRateLimit(r *Request, in *injection, now time.Time) response {
	h := http.Header{}
	scope := "global"
	if !in.global {
		scope = "user"
		s.mu.Lock()
		spec := s.limitLocked(r.Route)
		s.mu.Unlock()
		setBucketHeaders(h, r.Route, spec.limit, 0, now.Add(in.retryAfter), now)
	} else {
		// discordgo blocks every bucket when this header is present at
		// all, whatever its value, so it is sent only on a global limit.
		h.Set("X-RateLimit-Global", "true")
	}
	setRetryHeaders(h, in.retryAfter, scope)
	return response{status: http.StatusTooManyRequests, header: h, body: rateLimitBody(in.retryAfter, in.global)}
}

func rateLimitBody(wait time.Duration, global bool) map[string]any {
	return map[string]any{
		"message":     "You are being rate limited.",
		"retry_after": math.Ceil(wait.Seconds()*1000) / 1000,
		"global":      global,
	}
}

func setBucketHeaders(h http.Header, route string, limit, remaining int, resetAt, now time.Time) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(resetAt.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", seconds(resetAt.Sub(now)))
	sum := sha256.Sum256([]byte(route))
	h.Set("X-RateLimit-Bucket", hex.EncodeToString(sum[:8]))
}

func setRetryHeaders(h http.Header, wait time.Duration, scope string) {
	// Retry-After is whole seconds, rounded up, as Discord sends it.
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	h.Set("X-RateLimit-Scope", scope)
}

// seconds formats d in seconds with millisecond precision, rounded up so
// that a client waiting that long is never early.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(math.Ceil(max(d, 0).Seconds()*1000)/1000, 'f', 3, 64)
}
