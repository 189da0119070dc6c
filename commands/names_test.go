package commands_test

import (
	"strings"
	"testing"

	"talkbot/commands"
	"talkbot/store"
)

// namedBundled is the bundled data with translated names, as a dataset's
// names: and venue_names: give them, and the language of each quote.
func namedBundled(t *testing.T) store.Store {
	t.Helper()
	return bundledEdited(t, func(tr *store.Track) {
		tr.Names = store.Names{"uk": "Прямі переговори Росії та України в Стамбулі", "ru": "Прямые переговоры России и Украины в Стамбуле", "tr": "İstanbul'da Rusya–Ukrayna doğrudan müzakereleri"}
		names := map[string]store.Names{
			"russia":   {"uk": "Росія", "ru": "Россия", "tr": "Rusya"},
			"ukraine":  {"uk": "Україна", "ru": "Украина", "tr": "Ukrayna"},
			"turkiye":  {"uk": "Туреччина", "ru": "Турция"},
			"lavrov":   {"uk": "Сергій Лавров", "ru": "Сергей Лавров"},
			"medinsky": {"uk": "Володимир Мединський", "ru": "Владимир Мединский"},
			"umerov":   {"uk": "Рустем Умєров", "ru": "Рустем Умеров"},
			"sybiha":   {"uk": "Андрій Сибіга", "ru": "Андрей Сибига"},
		}
		for i := range tr.Parties {
			tr.Parties[i].Names = names[tr.Parties[i].ID]
		}
		for i := range tr.People {
			tr.People[i].Names = names[tr.People[i].ID]
		}
		for i := range tr.Rounds {
			tr.Rounds[i].VenueNames = store.Names{"uk": "Стамбул", "ru": "Стамбул", "tr": "İstanbul"}
		}
		// The bundled quotes are as the English-language reports give them;
		// the last is left unknown.
		for i := range tr.Statements[:len(tr.Statements)-1] {
			tr.Statements[i].Language = "en"
		}
	})
}

// A reader sees the names in their language when the data translates
// them, else as written; quotes stay as said, with their language named
// when it is not the reader's.
func TestNamesInTheReadersLanguage(t *testing.T) {
	c := commands.New(namedBundled(t), at("2025-05-30T12:00:00Z"), nil)
	page2, err := commands.ComponentRequest("statements:" + track + ":::1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		req  commands.Request
	}{
		{"round_2", cmd("talks/round", "number:2")},
		{"rounds", cmd("talks/rounds")},
		{"upcoming", cmd("talks/upcoming")},
		{"statements", cmd("talks/statements")},
		{"statements_page_2", page2},
		{"positions_of_ukraine", cmd("talks/positions", "side:ukraine")},
		{"about", cmd("talks/about", "track:"+track)},
		{"compare", cmd("talks/compare", "topic:memorandum")},
	}
	for _, lang := range []string{"en-US", "uk", "tr"} {
		t.Run(lang, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					golden(t, "names_"+strings.ToLower(lang[:2])+"_"+tc.name, answer(t, c, inLocale(tc.req, lang)))
				})
			}
		})
	}
}

// The original names still find a speaker; a quote names its language
// only to a reader of another language.
func TestNamesLeaveQuotesAndLookupsAlone(t *testing.T) {
	c := commands.New(namedBundled(t), at("2025-05-30T12:00:00Z"), nil)
	for _, tc := range []struct{ locale, title, note string }{
		{"uk", "Рустем Умєров", "(мова оригіналу: англійська)"},
		{"ru", "Рустем Умеров", "(язык оригинала: английский)"},
		{"en-GB", "Rustem Umerov", ""},
	} {
		got := answer(t, c, inLocale(cmd("talks/statements", "speaker:Rustem Umerov"), tc.locale))
		if got.Reply == nil {
			t.Fatalf("%s: statements by the English name: %+v", tc.locale, got)
		}
		e := got.Reply.Embeds[0]
		if !strings.Contains(e.Title, tc.title) {
			t.Errorf("%s: title %q; want the speaker as %q", tc.locale, e.Title, tc.title)
		}
		v := e.Fields[0].Value
		if !strings.HasPrefix(v, "> We are not against meetings with the Russians") {
			t.Errorf("%s: the quote is not as said: %q", tc.locale, v)
		}
		if tc.note != "" && !strings.Contains(v, tc.note) || tc.note == "" && strings.Contains(v, "(in ") {
			t.Errorf("%s: %q; want the language note %q", tc.locale, v, tc.note)
		}
	}
}
