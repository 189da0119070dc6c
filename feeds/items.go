package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/mmcdole/gofeed"
)

// MaxSummary and MaxTitle are the most characters kept of an item's
// summary and of a title: a news post needs the gist, and a feed must not
// be able to fill the store.
const (
	MaxSummary = 300
	MaxTitle   = 300
)

// maxID is the longest id kept as it is; a longer one is kept as its hash.
const maxID = 512

// Item is one entry of a feed, as plain text.
type Item struct {
	// ID is the entry's GUID or id, else its link, else a hash of its title
	// and date: what tells an item already seen from a new one.
	ID    string
	Title string
	// Link is absolute http(s), or "" when the entry has none usable.
	Link    string
	Summary string
	// Published is when the entry was published, else updated, in UTC;
	// HasDate is false, and Published zero, when the feed gave neither.
	Published time.Time
	HasDate   bool
}

// Parse reads an RSS (0.9x, 1.0, 2.0), Atom or JSON feed from r. feedURL
// is where it came from, against which relative links are resolved (after
// the feed's own link, when that is absolute). A body that is not a feed
// is a *NotFeedError with the parser's reason.
func Parse(r io.Reader, feedURL *url.URL) (Result, error) {
	f, err := gofeed.NewParser().Parse(r)
	if err != nil {
		return Result{}, &NotFeedError{Reason: err.Error()}
	}
	base := feedURL
	if base == nil {
		base = &url.URL{}
	}
	res := Result{
		Title: plainText(f.Title, MaxTitle),
		Link:  absoluteLink(base, f.Link),
	}
	if res.Link != "" {
		base, _ = url.Parse(res.Link) // absoluteLink returned a parsed URL's String
	}
	res.Items = make([]Item, 0, len(f.Items))
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		res.Items = append(res.Items, toItem(it, base))
	}
	return res, nil
}

func toItem(it *gofeed.Item, base *url.URL) Item {
	out := Item{
		Title: plainText(it.Title, MaxTitle),
		Link:  absoluteLink(base, it.Link),
	}
	summary := it.Description
	if strings.TrimSpace(summary) == "" {
		summary = it.Content
	}
	out.Summary = plainText(summary, MaxSummary)
	switch {
	case it.PublishedParsed != nil:
		out.Published, out.HasDate = it.PublishedParsed.UTC(), true
	case it.UpdatedParsed != nil:
		out.Published, out.HasDate = it.UpdatedParsed.UTC(), true
	}
	out.ID = itemID(it, out)
	return out
}

// itemID picks the entry's own id, else its link, else a hash of what
// is left: the title and the date as the feed wrote them.
func itemID(it *gofeed.Item, out Item) string {
	id := strings.TrimSpace(it.GUID)
	if id == "" {
		id = out.Link
	}
	if id == "" {
		date := it.Published
		if date == "" {
			date = it.Updated
		}
		return hashID(strings.TrimSpace(it.Title) + "\x00" + strings.TrimSpace(date))
	}
	if len(id) > maxID || !utf8.ValidString(id) {
		return hashID(id)
	}
	return id
}

func hashID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// absoluteLink resolves link against base and keeps it only if it is
// http or https: a javascript: or data: link must not reach a post.
func absoluteLink(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	u = base.ResolveReference(u)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// strictPolicy keeps the text of HTML and drops every tag, with the
// content of script and style. A dropped tag leaves a space, so
// paragraphs and list items do not run together ("<p>a</p><p>b</p>" is
// "a b"); the cost is a space inside the rare word split by inline markup.
// Built once: building is the costly part, and a built policy is safe for
// concurrent use.
var strictPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.StrictPolicy()
	p.AddSpaceWhenStrippingTag(true)
	return p
})

// plainText turns feed HTML into one line of plain text of at most max
// characters: the sanitiser drops the markup and escapes what is left,
// so entities are decoded once afterwards (a feed's "&amp;lt;" stays
// the text "&lt;", never becomes markup again), then whitespace and
// control characters collapse to single spaces.
func plainText(s string, max int) string {
	if s == "" {
		return ""
	}
	text := html.UnescapeString(strictPolicy().Sanitize(s))
	text = strings.Join(strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
	}), " ")
	return truncate(text, max)
}

// truncate cuts text to at most max characters, at a word when one ends
// in the last fifth, and marks the cut with an ellipsis.
func truncate(text string, max int) string {
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	runes := []rune(text)[:max-1] // room for the ellipsis
	cut := len(runes)
	for i := len(runes); i > len(runes)*4/5; i-- {
		if unicode.IsSpace(runes[i-1]) {
			cut = i - 1
			break
		}
	}
	return strings.TrimRightFunc(string(runes[:cut]), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	}) + "…"
}
