package locales_test

import (
	"slices"
	"testing"

	"talkbot/i18n"
)

// The catalogs agree with English: the same messages, the same
// placeholders, and every plural form each language needs. A translator
// runs `go test ./locales` after editing one file.
func TestCatalogsAgreeWithEnglish(t *testing.T) {
	t.Parallel()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := c.Messages(i18n.English)
	if len(en) == 0 {
		t.Fatal("en.toml has no messages")
	}
	if len(c.Langs()) < 4 {
		t.Errorf("catalogs %v; want at least en, uk, ru, tr", c.Langs())
	}
	for _, lang := range c.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			msgs := c.Messages(lang)
			forms := i18n.PluralForms(lang)
			for id, enMsg := range en {
				m, ok := msgs[id]
				if !ok {
					t.Errorf("%s.toml lacks %q (English: %q)", lang, id, enMsg.Forms["other"])
					continue
				}
				checkPlaceholders(t, lang, enMsg, m)
				if len(enMsg.Forms) > 1 { // a plural message
					for _, f := range forms {
						if m.Forms[f] == "" {
							t.Errorf("%s.toml: %q lacks the plural form %q (%s needs %v)", lang, id, f, lang, forms)
						}
					}
				} else if len(m.Forms) != 1 || m.Forms["other"] == "" {
					t.Errorf("%s.toml: %q has plural forms %v, English has none", lang, id, m.Forms)
				}
				for f, text := range m.Forms {
					if text == "" {
						t.Errorf("%s.toml: %q (%s) is empty", lang, id, f)
					}
				}
			}
			for id := range msgs {
				if _, ok := en[id]; !ok {
					t.Errorf("%s.toml has %q, which en.toml lacks", lang, id)
				}
			}
		})
	}
}

func checkPlaceholders(t *testing.T, lang i18n.Lang, en, m i18n.Message) {
	t.Helper()
	want, err := en.Placeholders()
	if err != nil {
		t.Errorf("en.toml: %v", err)
		return
	}
	got, err := m.Placeholders()
	if err != nil {
		t.Errorf("%s.toml: %v", lang, err)
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s.toml: %q uses %v; English uses %v", lang, m.ID, got, want)
	}
	for f, text := range m.Forms {
		fm := i18n.Message{ID: m.ID, Forms: map[string]string{f: text}}
		// Every form shows every argument: Ukrainian and Russian "one" is
		// also 21 and 31, so not even it may drop {{.Count}}.
		if one, _ := fm.Placeholders(); !slices.Equal(one, want) {
			t.Errorf("%s.toml: %q (%s) uses %v; English uses %v", lang, m.ID, f, one, want)
		}
	}
}
