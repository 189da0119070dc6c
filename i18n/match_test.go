package i18n_test

import (
	"slices"
	"testing"

	"talkbot/i18n"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, tag string
		want      i18n.Lang
	}{
		{"a Discord locale of ours is that language", "uk", i18n.Ukrainian},
		{"Russian from Discord is Russian", "ru", i18n.Russian},
		{"Turkish from Discord is Turkish", "tr", i18n.Turkish},
		{"American English is English", "en-US", i18n.English},
		{"British English is English", "en-GB", i18n.English},
		{"Brazilian Portuguese falls back to English", "pt-BR", i18n.English},
		{"Latin American Spanish falls back to English", "es-419", i18n.English},
		{"a POSIX locale with a codeset", "uk_UA.UTF-8", i18n.Ukrainian},
		{"a Turkish POSIX locale", "tr_TR.UTF-8", i18n.Turkish},
		{"a POSIX locale with a modifier", "ru_UA.KOI8-U@euro", i18n.Russian},
		{"the C locale is English", "C", i18n.English},
		{"C.UTF-8 is English", "C.UTF-8", i18n.English},
		{"POSIX is English", "POSIX", i18n.English},
		{"a LANGUAGE list takes the first language we speak", "de:tr:en", i18n.Turkish},
		{"Accept-Language takes the first language we speak", "de-DE,de;q=0.9,ru;q=0.8,en;q=0.5", i18n.Russian},
		{"Accept-Language follows the weights, not the order", "en;q=0.3,uk;q=0.9", i18n.Ukrainian},
		{"a language refused with q=0 is not chosen", "uk;q=0,tr", i18n.Turkish},
		{"Accept-Language any is English", "*", i18n.English},
		{"upper case and a region still match", "UK-ua", i18n.Ukrainian},
		{"the empty string is English", "", i18n.English},
		{"garbage is English", "\x00;;q=zz,,", i18n.English},
		{"an unknown language is English", "xx-YY", i18n.English},
		{"Belarusian is not taken for Russian", "be", i18n.English},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := i18n.Match(tc.tag); got != tc.want {
				t.Errorf("Match(%q) = %q; want %q", tc.tag, got, tc.want)
			}
		})
	}
}

func TestLangsAreTheCatalogsEnglishFirst(t *testing.T) {
	t.Parallel()
	got := i18n.Langs()
	if len(got) == 0 || got[0] != i18n.English {
		t.Fatalf("Langs() = %v; want English first", got)
	}
	for _, want := range []i18n.Lang{i18n.Ukrainian, i18n.Russian, i18n.Turkish} {
		if !slices.Contains(got, want) {
			t.Errorf("Langs() = %v; want %s among them", got, want)
		}
	}
	if !slices.IsSorted(got[1:]) {
		t.Errorf("Langs() = %v; want the rest sorted", got)
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"uk", "tr_TR.UTF-8", "ru-RU,ru;q=0.9", "C", "de:uk", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		got := i18n.Match(tag) // must not panic, and must be ours
		for _, l := range i18n.Langs() {
			if got == l {
				return
			}
		}
		t.Errorf("Match(%q) = %q, not one of %v", tag, got, i18n.Langs())
	})
}
