package feeds

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// MaxBodySize caps a feed's body after decompression: a compressed bomb
// stops here instead of filling memory.
const MaxBodySize = 5 << 20

// Conditional carries the validators of the previous answer, so a feed
// that has not changed answers 304 and costs nothing more.
type Conditional struct {
	ETag         string
	LastModified string
}

// Result is what one fetch brought.
type Result struct {
	// NotModified is true for a 304: the other fields but the validators
	// are empty, and the previous items stand.
	NotModified bool
	// ETag and LastModified are the validators to send next time.
	ETag         string
	LastModified string
	// Title is the feed's own title, as plain text: the publisher.
	Title string
	// Link is the feed's web site, absolute, or "".
	Link  string
	Items []Item
}

// acceptFeeds asks for feeds first, but takes whatever comes: many
// servers label feeds text/xml or text/html.
const acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/json;q=0.8, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"

// Fetch gets and parses the feed at feedURL with client (from NewClient),
// sending c's validators. Failures come back as values: *SchemeError,
// *BlockedAddressError (inside the *url.Error of the request),
// ErrTooManyRedirects, *StatusError, *TooLargeError, *NotFeedError, or the
// client's own network and timeout errors.
func Fetch(ctx context.Context, client *http.Client, feedURL string, c Conditional) (Result, error) {
	u, err := url.Parse(feedURL)
	if err != nil {
		return Result{}, fmt.Errorf("feeds: reading the URL: %w", err)
	}
	if err := checkScheme(u.Scheme); err != nil {
		return Result{}, err
	}
	if u.Host == "" {
		return Result{}, fmt.Errorf("feeds: the URL %q has no host", feedURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Result{}, fmt.Errorf("feeds: building the request: %w", err)
	}
	req.Header.Set("Accept", acceptFeeds)
	if c.ETag != "" {
		req.Header.Set("If-None-Match", c.ETag)
	}
	if c.LastModified != "" {
		req.Header.Set("If-Modified-Since", c.LastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Result{}, err
	}
	defer resp.Body.Close()

	res := Result{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		// A 304 may leave out the validators; the old ones still hold.
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = c.ETag
		}
		if res.LastModified == "" {
			res.LastModified = c.LastModified
		}
		return res, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		se := &StatusError{Code: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = retryAfter(resp.Header, time.Now())
		}
		return Result{}, se
	}

	// net/http has already undone gzip (it asked for it), so the cap
	// counts decompressed bytes; a declared length over it is refused
	// before reading anything.
	if resp.ContentLength > MaxBodySize {
		return Result{}, &TooLargeError{Limit: MaxBodySize}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodySize+1))
	if err != nil {
		return Result{}, fmt.Errorf("feeds: reading the feed: %w", err)
	}
	if len(body) > MaxBodySize {
		return Result{}, &TooLargeError{Limit: MaxBodySize}
	}
	parsed, err := Parse(bytes.NewReader(body), resp.Request.URL)
	if err != nil {
		return Result{}, err
	}
	parsed.ETag, parsed.LastModified = res.ETag, res.LastModified
	return parsed, nil
}
