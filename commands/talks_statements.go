package commands

import (
	"context"
	"fmt"
	"strings"

	"talkbot/store"
)

const statementsPerPage = 5

func (c *Commands) statements(ctx context.Context, req Request) (Reply, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	var party, person string
	if req.Option("side") != "" {
		if party, err = c.party(t, req.Option("side")); err != nil {
			return Reply{}, err
		}
	}
	if req.Option("speaker") != "" {
		if person, err = c.person(t, req.Option("speaker")); err != nil {
			return Reply{}, err
		}
	}
	return c.statementsList(ctx, t, party, person, 0)
}

func (c *Commands) statementsList(ctx context.Context, t *trackInfo, party, person string, page int) (Reply, error) {
	res, err := c.store.Statements(ctx, store.StatementQuery{Track: t.ID, Party: party, Person: person, Limit: statementsPerPage, Offset: page * statementsPerPage})
	if err != nil {
		return Reply{}, fmt.Errorf("statements: %w", err)
	}
	if res.Total == 0 {
		return Reply{Content: "No statement matches in **" + t.Title + "**.", Ephemeral: true}, nil
	}
	pages := (res.Total + statementsPerPage - 1) / statementsPerPage
	if page >= pages {
		return c.statementsList(ctx, t, party, person, pages-1)
	}
	title := "Statements"
	switch {
	case person != "":
		title += " by " + t.personName(person)
	case party != "":
		title += " from " + t.partyName(party)
	}
	b := newEmbed(title+" · "+t.Title, "")
	var lists [][]string
	for _, st := range res.Items {
		lists = append(lists, st.Sources)
	}
	cited, err := c.cite(ctx, t.ID, lists...)
	if err != nil {
		return Reply{}, err
	}
	for _, st := range res.Items {
		srcs := cited.of(st.Sources)
		attrib := "— " + formatDate(st.SaidOn, false)
		if st.Medium != "" {
			attrib += ", " + st.Medium
		}
		attrib += " · " + shortCite(srcs)
		name := t.personLine(st.By)
		if st.Party != "" {
			name += " (" + t.partyName(st.Party) + ")"
		}
		b.field(name, truncate(quote(st.Text), maxFieldValue-textLen(attrib)-1, "")+"\n"+attrib, false)
	}
	b.footer(fmt.Sprintf("Page %d of %d · %s, newest first", page+1, pages, plural(res.Total, "statement")))
	reply := embedsReply(b)
	reply.Components = pager(fmt.Sprintf("statements:%s:%s:%s", t.ID, party, person), page, pages)
	return reply, nil
}

// person resolves a speaker typed or picked: an id, or a name.
func (c *Commands) person(t *trackInfo, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	for _, p := range t.People {
		if strings.EqualFold(p.ID, typed) || strings.EqualFold(p.Name, typed) {
			return p.ID, nil
		}
	}
	var names []string
	for _, p := range t.People {
		names = append(names, p.Name)
	}
	return "", userErrorf("There is no speaker %s in %s. Pick one from the list as you type, or use one of: %s.", echo(typed), t.Title, listOf(names, 10))
}
