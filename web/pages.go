package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"talkbot/i18n"
	"talkbot/store"
)

// statementsPerPage is how many statements one track page lists.
const statementsPerPage = 20

// pageSlot is how long a page's ETag may outlive the clock: a page names
// the next meeting, which changes when a meeting starts, not only when the
// data does; so the ETag holds the 10-minute slot too.
const pageSlot = 10 * time.Minute

// securityHeaders are sent with every page: scripts and styles come only
// from our own files, nothing is framed, nothing is sent elsewhere.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
}

func setSecurityHeaders(w http.ResponseWriter) {
	for k, v := range securityHeaders {
		w.Header().Set(k, v)
	}
}

// notModified answers a conditional request from the versions alone, before
// anything else is loaded; it returns the ETag to send with a full answer.
func (h *Handler) notModified(w http.ResponseWriter, r *http.Request, withSlot bool) (etag string, done bool) {
	varyByLang(w, r)
	ctx := r.Context()
	data, err := h.r.DataVersion(ctx)
	if err != nil {
		h.fail(w, r, err)
		return "", true
	}
	hist, err := h.r.HistoryVersion(ctx)
	if err != nil {
		h.fail(w, r, err)
		return "", true
	}
	// Only ?page= and the language change a page: other queries share its
	// ETag (and its cached answer), so they cannot fill the cache with
	// copies.
	key := r.URL.Path
	if q := r.URL.Query(); q.Has("page") {
		key += "?page=" + q.Get("page")
	}
	key += "@" + string(langOf(r))
	if withSlot {
		etag = fmt.Sprintf(`"%d.%d.%d.%s"`, data, hist, h.now().Unix()/int64(pageSlot/time.Second), url.PathEscape(key))
	} else {
		etag = fmt.Sprintf(`"%d.%d.%s"`, data, hist, url.PathEscape(key))
	}
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		setSecurityHeaders(w)
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return etag, true
	}
	return etag, false
}

// render writes a page, or a 500 if the template fails: it renders into a
// buffer first so that a failure sends no half page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, etag, name string, data layout) {
	var b bytes.Buffer
	if err := h.pages.execute(&b, data.lang, name, data); err != nil {
		h.fail(w, r, fmt.Errorf("rendering %s: %w", name, err))
		return
	}
	if status == http.StatusOK && etag != "" {
		h.cache.put(etag, b.Bytes())
	}
	h.writePage(w, status, etag, b.Bytes())
}

// cached answers from the cache of rendered pages; false when it has none.
func (h *Handler) cached(w http.ResponseWriter, etag string) bool {
	body, ok := h.cache.get(etag)
	if ok {
		h.writePage(w, http.StatusOK, etag, body)
	}
	return ok
}

func (h *Handler) writePage(w http.ResponseWriter, status int, etag string, body []byte) {
	setSecurityHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if etag != "" {
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	w.Write(body)
}

// notFound is the 404 page, with a link back to the list of tracks; what
// is the message saying what is not there, with its arguments.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, what string, kv ...any) {
	if w.Header().Get("Vary") == "" { // notModified may have said so already
		w.Header().Set("Vary", "Accept-Language, Cookie")
	}
	lang := langOf(r)
	l := h.pages.words[lang]
	h.render(w, r, http.StatusNotFound, "", "notfound", h.page(r, lang, l.Say("web.notfound.title"), "", notFoundPage{What: l.Say(what, kv...)}))
}

// page wraps a page's content with what the layout needs.
func (h *Handler) page(r *http.Request, lang i18n.Lang, title, atom string, body any) layout {
	return layout{Title: title, Atom: atom, Style: h.pages.styleURL, Script: h.pages.scriptURL, Icon: h.pages.iconURL, Body: body,
		Lang: string(lang), Langs: h.pages.langLinks(r, lang), lang: lang}
}

type layout struct {
	Title, Atom   string
	Style, Script string
	Icon          string
	Body          any
	Lang          string // <html lang>
	Langs         []langLink
	lang          i18n.Lang
}

type notFoundPage struct{ What string }

// --- GET / ---

type homePage struct {
	Tracks []homeTrack
}

