package dataset

import (
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"

	"talkbot/store"
)

// feed reads one of a track's news feeds. lines holds the line of each URL
// so far, to refuse the same feed twice.
func (d *decoder) feed(n *yaml.Node, sc *scope, lines map[string]int) (store.Feed, bool) {
	o := d.object(n, "a feed", feedKeys)
	if o == nil {
		return store.Feed{}, false
	}
	f := store.Feed{Track: sc.track}
	var un *yaml.Node
	if f.URL, un = d.text(o, "url", true); un != nil {
		if why := FeedURLProblem(f.URL); why != "" {
			d.errorf(un, "bad feed url %q: %s", f.URL, why)
		} else if line, dup := lines[f.URL]; dup {
			d.errorf(un, "duplicate feed %q (first at line %d): keep one, with every keyword in it", f.URL, line)
		} else {
			lines[f.URL] = un.Line
		}
	}
	f.Title, _ = d.text(o, "title", false)
	f.Keywords = d.texts(o, "keywords")
	return f, true
}

// FeedURLProblem says what is wrong with a feed's address, "" when it is
// an absolute http or https URL without credentials. The poller refuses
// every other scheme (file:, ftp:, gopher:...) as well; saying so here
// stops a curator's mistake at check time rather than as a failing feed.
// A feed added from Discord must pass it too, or an export of it would
// not import.
func FeedURLProblem(s string) string {
	const example = `e.g. "https://example.org/news/feed.xml"`
	if strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\r\n") {
		return "remove the spaces (encode a space in the address as %20)"
	}
	u, err := url.Parse(s)
	if err != nil {
		return "not a web address: write it as the browser shows it, " + example
	}
	switch {
	// "example.org:8080/feed" parses as the scheme "example.org" with an
	// opaque rest: to a curator it is an address without its https://.
	case u.Scheme == "" || u.Opaque != "":
		return "not a full address: start it with https:// (or http://), " + example
	case u.Scheme != "http" && u.Scheme != "https":
		return "talkbot fetches feeds only over http and https, not " + u.Scheme + ": use the feed's web address, " + example
	case u.Host == "" || u.Hostname() == "":
		return "no host after " + u.Scheme + "://: " + example
	case u.User != nil:
		return "a user name or password in the address would be shown to every reader of the data: use a feed that needs none"
	}
	return ""
}
