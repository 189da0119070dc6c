package i18n

import (
	"testing"
	"testing/fstest"
)

// The quick rendering of plain messages says exactly what go-i18n says:
// every message of every catalog, every plural form, with an argument for
// each placeholder.
func TestFastRenderingAgreesWithGoI18n(t *testing.T) {
	t.Parallel()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range c.Langs() {
		l := c.Localizer(lang)
		for id, m := range c.messages[lang] {
			names, err := m.Placeholders()
			if err != nil {
				t.Fatal(err)
			}
			data := map[string]any{}
			for i, n := range names {
				if n != "Count" {
					data[n] = []any{"Ankara", 7, "<@&1> & \"x\""}[i%3]
				}
			}
			counts := []int{0}
			if len(m.Forms) > 1 {
				counts = []int{0, 1, 2, 3, 4, 5, 11, 21, 22, 25, 101, 111, 1000}
			}
			for _, n := range counts {
				var fast string
				var ok bool
				if len(m.Forms) > 1 {
					fast, ok = l.fast(id, args{m: data}, n, true)
				} else {
					fast, ok = l.fast(id, args{m: data}, 0, false)
				}
				if !ok {
					continue // go-i18n renders it anyway
				}
				var slow string
				if len(m.Forms) > 1 {
					d := map[string]any{"Count": n}
					for k, v := range data {
						d[k] = v
					}
					slow = l.render(id, n, d)
				} else {
					slow = l.render(id, nil, data)
				}
				if fast != slow {
					t.Errorf("%s %s (%d): quick %q; go-i18n %q", lang, id, n, fast, slow)
				}
			}
		}
	}
}

func TestFastRenderingFallsBackAsGoI18nDoes(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"en.toml": {Data: []byte(`
hello = "Hello, {{.Name}}"
only_en = "Only in English"
fancy = "{{if .Name}}Hi {{.Name}}{{end}}"
`)},
		"uk.toml": {Data: []byte(`
hello = "Привіт, {{.Nme}}"
fancy = "{{if .Name}}Привіт {{.Name}}{{end}}"
`)},
	}
	c, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	uk := c.Localizer(Ukrainian)
	for _, tc := range []struct{ got, want string }{
		{uk.Say("hello", "Name", "Оксано"), "Hello, Оксано"},
		{uk.Say("only_en"), "Only in English"},
		{uk.Say("fancy", "Name", "Оксано"), "Привіт Оксано"},
		{uk.Say("hello"), Missing},
		{uk.Say("nothing"), Missing},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q; want %q", tc.got, tc.want)
		}
	}
}

func TestCompileTakesOnlyPlainPlaceholders(t *testing.T) {
	t.Parallel()
	for text, plain := range map[string]bool{
		"no placeholders":          true,
		"{{.A}} and {{ .B_2 }}":    true,
		"{{.A}}{{.B}}":             true,
		"{{if .A}}x{{end}}":        false,
		"{{- .A}}":                 false,
		"{{.A -}}":                 false,
		"{{.A.B}}":                 false,
		"{{.2A}}":                  false,
		"{{.A | printf \"%d\"}}":   false,
		"unclosed {{.A":            false,
		"{{.}}":                    false,
		"{{$x := .A}}{{$x}}":       false,
		"curly } and { stay as is": true,
	} {
		if _, ok := compile(text); ok != plain {
			t.Errorf("compile(%q) plain = %v; want %v", text, ok, plain)
		}
	}
}
