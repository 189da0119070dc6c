package feeds

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// ErrTooManyRedirects is returned when a feed redirects more than
// MaxRedirects times.
var ErrTooManyRedirects = fmt.Errorf("feeds: stopped after %d redirects", MaxRedirects)

// BlockedAddressError is a connection refused because the address is not
// on the public internet.
type BlockedAddressError struct {
	Addr   string // the address connected to, e.g. "127.0.0.1"
	Reason string // "loopback", "private", ...
}

func (e *BlockedAddressError) Error() string {
	return fmt.Sprintf("feeds: address %s is not allowed (%s): a feed must be on the public internet", e.Addr, e.Reason)
}

// SchemeError is a URL, given or redirected to, that is not http or https.
type SchemeError struct {
	Scheme string
}

func (e *SchemeError) Error() string {
	if e.Scheme == "" {
		return "feeds: the URL has no scheme: only http:// and https:// URLs are allowed"
	}
	return fmt.Sprintf("feeds: %s: URLs are not allowed, only http:// and https://", e.Scheme)
}

// TooLargeError is a feed whose body, after decompression, is over the cap.
type TooLargeError struct {
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("feeds: the feed is larger than %d MB (after decompression)", e.Limit>>20)
}

// StatusError is an answer other than 2xx or 304.
type StatusError struct {
	Code int
	// RetryAfter is what the server asked for with Retry-After on 429 and
	// 503 (in seconds or as an HTTP date); zero when it asked nothing.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("feeds: the server answered %d %s", e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// NotFeedError is a body that is not an RSS, Atom or JSON feed; Reason is
// the parser's.
type NotFeedError struct {
	Reason string
}

func (e *NotFeedError) Error() string {
	return "feeds: not a feed: " + e.Reason
}

func checkScheme(scheme string) error {
	if scheme == "http" || scheme == "https" {
		return nil
	}
	return &SchemeError{Scheme: scheme}
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date.
// A date is measured from the answer's own Date header when it has one,
// so a server whose clock differs from ours still gets the wait it meant;
// now is used otherwise. Anything unreadable or in the past is zero.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		// A day is far past any sensible wait; the cap also keeps the
		// multiplication from overflowing.
		return min(time.Duration(min(secs, 86400))*time.Second, 24*time.Hour)
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	d := at.Sub(now)
	if d <= 0 {
		return 0
	}
	return min(d, 24*time.Hour)
}
