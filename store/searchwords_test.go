package store

import (
	"slices"
	"testing"
)

func TestSearchWords(t *testing.T) {
	for _, tc := range []struct {
		text        string
		want        []string
		commonsOnly bool
	}{
		{"ceasefire", []string{"ceasefire"}, false},
		{"The ceasefire", []string{"ceasefire"}, false},
		{"THE Ceasefire OF the War", []string{"Ceasefire", "War"}, false},
		{"the", nil, true},
		{"It's not what it was", nil, true},
		{"well-prepared meeting", []string{"well", "prepared", "meeting"}, false},
		{`memorandum core* "causes`, []string{"memorandum", "core", "causes"}, false},
		{"Türkiye's role in İstanbul", []string{"Türkiye", "role", "İstanbul"}, false},
		{"переговоры в Стамбуле", []string{"переговоры", "в", "Стамбуле"}, false},
		{"", nil, false},
		{`"*( ) -`, nil, false},
	} {
		got := SearchWords(tc.text)
		if !slices.Equal(got, tc.want) {
			t.Errorf("SearchWords(%q) = %q; want %q", tc.text, got, tc.want)
		}
		if c := CommonWordsOnly(tc.text); c != tc.commonsOnly {
			t.Errorf("CommonWordsOnly(%q) = %v; want %v", tc.text, c, tc.commonsOnly)
		}
	}
}
