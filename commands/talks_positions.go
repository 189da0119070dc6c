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
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	party, err := c.party(t, req.Option("side"))
	if err != nil {
		return Reply{}, err
	}
	topic := slug(req.Option("topic"))
	return c.positionsList(ctx, t, party, topic, 0)
}

func (c *Commands) positionsList(ctx context.Context, t *trackInfo, party, topic string, page int) (Reply, error) {
	// One more than a page tells whether there is a next one.
	ps, err := c.store.Positions(ctx, store.PositionQuery{Track: t.ID, Party: party, Topic: topic, Limit: positionsPerPage + 1, Offset: page * positionsPerPage})
	if err != nil {
		return Reply{}, fmt.Errorf("positions of %s: %w", party, err)
	}
	if len(ps) == 0 && page == 0 {
		if topic != "" {
			return Reply{}, c.noPositionOn(ctx, t, party, topic)
		}
		return Reply{Content: fmt.Sprintf("%s has stated no position in **%s** yet.", t.partyName(party), t.Title), Ephemeral: true}, nil
	}
	hasNext := len(ps) > positionsPerPage
	ps = ps[:min(len(ps), positionsPerPage)]
	title := "Positions of " + t.partyName(party)
	if topic != "" {
		title += " on " + topic
	}
	b := newEmbed(title+" · "+t.Title, "")
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
		attrib := formatDate(p.StatedOn, false)
		if p.By != "" {
			attrib = t.personLine(p.By) + " · " + attrib
		}
		cites := shortCite(srcs)
		value = truncate(value, maxFieldValue-textLen(attrib)-textLen(cites)-8, "") + "\n— " + attrib + " · " + cites
		b.field(p.Topic, value, false)
	}
	b.footer(fmt.Sprintf("Page %d · newest first", page+1))
	reply := embedsReply(b)
	reply.Components = pagerOpen(fmt.Sprintf("positions:%s:%s:%s", t.ID, party, topic), page, hasNext)
	return reply, nil
}

// noPositionOn says a side has no position on a topic and lists the
// topics it has positions on, as compare does for a topic nobody has.
func (c *Commands) noPositionOn(ctx context.Context, t *trackInfo, party, topic string) error {
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
		return userErrorf("%s has stated no position on %s in %s, nor on any other topic yet.", name, echo(topic), t.Title)
	}
	return userErrorf("%s has stated no position on %s in %s. Topics %s has positions on: %s. Leave out the topic to see all of them.",
		name, echo(topic), t.Title, name, listOf(topics, 15))
}

// party resolves a side typed or picked: a party id, or a name matched
// case-insensitively.
func (c *Commands) party(t *trackInfo, typed string) (string, error) {
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
	return "", userErrorf("There is no side %s in %s. Pick one from the list as you type, or use one of: %s.", echo(typed), t.Title, listOf(names, 10))
}

// slug normalises a typed topic: "Security Guarantees" -> "security-guarantees".
func slug(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_'
	}), "-")
}
