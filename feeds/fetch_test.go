package feeds

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// newServer starts a loopback server that stands in for a feed's host.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// testClient may reach the loopback servers the tests start.
func testClient(t *testing.T) *http.Client {
	t.Helper()
	c := NewClient(ClientOptions{Version: "1.2.3", Contact: "https://talkbot.example.org", AllowPrivate: true})
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func serveFixture(t *testing.T, name, contentType string) http.HandlerFunc {
	body := readFixture(t, name)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}
}

func TestFetchParsesEachFormatFromAServer(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/rss2", serveFixture(t, "rss2.xml", "application/rss+xml"))
	mux.Handle("/rss1", serveFixture(t, "rss1.rdf", "application/rdf+xml"))
	mux.Handle("/atom", serveFixture(t, "atom.xml", "text/xml"))
	mux.Handle("/json", serveFixture(t, "jsonfeed.json", "application/feed+json"))
	srv := newServer(t, mux)
	client := testClient(t)
	tests := []struct{ path, title, firstID string }{
		{"/rss2", "Wire & Ministry News", "urn:news:2025-05-16-1"},
		{"/rss1", "Ministry statements", "https://mfa.example.org/statements/101"},
		{"/atom", "Talks Tracker", "tag:tracker.example.org,2025:round-2"},
		{"/json", "Talks Daily", "2025-06-02-memo"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			res, err := Fetch(t.Context(), client, srv.URL+tc.path, Conditional{})
			if err != nil {
				t.Fatal(err)
			}
			if res.NotModified || res.Title != tc.title || len(res.Items) == 0 || res.Items[0].ID != tc.firstID {
				t.Errorf("got %+v", res)
			}
		})
	}
}

func TestFetchResolvesRelativeLinksAgainstTheFeedURLWhenTheFeedHasNoLink(t *testing.T) {
	feed := `<rss version="2.0"><channel><title>t</title><item><title>a</title><link>items/1</link></item></channel></rss>`
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old/feed.xml" {
			http.Redirect(w, r, "/new/feed.xml", http.StatusMovedPermanently)
			return
		}
		w.Write([]byte(feed))
	}))
	res, err := Fetch(t.Context(), testClient(t), srv.URL+"/old/feed.xml", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/new/items/1"; res.Items[0].Link != want {
		t.Errorf("link %q, want %q (against where the feed was found after redirects)", res.Items[0].Link, want)
	}
}

func TestFetchSendsAUserAgentNamingTalkbot(t *testing.T) {
	var got atomic.Value
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/feed", http.StatusFound)
			return
		}
		got.Store(r.UserAgent())
		w.Write(readFixture(t, "atom.xml"))
	}))
	if _, err := Fetch(t.Context(), testClient(t), srv.URL+"/start", Conditional{}); err != nil {
		t.Fatal(err)
	}
	if ua, want := got.Load(), "talkbot/1.2.3 (+https://talkbot.example.org)"; ua != want {
		t.Errorf("User-Agent after a redirect = %q, want %q", ua, want)
	}
}

func TestFetchIsConditional(t *testing.T) {
	const etag, lastModified = `"v1"`, "Mon, 02 Jun 2025 10:00:00 GMT"
	var full atomic.Int32
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastModified {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastModified)
		w.Write(readFixture(t, "rss2.xml"))
	}))
	client := testClient(t)

	first, err := Fetch(t.Context(), client, srv.URL, Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || first.ETag != etag || first.LastModified != lastModified || len(first.Items) != 4 {
		t.Fatalf("first fetch: %+v", first)
	}
	tests := []struct {
		name string
		c    Conditional
	}{
		{"both validators", Conditional{ETag: first.ETag, LastModified: first.LastModified}},
		{"the ETag alone", Conditional{ETag: first.ETag}},
		{"Last-Modified alone", Conditional{LastModified: first.LastModified}},
	}
	for _, tc := range tests {
		t.Run("a 304 answers "+tc.name+" and keeps the validators", func(t *testing.T) {
			res, err := Fetch(t.Context(), client, srv.URL, tc.c)
			if err != nil {
				t.Fatal(err)
			}
			if !res.NotModified || len(res.Items) != 0 || res.ETag != tc.c.ETag || res.LastModified != tc.c.LastModified {
				t.Errorf("got %+v", res)
			}
		})
	}
	if _, err := Fetch(t.Context(), client, srv.URL, Conditional{ETag: `"v0"`}); err != nil {
		t.Fatal(err)
	}
	if n := full.Load(); n != 2 {
		t.Errorf("the server sent the feed %d times, want 2 (the first fetch and the stale ETag)", n)
	}
}

