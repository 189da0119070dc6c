package feeds

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// BenchmarkParse500Items parses an RSS 2.0 feed of 500 items, each with
// its own GUID, a date and an HTML summary longer than the 300 characters
// kept (paragraphs, markup, a script and entities to strip): the feed
// read, every item's text made plain, its link resolved and its id taken.
func BenchmarkParse500Items(b *testing.B) {
	const n = 500
	var feed bytes.Buffer
	feed.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire &amp; Ministry</title><link>https://wire.example.org/</link><description>news</description>`)
	at := time.Date(2025, 5, 16, 15, 4, 5, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&feed, `<item><title>Delegations meet for round %d in Istanbul</title><link>/news/%d</link><guid isPermaLink="false">urn:wire:%d</guid><pubDate>%s</pubDate>`,
			i%40+1, i, i, at.Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z))
		fmt.Fprintf(&feed, `<description><![CDATA[<p>The heads of the delegations said a <b>second round</b> would follow &amp; that prisoners would be exchanged (item %d).</p><script>track(%d)</script><p>%s</p>]]></description></item>`,
			i, i, strings.Repeat("The ceasefire memorandum was discussed at length. ", 8))
	}
	feed.WriteString(`</channel></rss>`)
	body := feed.Bytes()
	base := mustURL(b, "https://wire.example.org/feed.xml")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(bytes.NewReader(body), base)
		if err != nil || len(res.Items) != n {
			b.Fatalf("%d items, %v", len(res.Items), err)
		}
	}
}
