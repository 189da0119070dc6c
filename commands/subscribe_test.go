package commands_test

import (
	"strings"
	"testing"

	"talkbot/commands"
)

const dmUser = "500"

// inDM builds a request as Discord delivers it in the bot's DMs: a user,
// no server.
func inDM(path string, opts ...string) commands.Request {
	r := cmd(path, opts...)
	r.GuildID, r.ChannelID, r.Context, r.UserID = "", "600", 1, dmUser
	return r
}

func TestSubscribeReplies(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	cases := []struct {
		name string
		req  commands.Request
	}{
		{"subscribe_in_a_dm", inDM("talks/subscribe")},
		{"subscribe_with_bad_reminders", inDM("talks/subscribe", "reminders:1w")},
		{"subscribe_with_only_short_reminders", inDM("talks/subscribe", "reminders:2h,15m")},
		{"unsubscribe_in_a_dm", inDM("talks/unsubscribe", "track:"+track)},
		{"unsubscribe_when_not_subscribed", inDM("talks/unsubscribe", "track:"+track)},
		{"unsubscribe_from_all_with_none", inDM("talks/unsubscribe")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, answer(t, c, tc.req))
		})
	}
}

func TestSubscribeSavesAndClearsAPause(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	if _, err := c.Handle(t.Context(), inDM("talks/subscribe", "reminders:3d,1d")); err != nil {
		t.Fatal(err)
	}
	if err := s.PauseSubscriptions(t.Context(), dmUser, "closed"); err != nil {
		t.Fatal(err)
	}
	// In a server too: the reminders still come by DM.
	req := inDM("talks/subscribe", "reminders:1d")
	req.GuildID, req.Context = guild, 0
	reply, err := c.Handle(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !reply.Ephemeral {
		t.Error("a personal setting should be answered ephemerally")
	}
	subs, err := s.Subscriptions(t.Context(), dmUser)
	if err != nil || len(subs) != 1 {
		t.Fatalf("subscriptions = %+v, %v", subs, err)
	}
	if subs[0].Paused != "" || len(subs[0].Offsets) != 1 || subs[0].Track != track {
		t.Errorf("subscription = %+v; want active, 1d, %s", subs[0], track)
	}
	if reply.Notice != "" {
		t.Errorf("subscribing again cleared the pause, yet the reply tells of it: %q", reply.Notice)
	}
}

func TestPauseNoticeComesOnce(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	if _, err := c.Handle(t.Context(), inDM("talks/subscribe")); err != nil {
		t.Fatal(err)
	}
	next := func(t *testing.T, req commands.Request) commands.Reply {
		t.Helper()
		reply, err := c.Handle(t.Context(), req)
		if _, user := commands.AsUserError(err); err != nil && !user {
			t.Fatal(err)
		}
		return reply
	}
	if r := next(t, inDM("talks/next")); r.Notice != "" {
		t.Fatalf("a notice before any pause: %q", r.Notice)
	}
	// The scheduler's sender got 50007 for a DM.
	if err := s.PauseSubscriptions(t.Context(), dmUser, "the user does not accept direct messages from talkbot (Discord error 50007)"); err != nil {
		t.Fatal(err)
	}
	// Neither an autocomplete nor a refused command shows the notice, so
	// neither may mark it as told.
	unnoticed := func(t *testing.T, why string) {
		t.Helper()
		subs, err := s.Subscriptions(t.Context(), dmUser)
		if err != nil || len(subs) != 1 {
			t.Fatalf("subscriptions = %+v, %v", subs, err)
		}
		if subs[0].Noticed {
			t.Error(why)
		}
	}
	autocomplete := inDM("talks/next", "track:ist")
	autocomplete.Kind, autocomplete.Focused = commands.KindAutocomplete, "track"
	next(t, autocomplete)
	unnoticed(t, "an autocomplete cannot show a notice and must not use it up")
	next(t, inDM("talks/round", "number:99"))
	unnoticed(t, "a refused command's reply is not shown, so it must not use the notice up")
	first := next(t, inDM("talks/next"))
	if !strings.Contains(first.Notice, "paused") || !strings.Contains(first.Notice, "/talks subscribe") || !strings.Contains(first.Notice, "50007") {
		t.Errorf("notice = %q; want why, and how to resume", first.Notice)
	}
	if len(first.Embeds) == 0 {
		t.Error("the notice replaced the reply instead of coming with it")
	}
	golden(t, "pause_notice", first.Notice)
	if again := next(t, inDM("talks/upcoming")); again.Notice != "" {
		t.Errorf("the notice came twice: %q", again.Notice)
	}
	// Someone else is not told.
	other := inDM("talks/next")
	other.UserID = "501"
	if r := next(t, other); r.Notice != "" {
		t.Errorf("another user got the notice: %q", r.Notice)
	}
}
