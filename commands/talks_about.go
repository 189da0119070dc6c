package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"talkbot/store"
)

func (c *Commands) about(ctx context.Context, req Request) (Reply, error) {
	if strings.TrimSpace(req.Option("track")) != "" {
		t, err := c.track(ctx, req)
		if err != nil {
			return Reply{}, err
		}
		return c.aboutTrack(ctx, t)
	}
	tracks, err := c.visibleTracks(ctx, req.GuildID)
	if err != nil {
		return Reply{}, err
	}
	pubs, err := c.store.Publishers(ctx)
	if err != nil {
		return Reply{}, err
	}
	b := newEmbed("About talkbot", "").description("talkbot keeps this community current on diplomatic talks: the rounds, " +
		"what each side has stated, and the dates coming up. Every fact is recorded by editors with its source, " +
		"and every reply cites it. Times show in your own timezone.")
	var ts []string
	var latest store.Date
	version, err := c.store.DataVersion(ctx)
	if err != nil {
		return Reply{}, err
	}
	for _, summary := range tracks {
		ts = append(ts, fmt.Sprintf("**%s** (`%s`)", summary.Title, summary.ID))
		t, err := c.loadTrackAt(ctx, version, summary.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue // removed since the list was read
		}
		if err != nil {
			return Reply{}, err
		}
		latest = newestReport(t.Sources, latest)
	}
	b.field("Talks followed", listOf(ts, 15), false)
	b.field("Sources", listOf(pubs, 20), false)
	if err := c.dates(ctx, b, latest); err != nil {
		return Reply{}, err
	}
	b.field("Commands", "`/talks next` · `/talks rounds` · `/talks round` · `/talks positions` · `/talks compare` · `/talks statements` · `/talks upcoming` · `/talks search` · `/talks subscribe` · `/talks about track:…`", false)
	return embedsReply(b), nil
}

// aboutTrack is /talks about for one track: its parties as the sources
// describe them, its sources, its latest report and how many rounds.
func (c *Commands) aboutTrack(ctx context.Context, t *trackInfo) (Reply, error) {
	srcs := t.Sources
	rounds, err := c.store.Rounds(ctx, t.ID)
	if err != nil {
		return Reply{}, fmt.Errorf("rounds of %s: %w", t.ID, err)
	}
	b := newEmbed("About · "+t.Title, "").description(fmt.Sprintf("Where the facts about **%s** (`%s`) come from, and how recent they are.", t.Title, t.ID))
	var parties []string
	for _, p := range t.Parties {
		name := p.Name
		if p.Role != "" && p.Role != store.RoleParty {
			name += " (" + string(p.Role) + ")"
		}
		parties = append(parties, name)
	}
	b.field("Parties", strings.Join(parties, ", "), false)
	b.field("Recorded", plural(len(rounds), "round")+" · "+plural(len(srcs), "source"), false)
	b.field("Sources", cite(srcs), false)
	if err := c.dates(ctx, b, newestReport(srcs, store.Date{})); err != nil {
		return Reply{}, err
	}
	return embedsReply(b), nil
}

// dates adds the two dates a reader of /talks about needs, kept apart:
// how recent the news is (the newest source's publication) and when this
// copy of the data last changed (an import that changed something; a
// copy filled yesterday from old reports is not news from yesterday).
func (c *Commands) dates(ctx context.Context, b *embed, latest store.Date) error {
	changed, err := c.store.LastChanged(ctx)
	if err != nil {
		return err
	}
	if !latest.IsZero() {
		b.field("Latest report", formatDate(latest, false), true)
	}
	if !changed.IsZero() {
		b.field("This copy updated", fmt.Sprintf("<t:%d:f> (<t:%d:R>)", changed.Unix(), changed.Unix()), true)
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
