package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"talkbot/store"
)

const positionsPerPage = 5

func (c *Commands) positions(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	party, err := c.party(w, t, req.Option("side"))
	if err != nil {
		return Reply{}, err
	}
	topic := slug(req.Option("topic"))
	return c.positionsList(ctx, w, t, party, topic, 0)
}

func (c *Commands) positionsList(ctx context.Context, w words, t *trackInfo, party, topic string, page int) (Reply, error) {
	// One more than a page tells whether there is a next one.
	ps, err := c.store.Positions(ctx, store.PositionQuery{Track: t.ID, Party: party, Topic: topic, Limit: positionsPerPage + 1, Offset: page * positionsPerPage})
	if err != nil {
		return Reply{}, fmt.Errorf("positions of %s: %w", party, err)
	}
	if len(ps) == 0 && page == 0 {
		if topic != "" {
			return Reply{}, c.noPositionOn(ctx, w, t, party, topic)
		}
		return Reply{Content: w.t("positions.none", "Party", t.partyName(party), "Track", t.Title), Ephemeral: true}, nil
	}
	hasNext := len(ps) > positionsPerPage
	ps = ps[:min(len(ps), positionsPerPage)]
	title := w.t("positions.title", "Party", t.partyName(party), "Track", t.Title)
	if topic != "" {
		title = w.t("positions.title_topic", "Party", t.partyName(party), "Topic", topic, "Track", t.Title)
	}
	b := w.embed(title, "")
	var lists [][]string
	for _, p := range ps {
		lists = append(lists, p.Sources)
	}
	cited, err := c.cite(ctx, t.ID, lists...)
	if err != nil {
		return Reply{}, err
	}
	for _, p := range ps {
		srcs := cited.of(p.Sources)
		value := p.Summary
		attrib := w.date(p.StatedOn, false)
		if p.By != "" {
			attrib = t.personLine(p.By) + " · " + attrib
		}
		cites := shortCite(srcs)
		value = truncate(value, maxFieldValue-textLen(attrib)-textLen(cites)-8, "") + "\n— " + attrib + " · " + cites
		b.field(p.Topic, value, false)
	}
	b.footer(w.t("positions.footer", "Page", page+1))
	reply := embedsReply(b)
	reply.Components = w.pagerOpen(fmt.Sprintf("positions:%s:%s:%s", t.ID, party, topic), page, hasNext)
	return reply, nil
}

// noPositionOn says a side has no position on a topic and lists the
// topics it has positions on, as compare does for a topic nobody has.
func (c *Commands) noPositionOn(ctx context.Context, w words, t *trackInfo, party, topic string) error {
	ps, err := c.store.Positions(ctx, store.PositionQuery{Track: t.ID, Party: party, Limit: 1000})
	if err != nil {
		return fmt.Errorf("positions of %s: %w", party, err)
	}
	var topics []string
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.Topic] {
			seen[p.Topic] = true
			topics = append(topics, "`"+p.Topic+"`")
		}
	}
	slices.Sort(topics)
	name := t.partyName(party)
	if len(topics) == 0 {
		return &UserError{w.t("error.no_position_at_all", "Party", name, "Topic", echo(topic), "Track", t.Title)}
	}
	return &UserError{w.t("error.no_position_on", "Party", name, "Topic", echo(topic), "Track", t.Title, "Topics", w.listOf(topics, 15))}
}

// party resolves a side typed or picked: a party id, or a name matched
// case-insensitively.
func (c *Commands) party(w words, t *trackInfo, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	for _, p := range t.Parties {
		if strings.EqualFold(p.ID, typed) || strings.EqualFold(p.Name, typed) {
			return p.ID, nil
		}
	}
	var names []string
	for _, p := range t.Parties {
		names = append(names, p.Name+" (`"+p.ID+"`)")
	}
	return "", &UserError{w.t("error.no_side", "Typed", echo(typed), "Track", t.Title, "Sides", w.listOf(names, 10))}
}

// slug normalises a typed topic: "Security Guarantees" -> "security-guarantees".
func slug(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_'
	}), "-")
}
