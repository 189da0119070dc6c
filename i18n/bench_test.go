package i18n_test

import (
	"testing"

	"talkbot/i18n"
)

// BenchmarkLoad is what Definitions pays to read the catalogs.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := i18n.Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkN is one plural message, as a reply will render many.
func BenchmarkN(b *testing.B) {
	c, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	uk := c.Localizer(i18n.Ukrainian)
	b.ReportAllocs()
	for b.Loop() {
		uk.N("rounds", 5, nil)
	}
}

func BenchmarkMatch(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		i18n.Match("uk_UA.UTF-8")
	}
}
