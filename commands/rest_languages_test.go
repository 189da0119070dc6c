package commands_test

import (
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/store"
)

// The refusals whose reasons come from elsewhere (the reminder-time
// parser, cron, the date parser, the store, the feed client) in Ukrainian
// and Turkish: each golden under testdata/LANG/ shows the reason in the
// reader's words (English keeps its own goldens, unchanged).
func TestRefusalsFromElsewhereInOtherLanguages(t *testing.T) {
	for _, lang := range editorLangs {
		t.Run(lang, func(t *testing.T) {
			s := bundled(t)
			now := at("2025-05-30T12:00:00Z")
			c := commands.New(s, now, &planner{})
			for _, tc := range []struct {
				name string
				req  commands.Request
			}{
				{"setup_with_bad_reminders", admin("talks-admin/setup", "channel:"+here, "reminders:2x,1h")},
				{"setup_with_reminders_listed_twice", admin("talks-admin/setup", "channel:"+here, "reminders:24h,1d")},
				{"setup_with_too_many_reminders", admin("talks-admin/setup", "channel:"+here, "reminders:1m,2m,3m,4m,5m,6m,7m")},
				{"setup_with_bad_news", admin("talks-admin/setup", "channel:"+here, "news:often")},
				{"subscribe_with_bad_reminders", inDM("talks/subscribe", "reminders:1w")},
				{"subscribe_with_reminders_over_30_days", inDM("talks/subscribe", "reminders:31d")},
				{"subscribe_with_unreadable_reminders", inDM("talks/subscribe", "reminders:h")},
				{"unsubscribe_from_an_unknown_track", inDM("talks/unsubscribe", "track:nowhere")},
				{"subscribe_with_too_long_reminders", inDM("talks/subscribe", "reminders:"+strings.Repeat("1h,", 100))},
			} {
				golden(t, lang+"/"+tc.name, answer(t, c, inLocale(tc.req, lang)))
			}

			// A feed failing for over a day, in show.
			answer(t, c, admin("talks-admin/setup", "channel:"+here, "news:true"))
			url := "https://wire.example.org/feed.xml"
			if err := s.AddFeed(t.Context(), store.Feed{Track: track, URL: url, Title: "Wire", AddedAt: now().Add(-48 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
			failedAt := now().Add(-30 * time.Hour)
			if _, err := s.ClaimFeeds(t.Context(), "test", failedAt, time.Minute, 10); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FinishPoll(t.Context(), "test", store.PollResult{Track: track, URL: url, At: failedAt, NextPoll: failedAt.Add(time.Hour),
				Err: "feeds: the server answered 503 Service Unavailable"}); err != nil {
				t.Fatal(err)
			}
			golden(t, lang+"/show_with_news", answer(t, c, inLocale(admin("talks-admin/show"), lang)))
		})
	}
}

func TestEditRefusalsFromElsewhereInOtherLanguages(t *testing.T) {
	for _, lang := range editorLangs {
		t.Run(lang, func(t *testing.T) {
			f := newEditFixture(t)
			const second = "101"
			f.c = commands.New(f.s, func() time.Time { return *f.clock }, nil, commands.WithEditors([]string{globalEditor, second}))
			in := func(user string, req commands.Request) commands.Request { return inLocale(as(user, req), lang) }

			// Someone saved the round meanwhile: the account of what they
			// changed is in the reader's words.
			mine := f.ok(in(globalEditor, cmd("talks-edit/round/edit", "number:1", "source:"+reuters, "track:"+istanbul))).Modal
			theirs := f.ok(in(second, cmd("talks-edit/round/edit", "number:1", "source:"+reuters, "track:"+istanbul))).Modal
			tv := filled(theirs)
			tv["venue"] = "Dolmabahçe Palace"
			f.ok(in(second, submit(theirs, tv)))
			mv := filled(mine)
			mv["venue"] = "Ankara"
			stale := f.ok(in(globalEditor, submit(mine, mv)))
			golden(t, lang+"/edit_refused_stale", outcome{Reply: &stale})

			// Undoing a party another editor's person now speaks for: the
			// store refuses, by its code.
			f.ok(in(globalEditor, cmd("talks-edit/party/add", "track:"+istanbul, "id:un", "name:United Nations", "role:mediator")))
			f.ok(in(second, cmd("talks-edit/person/add", "track:"+istanbul, "id:guterres", "name:António Guterres", "party:un")))
			golden(t, lang+"/undo_refused_cited", answer(t, f.c, in(globalEditor, cmd("talks-edit/undo"))))

			// Undoing a change restores fields named in the reader's words.
			f.ok(in(globalEditor, cmd("talks-edit/round/status", "number:2", "status:postponed", "source:"+reuters, "track:"+istanbul)))
			golden(t, lang+"/undo_restored_fields", answer(t, f.c, in(globalEditor, cmd("talks-edit/undo"))))

			golden(t, lang+"/track_new_refused_bad_timezone",
				answer(t, f.c, in(globalEditor, cmd("talks-edit/track/new", "id:moon-talks", "title:Moon talks", "timezone:Moon/Base"))))
			golden(t, lang+"/feed_add_refused_a_loopback_address",
				answer(t, f.c, in(globalEditor, cmd("talks-edit/feed/add", "track:"+istanbul, "url:http://127.0.0.1/feed.xml"))))
		})
	}
}

// A feed refused for what its parser said: the parser's English is
// quoted, in a code span, inside the reader's words.
func TestFeedRefusalsInOtherLanguages(t *testing.T) {
	for _, lang := range editorLangs {
		t.Run(lang, func(t *testing.T) {
			f := newFeedFixture(t)
			for name, path := range map[string]string{"feed_add_refused_a_web_page": "/page.html", "feed_add_refused_a_broken_feed": "/broken.xml"} {
				f.golden(lang+"/"+name, f.outcome(inLocale(as(globalEditor, cmd("talks-edit/feed/add", "url:"+f.srv.URL+path)), lang)))
			}
		})
	}
}
