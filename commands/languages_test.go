package commands_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/i18n"
	"talkbot/store"
)

// inLocale is req as a reader whose Discord is in locale sends it.
func inLocale(req commands.Request, locale string) commands.Request {
	req.Locale = locale
	return req
}

// Every read reply of the bundled data in every language but English
// (whose goldens are TestReplies' and TestHistoryReplies'), under
// testdata/LANG/.
func TestRepliesInEveryLanguage(t *testing.T) {
	s := bundled(t)
	cases := replyCases(s)
	// The history and a round's "last changed" need changes to show.
	edited := bundled(t)
	makeHistory(t, edited)
	c := commands.New(edited, at("2025-05-30T12:00:00Z"), nil)
	rounds, err := commands.ComponentRequest("rounds:" + track + ":0")
	if err != nil {
		t.Fatal(err)
	}
	stale, err := commands.ComponentRequest("rounds:" + track)
	if err != nil {
		t.Fatal(err)
	}
	gone, err := commands.ComponentRequest("statements:no-such-talks:::1")
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases,
		replyCase{"history", c, cmd("talks/history")},
		replyCase{"history_of_round_2", c, cmd("talks/history", "round:2")},
		replyCase{"history_of_a_side", c, cmd("talks/history", "side:ukraine", "track:"+track)},
		replyCase{"history_of_a_round_never_changed", c, cmd("talks/history", "round:7")},
		replyCase{"history_with_a_bad_round", c, cmd("talks/history", "round:x")},
		replyCase{"round_2_after_edits", c, cmd("talks/round", "number:2")},
		replyCase{"round_3_added_from_discord", c, cmd("talks/round", "number:3")},
		replyCase{"round_with_a_bad_number", c, cmd("talks/round", "number:0")},
		replyCase{"rounds_page_button", c, rounds},
		replyCase{"page_button_out_of_date", c, stale},
		replyCase{"page_button_of_talks_no_longer_recorded", c, gone},
		replyCase{"unknown_command", c, cmd("talks/nothing")},
	)
	for _, lang := range []string{"uk", "ru", "tr"} {
		if *update {
			if err := os.MkdirAll(filepath.Join("testdata", lang), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(lang, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					golden(t, lang+"/"+tc.name, answer(t, tc.c, inLocale(tc.req, lang)))
				})
			}
		})
	}
}

// The reply's language is the interaction's locale when talkbot speaks
// it, English otherwise; plurals and dates follow the language.
func TestTheLocaleChoosesTheLanguage(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	tests := []struct {
		locale string
		// what the reply to /talks about track:… says, in that language
		title, recorded, latest string
	}{
		{"uk", "Довідка · ", "2 раунди · ", "28 травня 2025"},
		{"ru", "Справка · ", "2 раунда · ", "28 мая 2025"},
		{"tr", "Hakkında · ", "2 tur · ", "28 Mayıs 2025"},
		{"en-US", "About · ", "2 rounds · ", "28 May 2025"},
		{"en-GB", "About · ", "2 rounds · ", "28 May 2025"},
		{"pt-BR", "About · ", "2 rounds · ", "28 May 2025"},
		{"", "About · ", "2 rounds · ", "28 May 2025"},
		{"not a locale at all", "About · ", "2 rounds · ", "28 May 2025"},
	}
	for _, tc := range tests {
		t.Run("locale "+tc.locale, func(t *testing.T) {
			r, err := c.Handle(t.Context(), inLocale(cmd("talks/about", "track:"+track), tc.locale))
			if err != nil {
				t.Fatal(err)
			}
			e := r.Embeds[0]
			if !strings.HasPrefix(e.Title, tc.title) {
				t.Errorf("title %q; want it to start with %q", e.Title, tc.title)
			}
			fields := map[int]string{}
			for i, f := range e.Fields {
				fields[i] = f.Value
			}
			if got := e.Fields[1].Value; !strings.HasPrefix(got, tc.recorded) {
				t.Errorf("recorded %q; want it to start with %q", got, tc.recorded)
			}
			var dated bool
			for _, f := range e.Fields {
				dated = dated || strings.HasSuffix(f.Value, tc.latest)
			}
			if !dated {
				t.Errorf("no field ends in a date %q: %v", tc.latest, fields)
			}
		})
	}
}

// Errors the reader can fix are in their language too, and so is the
// apology for an internal error (the edge shows it with its reference).
func TestErrorsAreInTheReadersLanguage(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	_, err := c.Handle(t.Context(), inLocale(cmd("talks/round", "number:7"), "uk"))
	ue, ok := commands.AsUserError(err)
	if !ok || !strings.Contains(ue.Message, "немає раунду 7") || !strings.Contains(ue.Message, "Записані раунди: 1, 2") {
		t.Errorf("uk: /talks round number:7 = %v; want a Ukrainian user error listing rounds 1, 2", err)
	}
	for locale, want := range map[string]string{
		"uk": "Вибачте", "ru": "Извините", "tr": "Üzgünüz", "pt-BR": "Sorry", "": "Sorry",
	} {
		got := commands.InternalError(locale, "abcd1234")
		if !strings.HasPrefix(got, want) || !strings.Contains(got, "abcd1234") {
			t.Errorf("InternalError(%q) = %q; want %q… with the reference", locale, got, want)
		}
	}
}

// A hint names a command as the reader sees it in Discord: with the
// localised command and option names of the catalogs.
func TestHintsNameCommandsAsTheReaderSeesThem(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.Ukrainian, i18n.Russian, i18n.Turkish} {
		loc := cat.Localizer(lang)
		talks, _ := loc.Lookup("cmd.talks.name")
		round, _ := loc.Lookup("cmd.talks.round.name")
		number, _ := loc.Lookup("cmd.talks.round.option.number.name")
		want := "/" + talks + " " + round + " " + number + ":1"
		_, err := c.Handle(t.Context(), inLocale(cmd("talks/round", "number:x"), string(lang)))
		if ue, ok := commands.AsUserError(err); !ok || !strings.Contains(ue.Message, want) {
			t.Errorf("%s: %v; want the example %q", lang, err, want)
		}
	}
}

// /talks news in every language, as TestNews sets it up.
func TestNewsInEveryLanguage(t *testing.T) {
	f := newFeedFixture(t)
	langs := []string{"uk", "ru", "tr"}
	each := func(name string, req commands.Request) {
		t.Helper()
		for _, lang := range langs {
			f.golden(lang+"/"+name, f.outcome(inLocale(req, lang)))
		}
	}
	each("news_without_feeds", cmd("talks/news"))
	feed, other := f.srv.URL+"/feed.xml", f.srv.URL+"/other.xml"
	f.addFeed(istanbul, feed)
	f.addFeed(istanbul, other)
	f.poll(istanbul, feed, f.clock.Add(-2*time.Hour), store.PollResult{Title: "Wire & Ministry News"})
	each("news_with_nothing_matching", cmd("talks/news", "track:"+istanbul))
	f.poll(istanbul, feed, f.clock.Add(-time.Hour), store.PollResult{Items: []store.FeedItem{
		item("a", "Delegations agree to a second round", f.clock.Add(-5*time.Hour), true),
		{ID: "c", Title: "Undated note", Link: "https://news.example.org/c", Matched: true},
	}})
	each("news", cmd("talks/news"))
}
