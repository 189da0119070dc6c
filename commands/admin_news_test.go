package commands_test

import (
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/store"
)

func followOf(t *testing.T, s store.Store, channel string) store.Follow {
	t.Helper()
	fs, err := s.Follows(t.Context(), guild)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.ChannelID == channel && f.Track == track {
			return f
		}
	}
	t.Fatalf("no follow in %s", channel)
	return store.Follow{}
}

func TestSetupNews(t *testing.T) {
	s := bundled(t)
	now := at("2025-05-30T12:00:00Z")
	c := commands.New(s, now, nil)

	golden(t, "setup_with_news", answer(t, c, admin("talks-admin/setup", "channel:"+here, "news:true")))
	if !followOf(t, s, here).News {
		t.Fatal("setup news:true saved a follow without news")
	}
	// Setup again without news: keeps it, as it changes only what it names.
	answer(t, c, admin("talks-admin/setup", "channel:"+here, "reminders:2h"))
	if f := followOf(t, s, here); !f.News || len(f.Offsets) != 1 || f.Offsets[0] != 2*time.Hour {
		t.Errorf("setup without news made the follow %+v; want news kept and reminders 2h", f)
	}
	// A new follow takes no news.
	answer(t, c, admin("talks-admin/setup", "channel:"+elsewhere))
	if followOf(t, s, elsewhere).News {
		t.Error("a new follow set up without news takes news")
	}
	golden(t, "setup_with_bad_news", answer(t, c, admin("talks-admin/setup", "channel:"+here, "news:often")))

	// Show: which channels take news, and a feed failing for over a day
	// (another, failing for an hour, is not worth naming yet).
	for _, url := range []string{"https://wire.example.org/feed.xml", "https://slow.example.org/feed.xml"} {
		if err := s.AddFeed(t.Context(), store.Feed{Track: track, URL: url, Title: "Wire", AddedAt: now().Add(-48 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	fail := func(url string, at time.Time) {
		t.Helper()
		if _, err := s.ClaimFeeds(t.Context(), "test", at, time.Minute, 10); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FinishPoll(t.Context(), "test", store.PollResult{Track: track, URL: url, At: at, NextPoll: at.Add(time.Hour),
			Err: "feeds: the server answered 503 Service Unavailable"}); err != nil {
			t.Fatal(err)
		}
	}
	fail("https://wire.example.org/feed.xml", now().Add(-30*time.Hour))
	fail("https://slow.example.org/feed.xml", now().Add(-time.Hour))
	golden(t, "show_with_news", answer(t, c, admin("talks-admin/show")))

	// With news off everywhere, failing feeds are no business of this server.
	answer(t, c, admin("talks-admin/setup", "channel:"+here, "news:false"))
	if followOf(t, s, here).News {
		t.Error("setup news:false left news on")
	}
	golden(t, "show_without_news", answer(t, c, admin("talks-admin/show")))
}
