package commands

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"https://www.reuters.com/world/europe/x-2025-05-28/", true},
		{"  http://example.org/a?b=c#d  ", true},
		{"javascript:alert(1)", false},
		{"JavaScript://%0aalert(1)", false},
		{"data:text/html,<b>x</b>", false},
		{"file:///etc/passwd", false},
		{"ftp://example.org/x", false},
		{"https://", false},
		{"https://user:pw@example.org/", false},
		{"https://exa mple.org/", false},
		{"https://example.org/\u0000", false},
		{"//example.org/x", false},
		{"", false},
		{"https://" + strings.Repeat("a", maxURLLength), false},
	} {
		_, err := checkURL("source", tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("checkURL(%q) = %v, want ok=%v", tc.in, err, tc.ok)
		}
		var fe *fieldError
		if err != nil && (!errors.As(err, &fe) || fe.Field != "source") {
			t.Errorf("checkURL(%q) error %v does not name the field", tc.in, err)
		}
	}
}

func TestParseLines(t *testing.T) {
	got, err := parseLines("agenda", "  Ceasefire \r\n\n- Prisoner exchange\n\t\n Memorandum")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Ceasefire", "Prisoner exchange", "Memorandum"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("parseLines = %q, want %q", got, want)
	}
	if _, err := parseLines("agenda", strings.Repeat("x\n", maxItems+1)); err == nil || !strings.Contains(err.Error(), "26 lines") {
		t.Errorf("too many lines: %v", err)
	}
	if _, err := parseLines("outcomes", "ok\n"+strings.Repeat("y", maxItemLength+1)); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("long line: %v", err)
	}
	if _, err := parseLines("documents", "a\u0007b"); err == nil || !strings.Contains(err.Error(), "control character") {
		t.Errorf("control character: %v", err)
	}
}

func TestParseDayAndStarts(t *testing.T) {
	now := time.Date(2026, 12, 6, 22, 30, 0, 0, time.UTC)
	d, err := parseDay("stated_on", "", "Europe/Istanbul", now)
	if err != nil || d.String() != "2026-12-07" { // already the 7th in Istanbul
		t.Errorf("empty day = %v, %v; want today in the track's zone, 2026-12-07", d, err)
	}
	for _, bad := range []string{"2025-02-30", "02/06/2025", "tomorrow", "2025-6-2"} {
		if _, err := parseDay("said_on", bad, "Europe/Istanbul", now); err == nil || !strings.Contains(err.Error(), "said_on") {
			t.Errorf("parseDay(%q) = %v, want an error naming said_on", bad, err)
		}
	}
	w, err := parseStartsField("starts", "2025-06-02T13:00", "Europe/Istanbul")
	if err != nil || !w.At.Equal(time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("starts = %+v, %v; want 13:00 Istanbul time, 10:00 UTC", w, err)
	}
	w, err = parseStartsField("starts", "2025-06-02", "Europe/Istanbul")
	if err != nil || w.TimeKnown() || w.Date.String() != "2025-06-02" {
		t.Errorf("date-only starts = %+v, %v", w, err)
	}
	if _, err := parseStartsField("starts", "June 2", "Europe/Istanbul"); err == nil || !strings.Contains(err.Error(), "starts") {
		t.Errorf("bad starts: %v", err)
	}
}

func TestCleanText(t *testing.T) {
	if s, err := cleanText("summary", "  Text with @everyone and <@&123>\n second line ", 100, true, true); err != nil || s != "Text with @everyone and <@&123>\n second line" {
		t.Errorf("cleanText = %q, %v: text is stored as typed, trimmed", s, err)
	}
	if _, err := cleanText("venue", "a\nb", 100, false, false); err == nil {
		t.Error("a line break in a one-line field was accepted")
	}
	if _, err := cleanText("summary", "   ", 100, true, true); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty required: %v", err)
	}
	if _, err := cleanText("summary", strings.Repeat("é", 101), 100, true, true); err == nil || !strings.Contains(err.Error(), "101 characters") {
		t.Errorf("too long: %v", err)
	}
}

func TestSlugs(t *testing.T) {
	for s, ok := range map[string]bool{"geneva-talks": true, "a1": true, "Geneva": false, "a--b": false, "-a": false, "": false, "a_b": false} {
		if _, err := checkSlug("id", s); (err == nil) != ok {
			t.Errorf("checkSlug(%q) = %v, want ok=%v", s, err, ok)
		}
	}
	if got := slugFrom("Reuters World News!", "x"); got != "reuters-world-news" {
		t.Errorf("slugFrom = %q", got)
	}
	if got := slugFrom("Кремль", "source"); got != "source" {
		t.Errorf("slugFrom of no Latin letters = %q, want the fallback", got)
	}
}

func FuzzParseLines(f *testing.F) {
	for _, s := range []string{"", "a\nb", "- a\r\n- b", "\x00", strings.Repeat("x\n", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := parseLines("agenda", s)
		if err != nil {
			var fe *fieldError
			if !errors.As(err, &fe) || fe.Field != "agenda" {
				t.Fatalf("error %v does not name the field", err)
			}
			return
		}
		if len(items) > maxItems {
			t.Fatalf("%d items accepted", len(items))
		}
		for _, it := range items {
			if it == "" || strings.ContainsAny(it, "\r\n") || it != strings.TrimSpace(it) || textLen(it) > maxItemLength {
				t.Fatalf("bad item %q accepted", it)
			}
		}
	})
}

func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"", "2025-06-02", "2025-02-29", "9999-12-31", "2025-06-02T13:00", "x"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDay("said_on", s, "Europe/Kyiv", now)
		if err != nil {
			return
		}
		if d.IsZero() {
			t.Fatalf("parseDay(%q) accepted a zero date", s)
		}
		if strings.TrimSpace(s) != "" && d.String() != strings.TrimSpace(s) {
			t.Fatalf("parseDay(%q) = %s: a day reads back as typed", s, d)
		}
		if w, err := parseStartsField("starts", s, "Europe/Kyiv"); err == nil && w.IsZero() {
			t.Fatalf("parseStartsField(%q) accepted a zero start", s)
		}
	})
}

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://example.org/", "javascript:alert(1)", "http://[::1]:80/", "https://a.b/c d", "HTTPS://X.ORG"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := checkURL("url", s)
		if err != nil {
			return
		}
		p, perr := url.Parse(u)
		if perr != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Hostname() == "" {
			t.Fatalf("checkURL accepted %q", s)
		}
		if !utf8.ValidString(u) || strings.ContainsAny(u, " \t\r\n") {
			t.Fatalf("checkURL accepted %q with spaces or invalid UTF-8", s)
		}
	})
}
