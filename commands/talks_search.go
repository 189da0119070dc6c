package commands

import (
	"context"
	"fmt"
	"strings"

	"talkbot/store"
)

const searchResults = 8

func (c *Commands) search(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	// The data is in English, and so is the example query.
	example := w.command("talks/search", "query:ceasefire")
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	text := strings.TrimSpace(req.Option("query"))
	if store.CommonWordsOnly(text) {
		// Both engines ignore words such as "the": say so rather than
		// "no match", which would suggest the talks never mention them.
		return Reply{}, &UserError{w.t("error.search_common_words", "Query", echo(text), "Example", example)}
	}
	hits, err := c.store.Search(ctx, store.SearchQuery{Track: t.ID, Text: text, Limit: searchResults})
	if err != nil {
		return Reply{}, fmt.Errorf("searching: %w", err)
	}
	if len(hits) == 0 {
		return Reply{}, &UserError{w.t("error.search_nothing", "Track", t.Title, "Query", echo(text), "Example", example)}
	}
	b := w.embed(w.t("search.title", "Query", text, "Track", t.Title), "")
	var lists [][]string
	for _, h := range hits {
		lists = append(lists, h.Sources)
	}
	cited, err := c.cite(ctx, t.ID, lists...)
	if err != nil {
		return Reply{}, err
	}
	for _, h := range hits {
		srcs := cited.of(h.Sources)
		var name, body string
		switch h.Kind {
		case store.HitPosition:
			name = w.t("search.position", "Party", t.partyName(h.Party), "Topic", h.Topic)
			body = h.Text
		case store.HitStatement:
			name = w.t("search.statement", "Person", t.personName(h.Person))
			body = quote(h.Text)
		case store.HitOutcome:
			name = w.t("search.outcome", "Number", h.Round)
			body = h.Text
		}
		attrib := "— " + w.date(h.On, false) + " · " + shortCite(srcs)
		b.field(name, truncate(body, 300, "")+"\n"+attrib, false)
	}
	b.footer(w.t("search.footer"))
	return embedsReply(b), nil
}
