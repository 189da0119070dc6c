package postgres_test

import (
	"database/sql"
	"maps"
	"slices"
	"strings"
	"testing"

	"talkbot/data"
	"talkbot/store"
	"talkbot/store/pgtest"
)

// store.SearchWords drops the common words in Go, for both engines; the
// documents on PostgreSQL are indexed by its "english" configuration, which
// drops its own list. The two lists must be one: PostgreSQL must drop every
// word of the Go list and, over every word of the bundled data, no other.
func TestCommonWordsAreTheEnglishStopWords(t *testing.T) {
	db, err := sql.Open("pgx", pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	// Words often taken for stop words that PostgreSQL's list leaves out,
	// then the list itself and the bundled data's words.
	sample := map[string]bool{}
	for _, w := range strings.Fields("also among could however may might must never nothing shall us whose within without would yes " + store.CommonWordList) {
		sample[w] = true
	}
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range tracks {
		var texts []string
		for _, p := range tr.Positions {
			texts = append(texts, p.Summary)
		}
		for _, s := range tr.Statements {
			texts = append(texts, s.Text)
		}
		for _, r := range tr.Rounds {
			texts = append(texts, r.Outcomes...)
		}
		for _, text := range texts {
			for _, w := range strings.Fields(strings.ToLower(text)) {
				w = strings.Trim(w, `.,;:!?"'()“”‘’—-`)
				if w != "" && !strings.ContainsAny(w, `.,;:!?"'()“”‘’—-/`) {
					sample[w] = true
				}
			}
		}
	}
	if len(sample) < 200 {
		t.Fatalf("only %d sample words; the bundled data alone gives over a hundred", len(sample))
	}
	words := slices.Sorted(maps.Keys(sample))
	rows, err := db.QueryContext(t.Context(),
		`SELECT w FROM unnest($1::text[]) AS w WHERE to_tsvector('english', w) = ''::tsvector ORDER BY w`, words)
	if err != nil {
		t.Fatal(err)
	}
	var dropped []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			t.Fatal(err)
		}
		dropped = append(dropped, w)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var common []string
	for _, w := range words {
		if len(store.SearchWords(w)) == 0 {
			common = append(common, w)
		}
	}
	if !slices.Equal(dropped, common) {
		t.Errorf("PostgreSQL's english configuration drops %q;\nstore.SearchWords drops %q", dropped, common)
	}
}
