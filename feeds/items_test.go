package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func date(s string) time.Time {
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseReadsEveryFormat(t *testing.T) {
	tests := []struct {
		name      string
		fixture   string
		title     string
		link      string
		items     []Item
		notInText []string // markup that must not survive as text
	}{
		{
			name:    "RSS 2.0 with HTML summaries, entities, a relative link, no guid, no date",
			fixture: "rss2.xml",
			title:   "Wire & Ministry News",
			link:    "https://news.example.org/world/",
			items: []Item{
				{ID: "urn:news:2025-05-16-1", Title: "Delegations agree to a second round in Istanbul",
					Link:      "https://news.example.org/world/second-round",
					Summary:   "The delegations’ heads said a second round would follow. Prisoners & ceasefires were discussed.",
					Published: date("2025-05-16T12:04:05Z"), HasDate: true},
				{ID: "https://news.example.org/world/prisoner-exchange", Title: "Prisoner exchange: 1,000 for 1,000",
					Link:      "https://news.example.org/world/prisoner-exchange",
					Summary:   "Both sides confirmed the exchange & its size.",
					Published: date("2025-05-17T09:00:00Z"), HasDate: true},
				{ID: hashID("A statement with no link and no guid\x00Sun, 18 May 2025 10:00:00 GMT"),
					Title: "A statement with no link and no guid", Summary: "Text only.",
					Published: date("2025-05-18T10:00:00Z"), HasDate: true},
				{ID: "https://news.example.org/world/notes/undated", Title: "Undated note",
					Link: "https://news.example.org/world/notes/undated", Summary: "No date was given for this one."},
			},
			notInText: []string{"alert", "<p>", "color:red", "&amp;", "&#8217;"},
		},
		{
			name:    "RSS 1.0 (RDF) with a Dublin Core date and an undated item",
			fixture: "rss1.rdf",
			title:   "Ministry statements",
			link:    "https://mfa.example.org/",
			items: []Item{
				{ID: "https://mfa.example.org/statements/101", Title: "Statement on the memorandum",
					Link: "https://mfa.example.org/statements/101", Summary: "The ministry’s position on the memorandum.",
					Published: date("2025-06-02T09:30:00Z"), HasDate: true},
				{ID: "https://mfa.example.org/statements/102", Title: "Comment on the talks",
					Link: "https://mfa.example.org/statements/102", Summary: "A short comment."},
			},
		},
		{
			name:    "Atom 1.0 with an HTML title, a relative link, a script, and an entry dated by updated only",
			fixture: "atom.xml",
			title:   "Talks Tracker",
			link:    "https://tracker.example.org/",
			items: []Item{
				{ID: "tag:tracker.example.org,2025:round-2", Title: "Second round ends after an hour",
					Link: "https://tracker.example.org/rounds/2", Summary: "Talks & memoranda",
					Published: date("2025-06-02T11:00:00Z"), HasDate: true},
				{ID: "tag:tracker.example.org,2025:updated-only", Title: "Updated only",
					Link: "https://tracker.example.org/updated-only", Summary: "Content, not summary.",
					Published: date("2025-06-03T08:00:00Z"), HasDate: true},
			},
			notInText: []string{"document.write", "<em>"},
		},
		{
			name:    "JSON Feed 1.1 with content_html, a relative url and an undated item",
			fixture: "jsonfeed.json",
			title:   "Talks Daily",
			link:    "https://daily.example.org/",
			items: []Item{
				{ID: "2025-06-02-memo", Title: "Memoranda exchanged", Link: "https://daily.example.org/2025/06/02/memo",
					Summary: "Both sides handed over their memoranda.", Published: date("2025-06-02T10:00:00Z"), HasDate: true},
				{ID: "2025-06-03-note", Title: "A note", Link: "https://daily.example.org/notes/3",
					Summary: "Rome & Istanbul", Published: date("2025-06-03T07:00:00Z"), HasDate: true},
				{ID: "2025-06-04-undated", Title: "Undated", Summary: "Plain text"},
			},
			notInText: []string{"steal"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(bytes.NewReader(readFixture(t, tc.fixture)), mustURL(t, "https://feeds.example.net/dir/"+tc.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if res.Title != tc.title || res.Link != tc.link {
				t.Errorf("feed = %q %q, want %q %q", res.Title, res.Link, tc.title, tc.link)
			}
			if len(res.Items) != len(tc.items) {
				t.Fatalf("got %d items, want %d: %+v", len(res.Items), len(tc.items), res.Items)
			}
			for i, want := range tc.items {
				got := res.Items[i]
				if !got.Published.Equal(want.Published) || got.Published.Location() != time.UTC {
					t.Errorf("item %d published %v, want %v in UTC", i, got.Published, want.Published)
				}
				got.Published, want.Published = time.Time{}, time.Time{}
				if got != want {
					t.Errorf("item %d:\n got %+v\nwant %+v", i, got, want)
				}
				for _, bad := range tc.notInText {
					if strings.Contains(got.Title+got.Summary, bad) {
						t.Errorf("item %d keeps %q: %q / %q", i, bad, got.Title, got.Summary)
					}
				}
			}
		})
	}
}

func TestParseRefusesWhatIsNotAFeed(t *testing.T) {
	tests := []struct {
		name, fixture, reason string
	}{
		{"a malformed RSS feed is refused with the parser's reason", "malformed.xml", "XML syntax error on line 9"},
		{"an HTML page is refused as not a feed", "page.html", "failed to detect feed type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(bytes.NewReader(readFixture(t, tc.fixture)), mustURL(t, "https://x.example/"))
			nf, ok := errors.AsType[*NotFeedError](err)
			if !ok {
				t.Fatalf("err = %v, want a *NotFeedError", err)
			}
			if !strings.Contains(nf.Reason, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", nf.Reason, tc.reason)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"tags go and their text stays", "<p>One <b>two</b></p><p>three</p>", "One two three"},
		{"script and style contents go", `a<script>alert(1)</script>b<style>p{}</style>c`, "abc"},
		{"entities are decoded once", "Fish &amp; chips&#8217; &amp;lt;b&amp;gt;", "Fish & chips’ &lt;b&gt;"},
		{"escaped markup that is text stays text", "x &lt; y", "x < y"},
		{"whitespace and control characters collapse", "a\n\t b\u0000c\r\n", "a b c"},
		{"an unclosed tag does not swallow the text before it", "before <a href=", "before"},
		{"empty stays empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := plainText(tc.in, MaxSummary); got != tc.want {
				t.Errorf("plainText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTruncateCutsAtAWordWithAnEllipsis(t *testing.T) {
	long := strings.Repeat("word ", 100) // 500 characters
	got := truncate(strings.TrimSpace(long), MaxSummary)
	if n := utf8.RuneCountInString(got); n > MaxSummary {
		t.Errorf("%d characters, want at most %d", n, MaxSummary)
	}
	if !strings.HasSuffix(got, "word…") {
		t.Errorf("got %q, want whole words then an ellipsis", got[len(got)-20:])
	}

	oneWord := strings.Repeat("ж", 400)
	got = truncate(oneWord, MaxSummary)
	if got != strings.Repeat("ж", MaxSummary-1)+"…" {
		t.Errorf("a single long word is cut hard: got %d characters", utf8.RuneCountInString(got))
	}

	if got := truncate("short", MaxSummary); got != "short" {
		t.Errorf("short text changed: %q", got)
	}
}

func TestSummaryIsCappedAfterConversion(t *testing.T) {
	// Markup does not count: 400 characters of text inside far more HTML.
	html := strings.Repeat(`<span class="x">abcd </span>`, 80)
	feed := `<rss version="2.0"><channel><title>t</title><item><guid>1</guid><description><![CDATA[` + html + `]]></description></item></channel></rss>`
	res, err := Parse(strings.NewReader(feed), mustURL(t, "https://x.example/"))
	if err != nil {
		t.Fatal(err)
	}
	s := res.Items[0].Summary
	if n := utf8.RuneCountInString(s); n > MaxSummary || n < MaxSummary*4/5 {
		t.Errorf("summary has %d characters, want close to %d: %q", n, MaxSummary, s)
	}
	if strings.Contains(s, "<") || !strings.HasSuffix(s, "abcd…") {
		t.Errorf("summary %q", s)
	}
}

func TestLinksAndIDs(t *testing.T) {
	base := mustURL(t, "https://site.example/news/")
	links := []struct{ in, want string }{
		{"https://other.example/a", "https://other.example/a"},
		{"/a/b", "https://site.example/a/b"},
		{"c", "https://site.example/news/c"},
		{"//cdn.example/x", "https://cdn.example/x"},
		{"javascript:alert(1)", ""},
		{"data:text/html,hi", ""},
		{"mailto:a@b.example", ""},
		{"  ", ""},
		{"http://[::1", ""},
	}
	for _, l := range links {
		if got := absoluteLink(base, l.in); got != l.want {
			t.Errorf("absoluteLink(%q) = %q, want %q", l.in, got, l.want)
		}
	}

	long := strings.Repeat("g", maxID+1)
	feed := fmt.Sprintf(`<rss version="2.0"><channel><title>t</title>
		<item><guid>  spaced  </guid><title>a</title></item>
		<item><guid>%s</guid><title>b</title></item>
		<item><title>same</title><pubDate>Sun, 18 May 2025 10:00:00 GMT</pubDate></item>
		<item><title>same</title><pubDate>Mon, 19 May 2025 10:00:00 GMT</pubDate></item>
		<item><title>same</title></item>
	</channel></rss>`, long)
	res, err := Parse(strings.NewReader(feed), base)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, it := range res.Items {
		ids[it.ID] = true
	}
	if res.Items[0].ID != "spaced" {
		t.Errorf("a guid is trimmed: %q", res.Items[0].ID)
	}
	if res.Items[1].ID != hashID(long) {
		t.Errorf("an over-long guid is kept as its hash: %q", res.Items[1].ID[:20])
	}
	if len(ids) != 5 {
		t.Errorf("items with the same title but other dates need other ids: %v", ids)
	}
}

func TestParseDecodesTheFeedsDeclaredEncoding(t *testing.T) {
	// Many Russian and Ukrainian sites still serve windows-1251.
	res, err := Parse(bytes.NewReader(readFixture(t, "rss2-windows-1251.xml")), mustURL(t, "https://x.example/"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != "Новости" || res.Items[0].Title != "Переговоры в Стамбуле" || res.Items[0].Summary != "Делегации встретились" {
		t.Errorf("got %q, %+v", res.Title, res.Items)
	}
	if !Match([]string{"переговоры"}, res.Items[0]) {
		t.Errorf("a Cyrillic keyword does not match the decoded title")
	}
}
