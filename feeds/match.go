package feeds

import (
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// Match reports whether it is news for a track with these keywords: any
// keyword appears in the item's title or summary, compared in the words
// the search uses (split at anything but letters, marks and digits,
// lowercased, reduced to their English Snowball stem, as PostgreSQL's
// "english" search does), so "ceasefires" matches "ceasefire" and "talks"
// matches "talk". A keyword of several words matches when they appear
// one after another ("prisoner exchange" in "prisoners exchanged"). With
// no keywords every item matches; a keyword with no words matches nothing.
func Match(keywords []string, it Item) bool {
	if len(keywords) == 0 {
		return true
	}
	var text [][]string
	for _, kw := range keywords {
		want := stems(kw)
		if len(want) == 0 {
			continue
		}
		if text == nil {
			text = [][]string{stems(it.Title), stems(it.Summary)}
		}
		for _, have := range text {
			if containsRun(have, want) {
				return true
			}
		}
	}
	return false
}

// containsRun reports whether want appears in have as consecutive words.
func containsRun(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		if slices.Equal(have[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// stems are text's words in the form Match compares.
func stems(text string) []string {
	words := words(text)
	for i, w := range words {
		words[i] = english.Stem(strings.ToLower(w), true)
	}
	return words
}

// words splits text as store.Words does (SQLite FTS5's unicode61
// tokenizer): letters, marks and digits make words. Copied, not imported:
// this edge knows nothing of the store.
func words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.Co)
	})
}
