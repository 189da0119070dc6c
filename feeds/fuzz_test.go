package feeds

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"rss2.xml", "rss1.rdf", "atom.xml", "jsonfeed.json", "rss2-windows-1251.xml", "malformed.xml", "page.html"} {
		f.Add(readFixture(f, name))
	}
	base := mustURL(f, "https://feeds.example.net/dir/feed.xml")
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := Parse(bytes.NewReader(body), base)
		if err != nil {
			if _, ok := errors.AsType[*NotFeedError](err); !ok {
				t.Fatalf("err %v is not a *NotFeedError", err)
			}
			return
		}
		checkText(t, "feed title", res.Title, MaxTitle)
		for _, it := range res.Items {
			if it.ID == "" || len(it.ID) > maxID || !utf8.ValidString(it.ID) {
				t.Errorf("id %q", it.ID)
			}
			checkText(t, "title", it.Title, MaxTitle)
			checkText(t, "summary", it.Summary, MaxSummary)
			if it.Link != "" && !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") {
				t.Errorf("link %q", it.Link)
			}
			if !it.HasDate && !it.Published.IsZero() {
				t.Errorf("no date but Published %v", it.Published)
			}
		}
	})
}

func checkText(t *testing.T, what, s string, max int) {
	t.Helper()
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max || strings.TrimSpace(s) != s ||
		strings.ContainsAny(s, "\n\r\t\x00") || strings.Contains(s, "  ") {
		t.Errorf("%s %q is not one clean line of at most %d characters", what, s, max)
	}
}

func FuzzPlainText(f *testing.F) {
	f.Add(`<p>The delegations&#8217; heads &amp; <b>aides</b><script>alert(1)</script></p>`)
	f.Add(`&lt;script&gt;x&lt;/script&gt;`)
	f.Add(strings.Repeat("word ", 100))
	f.Fuzz(func(t *testing.T, s string) {
		checkText(t, "text", plainText(s, MaxSummary), MaxSummary)
	})
}

func FuzzMatch(f *testing.F) {
	f.Add("Ceasefires discussed in Istanbul", "Talks continue.", "ceasefire")
	f.Add("Prisoners exchanged", "", "prisoner exchange")
	f.Add("", "Переговоры", "ПЕРЕГОВОРЫ")
	f.Fuzz(func(t *testing.T, title, summary, keyword string) {
		it := Item{Title: title, Summary: summary}
		if !Match(nil, it) {
			t.Errorf("no keywords must match every item")
		}
		Match([]string{keyword}, it)
		if len(words(keyword)) > 0 && !Match([]string{keyword}, Item{Title: keyword}) {
			t.Errorf("%q does not match itself", keyword)
		}
	})
}

func BenchmarkParse200Items(b *testing.B) {
	var feed bytes.Buffer
	feed.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench</title><link>https://bench.example/</link>`)
	for i := range 200 {
		feed.WriteString(`<item><title>Delegations meet for round ` + strings.Repeat("x", i%7) + `</title>`)
		feed.WriteString(`<link>/news/` + strings.Repeat("a", i%13) + `</link><guid>urn:bench:` + string(rune('a'+i%26)) + strings.Repeat("b", i) + `</guid>`)
		feed.WriteString(`<pubDate>Fri, 16 May 2025 15:04:05 +0300</pubDate><description><![CDATA[<p>The heads of the delegations said a <b>second round</b> would follow &amp; that prisoners would be exchanged.</p><script>x()</script><p>` + strings.Repeat("More text about the talks. ", 10) + `</p>]]></description></item>`)
	}
	feed.WriteString(`</channel></rss>`)
	body := feed.Bytes()
	base := mustURL(b, "https://bench.example/feed.xml")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(bytes.NewReader(body), base)
		if err != nil || len(res.Items) != 200 {
			b.Fatalf("%d items, %v", len(res.Items), err)
		}
	}
}
