package web_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
	"talkbot/store/sqlstore"
	"talkbot/web"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// bundledNow is the golden files' clock: after round 1 (16 May 2025), before
// round 2 (2 June 2025, time not announced).
var bundledNow = time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC)

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

// body reads a response's body.
func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./web -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./web -update rewrites it; review the diff):\n%s", path, got)
	}
}

// staticVersions hides the files' content hashes, so that a change of the
// stylesheet does not rewrite every golden page.
var staticVersions = regexp.MustCompile(`\?v=[0-9a-f]+`)

func TestGoldenPagesOfTheBundledData(t *testing.T) {
	h := web.New(sqlitetest.Bundled(t, fixed(bundledNow)), "https://talks.example.org", nil, web.WithClock(fixed(bundledNow)))
	for _, tc := range []struct {
		path, file string
		status     int
	}{
		{"/", "home.html", 200},
		{"/t/ru-ua-istanbul", "track.html", 200},
		{"/t/ru-ua-istanbul/round/1", "round-1.html", 200},
		{"/t/ru-ua-istanbul/round/2", "round-2.html", 200},
		{"/t/no-such-track", "notfound.html", 404},
		{"/t/ru-ua-istanbul/updates.atom", "updates.atom", 200},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := get(t, h, tc.path, nil)
			if res.StatusCode != tc.status {
				t.Errorf("status %d, want %d", res.StatusCode, tc.status)
			}
			first := body(t, res)
			golden(t, tc.file, staticVersions.ReplaceAllString(first, "?v=HASH"))
			if again := body(t, get(t, h, tc.path, nil)); again != first {
				t.Error("a second request (from the cache) differs from the first")
			}
		})
	}
}

// pagePaths are a published track's pages in the fixture.
var pagePaths = []string{"/", "/t/kyiv", "/t/kyiv?page=2", "/t/kyiv/round/1", "/t/nope"}

func TestEveryPageSendsTheSecurityHeaders(t *testing.T) {
	h := web.New(fixture(t, sqlitetest.Open(t, fixed(fixtureNow))), "", nil, web.WithClock(fixed(fixtureNow)))
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Content-Type":            "text/html; charset=utf-8",
	}
	for _, path := range pagePaths {
		res := get(t, h, path, nil)
		for k, v := range want {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s: %s %q, want %q", path, k, got, v)
			}
		}
		b := body(t, res)
		for _, bad := range []string{"<style", " style=", "onload=", "onclick=", "http://", "https://fonts", "//cdn"} {
			if strings.Contains(b, bad) {
				t.Errorf("%s: the page holds %q: inline code or a third-party request", path, bad)
			}
		}
		if !strings.Contains(b, `<html lang="en">`) || !strings.Contains(b, "<main>") || !strings.Contains(b, "<h1>") {
			t.Errorf("%s: not the layout's semantic HTML", path)
		}
	}
}

func TestStaticFilesAreOursAndCachedByTheirHash(t *testing.T) {
	h := web.New(fixture(t, sqlitetest.Open(t, fixed(fixtureNow))), "", nil, web.WithClock(fixed(fixtureNow)))
	page := body(t, get(t, h, "/t/kyiv", nil))
	refs := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) != 3 {
		t.Fatalf("%d static files on the page, want the icon, the stylesheet and the script", len(refs))
	}
	for _, m := range refs {
		path := strings.ReplaceAll(m[1], "&amp;", "&")
		res := get(t, h, path, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s: Cache-Control %q, want a year", path, cc)
		}
		wantType := "text/css; charset=utf-8"
		if strings.Contains(path, ".svg") {
			wantType = "image/svg+xml"
		}
		if strings.Contains(path, ".js") {
			wantType = "text/javascript; charset=utf-8"
		}
		if ct := res.Header.Get("Content-Type"); ct != wantType {
			t.Errorf("%s: Content-Type %q, want %q", path, ct, wantType)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
		if len(body(t, res)) == 0 {
			t.Errorf("%s: empty", path)
		}
		stale := get(t, h, strings.Split(path, "?")[0]+"?v=old", nil)
		if cc := stale.Header.Get("Cache-Control"); strings.Contains(cc, "31536000") {
			t.Errorf("%s with an old hash cached for a year", path)
		}
	}
}

