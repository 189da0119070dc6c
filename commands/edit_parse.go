package commands

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"talkbot/dataset"
	"talkbot/i18n"
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
	why           phrase // Reason in the reader's words
}

func (e *fieldError) Error() string { return e.Field + ": " + e.Reason }

// fieldSay refuses field with message id of locales/*.toml.
func fieldSay(field, id string, kv ...any) *fieldError {
	p := say(id, kv...)
	return &fieldError{Field: field, Reason: p.in(english()), why: p}
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
		return "", fieldSay(field, "field.control_char", "At", len([]rune(s[:i]))+1)
	}
	if required && s == "" {
		return "", fieldSay(field, "field.empty")
	}
	if n := textLen(s); n > max {
		return "", fieldSay(field, "field.too_long", "Length", n, "Max", max)
	}
	return s, nil
}

// parseLines reads a list typed one item a line; blank lines are skipped.
func parseLines(field, s string) ([]string, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if i := controlChar(s, true); i >= 0 {
		return nil, fieldSay(field, "field.control_char", "At", len([]rune(s[:i]))+1)
	}
	var out []string
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
		if line == "" {
			continue
		}
		if n := textLen(line); n > maxItemLength {
			return nil, fieldSay(field, "field.line_too_long", "Line", i+1, "Length", n, "Max", maxItemLength)
		}
		out = append(out, line)
	}
	if len(out) > maxItems {
		return nil, fieldSay(field, "field.too_many_lines", "Lines", len(out), "Max", maxItems)
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
		return store.Date{}, fieldSay(field, "field.not_a_date", "Typed", echo(s))
	}
	return d, nil
}

// parseStartsField reads a round's start in any form the dataset takes,
// in the round's zone.
func parseStartsField(field, s, zone string) (store.When, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return store.When{}, fieldSay(field, "field.starts_empty")
	}
	w, err := dataset.ParseStarts(s, zone)
	if err != nil {
		return store.When{}, fieldSay(field, "field.starts_bad", "Typed", echo(s), "Error", startsWhy{s, err.Error()}, "Zone", zone)
	}
	return w, nil
}

// checkURL accepts an absolute http or https URL and nothing else: a
// javascript:, data: or file: link in a source would be one click away
// from every reader.
func checkURL(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fieldSay(field, "field.url_empty")
	}
	if n := textLen(s); n > maxURLLength {
		return "", fieldSay(field, "field.too_long", "Length", n, "Max", maxURLLength)
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", fieldSay(field, "field.url_spaces", "Typed", echo(s))
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" || u.User != nil {
		return "", fieldSay(field, "field.not_a_url", "Typed", echo(s))
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
		return "", fieldSay(field, "field.too_long", "Length", textLen(s), "Max", maxSlugLength)
	}
	if !isSlug(s) {
		return "", fieldSay(field, "field.not_an_id", "Typed", echo(s), "Example", slugFrom(s, "talks"))
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

// durationSay is "2 minutes", "30 seconds", "a moment".
func durationSay(d time.Duration) phrase {
	switch {
	case d <= 0:
		return say("duration.moment")
	case d < time.Minute:
		return sayN("duration.seconds", int(d/time.Second))
	case d < time.Hour:
		return sayN("duration.minutes", int(d/time.Minute))
	}
	return sayN("duration.hours", int(d/time.Hour))
}

// startsWhy is why a typed start could not be read. English reads the
// dataset parser's words, as before; other languages read a day that does
// not exist in their own words, and anything else (a time a DST change
// skips or repeats) as the parser's words quoted.
type startsWhy struct{ typed, english string }

func (s startsWhy) in(w words) string {
	if w.lang() == i18n.English {
		return s.english
	}
	if t := s.typed; len(t) >= 10 && t[4] == '-' && t[7] == '-' {
		year, errY := strconv.Atoi(t[:4])
		month, errM := strconv.Atoi(t[5:7])
		day, errD := strconv.Atoi(t[8:10])
		if errY == nil && errM == nil && errD == nil {
			// Day 0 of the next month is the last day of this one.
			days := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			switch {
			case month < 1 || month > 12:
				return w.t("field.starts_why.month", "Month", month)
			case day < 1 || day > days:
				return w.t("field.starts_why.day", "Day", day, "Days", days)
			}
		}
	}
	return w.t("field.starts_why.other", "Detail", echoCode(s.english))
}
