package commands

import (
	"context"
	"fmt"

	"talkbot/store"
)

func (c *Commands) compare(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	topic := slug(req.Option("topic"))
	b := w.embed(w.t("compare.title", "Topic", topic, "Track", t.Title), "("+w.command("talks/positions", "side:…", "topic:"+topic)+")")
	type latest struct {
		party string
		pos   store.Position
	}
	var found []latest
	var sources [][]string
	for _, p := range t.Parties {
		ps, err := c.store.Positions(ctx, store.PositionQuery{Track: t.ID, Party: p.ID, Topic: topic, Limit: 1})
		if err != nil {
			return Reply{}, fmt.Errorf("positions of %s on %s: %w", p.ID, topic, err)
		}
		if len(ps) > 0 {
			found = append(found, latest{t.partyName(p.ID), ps[0]})
			sources = append(sources, ps[0].Sources)
		}
	}
	cited, err := c.cite(ctx, t.ID, sources...)
	if err != nil {
		return Reply{}, err
	}
	for _, f := range found {
		attrib := w.date(f.pos.StatedOn, false) + " · " + shortCite(cited.of(f.pos.Sources))
		b.field(f.party, truncate(f.pos.Summary, maxFieldValue-textLen(attrib)-4, "")+"\n— "+attrib, true)
	}
	if len(found) == 0 {
		topics, err := c.store.Complete(ctx, store.CompleteQuery{Kind: store.CompleteTopics, Track: t.ID, Limit: 15})
		if err != nil {
			return Reply{}, err
		}
		var names []string
		for _, tp := range topics {
			names = append(names, "`"+tp.Value+"`")
		}
		return Reply{}, &UserError{w.t("error.compare_none", "Topic", echo(topic), "Track", t.Title, "Topics", w.listOf(names, 15))}
	}
	b.footer(w.t("compare.footer"))
	return embedsReply(b), nil
}