// fixtureNow is the fixture's clock: the evening before round 2 (29 March
// 2026, 10:00 in Kyiv, 07:00 UTC), round 1 held that day.
var fixtureNow = time.Date(2026, 3, 28, 20, 0, 0, 0, time.UTC)

// scriptStatement is a statement that would run if it were not escaped.
const scriptStatement = `<script>alert(1)</script> & "quoted"`

// fixture imports the calendar tests' tracks with positions and 45
// statements (three pages), one of them scriptStatement.
func fixture(t *testing.T, s *sqlstore.DB) *sqlstore.DB {
	t.Helper()
	tracks := generated(t)
	k := &tracks[0]
	k.People = []store.Person{{ID: "sybiha", Name: "Andrii Sybiha", Party: "ua"}, {ID: "lavrov", Name: "Sergey Lavrov", Party: "ru"}}
	k.Positions = []store.Position{
		{Party: "ua", Topic: "ceasefire", Summary: "A full ceasefire of 30 days first.", StatedOn: day(2026, 3, 1), By: "sybiha", Sources: []string{"wire"}},
		{Party: "ua", Topic: "ceasefire", Summary: "A ceasefire before any memorandum.", StatedOn: day(2026, 3, 20), Sources: []string{"wire"}},
		{Party: "ru", Topic: "memorandum", Summary: "Memorandum first.", StatedOn: day(2026, 3, 10), By: "lavrov", Sources: []string{"wire"}},
	}
	for i := range 44 {
		k.Statements = append(k.Statements, store.Statement{By: "lavrov", SaidOn: day(2026, 1, 1).AddDays(i), Text: fmt.Sprintf("Statement number %d.", i+1), Sources: []string{"wire"}})
	}
	k.Statements = append(k.Statements, store.Statement{By: "sybiha", SaidOn: day(2026, 3, 27), Medium: "post on X", Text: scriptStatement, Sources: []string{"wire"}})
	if _, err := s.ImportWith(t.Context(), tracks, store.ImportOptions{By: "import test"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPagesOnBothEngines(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			s := fixture(t, e.open(t, fixed(fixtureNow)))
			h := web.New(s, "https://talks.example.org", nil, web.WithClock(fixed(fixtureNow)))
			t.Run("unknown, unpublished and malformed paths are a 404 page", func(t *testing.T) { notFoundPages(t, h) })
			t.Run("a repeat with the ETag is a 304 until the data changes", func(t *testing.T) { notModifiedPages(t, h, s) })
			t.Run("statements are paged 20 at a time", func(t *testing.T) { paged(t, h) })
			t.Run("data text is escaped", func(t *testing.T) { escaped(t, h) })
			t.Run("the next meeting reads as UTC and Kyiv time", func(t *testing.T) { nextMeeting(t, h) })
			t.Run("a server's track made public is shown", func(t *testing.T) { publicServerTrack(t, h, s) })
		})
	}
}

// publicServerTrack runs last: it makes the server's track public.
func publicServerTrack(t *testing.T, h http.Handler, s *sqlstore.DB) {
	own, err := s.Track(t.Context(), "own")
	if err != nil {
		t.Fatal(err)
	}
	own.Public = true
	if _, err := s.ApplyEdit(t.Context(), store.Edit{Editor: store.Editor{ID: "1", Name: "Ann"}, Track: &own, TrackID: own.ID,
		Base: mustVersion(t, s, store.Entity{Kind: store.EntityTrack, Track: own.ID})}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/t/own", "/t/own/round/1", "/t/own/updates.atom"} {
		if res := get(t, h, path, nil); res.StatusCode != http.StatusOK {
			t.Errorf("%s of the public server track: status %d, want 200", path, res.StatusCode)
		}
	}
	if home := body(t, get(t, h, "/", nil)); !strings.Contains(home, "/t/own") {
		t.Error("the home page does not list the server's public track")
	}
}

