package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"talkbot/store"
)

// SearchColumns are what a search hit carries, read from search_docs d.
const SearchColumns = `d.kind, d.track_id, d.body, d.party, d.person, d.topic, d.round, d.on_date, d.sources`

// Search runs a full-text query, best match first. Both engines get the
// same words (store.SearchWords): a text of common words only, or of no
// words at all, finds nothing on either without asking the database.
func (s *DB) Search(ctx context.Context, q store.SearchQuery) ([]store.SearchHit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	terms := store.SearchWords(q.Text)
	if len(terms) == 0 {
		return nil, nil
	}
	sqlText, args := s.d.Search(terms, q.Track, limit)
	rows, err := s.query(ctx, s.db, sqlText, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (store.SearchHit, error) {
		var h store.SearchHit
		var on, sources string
		if err := r.Scan(&h.Kind, &h.Track, &h.Text, &h.Party, &h.Person, &h.Topic, &h.Round, &on, &sources); err != nil {
			return h, err
		}
		var err error
		if h.On, err = parseDate(on); err != nil {
			return h, err
		}
		h.Sources, err = decodeList(sources)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("searching for %q: %w", q.Text, err)
	}
	return out, nil
}

// Complete offers autocomplete choices whose id or a word of whose name
// starts with the prefix.
func (s *DB) Complete(ctx context.Context, q store.CompleteQuery) ([]store.Choice, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 25
	}
	prefix := strings.Join(words(q.Prefix), " ")
	word := `% ` + likeEscape(prefix) + `%`
	var (
		sqlText string
		args    []any
	)
	trackFilter := func() {
		if q.Track != "" {
			sqlText += ` AND track_id = ?`
			args = append(args, q.Track)
		}
	}
	switch q.Kind {
	case store.CompleteTracks:
		sqlText, args = `SELECT id, title FROM tracks WHERE search_key LIKE ? ESCAPE '\' ORDER BY title, id LIMIT ?`, []any{word, limit}
	case store.CompleteParties, store.CompletePeople:
		table := "parties"
		if q.Kind == store.CompletePeople {
			table = "people"
		}
		sqlText, args = `SELECT id, MIN(name) FROM `+table+` WHERE search_key LIKE ? ESCAPE '\'`, []any{word}
		trackFilter()
		sqlText += ` GROUP BY id ORDER BY MIN(name), id LIMIT ?`
		args = append(args, limit)
	case store.CompleteTopics:
		// Topics are slugs: match the start of the slug or of any part of it.
		slug := strings.ReplaceAll(likeEscape(prefix), " ", "-")
		sqlText, args = `SELECT DISTINCT topic, topic FROM positions WHERE (topic LIKE ? ESCAPE '\' OR topic LIKE ? ESCAPE '\')`, []any{slug + `%`, `%-` + slug + `%`}
		trackFilter()
		sqlText += ` ORDER BY topic LIMIT ?`
		args = append(args, limit)
	default:
		return nil, fmt.Errorf("autocomplete of unknown kind %q", q.Kind)
	}
	rows, err := s.query(ctx, s.db, sqlText, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (c store.Choice, err error) {
		err = r.Scan(&c.Value, &c.Name)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("completing %s %q: %w", q.Kind, q.Prefix, err)
	}
	return out, nil
}
