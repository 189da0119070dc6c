package commands

import (
	"testing"

	"talkbot/i18n"
	"talkbot/store"
)

func BenchmarkWordsT(b *testing.B) {
	w := wordsIn(i18n.Ukrainian)
	b.ReportAllocs()
	for b.Loop() {
		w.t("round.title", "Number", 2, "Track", "Russia–Ukraine direct talks")
	}
}

func BenchmarkWordsPlain(b *testing.B) {
	w := wordsIn(i18n.Ukrainian)
	b.ReportAllocs()
	for b.Loop() {
		w.t("field.venue")
	}
}

func BenchmarkWordsDate(b *testing.B) {
	w := wordsIn(i18n.Ukrainian)
	d, _ := store.ParseDate("2025-06-02")
	b.ReportAllocs()
	for b.Loop() {
		w.date(d, true)
	}
}

func BenchmarkWordsOfARequest(b *testing.B) {
	c := New(nil, nil, nil)
	r := Request{Locale: "en-GB"}
	b.ReportAllocs()
	for b.Loop() {
		c.words(r)
	}
}
