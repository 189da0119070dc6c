package commands_test

import (
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/store"
)

// The editors' and admins' replies in Ukrainian and Turkish: a
// representative set, under testdata/LANG/ (English has its own goldens).
var editorLangs = []string{"uk", "tr"}

func TestEditorRepliesInOtherLanguages(t *testing.T) {
	for _, lang := range editorLangs {
		t.Run(lang, func(t *testing.T) {
			f := newEditFixture(t)
			form := f.ok(inLocale(as(globalEditor, cmd("talks-edit/round/add", "track:"+istanbul, "source:"+reuters)), lang)).Modal
			if form == nil {
				t.Fatal("round add opened no form")
			}
			golden(t, lang+"/edit_round_add_form", form)
			refused := f.ok(inLocale(as(globalEditor, submit(form, map[string]string{"starts": "2025-13-40", "venue": "Çırağan Palace, Istanbul"})), lang))
			golden(t, lang+"/edit_refused_bad_starts", outcome{Reply: &refused})
			saved := f.ok(inLocale(as(globalEditor, submit(form, map[string]string{"starts": "2025-07-23T19:00", "venue": "Çırağan Palace, Istanbul"})), lang))
			golden(t, lang+"/edit_saved_round", outcome{Reply: &saved})
			golden(t, lang+"/edit_refused_not_an_editor",
				answer(t, f.c, inLocale(as(otherEditor, cmd("talks-edit/round/add", "track:"+istanbul, "source:"+reuters)), lang)))
			golden(t, lang+"/edit_refused_bad_option",
				answer(t, f.c, inLocale(as(globalEditor, cmd("talks-edit/source/add", "url:javascript:alert(1)", "publisher:x", "title:y", "track:"+istanbul)), lang)))
		})
	}
}

func TestFeedListInOtherLanguages(t *testing.T) {
	for _, lang := range editorLangs {
		t.Run(lang, func(t *testing.T) {
			f := newFeedFixture(t)
			healthy, failing := f.srv.URL+"/feed.xml", "https://gone.example.org/rss"
			f.addFeed(istanbul, healthy, "ceasefire", "prisoners")
			f.addFeed(istanbul, failing)
			f.poll(istanbul, failing, f.clock.Add(-30*time.Hour), store.PollResult{Err: "feeds: the server answered 503 Service Unavailable"})
			f.poll(istanbul, healthy, f.clock.Add(-time.Hour), store.PollResult{Title: "Wire & Ministry News",
				Items: []store.FeedItem{item("a", "One", f.clock.Add(-3*time.Hour), true), item("b", "Two", f.clock.Add(-4*time.Hour), false)}})
			f.poll(istanbul, failing, f.clock.Add(-time.Hour), store.PollResult{Err: "feeds: the server answered 410 Gone"})
			f.golden(lang+"/feed_list", f.outcome(inLocale(as(globalEditor, cmd("talks-edit/feed/list")), lang)))
		})
	}
}

func TestAdminRepliesInOtherLanguages(t *testing.T) {
	for _, lang := range editorLangs {
		t.Run(lang, func(t *testing.T) {
			s := bundled(t)
			c := commands.New(s, at("2025-05-30T12:00:00Z"), &planner{})
			if err := s.SaveEditorRole(t.Context(), guild, editorRole); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name string
				req  commands.Request
			}{
				{"editors_shown", admin("talks-admin/editors")},
				{"events_refused_without_manage_events", admin("talks-admin/events/enable")},
				{"digest_weekly_in_istanbul", admin("talks-admin/digest", "schedule:@weekly", "timezone:Europe/Istanbul")},
				{"digest_refused_bad_expression", admin("talks-admin/digest", "schedule:0 9 * *")},
				{"admin_refused_without_manage_server", func() commands.Request {
					r := admin("talks-admin/editors")
					r.MemberPermissions = 0
					return r
				}()},
			} {
				golden(t, lang+"/"+tc.name, answer(t, c, inLocale(tc.req, lang)))
			}
		})
	}
}

// A reply in another language is not the English one: the goldens above
// would pass unchanged if every message fell back to English.
func TestEditorRepliesAreTranslated(t *testing.T) {
	f := newEditFixture(t)
	for _, lang := range editorLangs {
		en := f.refused(as(otherEditor, cmd("talks-edit/round/add", "track:"+istanbul, "source:"+reuters)))
		other := f.refused(inLocale(as(otherEditor, cmd("talks-edit/round/add", "track:"+istanbul, "source:"+reuters)), lang))
		if en == other || strings.Contains(other, "Only talkbot's editors") {
			t.Errorf("%s refusal is English: %q", lang, other)
		}
	}
}
