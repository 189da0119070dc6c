package feeds

import "testing"

func TestMatch(t *testing.T) {
	item := Item{
		Title:   "Ceasefires discussed as delegations meet in Istanbul",
		Summary: "Prisoners exchanged; the talks will continue. Переговоры продолжатся.",
	}
	tests := []struct {
		name     string
		keywords []string
		want     bool
	}{
		{"no keywords: every item matches", nil, true},
		{"a singular keyword matches the plural in the title", []string{"ceasefire"}, true},
		{"a plural keyword matches the plural too", []string{"ceasefires"}, true},
		{"talk matches talks in the summary", []string{"talk"}, true},
		{"case does not matter", []string{"ISTANBUL"}, true},
		{"other forms of a verb match", []string{"meeting"}, true},
		{"any of several keywords matches", []string{"memorandum", "delegation"}, true},
		{"a keyword of several words matches in order", []string{"prisoner exchange"}, true},
		{"punctuation in a keyword separates words", []string{"prisoners-exchanged"}, true},
		{"the same words in another order do not match", []string{"exchange prisoner"}, false},
		{"words apart do not match as a phrase", []string{"ceasefire istanbul"}, false},
		{"a phrase does not run from the title into the summary", []string{"istanbul prisoners"}, false},
		{"part of a word does not match", []string{"fire"}, false},
		{"a word that is not there does not match", []string{"memorandum"}, false},
		{"Cyrillic words match, whatever their case", []string{"ПЕРЕГОВОРЫ"}, true},
		{"a keyword with no words matches nothing", []string{"—!"}, false},
		{"an empty keyword beside a real one", []string{"", "talks"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Match(tc.keywords, item); got != tc.want {
				t.Errorf("Match(%q) = %v, want %v (stems %q / %q)", tc.keywords, got, tc.want, stems(item.Title), stems(item.Summary))
			}
		})
	}
}

func TestWordsSplitLikeTheSearch(t *testing.T) {
	got := words("Zelensky's 2nd-round: Україна, café—ok")
	want := []string{"Zelensky", "s", "2nd", "round", "Україна", "café", "ok"}
	if len(got) != len(want) {
		t.Fatalf("words = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("words = %q, want %q", got, want)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	item := Item{
		Title:   "Delegations agree to a second round of talks in Istanbul",
		Summary: "The heads of the delegations said a second round would follow within weeks; prisoners and ceasefires were discussed at length.",
	}
	keywords := []string{"memorandum", "prisoner exchange", "ceasefire"}
	b.ReportAllocs()
	for b.Loop() {
		Match(keywords, item)
	}
}
