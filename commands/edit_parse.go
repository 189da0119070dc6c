package commands

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"talkbot/dataset"
	"talkbot/store"
)

// What an editor may type. Texts are shown in one embed field (1,024
// characters) at most, so a summary or a quote is kept within it rather
// than cut when shown.
const (
	maxSlugLength  = 40
	maxNameLength  = 100
	maxTitleLength = 300
	maxURLLength   = 1000
	maxQuoteLength = 1000
	maxShortText   = 200 // a venue, a medium
	maxItems       = 25  // lines of an agenda, outcomes or documents
	maxItemLength  = 500
)

// fieldError refuses one field of a form or command, saying why.
type fieldError struct {
	Field, Reason string
}

func (e *fieldError) Error() string { return e.Field + ": " + e.Reason }

func fieldErrorf(field, format string, args ...any) *fieldError {
	return &fieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// controlChar finds a control character other than a line break or tab;
// -1 when there is none. Such characters are invisible in Discord and
// would be stored as typed.
func controlChar(s string, lines bool) int {
	for i, r := range s {
		if r == '\n' && lines || r == '\t' {
			continue
		}
		if r == '\r' && lines {
			continue
		}
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return i
		}
	}
	return -1
}

// cleanText checks a text field and returns it trimmed. lines allows line
// breaks; required refuses an empty one.
func cleanText(field, s string, max int, lines, required bool) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if i := controlChar(s, lines); i >= 0 {
		return "", fieldErrorf(field, "it holds an invisible control character (at character %d): type it again without it", len([]rune(s[:i]))+1)
	}
	if required && s == "" {
		return "", fieldErrorf(field, "it is empty, and it is needed")
	}
	if n := textLen(s); n > max {
		return "", fieldErrorf(field, "it is %d characters long; at most %d fit", n, max)
	}
	return s, nil
}

// parseLines reads a list typed one item a line; blank lines are skipped.
func parseLines(field, s string) ([]string, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if i := controlChar(s, true); i >= 0 {
		return nil, fieldErrorf(field, "it holds an invisible control character (at character %d): type it again without it", len([]rune(s[:i]))+1)
	}
	var out []string
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
		if line == "" {
			continue
		}
		if n := textLen(line); n > maxItemLength {
			return nil, fieldErrorf(field, "line %d is %d characters long; at most %d fit on a line", i+1, n, maxItemLength)
		}
		out = append(out, line)
	}
	if len(out) > maxItems {
		return nil, fieldErrorf(field, "it has %d lines; at most %d fit, one item a line", len(out), maxItems)
	}
	return out, nil
}

// parseDay reads a day typed as YYYY-MM-DD; empty means today in zone.
func parseDay(field, s, zone string, now time.Time) (store.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		loc, err := store.LoadZone(zone)
		if err != nil {
			return store.DateOf(now.UTC()), nil
		}
		return store.DateOf(now.In(loc)), nil
	}
	d, err := store.ParseDate(s)
	if err != nil {
		return store.Date{}, fieldErrorf(field, "%s is not a date: write it as YYYY-MM-DD, e.g. 2025-06-02", echo(s))
	}
	return d, nil
}

// parseStartsField reads a round's start in any form the dataset takes,
// in the round's zone.
func parseStartsField(field, s, zone string) (store.When, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return store.When{}, fieldErrorf(field, "it is empty: give the day, e.g. 2025-06-02, or the day and time, e.g. 2025-06-02T13:00")
	}
	w, err := dataset.ParseStarts(s, zone)
	if err != nil {
		return store.When{}, fieldErrorf(field, "%s: %v. Write the day, e.g. 2025-06-02, or the day and local time in %s, e.g. 2025-06-02T13:00", echo(s), err, zone)
	}
	return w, nil
}

// checkURL accepts an absolute http or https URL and nothing else: a
// javascript:, data: or file: link in a source would be one click away
// from every reader.
func checkURL(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fieldErrorf(field, "it is empty: paste the page's address, e.g. https://www.reuters.com/...")
	}
	if n := textLen(s); n > maxURLLength {
		return "", fieldErrorf(field, "it is %d characters long; at most %d fit", n, maxURLLength)
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", fieldErrorf(field, "%s holds spaces or control characters; a web address has none", echo(s))
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" || u.User != nil {
		return "", fieldErrorf(field, "%s is not a web address: give an http:// or https:// link to the page", echo(s))
	}
	return s, nil
}

// isURL tells a pasted link from a source id.
func isURL(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Contains(s, "://") || strings.HasPrefix(s, "javascript:") || strings.HasPrefix(s, "data:")
}

// checkSlug accepts the ids the dataset accepts.
func checkSlug(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if textLen(s) > maxSlugLength {
		return "", fieldErrorf(field, "it is %d characters long; at most %d fit", textLen(s), maxSlugLength)
	}
	if !isSlug(s) {
		return "", fieldErrorf(field, "%s is not an id: use lowercase letters, digits and single hyphens, e.g. %s", echo(s), slugFrom(s, "talks"))
	}
	return s, nil
}

func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// slugFrom makes an id out of free text, short enough to take a date
// suffix: "Reuters World News!" -> "reuters-world-news".
func slugFrom(s, fallback string) string {
	slug := dataset.Slug(s)
	if len(slug) > maxSlugLength-12 {
		slug = strings.TrimRight(slug[:maxSlugLength-12], "-")
	}
	if slug == "" {
		return fallback
	}
	return slug
}

// durationWords is "2 minutes", "30 seconds", "at once".
func durationWords(d time.Duration) string {
	switch {
	case d <= 0:
		return "a moment"
	case d < time.Minute:
		return plural(int(d/time.Second), "second")
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	}
	return plural(int(d/time.Hour), "hour")
}
