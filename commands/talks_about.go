package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"talkbot/store"
)

func (c *Commands) about(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	if strings.TrimSpace(req.Option("track")) != "" {
		t, err := c.readTrack(ctx, req)
		if err != nil {
			return Reply{}, err
		}
		return c.aboutTrack(ctx, w, t)
	}
	tracks, err := c.visibleTracks(ctx, req.GuildID)
	if err != nil {
		return Reply{}, err
	}
	pubs, err := c.store.Publishers(ctx)
	if err != nil {
		return Reply{}, err
	}
	b := w.embed(w.t("about.title"), "").description(w.t("about.description"))
	var ts []string
	var latest store.Date
	version, err := c.store.DataVersion(ctx)
	if err != nil {
		return Reply{}, err
	}
	for _, summary := range tracks {
		ts = append(ts, fmt.Sprintf("**%s** (`%s`)", w.title(summary), summary.ID))
		t, err := c.loadTrackAt(ctx, version, summary.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue // removed since the list was read
		}
		if err != nil {
			return Reply{}, err
		}
		latest = newestReport(t.Sources, latest)
	}
	b.field(w.t("about.talks_followed"), w.listOf(ts, 15), false)
	b.field(w.t("field.sources"), w.listOf(pubs, 20), false)
	if err := c.dates(ctx, w, b, latest); err != nil {
		return Reply{}, err
	}
	var cmds []string
	for _, sub := range []string{"next", "rounds", "round", "positions", "compare", "statements", "upcoming", "search", "subscribe"} {
		cmds = append(cmds, "`"+w.command("talks/"+sub)+"`")
	}
	cmds = append(cmds, "`"+w.command("talks/about", "track:…")+"`")
	b.field(w.t("about.commands"), strings.Join(cmds, " · "), false)
	return embedsReply(b), nil
}

// aboutTrack is /talks about for one track: its parties as the sources
// describe them, its sources, its latest report and how many rounds.
func (c *Commands) aboutTrack(ctx context.Context, w words, t *trackInfo) (Reply, error) {
	srcs := t.Sources
	rounds, err := c.store.Rounds(ctx, t.ID)
	if err != nil {
		return Reply{}, fmt.Errorf("rounds of %s: %w", t.ID, err)
	}
	b := w.embed(w.t("about.track_title", "Track", t.Title), "").description(w.t("about.track_description", "Track", t.Title, "ID", t.ID))
	var parties []string
	for _, p := range t.Parties {
		name := t.partyName(p.ID)
		if p.Role != "" && p.Role != store.RoleParty {
			name += " (" + w.role(p.Role) + ")"
		}
		parties = append(parties, name)
	}
	b.field(w.t("about.parties"), strings.Join(parties, ", "), false)
	b.field(w.t("about.recorded"), w.n("count.rounds", len(rounds))+" · "+w.n("count.sources", len(srcs)), false)
	b.field(w.t("field.sources"), w.cite(srcs), false)
	if err := c.dates(ctx, w, b, newestReport(srcs, store.Date{})); err != nil {
		return Reply{}, err
	}
	return embedsReply(b), nil
}

// dates adds the two dates a reader of /talks about needs, kept apart:
// how recent the news is (the newest source's publication) and when this
// copy of the data last changed (an import that changed something; a
// copy filled yesterday from old reports is not news from yesterday).
func (c *Commands) dates(ctx context.Context, w words, b *embed, latest store.Date) error {
	changed, err := c.store.LastChanged(ctx)
	if err != nil {
		return err
	}
	if !latest.IsZero() {
		b.field(w.t("about.latest_report"), w.date(latest, false), true)
	}
	if !changed.IsZero() {
		b.field(w.t("about.updated"), fmt.Sprintf("<t:%d:f> (<t:%d:R>)", changed.Unix(), changed.Unix()), true)
	}
	return nil
}

// newestReport is the latest publication date among srcs and since.
func newestReport(srcs []store.Source, since store.Date) store.Date {
	for _, s := range srcs {
		if !s.Published.IsZero() && (since.IsZero() || since.Before(s.Published)) {
			since = s.Published
		}
	}
	return since
}
