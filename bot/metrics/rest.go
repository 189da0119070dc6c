package metrics

import (
	"net/http"
	"strconv"
	"strings"
)

// RESTTransport wraps next so that every request through it is counted in
// talkbot_rest_requests_total by templated route and status. Give it to the
// http.Client of the Discord session. On a nil *Metrics it returns next.
func (m *Metrics) RESTTransport(next http.RoundTripper) http.RoundTripper {
	if m == nil {
		return next
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &restTransport{next: next, requests: m}
}

type restTransport struct {
	next     http.RoundTripper
	requests *Metrics
}

func (t *restTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	status := "error"
	if err == nil {
		status = strconv.Itoa(resp.StatusCode)
	}
	t.requests.restRequests.WithLabelValues(routeTemplate(req.URL.Path), status).Inc()
	return resp, err
}

// Placeholders that replace variable path segments in a route label.
const (
	idPlaceholder    = "{id}"
	tokenPlaceholder = "{token}"
	emojiPlaceholder = "{emoji}"
	paramPlaceholder = "{param}"
)

// routeTemplate turns a REST path into a label with bounded cardinality that
// never carries a secret: /api/v9/webhooks/123/aBc.../messages/@original
// becomes /api/v9/webhooks/{id}/{token}/messages/@original.
//
// Discord's paths put interaction and webhook tokens right after
// interactions/{id}/ and webhooks/{id}/, so those positions are always
// replaced. As a second line of defence only short lowercase words (route
// names such as "messages", "@original", "v9") are kept verbatim: anything
// else, a token in a route this function does not know included, becomes
// {param}. The query string is never looked at.
func routeTemplate(path string) string {
	path = strings.Trim(path, "/")
	if path == "" {
		return "/"
	}
	var b strings.Builder
	b.Grow(len(path))
	// prev and prevPrev are the two previous segments as they appear in the
	// label, so positional rules can look back past an {id}.
	var prev, prevPrev string
	for seg := range strings.SplitSeq(path, "/") {
		out := templateSegment(seg, prev, prevPrev)
		b.WriteByte('/')
		b.WriteString(out)
		prevPrev, prev = prev, out
	}
	return b.String()
}

func templateSegment(seg, prev, prevPrev string) string {
	switch {
	case (prevPrev == "webhooks" || prevPrev == "interactions") && prev == idPlaceholder:
		return tokenPlaceholder
	case prev == "reactions":
		return emojiPlaceholder
	case isDigits(seg):
		return idPlaceholder
	case isRouteWord(seg):
		return seg
	}
	return paramPlaceholder
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isRouteWord reports whether s looks like a fixed part of a Discord route:
// short, lowercase, no characters a token or an encoded emoji would have.
func isRouteWord(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' && c != '@' {
			return false
		}
	}
	return true
}
