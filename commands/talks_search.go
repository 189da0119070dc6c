package commands

import (
	"context"
	"fmt"
	"strings"

	"talkbot/store"
)

const searchResults = 8

func (c *Commands) search(ctx context.Context, req Request) (Reply, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	text := strings.TrimSpace(req.Option("query"))
	if store.CommonWordsOnly(text) {
		// Both engines ignore words such as "the": say so rather than
		// "no match", which would suggest the talks never mention them.
		return Reply{}, userErrorf("The query %s has only common words, which search ignores. Add a word that says what you are looking for, e.g. `/talks search query:ceasefire`.", echo(text))
	}
	hits, err := c.store.Search(ctx, store.SearchQuery{Track: t.ID, Text: text, Limit: searchResults})
	if err != nil {
		return Reply{}, fmt.Errorf("searching: %w", err)
	}
	if len(hits) == 0 {
		return Reply{}, userErrorf("Nothing in %s matches %s. Try fewer or other words, e.g. `/talks search query:ceasefire`.", t.Title, echo(text))
	}
	b := newEmbed(fmt.Sprintf("Search: %s · %s", text, t.Title), "")
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
			name = fmt.Sprintf("Position · %s on %s", t.partyName(h.Party), h.Topic)
			body = h.Text
		case store.HitStatement:
			name = "Statement · " + t.personName(h.Person)
			body = quote(h.Text)
		case store.HitOutcome:
			name = fmt.Sprintf("Outcome · round %d", h.Round)
			body = h.Text
		}
		attrib := "— " + formatDate(h.On, false) + " · " + shortCite(srcs)
		b.field(name, truncate(body, 300, "")+"\n"+attrib, false)
	}
	b.footer("Best matches first")
	return embedsReply(b), nil
}
