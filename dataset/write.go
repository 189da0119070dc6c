package dataset

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"talkbot/store"
)

// Write writes tracks as a dataset file in one deterministic form: keys in
// the order of the tables in decode.go, block style with a 2-space indent,
// optional empty fields left out, dates unquoted as curators write them,
// and every list in the order given.
//
// It prints YAML itself rather than through the YAML library's encoder,
// whose event queue grows with the whole document and made exporting a
// large dataset take seconds.
func Write(w io.Writer, tracks []store.Track) error {
	return WriteFile(w, File{Tracks: tracks})
}

// WriteFile is Write with the file's version first, when there is one.
func WriteFile(w io.Writer, f File) error {
	e := &emitter{w: bufio.NewWriterSize(w, 64<<10), zones: map[string]*time.Location{}}
	if f.Version > 0 {
		e.w.WriteString("version: " + strconv.FormatInt(f.Version, 10) + "\n")
	}
	tracks := f.Tracks
	if len(tracks) == 0 {
		e.w.WriteString("tracks: []\n")
		return e.w.Flush()
	}
	e.w.WriteString("tracks:\n")
	for i := range tracks {
		e.track(&tracks[i])
	}
	return e.w.Flush()
}

// emitter writes one mapping key per line. ind is the column of the keys of
// the current mapping; item says the next key opens a list entry and so
// takes "- " in place of the last two spaces of its indent.
type emitter struct {
	w     *bufio.Writer // errors are sticky and returned by Flush
	ind   int
	item  bool
	zones map[string]*time.Location
}

// entry starts a list entry whose keys sit at column ind.
func (e *emitter) entry(ind int) {
	e.ind, e.item = ind, true
}

func (e *emitter) spaces(n int) {
	const blank = "                                "
	for n > len(blank) {
		e.w.WriteString(blank)
		n -= len(blank)
	}
	e.w.WriteString(blank[:n])
}

func (e *emitter) key(k string) {
	if e.item {
		e.spaces(e.ind - 2)
		e.w.WriteString("- ")
		e.item = false
	} else {
		e.spaces(e.ind)
	}
	e.w.WriteString(k)
	e.w.WriteByte(':')
}

// text writes key: value, leaving the key out when the value is empty.
func (e *emitter) text(k, v string) {
	if v == "" {
		return
	}
	e.key(k)
	e.w.WriteByte(' ')
	e.scalar(v, e.ind)
	e.w.WriteByte('\n')
}

// raw writes a value that needs no quoting: numbers, dates and times.
func (e *emitter) raw(k, v string) {
	if v == "" {
		return
	}
	e.key(k)
	e.w.WriteByte(' ')
	e.w.WriteString(v)
	e.w.WriteByte('\n')
}

func (e *emitter) list(k string, vs []string) {
	if len(vs) == 0 {
		return
	}
	e.key(k)
	e.w.WriteByte('\n')
	for _, v := range vs {
		e.spaces(e.ind + 2)
		e.w.WriteString("- ")
		e.scalar(v, e.ind+2)
		e.w.WriteByte('\n')
	}
}

// section writes the key of a list of mappings and returns the indent of
// its entries' keys, or -1 when the list is empty and was left out.
func (e *emitter) section(k string, n int) int {
	if n == 0 {
		return -1
	}
	e.key(k)
	e.w.WriteByte('\n')
	return e.ind + 4
}

func (e *emitter) track(t *store.Track) {
	e.entry(4)
	e.text("id", t.ID)
	e.text("title", t.Title)
	e.names("names", t.Names)
	e.text("timezone", t.Timezone)
	// Quoted, as text that looks like a number is: a snowflake does not fit
	// the floating-point numbers some YAML readers turn it into.
	e.text("guild", t.Guild)
	if t.Public {
		e.raw("public", "true")
	}
	if ind := e.section("parties", len(t.Parties)); ind > 0 {
		for _, p := range t.Parties {
			e.entry(ind)
			e.text("id", p.ID)
			e.text("name", p.Name)
			e.names("names", p.Names)
			e.text("role", string(p.Role))
		}
		e.ind = ind - 4
	}
	if ind := e.section("people", len(t.People)); ind > 0 {
		for _, p := range t.People {
			e.entry(ind)
			e.text("id", p.ID)
			e.text("name", p.Name)
			e.names("names", p.Names)
			e.text("party", p.Party)
			e.text("title", p.Title)
		}
		e.ind = ind - 4
	}
	if ind := e.section("sources", len(t.Sources)); ind > 0 {
		for _, s := range t.Sources {
			e.entry(ind)
			e.text("id", s.ID)
			e.text("publisher", s.Publisher)
			e.text("title", s.Title)
			e.text("url", s.URL)
			e.raw("published", s.Published.String())
		}
		e.ind = ind - 4
	}
	if ind := e.section("rounds", len(t.Rounds)); ind > 0 {
		for i := range t.Rounds {
			e.entry(ind)
			e.round(&t.Rounds[i])
		}
		e.ind = ind - 4
	}
	if ind := e.section("positions", len(t.Positions)); ind > 0 {
		for _, p := range t.Positions {
			e.entry(ind)
			e.text("party", p.Party)
			e.text("topic", p.Topic)
			e.text("summary", p.Summary)
			e.raw("stated_on", p.StatedOn.String())
			e.text("by", p.By)
			e.list("sources", p.Sources)
		}
		e.ind = ind - 4
	}
	if ind := e.section("statements", len(t.Statements)); ind > 0 {
		for _, s := range t.Statements {
			e.entry(ind)
			e.text("by", s.By)
			e.text("party", s.Party)
			e.raw("said_on", s.SaidOn.String())
			e.text("medium", s.Medium)
			e.text("text", s.Text)
			e.text("language", s.Language)
			e.list("sources", s.Sources)
		}
		e.ind = ind - 4
	}
	if ind := e.section("feeds", len(t.Feeds)); ind > 0 {
		for _, f := range t.Feeds {
			e.entry(ind)
			e.text("url", f.URL)
			e.text("title", f.Title)
			e.list("keywords", f.Keywords)
		}
		e.ind = ind - 4
	}
}