func mustVersion(t *testing.T, s *sqlstore.DB, e store.Entity) int64 {
	t.Helper()
	v, err := s.Version(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func notFoundPages(t *testing.T, h http.Handler) {
	for _, path := range []string{
		"/t/nope", "/t/own", "/t/own/round/1", "/t/own/updates.atom", "/t/nope/updates.atom",
		"/t/kyiv/round/9", "/t/kyiv/round/x", "/t/kyiv/round/0", "/t/kyiv/round/-1",
		"/t/kyiv?page=0", "/t/kyiv?page=x", "/t/kyiv?page=4", "/t/kyiv?page=", "/t/kyiv?page=99999999999999999999",
		"/static/nope.css", "/nope",
	} {
		res := get(t, h, path, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.StatusCode)
			continue
		}
		b := body(t, res)
		if path == "/nope" {
			continue // the mux's own 404: no page of ours there
		}
		if !strings.Contains(b, `<a href="/">`) || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: the 404 is not our page with a link back: %q", path, b)
		}
	}
	home := body(t, get(t, h, "/", nil))
	if strings.Contains(home, "/t/own") || !strings.Contains(home, "/t/kyiv") {
		t.Errorf("the home page lists a server's own track or misses the global one:\n%s", home)
	}
}

func notModifiedPages(t *testing.T, h http.Handler, s *sqlstore.DB) {
	paths := []string{"/", "/t/kyiv", "/t/kyiv?page=2", "/t/kyiv/round/2", "/t/kyiv/updates.atom"}
	etags := map[string]string{}
	for _, path := range paths {
		first := get(t, h, path, nil)
		etags[path] = first.Header.Get("ETag")
		if etags[path] == "" {
			t.Fatalf("%s: no ETag", path)
		}
		res := get(t, h, path, map[string]string{"If-None-Match": etags[path]})
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("%s: repeat with the ETag: status %d, want 304", path, res.StatusCode)
		}
		if b := body(t, res); b != "" {
			t.Errorf("%s: a 304 with a body", path)
		}
	}
	if etags["/t/kyiv"] == etags["/t/kyiv?page=2"] {
		t.Error("two pages of statements share an ETag")
	}
	rd, err := s.Round(t.Context(), "kyiv", 2)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Version(t.Context(), store.RoundEntity("kyiv", 2))
	if err != nil {
		t.Fatal(err)
	}
	rd.Venue = "Geneva"
	if _, err := s.ApplyEdit(t.Context(), store.Edit{Editor: store.Editor{ID: "42", Name: "Olena"}, Base: base, Source: "wire", Round: &rd}); err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		res := get(t, h, path, map[string]string{"If-None-Match": etags[path]})
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s after an edit: status %d, want 200", path, res.StatusCode)
		}
	}
	if b := body(t, get(t, h, "/t/kyiv/round/2", nil)); !strings.Contains(b, "Geneva") {
		t.Error("the round page does not show the edit")
	}
	atom := body(t, get(t, h, "/t/kyiv/updates.atom", nil))
	if !strings.Contains(atom, "<title>Round 2 moved: Kyiv -&gt; Geneva</title>") {
		t.Errorf("the Atom feed does not lead with the edit:\n%s", atom)
	}
}

var statementItem = regexp.MustCompile(`<blockquote><p>`)

func paged(t *testing.T, h http.Handler) {
	for _, tc := range []struct {
		path       string
		items      int
		prev, next string
	}{
		{"/t/kyiv", 20, "", "/t/kyiv?page=2#statements"},
		{"/t/kyiv?page=1", 20, "", "/t/kyiv?page=2#statements"},
		{"/t/kyiv?page=2", 20, "/t/kyiv?page=1#statements", "/t/kyiv?page=3#statements"},
		{"/t/kyiv?page=3", 5, "/t/kyiv?page=2#statements", ""},
	} {
		b := body(t, get(t, h, tc.path, nil))
		if n := len(statementItem.FindAllString(b, -1)); n != tc.items {
			t.Errorf("%s: %d statements, want %d", tc.path, n, tc.items)
		}
		for rel, want := range map[string]string{"prev": tc.prev, "next": tc.next} {
			m := regexp.MustCompile(`<a href="([^"]+)" rel="` + rel + `">`).FindStringSubmatch(b)
			got := ""
			if m != nil {
				got = m[1]
			}
			if got != want {
				t.Errorf("%s: %s link %q, want %q", tc.path, rel, got, want)
			}
		}
	}
	// Newest first: the script statement (27 March) opens page 1, the
	// first statement (1 January) closes page 3.
	if b := body(t, get(t, h, "/t/kyiv", nil)); !strings.Contains(b[strings.Index(b, `id="statements"`):], "&lt;script&gt;") {
		t.Error("page 1 does not open with the newest statement")
	}
	if b := body(t, get(t, h, "/t/kyiv?page=3", nil)); !strings.Contains(b, "Statement number 1.") || strings.Contains(b, "Statement number 6.") {
		t.Error("page 3 does not hold the 5 oldest statements")
	}
}