func TestFetchReportsStatusAndRetryAfter(t *testing.T) {
	serverDate := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		code       int
		retryAfter string
		want       time.Duration
	}{
		{"429 with Retry-After in seconds", http.StatusTooManyRequests, "120", 2 * time.Minute},
		{"503 with Retry-After as an HTTP date, measured from the server's Date", http.StatusServiceUnavailable,
			serverDate.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"429 without Retry-After", http.StatusTooManyRequests, "", 0},
		{"429 with an unreadable Retry-After", http.StatusTooManyRequests, "soon", 0},
		{"404 ignores Retry-After", http.StatusNotFound, "120", 0},
		{"500", http.StatusInternalServerError, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", serverDate.Format(http.TimeFormat))
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.code)
			}))
			_, err := Fetch(t.Context(), testClient(t), srv.URL, Conditional{})
			se, ok := errors.AsType[*StatusError](err)
			if !ok {
				t.Fatalf("err = %v, want a *StatusError", err)
			}
			if se.Code != tc.code || se.RetryAfter != tc.want {
				t.Errorf("got %+v, want code %d retry after %s", se, tc.code, tc.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"30"}}, 30 * time.Second},
		{"zero seconds", http.Header{"Retry-After": {"0"}}, 0},
		{"negative seconds", http.Header{"Retry-After": {"-5"}}, 0},
		{"a huge number is capped at a day", http.Header{"Retry-After": {"99999999999999999"}}, 24 * time.Hour},
		{"a date without Date is measured from now", http.Header{"Retry-After": {now.Add(time.Hour).Format(http.TimeFormat)}}, time.Hour},
		{"a date in the past", http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0},
		{"a date a year away is capped at a day", http.Header{"Retry-After": {now.AddDate(1, 0, 0).Format(http.TimeFormat)}}, 24 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := retryAfter(tc.h, now); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFetchCapsTheBody(t *testing.T) {
	feedStart := `<?xml version="1.0"?><rss version="2.0"><channel><title>big</title><description>`
	padding := bytes.Repeat([]byte(" "), MaxBodySize)

	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write([]byte(feedStart))
	for range 4 { // 20 MB once inflated, about 20 KB on the wire
		zw.Write(padding)
	}
	zw.Close()

	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"a gzip bomb stops at the cap after decompression", func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				t.Errorf("the client did not offer gzip")
			}
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(bomb.Len()))
			w.Write(bomb.Bytes())
		}},
		{"a declared length over the cap is refused", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(MaxBodySize+len(feedStart)))
			w.Write([]byte(feedStart))
			w.Write(padding)
		}},
		{"an undeclared length over the cap stops at the cap", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(feedStart))
			for range 3 {
				w.Write(padding)
				w.(http.Flusher).Flush()
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.handler)
			_, err := Fetch(t.Context(), testClient(t), srv.URL, Conditional{})
			if _, ok := errors.AsType[*TooLargeError](err); !ok {
				t.Fatalf("err = %v, want a *TooLargeError", err)
			}
			if !strings.Contains(err.Error(), "larger than 5 MB") {
				t.Errorf("error %q does not say the cap", err)
			}
		})
	}

	t.Run("a gzipped feed under the cap is read", func(t *testing.T) {
		var small bytes.Buffer
		zw := gzip.NewWriter(&small)
		zw.Write(readFixture(t, "rss2.xml"))
		zw.Close()
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(small.Bytes())
		}))
		res, err := Fetch(t.Context(), testClient(t), srv.URL, Conditional{})
		if err != nil || len(res.Items) != 4 {
			t.Fatalf("got %d items, err %v", len(res.Items), err)
		}
	})
}

func TestFetchRefusesWhatIsNotAFeed(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/malformed", serveFixture(t, "malformed.xml", "application/rss+xml"))
	mux.Handle("/page", serveFixture(t, "page.html", "text/html"))
	srv := newServer(t, mux)
	for path, reason := range map[string]string{"/malformed": "XML syntax error", "/page": "failed to detect feed type"} {
		_, err := Fetch(t.Context(), testClient(t), srv.URL+path, Conditional{})
		nf, ok := errors.AsType[*NotFeedError](err)
		if !ok || !strings.Contains(nf.Reason, reason) {
			t.Errorf("%s: err = %v, want a *NotFeedError saying %q", path, err, reason)
		}
	}
}

func TestFetchTimesOutOnASlowServer(t *testing.T) {
	// The handlers hold the request until the client hangs up, or the
	// test ends (release), so nothing here depends on a sleep.
	wait := func(r *http.Request, release chan struct{}) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	tests := []struct {
		name    string
		handler func(release chan struct{}) http.HandlerFunc
	}{
		{"no headers in time", func(release chan struct{}) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) { wait(r, release) }
		}},
		{"the body trickles", func(release chan struct{}) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(`<rss version="2.0"><channel>`))
				w.(http.Flusher).Flush()
				wait(r, release)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			srv := newServer(t, tc.handler(release))
			t.Cleanup(func() { close(release) }) // before the server's Close, which waits for handlers
			client := NewClient(ClientOptions{AllowPrivate: true, Timeout: 200 * time.Millisecond})
			_, err := Fetch(t.Context(), client, srv.URL, Conditional{})
			ne, ok := errors.AsType[net.Error](err)
			if !ok || !ne.Timeout() {
				t.Fatalf("err = %v, want a timeout", err)
			}
		})
	}
}
