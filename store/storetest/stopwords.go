package storetest

import (
	"slices"
	"testing"

	"talkbot/store"
)

// testCommonWords holds both engines to one rule for common words ("the",
// "of", "not"): a search ignores them, so they neither narrow a search nor
// find anything alone, and query syntax is plain words on both (PostgreSQL
// once read "or" and "-word" as operators; SQLite never did).
func testCommonWords(t *testing.T, open Factory) {
	tracks := saying(
		[2]string{"2025-01-01", "The ceasefire holds."},
		[2]string{"2025-02-01", "A ceasefire is not the end of the war, and it is not peace."},
		[2]string{"2025-03-01", "Prisoners were exchanged on the bridge."},
		[2]string{"2025-04-01", "It is what it is."},
		[2]string{"2025-05-01", "Ceasefire talks resume."}, // no common word: an engine that kept "the" would miss it
	)
	s, _ := openWith(t, open, tracks)
	search := func(t *testing.T, q store.SearchQuery) []string {
		t.Helper()
		hits, err := s.Search(t.Context(), q)
		if err != nil {
			t.Fatalf("Search(%q): %v", q.Text, err)
		}
		var texts []string
		for _, h := range hits {
			texts = append(texts, h.Text)
		}
		return texts
	}
	for _, track := range []string{"t", ""} {
		scope := "in a track"
		if track == "" {
			scope = "across tracks"
		}
		t.Run(scope, func(t *testing.T) {
			for _, text := range []string{"the", "THE", "The of and", "it is what it is", "not", "it's", "the -or-"} {
				if got := search(t, store.SearchQuery{Track: track, Text: text}); len(got) != 0 {
					t.Errorf("Search(%q) = %q; want nothing: every word is a common word", text, got)
				}
			}
			for _, tc := range []struct{ text, same string }{
				{"the ceasefire", "ceasefire"},
				{"ceasefire of the", "ceasefire"},
				{"not peace", "peace"},
				{"the prisoners on the bridge", "prisoners bridge"},
				{"ceasefire or prisoners", "ceasefire prisoners"},
				{"ceasefire -holds", "ceasefire holds"},
				{`"ceasefire holds"`, "holds ceasefire"},
			} {
				got := search(t, store.SearchQuery{Track: track, Text: tc.text})
				want := search(t, store.SearchQuery{Track: track, Text: tc.same})
				if !slices.Equal(got, want) {
					t.Errorf("Search(%q) = %q; want what Search(%q) finds, %q", tc.text, got, tc.same, want)
				}
			}
			// The rule must not empty everything: the words that are left
			// still find their documents.
			if got := search(t, store.SearchQuery{Track: track, Text: "the ceasefire"}); len(got) != 3 {
				t.Errorf(`Search("the ceasefire") = %q; want the three ceasefire statements, with "the" or without`, got)
			}
			if got := search(t, store.SearchQuery{Track: track, Text: "ceasefire or prisoners"}); len(got) != 0 {
				t.Errorf(`Search("ceasefire or prisoners") = %q; want nothing: no statement has both words`, got)
			}
		})
	}
}
