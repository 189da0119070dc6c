package commands

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"talkbot/store"
)

// completeSources offers a track's sources, newest first (loadTrack keeps
// them so), matching what was typed in the id, publisher or title. A
// pasted URL is offered back as itself, so Discord accepts it.
func (c *Commands) completeSources(ctx context.Context, req Request, typed string) ([]store.Choice, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return nil, err
	}
	typed = strings.TrimSpace(typed)
	var out []store.Choice
	if isURL(typed) {
		if u, err := checkURL("source", typed); err == nil && len(u) <= maxChoiceName {
			name := c.words(req).t("source.new_choice", "URL", u)
			if s, ok := sourceByURL(t, u); ok {
				name, u = sourceChoiceName(s), s.ID
			}
			out = append(out, store.Choice{Name: name, Value: u})
		}
		return out, nil
	}
	low := strings.ToLower(typed)
	// Newest first, as loadTrack keeps them; a source made from a pasted
	// link has no date yet and is the newest of all, so it leads.
	sources := slices.Clone(t.Sources)
	slices.SortStableFunc(sources, func(a, b store.Source) int {
		return cmp.Compare(boolRank(!a.Published.IsZero()), boolRank(!b.Published.IsZero()))
	})
	// The source of the track's latest change leads: the one an editor just
	// made (from a feed item, with its own older date) or just cited is the
	// one the next edit most likely cites.
	lead, err := c.latestSource(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(sources, func(s store.Source) bool { return s.ID == lead }); i > 0 {
		s := sources[i]
		sources = slices.Insert(slices.Delete(sources, i, i+1), 0, s)
	}
	for _, s := range sources {
		if low == "" || strings.Contains(strings.ToLower(s.ID+" "+s.Publisher+" "+s.Title), low) {
			out = append(out, store.Choice{Name: sourceChoiceName(s), Value: s.ID})
		}
		if len(out) == maxChoices {
			break
		}
	}
	return out, nil
}

// latestSource is the source the track's latest change made or cited;
// "" when there is none, or no history (the announcer's commands).
func (c *Commands) latestSource(ctx context.Context, track string) (string, error) {
	if c.history == nil {
		return "", nil
	}
	page, err := c.history.History(ctx, store.HistoryQuery{Track: track, Limit: 1})
	if err != nil || len(page.Items) == 0 {
		return "", err
	}
	ch := page.Items[0]
	if ch.Entity.Kind == store.EntitySource {
		return ch.Entity.Key, nil
	}
	return ch.Source, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sourceChoiceName(s store.Source) string {
	name := s.Publisher + ": " + s.Title
	if !s.Published.IsZero() {
		name += " (" + s.Published.String() + ")"
	}
	return name
}

func sourceByURL(t *trackInfo, u string) (store.Source, bool) {
	for _, s := range t.Sources {
		if s.URL == u {
			return s, true
		}
	}
	return store.Source{}, false
}

func sourceByID(t *trackInfo, id string) (store.Source, bool) {
	for _, s := range t.Sources {
		if s.ID == id {
			return s, true
		}
	}
	return store.Source{}, false
}

// resolveSource reads the source: option: a source of the track by id, or
// a pasted http(s) URL. A URL the track has is that source; a new one is
// returned as newSrc, to be created with the edit (its host as publisher
// and the URL as title until `source add` fills them in).
func (c *Commands) resolveSource(t *trackInfo, typed string) (src store.Source, newSrc *store.Source, err error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return store.Source{}, nil, sayError("source.missing")
	}
	if s, ok := sourceByID(t, typed); ok {
		return s, nil, nil
	}
	if !isURL(typed) {
		return store.Source{}, nil, sayError("source.unknown", "Track", t.Title, "Typed", echo(typed), "Add", cmdOf("talks-edit/source/add"))
	}
	u, err := checkURL("source", typed)
	if err != nil {
		return store.Source{}, nil, sayError("source.bad_url", "Reason", err.(*fieldError).why)
	}
	if s, ok := sourceByURL(t, u); ok {
		return s, nil, nil
	}
	parsed, _ := url.Parse(u) // checkURL parsed it already
	host := strings.TrimPrefix(parsed.Hostname(), "www.")
	s := store.Source{ID: newSourceID(t, host, ""), Publisher: host, Title: u, URL: u}
	return s, &s, nil
}

// newSourceID makes an id for a new source from its publisher and day, as
// the bundled data names them ("reuters-2025-05-28"), unique in the track.
func newSourceID(t *trackInfo, publisher, day string) string {
	base := slugFrom(publisher, "source")
	if day != "" {
		base += "-" + day
	}
	id := base
	for n := 2; ; n++ {
		if _, taken := sourceByID(t, id); !taken {
			return id
		}
		id = base + "-" + strconv.Itoa(n)
	}
}

// sourceLine names a source for an editor: "Reuters: Title (`id`)".
func sourceLine(s store.Source) string {
	return echo(s.Publisher) + ", " + echo(s.Title) + " (`" + s.ID + "`)"
}

// editSourceAdd records a source, or updates the one with the same URL
// (so that a source made from a pasted link gets its real title).
func (c *Commands) editSourceAdd(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	u, err := checkURL("url", req.Option("url"))
	if err != nil {
		return Reply{}, optionError(err)
	}
	publisher, err := cleanText("publisher", req.Option("publisher"), maxNameLength, false, true)
	if err != nil {
		return Reply{}, optionError(err)
	}
	title, err := cleanText("title", req.Option("title"), maxTitleLength, false, true)
	if err != nil {
		return Reply{}, optionError(err)
	}
	var published store.Date
	if p := strings.TrimSpace(req.Option("published")); p != "" {
		if published, err = parseDay("published", p, t.Timezone, c.now()); err != nil {
			return Reply{}, optionError(err)
		}
	}
	s, existed := sourceByURL(t, u)
	if !existed {
		day := ""
		if !published.IsZero() {
			day = published.String()
		}
		s.ID = newSourceID(t, publisher, day)
	}
	s.Publisher, s.Title, s.URL, s.Published = publisher, title, u, published
	version, err := c.edits.Version(ctx, store.Entity{Kind: store.EntitySource, Track: t.ID, Key: s.ID})
	if err != nil {
		return Reply{}, err
	}
	e := store.Edit{Editor: editor(req), Base: version, New: !existed, Source: s.ID, SourceDoc: &s, TrackID: t.ID}
	if _, err := c.edits.ApplyEdit(ctx, e); err != nil {
		return Reply{}, editError(t, err)
	}
	w := c.words(req)
	msg := "source.added"
	if existed {
		msg = "source.updated"
	}
	return Reply{Content: w.t(msg, "Source", s.ID, "Publisher", echo(publisher), "Title", echo(title), "Edit", w.command("talks-edit")), Ephemeral: true}, nil
}

// optionError turns a field error about a command option into the
// ephemeral reply a user sees.
func optionError(err error) error {
	if fe, ok := err.(*fieldError); ok {
		return sayError("edit.option_refused", "Option", fe.Field, "Reason", fe.why)
	}
	return err
}
