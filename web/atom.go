package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"talkbot/i18n"
	"talkbot/store"
)

// atomEntries is how many of a track's latest changes the feed carries.
const atomEntries = 50

// atom serves a track's changes as Atom 1.0, newest first, so readers can
// follow a track in a feed reader. Entries are plain text.
func (h *Handler) atom(w http.ResponseWriter, r *http.Request) {
	etag, done := h.notModified(w, r, false)
	if done {
		return
	}
	// Without PUBLIC_URL the links follow the request's Host: not cached.
	cache := h.publicURL != ""
	if body, ok := h.cache.get(etag); ok && cache {
		writeAtom(w, etag, body)
		return
	}
	t, ok := h.trackOf(w, r)
	if !ok {
		return
	}
	hist, err := h.r.History(r.Context(), store.HistoryQuery{Track: t.ID, Limit: atomEntries})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := h.base(r)
	n := h.newNames(t, i18n.English) // feed readers send no language
	feed := &feeds.Feed{
		Title: t.Title + ": changes",
		Link:  &feeds.Link{Href: base + "/t/" + t.ID},
		// Ids are tag: URIs under the public host (the calendar UIDs'
		// domain), not the request's Host, so they never change.
		Id:          fmt.Sprintf("tag:%s,2025:talkbot/track/%s", h.host, t.ID),
		Author:      &feeds.Author{Name: "talkbot"}, // Atom wants an author; the editors are in the history
		Description: "Every change talkbot records about " + t.Title + ", newest first.",
	}
	for _, ch := range hist.Items {
		title, detail := describe(n, ch)
		link := base + "/t/" + t.ID
		if ch.Entity.Kind == store.EntityRound {
			if num, err := strconv.Atoi(ch.Entity.Key); err == nil {
				link = base + roundPath(t.ID, num)
			}
		}
		content := title
		if detail != "" {
			content += "\n" + detail
		}
		feed.Items = append(feed.Items, &feeds.Item{
			Title:   title,
			Link:    &feeds.Link{Href: link},
			Id:      fmt.Sprintf("tag:%s,%s:talkbot/change/%d", h.host, ch.At.UTC().Format(time.DateOnly), ch.ID),
			Updated: ch.At.UTC(),
			Content: content,
		})
		if ch.At.After(feed.Updated) {
			feed.Updated = ch.At.UTC()
		}
	}
	if feed.Updated.IsZero() {
		feed.Updated = time.Unix(0, 0).UTC()
	}
	af := (&feeds.Atom{Feed: feed}).AtomFeed()
	af.Id = feed.Id
	af.Link = &feeds.AtomLink{Href: base + atomPath(t.ID), Rel: "self", Type: "application/atom+xml"}
	for i, e := range af.Entries {
		// gorilla/feeds marks content as html; ours is plain text, which
		// Atom's type="text" says, so no reader parses data as markup.
		e.Content = &feeds.AtomContent{Content: feed.Items[i].Content, Type: "text"}
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(af); err != nil {
		h.fail(w, r, fmt.Errorf("atom feed of %s: %w", t.ID, err))
		return
	}
	b.WriteString("\n")
	if cache {
		h.cache.put(etag, b.Bytes())
	}
	writeAtom(w, etag, b.Bytes())
}

func writeAtom(w http.ResponseWriter, etag string, body []byte) {
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("ETag", etag)
	w.Write(body)
}

// base is the site's public URL, or the request's own when none is set.
func (h *Handler) base(r *http.Request) string {
	if h.publicURL != "" {
		return h.publicURL
	}
	return "http://" + r.Host
}

// describe says in plain text what one change did: a title ("Round 3
// rescheduled: ...", "New position of Ukraine on ceasefire", "Round 2
// held") and details (a new position's summary, the other fields changed).
func describe(n names, ch store.Change) (title, detail string) {
	fields := ch.After
	if fields == nil {
		fields = ch.Before
	}
	name := changeName(n, ch.Entity, fields)
	switch {
	case ch.Op == store.OpUndo:
		return "Undid a change to " + name, ""
	case ch.After == nil:
		return upperFirst(name) + " removed", ""
	case ch.Before == nil && ch.Entity.Kind == store.EntityRound:
		return upperFirst(name) + " added", newDetail(n, ch, fields)
	case ch.Before == nil:
		return "New " + name, newDetail(n, ch, fields)
	}
	diff := store.Diff(ch.Before, ch.After)
	if ch.Entity.Kind != store.EntityRound {
		return upperFirst(name) + " updated", fieldList(diff)
	}
	return roundChange(n, ch, name, diff)
}

// roundChange names the change that matters most to a reader first: a
// new time, a new status, a new venue; the rest are listed by field.
func roundChange(n names, ch store.Change, name string, diff []store.FieldChange) (title, detail string) {
	var heads, rest []string
	for _, d := range diff {
		switch d.Field {
		case "starts":
			heads = append(heads, "rescheduled: "+whenText(n, ch, d.Old)+" -> "+whenText(n, ch, d.New))
		case "status":
			heads = append(heads, d.New)
		case "venue":
			heads = append(heads, "moved: "+orNone(d.Old)+" -> "+orNone(d.New))
		default:
			rest = append(rest, d.Field)
		}
	}
	slices.Sort(heads) // "moved" < "rescheduled" < statuses: one stable order
	if len(heads) == 0 {
		return upperFirst(name) + " updated", changedFields(rest)
	}
	return upperFirst(name) + " " + strings.Join(heads, "; "), changedFields(rest)
}

func changedFields(fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	return "Also changed: " + strings.ReplaceAll(strings.Join(fields, ", "), "_", " ") + "."
}

func fieldList(diff []store.FieldChange) string {
	var fs []string
	for _, d := range diff {
		fs = append(fs, d.Field)
	}
	if len(fs) == 0 {
		return ""
	}
	return "Changed: " + strings.ReplaceAll(strings.Join(fs, ", "), "_", " ") + "."
}

// whenText reads a round's start as the history keeps it (a wall time in
// the round's zone) and says it in UTC: "2 June 2025 10:00 UTC".
func whenText(n names, ch store.Change, v string) string {
	if v == "" {
		return "no date"
	}
	zone := n.zone
	if z := ch.After["timezone"]; z != "" {
		zone = z
	}
	w, err := store.ParseWhenText(v, zone)
	if err != nil {
		return v
	}
	if !w.TimeKnown() {
		return w.Date.In(time.UTC).Format("2 January 2006") + " (time not announced)"
	}
	return w.At.UTC().Format("2 January 2006 15:04") + " UTC"
}

func newDetail(n names, ch store.Change, f map[string]string) string {
	switch ch.Entity.Kind {
	case store.EntityPosition:
		return f["summary"]
	case store.EntityStatement:
		return `"` + f["text"] + `"`
	case store.EntityRound:
		var parts []string
		if f["status"] != "" {
			parts = append(parts, "Status: "+f["status"]+".")
		}
		if f["starts"] != "" {
			parts = append(parts, "Starts: "+whenText(n, ch, f["starts"])+".")
		}
		if f["venue"] != "" {
			parts = append(parts, "Venue: "+f["venue"]+".")
		}
		return strings.Join(parts, " ")
	case store.EntitySource:
		return strings.TrimSpace(f["title"] + " " + f["url"])
	}
	return ""
}

// changeName names what a change is about: "round 3", "position of
// Ukraine on ceasefire", "statement by Sergey Lavrov".
func changeName(n names, e store.Entity, f map[string]string) string {
	switch e.Kind {
	case store.EntityRound:
		return "round " + e.Key
	case store.EntityPosition:
		return fmt.Sprintf("position of %s on %s", n.party(f["party"]), f["topic"])
	case store.EntityStatement:
		return "statement by " + n.person(f["by"])
	case store.EntitySource:
		return "source " + firstNonEmpty(f["publisher"], e.Key)
	case store.EntityParty:
		return "party " + firstNonEmpty(f["name"], e.Key)
	case store.EntityPerson:
		return "person " + firstNonEmpty(f["name"], e.Key)
	case store.EntityTrack:
		return "track " + firstNonEmpty(f["title"], e.Track)
	}
	return e.String()
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
