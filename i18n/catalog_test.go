package i18n_test

import (
	"slices"
	"sync"
	"testing"
	"testing/fstest"

	"talkbot/i18n"
)

func loadTest(t *testing.T, files map[string]string) *i18n.Catalog {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	c, err := i18n.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLocalizerFallsBackToEnglishNeverToTheID(t *testing.T) {
	t.Parallel()
	c := loadTest(t, map[string]string{
		"en.toml": `
hello = "Hello, {{.Name}}"
only_en = "Only in English"
broken = "Round {{.Number}}"
`,
		"uk.toml": `
hello = "Привіт, {{.Name}}"
broken = "Раунд {{.Numbr}}"
`,
	})
	uk := c.Localizer(i18n.Ukrainian)
	tests := []struct {
		name, got, want string
	}{
		{"a translated message is in the language", uk.T("hello", map[string]any{"Name": "Оксано"}), "Привіт, Оксано"},
		{"a message the language lacks is in English", uk.T("only_en", nil), "Only in English"},
		{"a translation with a wrong placeholder is in English", uk.T("broken", map[string]any{"Number": 3}), "Round 3"},
		{"a message no catalog has shows no id", uk.T("no.such.message", nil), i18n.Missing},
		{"a missing argument shows no <no value>", uk.T("hello", nil), i18n.Missing},
		{"English itself", c.Localizer(i18n.English).T("hello", map[string]any{"Name": "Ann"}), "Hello, Ann"},
		{"a language without a catalog is English", c.Localizer(i18n.Turkish).T("hello", map[string]any{"Name": "Ali"}), "Hello, Ali"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q; want %q", tc.name, tc.got, tc.want)
		}
	}
	if _, ok := uk.Lookup("only_en"); ok {
		t.Error("Lookup found an English message in the Ukrainian catalog")
	}
	if s, ok := uk.Lookup("hello"); !ok || s != "Привіт, {{.Name}}" {
		t.Errorf("Lookup(hello) = %q, %v", s, ok)
	}
}

func TestLoadRefusesABrokenCatalog(t *testing.T) {
	t.Parallel()
	for name, files := range map[string]fstest.MapFS{
		"no English":     {"uk.toml": {Data: []byte(`a = "b"`)}},
		"not TOML":       {"en.toml": {Data: []byte(`a = `)}},
		"a bad template": {"en.toml": {Data: []byte(`a = "{{.X"`)}},
	} {
		if _, err := i18n.LoadFS(files); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestPluralsFollowEachLanguagesRules(t *testing.T) {
	t.Parallel()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang  i18n.Lang
		count int
		want  string
	}{
		{i18n.Ukrainian, 1, "1 раунд"},
		{i18n.Ukrainian, 2, "2 раунди"},
		{i18n.Ukrainian, 5, "5 раундів"},
		{i18n.Ukrainian, 21, "21 раунд"},
		{i18n.Ukrainian, 11, "11 раундів"},
		{i18n.Russian, 1, "1 раунд"},
		{i18n.Russian, 2, "2 раунда"},
		{i18n.Russian, 5, "5 раундов"},
		{i18n.Russian, 22, "22 раунда"},
		{i18n.Turkish, 1, "1 tur"},
		{i18n.Turkish, 5, "5 tur"},
		{i18n.English, 1, "1 round"},
		{i18n.English, 5, "5 rounds"},
		{i18n.English, 0, "0 rounds"},
	}
	for _, tc := range tests {
		if got := c.Localizer(tc.lang).N("rounds", tc.count, nil); got != tc.want {
			t.Errorf("%s, %d: %q; want %q", tc.lang, tc.count, got, tc.want)
		}
	}
}

func TestPluralForms(t *testing.T) {
	t.Parallel()
	for lang, want := range map[i18n.Lang][]string{
		i18n.English:   {"one", "other"},
		i18n.Turkish:   {"one", "other"},
		i18n.Ukrainian: {"one", "few", "many", "other"},
		i18n.Russian:   {"one", "few", "many", "other"},
	} {
		if got := i18n.PluralForms(lang); !slices.Equal(got, want) {
			t.Errorf("PluralForms(%s) = %v; want %v", lang, got, want)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	t.Parallel()
	m := i18n.Message{ID: "x", Forms: map[string]string{
		"one":   "{{.Count}} round in {{.Venue}}",
		"other": "{{.Count}} rounds{{if .Late}}, late{{end}} {{.Venue | printf \"%s\"}}",
	}}
	got, err := m.Placeholders()
	if err != nil || !slices.Equal(got, []string{"Count", "Late", "Venue"}) {
		t.Errorf("Placeholders() = %v, %v", got, err)
	}
	if _, err := (i18n.Message{ID: "y", Forms: map[string]string{"other": "{{.Open"}}).Placeholders(); err == nil {
		t.Error("an unclosed action parsed")
	}
}

func TestLocalizerIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for n := range 50 {
				l := c.Localizer(c.Langs()[(i+n)%len(c.Langs())])
				if l.N("rounds", n, nil) == i18n.Missing {
					t.Errorf("%s: rounds missing", l.Lang())
				}
			}
		})
	}
	wg.Wait()
}