func (e *emitter) round(r *store.Round) {
	e.raw("number", strconv.Itoa(r.Number))
	e.text("status", string(r.Status))
	e.raw("starts", e.when(r.Starts))
	e.raw("ends", e.when(r.Ends))
	e.text("timezone", r.Timezone)
	e.text("venue", r.Venue)
	e.names("venue_names", r.VenueNames)
	e.text("proposed_by", r.ProposedBy)
	if len(r.Delegations) > 0 {
		e.key("delegations")
		e.w.WriteByte('\n')
		outer := e.ind
		for _, del := range r.Delegations {
			e.spaces(outer + 2)
			if plainSafe(del.Party) {
				e.w.WriteString(del.Party)
			} else {
				e.w.WriteString(strconv.Quote(del.Party))
			}
			e.w.WriteByte(':')
			if del.Head == "" && len(del.Members) == 0 {
				e.w.WriteString(" {}\n")
				continue
			}
			e.w.WriteByte('\n')
			e.ind = outer + 4
			e.text("head", del.Head)
			e.list("members", del.Members)
		}
		e.ind = outer
	}
	e.list("mediators", r.Mediators)
	e.list("agenda", r.Agenda)
	e.list("outcomes", r.Outcomes)
	e.list("documents", r.Documents)
	e.list("notes", r.Notes)
	e.list("sources", r.Sources)
}

// when formats a starts or ends value, loading each zone once per Write.
func (e *emitter) when(w store.When) string {
	if !w.TimeKnown() {
		return w.Date.String()
	}
	loc, ok := e.zones[w.Zone]
	if !ok {
		loc, _ = store.LoadZone(w.Zone)
		e.zones[w.Zone] = loc
	}
	if loc == nil {
		return FormatStarts(w)
	}
	return formatStartsIn(w, loc)
}

// scalar writes a text value: plain when YAML reads it back as the same
// text, as a literal block when it spans lines, else double-quoted. ind is
// the indent of the key the value belongs to.
func (e *emitter) scalar(v string, ind int) {
	switch {
	case plainSafe(v):
		e.w.WriteString(v)
	case literalSafe(v):
		body, chomp := v, "-"
		if strings.HasSuffix(v, "\n") {
			body, chomp = v[:len(v)-1], ""
		}
		e.w.WriteString("|" + chomp)
		for line := range strings.SplitSeq(body, "\n") {
			e.w.WriteByte('\n')
			if line != "" {
				e.spaces(ind + 2)
				e.w.WriteString(line)
			}
		}
	default:
		// Go's escapes for valid UTF-8 are a subset of YAML's.
		e.w.WriteString(strconv.Quote(v))
	}
}

// plainSafe is deliberately stricter than YAML: anything that could read
// back as another type, a comment, a key or an indicator gets quoted.
func plainSafe(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || s[len(s)-1] == ':' {
		return false
	}
	if strings.IndexByte("-?:,[]{}#&*!|>'\"%@`<=~", s[0]) >= 0 {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return !looksTyped(s)
}

// yamlWords are plain scalars that YAML 1.1 or 1.2 reads as null, booleans
// or special floats.
var yamlWords = map[string]bool{
	"null": true, "true": true, "false": true, "yes": true, "no": true,
	"on": true, "off": true, "y": true, "n": true,
	".inf": true, "+.inf": true, "-.inf": true, ".nan": true,
}

// looksTyped reports whether a plain scalar might be read as a number, a
// date, a time or a keyword rather than text.
func looksTyped(s string) bool {
	if yamlWords[strings.ToLower(s)] {
		return true
	}
	if strings.IndexByte("0123456789+-.", s[0]) < 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("0123456789abcdefABCDEFxXoObB_.:+-TtZz ", s[i]) < 0 {
			return false
		}
	}
	return true
}

// literalSafe accepts multi-line text a literal block keeps byte for byte:
// printable, no trailing blanks to be trimmed, no leading blank on the first
// line (that would need an indentation indicator) and at most one final
// newline (so clip or strip chomping suffices).
func literalSafe(s string) bool {
	if !strings.Contains(s, "\n") || s[0] == ' ' || s[0] == '\n' || strings.HasSuffix(s, "\n\n") {
		return false
	}
	for line := range strings.SplitSeq(strings.TrimSuffix(s, "\n"), "\n") {
		if strings.HasSuffix(line, " ") {
			return false
		}
		for _, r := range line {
			if !unicode.IsPrint(r) {
				return false
			}
		}
	}
	return true
}
