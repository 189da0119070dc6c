package newsdesk_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// feedServer is a loopback host for the tests' feeds: it serves an RSS 2.0
// document it writes from the items it holds, answers a conditional GET
// with 304 when nothing changed, and can be told to fail.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	items    []feedItem
	status   int    // answer this instead of the feed, when set
	retry    string // its Retry-After
	requests []http.Header
}

type feedItem struct {
	id, title, summary string
	at                 time.Time // zero: undated
}

func newFeedServer(t *testing.T, items ...feedItem) *feedServer {
	t.Helper()
	fs := &feedServer{items: items}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) url() string { return fs.URL + "/feed.xml" }

func (fs *feedServer) set(items ...feedItem) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.items = items
}

func (fs *feedServer) fail(status int, retryAfter string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.status, fs.retry = status, retryAfter
}

// seen returns the headers of the requests so far.
func (fs *feedServer) seen() []http.Header {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]http.Header(nil), fs.requests...)
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.requests = append(fs.requests, r.Header.Clone())
	if fs.status != 0 {
		if fs.retry != "" {
			w.Header().Set("Retry-After", fs.retry)
		}
		http.Error(w, "not now", fs.status)
		return
	}
	body := rss(fs.items)
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprint(w, body)
}

func rss(items []feedItem) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire &amp; Ministry</title><link>https://wire.example.org/</link><description>news</description>`)
	for _, it := range items {
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">%s</guid><title>%s</title><link>https://wire.example.org/%s</link><description>%s</description>`,
			html.EscapeString(it.id), html.EscapeString(it.title), it.id, html.EscapeString(it.summary))
		if !it.at.IsZero() {
			fmt.Fprintf(&b, `<pubDate>%s</pubDate>`, it.at.UTC().Format(time.RFC1123Z))
		}
		b.WriteString(`</item>`)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func itoa(n int) string { return strconv.Itoa(n) }