func escaped(t *testing.T, h http.Handler) {
	b := body(t, get(t, h, "/t/kyiv", nil))
	if strings.Contains(b, "<script>alert") {
		t.Error("the statement's <script> is in the page as markup")
	}
	if !strings.Contains(b, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34;") {
		t.Error("the statement's text is not on the page, escaped")
	}
	if !strings.Contains(b, "Wire: Talks &lt;set&gt; &amp; &#34;planned&#34;") {
		t.Error("the source's title is not escaped")
	}
	// The Atom feed carries the same text as text, not markup.
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Content struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body(t, get(t, h, "/t/kyiv/updates.atom", nil))), &feed); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range feed.Entries {
		if e.Content.Type != "text" {
			t.Errorf("entry %q: content type %q, want text", e.Title, e.Content.Type)
		}
		if strings.Contains(e.Content.Text, scriptStatement) {
			found = true
		}
	}
	if !found {
		t.Error("no Atom entry carries the statement's text as it is")
	}
}

func nextMeeting(t *testing.T, h http.Handler) {
	b := body(t, get(t, h, "/t/kyiv", nil))
	want := `<time datetime="2026-03-29T07:00:00Z" data-local>29 March 2026, 07:00 UTC (10:00 Kyiv time)</time>`
	if !strings.Contains(b, want) {
		t.Errorf("the track page lacks %s", want)
	}
	// Round 3 has a date only: no time, invented or formatted.
	if !strings.Contains(b, `<time datetime="2026-04-05">5 April 2026</time>, time not announced`) {
		t.Error("the date-only round does not say its time was not announced")
	}
}

func TestAtomFeedOfTheBundledData(t *testing.T) {
	h := web.New(sqlitetest.Bundled(t, fixed(bundledNow)), "https://talks.example.org", nil, web.WithClock(fixed(bundledNow)))
	res := get(t, h, "/t/ru-ua-istanbul/updates.atom", nil)
	if ct := res.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	raw := body(t, res)
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Entries []struct {
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.NewDecoder(bytes.NewReader([]byte(raw))).Decode(&feed); err != nil {
		t.Fatalf("not Atom: %v", err)
	}
	if len(feed.Entries) == 0 || len(feed.Entries) > 50 {
		t.Fatalf("%d entries, want 1 to 50", len(feed.Entries))
	}
	seen := map[string]bool{}
	for i, e := range feed.Entries {
		if !strings.HasPrefix(e.ID, "tag:talks.example.org,") || seen[e.ID] {
			t.Errorf("entry %d: id %q is not a unique tag: URI", i, e.ID)
		}
		seen[e.ID] = true
		if !strings.HasPrefix(e.Link.Href, "https://talks.example.org/t/ru-ua-istanbul") {
			t.Errorf("entry %d: link %q", i, e.Link.Href)
		}
		if i > 0 && e.Updated > feed.Entries[i-1].Updated {
			t.Errorf("entry %d is newer than entry %d", i, i-1)
		}
	}
	if again := body(t, get(t, h, "/t/ru-ua-istanbul/updates.atom", nil)); again != raw {
		t.Error("the feed changed between two requests with no change to the data")
	}
}

func TestTheNextMeetingMovesOnWithTheClock(t *testing.T) {
	now := fixtureNow
	h := web.New(fixture(t, sqlitetest.Open(t, fixed(fixtureNow))), "", nil, web.WithClock(func() time.Time { return now }))
	first := get(t, h, "/t/kyiv", nil)
	etag := first.Header.Get("ETag")
	if b := body(t, first); !strings.Contains(b, `<a href="/t/kyiv/round/2">Round 2</a> (scheduled)`) {
		t.Fatal("the next meeting is not round 2 the evening before it")
	}
	// Round 2 started at 07:00 UTC; an hour later round 3 is next, though
	// no data changed: the page's ETag and cached answer must not hold.
	now = time.Date(2026, 3, 29, 8, 0, 0, 0, time.UTC)
	res := get(t, h, "/t/kyiv", map[string]string{"If-None-Match": etag})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d after the meeting started, want 200", res.StatusCode)
	}
	if b := body(t, res); !strings.Contains(b, `<a href="/t/kyiv/round/3">Round 3</a> (proposed)`) {
		t.Error("the next meeting did not move on to round 3")
	}
}
