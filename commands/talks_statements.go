package commands

import (
	"context"
	"fmt"
	"strings"

	"talkbot/store"
)

const statementsPerPage = 5

func (c *Commands) statements(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	var party, person string
	if req.Option("side") != "" {
		if party, err = c.party(w, t, req.Option("side")); err != nil {
			return Reply{}, err
		}
	}
	if req.Option("speaker") != "" {
		if person, err = c.person(w, t, req.Option("speaker")); err != nil {
			return Reply{}, err
		}
	}
	return c.statementsList(ctx, w, t, party, person, 0)
}

func (c *Commands) statementsList(ctx context.Context, w words, t *trackInfo, party, person string, page int) (Reply, error) {
	res, err := c.store.Statements(ctx, store.StatementQuery{Track: t.ID, Party: party, Person: person, Limit: statementsPerPage, Offset: page * statementsPerPage})
	if err != nil {
		return Reply{}, fmt.Errorf("statements: %w", err)
	}
	if res.Total == 0 {
		return Reply{Content: w.t("statements.none", "Track", t.Title), Ephemeral: true}, nil
	}
	pages := (res.Total + statementsPerPage - 1) / statementsPerPage
	if page >= pages {
		return c.statementsList(ctx, w, t, party, person, pages-1)
	}
	title := w.t("statements.title", "Track", t.Title)
	switch {
	case person != "":
		title = w.t("statements.title_by", "Person", t.personName(person), "Track", t.Title)
	case party != "":
		title = w.t("statements.title_from", "Party", t.partyName(party), "Track", t.Title)
	}
	b := w.embed(title, "")
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
		attrib := "— " + w.date(st.SaidOn, false)
		if st.Medium != "" {
			attrib += ", " + st.Medium
		}
		if lang := w.quoteLanguage(st.Language); lang != "" {
			attrib += " " + lang
		}
		attrib += " · " + shortCite(srcs)
		name := t.personLine(st.By)
		if st.Party != "" {
			name += " (" + t.partyName(st.Party) + ")"
		}
		b.field(name, truncate(quote(st.Text), maxFieldValue-textLen(attrib)-1, "")+"\n"+attrib, false)
	}
	b.footer(w.n("statements.footer", res.Total, "Page", page+1, "Pages", pages))
	reply := embedsReply(b)
	reply.Components = w.pager(fmt.Sprintf("statements:%s:%s:%s", t.ID, party, person), page, pages)
	return reply, nil
}

// person resolves a speaker typed or picked: an id, or a name.
func (c *Commands) person(w words, t *trackInfo, typed string) (string, error) {
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
	return "", &UserError{w.t("error.no_speaker", "Typed", echo(typed), "Track", t.Title, "Speakers", w.listOf(names, 10))}
}
