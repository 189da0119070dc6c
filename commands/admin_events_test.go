package commands_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/store"
)

// withEvents is an admin request from a channel where the bot may manage
// events (and post).
func withEvents(path string, opts ...string) commands.Request {
	r := admin(path, opts...)
	r.AppPermissions |= discordgo.PermissionManageEvents
	return r
}

func TestEventsReplies(t *testing.T) {
	s := bundled(t)
	p := &planner{}
	c := commands.New(s, at("2025-05-30T12:00:00Z"), p) // round 2 (2 June, time not announced) ahead
	cases := []struct {
		name   string
		before func(t *testing.T)
		req    commands.Request
		replan []string
	}{
		{name: "events_refused_without_manage_events", req: admin("talks-admin/events/enable")},
		{name: "events_enable_following_nothing", req: withEvents("talks-admin/events/enable"), replan: []string{""}},
		{name: "events_enable_a_track", req: withEvents("talks-admin/events/enable", "track:"+track), replan: []string{track}},
		{name: "events_enable_an_unknown_track", req: withEvents("talks-admin/events/enable", "track:nowhere")},
		{name: "events_shown", before: func(t *testing.T) {
			// The scheduler made round 2's event; another was deleted by
			// hand; Manage Events was then taken away.
			for _, e := range []store.GuildEvent{
				{GuildID: guild, Track: track, Round: 2, EventID: "1390000000000000002", State: store.GuildEventActive, SpecHash: "h"},
				{GuildID: guild, Track: track, Round: 3, EventID: "1390000000000000003", State: store.GuildEventGone, SpecHash: "h",
					Problem: "deleted by hand"},
			} {
				if err := s.SaveGuildEvent(t.Context(), e); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := s.ReplanEvents(t.Context(), store.EventPlan{GuildID: guild, LeftOut: 4}); err != nil {
				t.Fatal(err)
			}
			if err := s.StopEvents(t.Context(), guild, "talkbot lost the Manage Events permission in this server, so its events are no longer kept in sync"); err != nil {
				t.Fatal(err)
			}
		}, req: admin("talks-admin/show")},
		{name: "events_disable_a_track", req: admin("talks-admin/events/disable", "track:"+track), replan: []string{track}},
		{name: "events_disable_a_track_not_on", req: admin("talks-admin/events/disable", "track:"+track)},
		{name: "events_enable_all_following", before: func(t *testing.T) {
			if err := s.SaveFollow(t.Context(), store.Follow{GuildID: guild, ChannelID: here, Track: track}); err != nil {
				t.Fatal(err)
			}
		}, req: withEvents("talks-admin/events/enable"), replan: []string{""}},
		{name: "events_disable_all", req: admin("talks-admin/events/disable"), replan: []string{""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.before != nil {
				tc.before(t)
			}
			p.tracks = nil
			golden(t, tc.name, answer(t, c, tc.req))
			if strings.Join(p.tracks, "|") != strings.Join(tc.replan, "|") || len(p.tracks) != len(tc.replan) {
				t.Errorf("re-planned %q; want %q", p.tracks, tc.replan)
			}
		})
	}
}

func TestEnablingEventsNeedsManageEvents(t *testing.T) {
	cases := []struct {
		name    string
		app     int64
		member  int64
		refusal string // "" when it is saved
		nothing bool   // nothing saved
	}{
		{"without Manage Events it is refused", canPost, discordgo.PermissionManageGuild, "**Manage Events**", true},
		{"with Manage Events it is saved", discordgo.PermissionManageEvents, discordgo.PermissionManageGuild, "", false},
		{"Administrator is enough", discordgo.PermissionAdministrator, discordgo.PermissionManageGuild, "", false},
		{"a member without Manage Server is refused", discordgo.PermissionManageEvents, discordgo.PermissionManageEvents, "**Manage Server**", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := bundled(t)
			c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
			req := admin("talks-admin/events/enable", "track:"+track)
			req.AppPermissions, req.MemberPermissions = tc.app, tc.member
			_, err := c.Handle(t.Context(), req)
			ue, isUser := commands.AsUserError(err)
			switch {
			case tc.refusal == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.refusal != "" && (!isUser || !strings.Contains(ue.Message, tc.refusal)):
				t.Errorf("err = %v; want a refusal naming %s", err, tc.refusal)
			}
			settings, err := s.EventSettings(t.Context(), guild)
			if err != nil {
				t.Fatal(err)
			}
			if saved := len(settings) > 0; saved == tc.nothing {
				t.Errorf("settings saved = %v (%+v); want %v", saved, settings, !tc.nothing)
			}
		})
	}
	t.Run("disabling needs Manage Server", func(t *testing.T) {
		c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
		req := admin("talks-admin/events/disable")
		req.MemberPermissions = discordgo.PermissionManageEvents
		if _, err := c.Handle(t.Context(), req); err == nil {
			t.Error("a member without Manage Server disabled events")
		}
	})
}
