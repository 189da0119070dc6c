package store

import (
	"strings"
	"unicode"
)

// SearchWords are the words Search looks for in what a user typed: the text
// split where the search index splits it (letters, marks and digits make
// words; everything else separates them), without the common words that
// PostgreSQL's "english" text search configuration ignores ("the", "of",
// "not", ...). Both engines search for exactly these words, so a common
// word neither narrows nor empties a search on one engine and not on the
// other.
func SearchWords(text string) []string {
	var out []string
	for _, w := range Words(text) {
		if !commonWords[strings.ToLower(w)] {
			out = append(out, w)
		}
	}
	return out
}

// CommonWordsOnly reports whether text has words but every one of them is
// a common word that search ignores. Search finds nothing for such a text;
// a caller can tell the user why instead of "no match".
func CommonWordsOnly(text string) bool {
	return len(Words(text)) > 0 && len(SearchWords(text)) == 0
}

// Words splits text where the search index does (SQLite FTS5's unicode61
// tokenizer): letters, marks and digits make words; everything else
// separates them.
func Words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.Co)
	})
}

// commonWords is PostgreSQL's english.stop (share/tsearch_data), the list
// its "english" configuration drops from documents and queries. SQLite's
// index keeps these words; leaving them out of every query is what makes
// both engines answer alike. A PostgreSQL test checks the two lists agree.
var commonWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(CommonWordList) {
		m[w] = true
	}
	return m
}()

// CommonWordList is the list commonWords is built from, in english.stop's
// order.
const CommonWordList = `i me my myself we our ours ourselves you your yours
yourself yourselves he him his himself she her hers herself it its itself
they them their theirs themselves what which who whom this that these those
am is are was were be been being have has had having do does did doing a an
the and but if or because as until while of at by for with about against
between into through during before after above below to from up down in out
on off over under again further then once here there when where why how all
any both each few more most other some such no nor not only own same so than
too very s t can will just don should now`