type homeTrack struct {
	ID, Title string
	Next      *meeting
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	etag, done := h.notModified(w, r, true)
	if done || h.cached(w, etag) {
		return
	}
	ctx := r.Context()
	lang := langOf(r)
	l := h.pages.words[lang]
	all, err := h.r.Tracks(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var p homePage
	for _, t := range all {
		if !t.Published() {
			continue
		}
		next, err := h.next(ctx, t.ID, lang)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Tracks = append(p.Tracks, homeTrack{ID: t.ID, Title: t.Names.In(string(lang), t.Title), Next: next})
	}
	h.render(w, r, http.StatusOK, etag, "home", h.page(r, lang, l.Say("web.home.title"), "", p))
}

// --- GET /t/{track} ---

type trackPage struct {
	ID, Title  string
	Calendar   string
	Atom       string
	Next       *meeting
	Rounds     []roundView
	Sides      []sideView
	Statements []statementView
	Paging     paging
}

type meeting struct {
	Number int
	URL    string
	When   when
	Venue  string
	Status store.Status
}

type roundView struct {
	Number   int
	URL      string
	Status   store.Status
	Starts   when
	Ends     when
	Venue    string
	Outcomes []string
	Sources  []sourceHTML
}

type sourceView struct {
	Publisher, Title, URL string
	Published             when
}

// sourceHTML is one source rendered by the "source" template (so escaped
// and with its URL checked by html/template).
type sourceHTML = template.HTML

type sideView struct {
	Name   string
	Topics []topicView
}

type topicView struct {
	Topic     string
	Positions []positionView
}

type positionView struct {
	Summary string
	On      when
	By      string
	Sources []sourceHTML
}

type statementView struct {
	By, Party, Medium, Text string
	On                      when
	Sources                 []sourceHTML
	// Language names the quote's language when it is not the reader's:
	// quotes are never translated.
	Language string
}

type paging struct {
	Page, Pages, Total int
	Prev, Next         string
}

// trackOf loads a published track's header; ok false means a 404 was sent.
func (h *Handler) trackOf(w http.ResponseWriter, r *http.Request) (store.Track, bool) {
	id := r.PathValue("track")
	t, err := h.r.Track(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !t.Published() {
		h.notFound(w, r, "web.notfound.track", "ID", strconv.Quote(id))
		return t, false
	}
	if err != nil {
		h.fail(w, r, err)
		return t, false
	}
	return t, true
}

func (h *Handler) track(w http.ResponseWriter, r *http.Request) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" || r.URL.Query().Has("page") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			h.notFound(w, r, "web.notfound.page", "Page", strconv.Quote(v))
			return
		}
		page = n
	}
	etag, done := h.notModified(w, r, true)
	if done || h.cached(w, etag) {
		return
	}
	t, ok := h.trackOf(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	stmts, err := h.r.Statements(ctx, store.StatementQuery{Track: t.ID, Limit: statementsPerPage, Offset: (page - 1) * statementsPerPage})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pages := max(1, (stmts.Total+statementsPerPage-1)/statementsPerPage)
	if page > pages {
		h.notFound(w, r, "web.notfound.page_past", "Page", page, "Pages", pages)
		return
	}
	rounds, err := h.r.Rounds(ctx, t.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	positions, err := h.r.Positions(ctx, store.PositionQuery{Track: t.ID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := langOf(r)
	next, err := h.next(ctx, t.ID, lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := h.newNames(t, lang)
	p := trackPage{
		ID: t.ID, Title: n.title, Next: next,
		Calendar: "/calendar/" + t.ID + ".ics", Atom: atomPath(t.ID),
		Sides: sides(n, positions),
	}
	for _, rd := range rounds {
		p.Rounds = append(p.Rounds, roundView{
			Number: rd.Number, URL: roundPath(t.ID, rd.Number), Status: rd.Status,
			Starts: n.when(rd.Starts), Ends: n.when(rd.Ends), Venue: n.venue(rd),
			Outcomes: rd.Outcomes, Sources: n.sources(rd.Sources),
		})
	}
	for _, s := range stmts.Items {
		p.Statements = append(p.Statements, statementView{
			By: n.person(s.By), Party: n.party(s.Party), Medium: s.Medium, Text: s.Text,
			On: dateOf(s.SaidOn, n.l), Sources: n.sources(s.Sources), Language: n.quoteLanguage(s.Language),
		})
	}
	p.Paging = paging{Page: page, Pages: pages, Total: stmts.Total}
	if page > 1 {
		p.Paging.Prev = fmt.Sprintf("/t/%s?page=%d#statements", t.ID, page-1)
	}
	if page < pages {
		p.Paging.Next = fmt.Sprintf("/t/%s?page=%d#statements", t.ID, page+1)
	}
	h.render(w, r, http.StatusOK, etag, "track", h.page(r, lang, n.title, p.Atom, p))
}

// next is a track's next meeting in lang, nil when none is ahead.
func (h *Handler) next(ctx context.Context, track string, lang i18n.Lang) (*meeting, error) {
	rd, err := h.r.NextRound(ctx, track, h.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("next round of %s: %w", track, err)
	}
	return &meeting{Number: rd.Number, URL: roundPath(track, rd.Number), When: whenOf(rd.Starts, h.pages.words[lang]),
		Venue: rd.VenueNames.In(string(lang), rd.Venue), Status: rd.Status}, nil
}

// sides groups positions by side, then by topic: the sides and topics in
// the order of their newest position, each topic's positions newest first
// (the store's order).
func sides(n names, positions []store.Position) []sideView {
	var out []sideView
	side := map[string]int{}
	topic := map[[2]string]int{}
	for _, p := range positions {
		si, ok := side[p.Party]
		if !ok {
			si = len(out)
			side[p.Party] = si
			out = append(out, sideView{Name: n.party(p.Party)})
		}
		key := [2]string{p.Party, p.Topic}
		ti, ok := topic[key]
		if !ok {
			ti = len(out[si].Topics)
			topic[key] = ti
			out[si].Topics = append(out[si].Topics, topicView{Topic: p.Topic})
		}
		out[si].Topics[ti].Positions = append(out[si].Topics[ti].Positions, positionView{
			Summary: p.Summary, On: dateOf(p.StatedOn, n.l), By: n.person(p.By), Sources: n.sources(p.Sources),
		})
	}
	return out
}

// --- GET /t/{track}/round/{n} ---

type roundPage struct {
	TrackID, TrackTitle string
	TrackURL            string
	Calendar            string
	Number              int
	Status              store.Status
	Starts, Ends        when
	Venue               string
	ProposedBy          string
	Delegations         []delegationView
	Mediators           []string
	Agenda              []string
	Outcomes            []string
	Documents           []string
	Notes               []string
	Sources             []sourceHTML
	Prev, Next          string
}

type delegationView struct {
	Party, Head string
	Members     []string
}

func (h *Handler) round(w http.ResponseWriter, r *http.Request) {
	number, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || number < 1 {
		h.notFound(w, r, "web.notfound.round_number")
		return
	}
	etag, done := h.notModified(w, r, false)
	if done || h.cached(w, etag) {
		return
	}
	t, ok := h.trackOf(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	lang := langOf(r)
	n := h.newNames(t, lang)
	rd, err := h.r.Round(ctx, t.ID, number)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r, "web.notfound.round", "Track", n.title, "Number", number)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := roundPage{
		TrackID: t.ID, TrackTitle: n.title, TrackURL: "/t/" + t.ID, Calendar: "/calendar/" + t.ID + ".ics",
		Number: rd.Number, Status: rd.Status, Starts: whenOf(rd.Starts, n.l), Ends: whenOf(rd.Ends, n.l),
		Venue: n.venue(rd), ProposedBy: n.party(rd.ProposedBy),
		Agenda: rd.Agenda, Outcomes: rd.Outcomes, Documents: rd.Documents, Notes: rd.Notes,
		Sources: n.sources(rd.Sources),
	}
	for _, d := range rd.Delegations {
		v := delegationView{Party: n.party(d.Party), Head: n.person(d.Head)}
		for _, m := range d.Members {
			v.Members = append(v.Members, n.person(m))
		}
		p.Delegations = append(p.Delegations, v)
	}
	for _, m := range rd.Mediators {
		p.Mediators = append(p.Mediators, n.party(m))
	}
	// Neighbours by number: the round pages read as a chain.
	if _, err := h.r.Round(ctx, t.ID, number-1); err == nil {
		p.Prev = roundPath(t.ID, number-1)
	}
	if _, err := h.r.Round(ctx, t.ID, number+1); err == nil {
		p.Next = roundPath(t.ID, number+1)
	}
	h.render(w, r, http.StatusOK, etag, "round", h.page(r, lang, n.l.Say("web.round.title", "Number", rd.Number, "Track", n.title), atomPath(t.ID), p))
}

func roundPath(track string, n int) string { return fmt.Sprintf("/t/%s/round/%d", track, n) }
func atomPath(track string) string         { return "/t/" + track + "/updates.atom" }

// names turns a track's ids into what readers read, in their language.
type names struct {
	l               *i18n.Localizer
	lang            i18n.Lang
	title           string // the track's, translated when the data does
	parties, people map[string]string
	sourceByID      map[string]store.Source
	zone            string // the track's timezone
	// Per request: a page cites the same few sources and zones hundreds
	// of times; each is rendered or loaded once.
	source   *template.Template
	rendered map[string]sourceHTML
	zones    map[string]*time.Location
}

func (h *Handler) newNames(t store.Track, lang i18n.Lang) names {
	n := names{l: h.pages.words[lang], lang: lang, title: t.Names.In(string(lang), t.Title),
		parties: map[string]string{}, people: map[string]string{}, sourceByID: map[string]store.Source{}, zone: t.Timezone,
		source: h.pages.source, rendered: map[string]sourceHTML{}, zones: map[string]*time.Location{}}
	for _, p := range t.Parties {
		n.parties[p.ID] = p.Names.In(string(lang), p.Name)
	}
	for _, p := range t.People {
		n.people[p.ID] = p.Names.In(string(lang), p.Name)
	}
	for _, s := range t.Sources {
		n.sourceByID[s.ID] = s
	}
	return n
}

func (n names) party(id string) string {
	if name, ok := n.parties[id]; ok {
		return name
	}
	return id
}

func (n names) person(id string) string {
	if name, ok := n.people[id]; ok {
		return name
	}
	return id
}

func (n names) sources(ids []string) []sourceHTML {
	var out []sourceHTML
	for _, id := range ids {
		if html, ok := n.rendered[id]; ok {
			out = append(out, html)
			continue
		}
		s, ok := n.sourceByID[id]
		if !ok {
			continue
		}
		var b strings.Builder
		v := sourceView{Publisher: s.Publisher, Title: s.Title, URL: s.URL, Published: dateOf(s.Published, n.l)}
		if err := n.source.ExecuteTemplate(&b, "source", v); err != nil {
			// Only a failing writer fails it, and a Builder does not: keep
			// the page, with the publisher as escaped text.
			b.Reset()
			b.WriteString(template.HTMLEscapeString(s.Publisher))
		}
		n.rendered[id] = sourceHTML(b.String())
		out = append(out, n.rendered[id])
	}
	return out
}

// when is whenOf with the zones loaded once a request.
func (n names) when(w store.When) when {
	if w.TimeKnown() {
		if _, ok := n.zones[w.Zone]; !ok {
			loc, err := store.LoadZone(w.Zone)
			if err != nil {
				loc = nil
			}
			n.zones[w.Zone] = loc
		}
		return whenIn(w, n.zones[w.Zone], n.l)
	}
	return whenOf(w, n.l)
}

// venue is a round's venue in the reader's language.
func (n names) venue(r store.Round) string { return r.VenueNames.In(string(n.lang), r.Venue) }

// quoteLanguage names a quote's language, "(in Ukrainian)", when it is
// known and not the reader's; "" otherwise.
func (n names) quoteLanguage(code string) string {
	if code == "" || code == string(n.lang) {
		return ""
	}
	tag, err := language.Parse(code)
	if err != nil {
		return ""
	}
	name := display.Languages(language.Make(string(n.lang))).Name(tag)
	if name == "" {
		name = code
	}
	return n.l.Say("quote.language", "Language", name)
}
