package commands_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/store"
)

// The server, channels and people of the /talks-admin tests.
const (
	guild     = "100"
	here      = "200" // the channel the command is used in
	elsewhere = "201"
	pingRole  = "300"
	adminUser = "900"
	track     = "ru-ua-istanbul"
)

// canPost is what the bot needs in a channel to post there.
const canPost = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks

// admin builds a /talks-admin request from a member with Manage Server,
// used in a channel the bot can post to.
func admin(path string, opts ...string) commands.Request {
	r := cmd(path, opts...)
	r.GuildID, r.ChannelID, r.UserID = guild, here, adminUser
	r.MemberPermissions = discordgo.PermissionManageGuild
	r.AppPermissions = canPost
	return r
}

// planner records what the commands asked to re-plan.
type planner struct{ tracks []string }

func (p *planner) Replan(track string) { p.tracks = append(p.tracks, track) }

func TestAdminReplies(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil) // round 2 (2 June, time not announced) ahead
	cases := []struct {
		name   string
		before func(t *testing.T)
		req    commands.Request
	}{
		{name: "setup_in_this_channel", req: admin("talks-admin/setup", "channel:"+here, "role:"+pingRole)},
		{name: "setup_in_another_channel", req: admin("talks-admin/setup", "channel:"+elsewhere, "reminders:2d,1d", "track:"+track)},
		{name: "setup_refused_without_embed_links", req: func() commands.Request {
			r := admin("talks-admin/setup", "channel:"+here)
			r.AppPermissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages
			return r
		}()},
		{name: "setup_with_bad_reminders", req: admin("talks-admin/setup", "channel:"+here, "reminders:2x,1h")},
		{name: "setup_with_updates_all", req: admin("talks-admin/setup", "channel:"+here, "role:"+pingRole, "updates:all")},
		{name: "setup_with_bad_updates", req: admin("talks-admin/setup", "channel:"+here, "updates:everything")},
		{name: "setup_refused_for_everyone", req: admin("talks-admin/setup", "channel:"+here, "role:"+guild)},
		{name: "digest_weekly_in_istanbul", req: admin("talks-admin/digest", "schedule:@weekly", "timezone:Europe/Istanbul")},
		{name: "digest_mondays_at_9_in_the_zone_of_the_talks_followed", req: admin("talks-admin/digest", "schedule:0 9 * * 1")},
		{name: "digest_in_a_server_following_nothing", req: func() commands.Request {
			r := admin("talks-admin/digest", "schedule:0 9 * * 1")
			r.GuildID = "101"
			return r
		}()},
		{name: "digest_refused_bad_expression", req: admin("talks-admin/digest", "schedule:0 9 * *")},
		{name: "digest_refused_bad_timezone", req: admin("talks-admin/digest", "schedule:@daily", "timezone:Mars/Olympus")},
		{name: "digest_refused_local_timezone", req: admin("talks-admin/digest", "schedule:@daily", "timezone:Local")},
		{name: "digest_refused_more_than_daily", req: admin("talks-admin/digest", "schedule:*/15 * * * *")},
		{name: "show", before: func(t *testing.T) {
			// The scheduler found it may not post in the other channel,
			// and has planned these for this one.
			if err := s.DisableChannel(t.Context(), guild, elsewhere,
				"talkbot may not post there: it needs View Channel, Send Messages and Embed Links (Discord 403, code 50001)"); err != nil {
				t.Fatal(err)
			}
			start := time.Date(2025, 6, 1, 21, 0, 0, 0, time.UTC) // 2 June in Istanbul
			_, err := s.AddDeliveries(t.Context(), []store.Delivery{
				{Key: "reminder:a", Target: "channel:" + here, Kind: store.DeliveryReminder, GuildID: guild, Track: track, Round: 2,
					RoleID: pingRole, DueAt: start.Add(-24 * time.Hour), Deadline: start, Payload: "1d"},
				{Key: "update:7", Target: "channel:" + here, Kind: store.DeliveryUpdate, GuildID: guild, Track: track, Round: 2,
					DueAt: time.Date(2025, 5, 30, 12, 1, 0, 0, time.UTC), Payload: "7"},
				{Key: "digest:a", Target: "channel:" + here, Kind: store.DeliveryDigest, GuildID: guild,
					DueAt: time.Date(2025, 6, 2, 6, 0, 0, 0, time.UTC), Payload: track},
				{Key: "reminder:b", Target: "channel:999", Kind: store.DeliveryReminder, GuildID: "other-server", Track: track, Round: 2,
					DueAt: start.Add(-time.Hour), Deadline: start, Payload: "1h"},
			})
			if err != nil {
				t.Fatal(err)
			}
		}, req: admin("talks-admin/show")},
		{name: "disable_one_track", req: admin("talks-admin/disable", "track:"+track)},
		{name: "disable_a_track_not_followed", req: admin("talks-admin/disable", "track:"+track)},
		{name: "disable_all", before: func(t *testing.T) {
			for _, ch := range []string{here, elsewhere} {
				if err := s.SaveFollow(t.Context(), store.Follow{GuildID: guild, ChannelID: ch, Track: track, Offsets: []time.Duration{time.Hour}}); err != nil {
					t.Fatal(err)
				}
			}
		}, req: admin("talks-admin/disable")},
		{name: "show_nothing", req: admin("talks-admin/show")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.before != nil {
				tc.before(t)
			}
			golden(t, tc.name, answer(t, c, tc.req))
		})
	}
}

func TestAdminNeedsManageServer(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	subs := []commands.Request{
		admin("talks-admin/setup", "channel:"+here),
		admin("talks-admin/digest", "schedule:@weekly"),
		admin("talks-admin/show"),
		admin("talks-admin/disable"),
		admin("talks-admin/disable", "track:"+track),
		admin("talks-admin/editors"),
	}
	perms := []struct {
		name    string
		perms   int64
		guild   string
		refusal string // "" when the command runs
	}{
		// Discord hides the command from such members, but a server can
		// grant it to anyone: the request may still reach us.
		{"a member without Manage Server is refused", discordgo.PermissionSendMessages | discordgo.PermissionManageChannels, guild, "**Manage Server**"},
		{"a member with no permission at all is refused", 0, guild, "**Manage Server**"},
		{"outside a server it is refused", discordgo.PermissionAdministrator, "", "works only in a server"},
		{"Manage Server is enough", discordgo.PermissionManageGuild, guild, ""},
		{"Administrator alone is enough", discordgo.PermissionAdministrator, guild, ""},
	}
	for _, p := range perms {
		for _, req := range subs {
			t.Run(p.name+"/"+req.Path+" "+req.Option("track"), func(t *testing.T) {
				req.MemberPermissions, req.GuildID = p.perms, p.guild
				_, err := c.Handle(t.Context(), req)
				ue, isUser := commands.AsUserError(err)
				switch {
				case p.refusal == "" && err != nil:
					t.Errorf("refused: %v", err)
				case p.refusal != "" && (!isUser || !strings.Contains(ue.Message, p.refusal)):
					t.Errorf("err = %v; want a refusal saying %q", err, p.refusal)
				}
			})
		}
	}
	t.Run("a refused setup saves nothing", func(t *testing.T) {
		s := bundled(t)
		c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
		req := admin("talks-admin/setup", "channel:"+here)
		req.MemberPermissions = 0
		if _, err := c.Handle(t.Context(), req); err == nil {
			t.Fatal("not refused")
		}
		if fs, err := s.Follows(t.Context(), guild); err != nil || len(fs) != 0 {
			t.Errorf("follows = %+v, %v; want none", fs, err)
		}
	})
}

func TestSetupNamesTheMissingPermission(t *testing.T) {
	cases := []struct {
		name  string
		app   int64
		wants []string // in the refusal; none when setup goes ahead
	}{
		{"no View Channel", discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks, []string{"**View Channel**"}},
		{"no Send Messages", discordgo.PermissionViewChannel | discordgo.PermissionEmbedLinks, []string{"**Send Messages**"}},
		{"no Embed Links", discordgo.PermissionViewChannel | discordgo.PermissionSendMessages, []string{"**Embed Links**"}},
		{"nothing", 0, []string{"**View Channel**, **Send Messages** and **Embed Links**"}},
		{"all three", canPost, nil},
		{"Administrator", discordgo.PermissionAdministrator, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := bundled(t)
			c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
			req := admin("talks-admin/setup", "channel:"+here)
			req.AppPermissions = tc.app
			_, err := c.Handle(t.Context(), req)
			follows, ferr := s.Follows(t.Context(), guild)
			if ferr != nil {
				t.Fatal(ferr)
			}
			if tc.wants == nil {
				if err != nil || len(follows) != 1 {
					t.Errorf("err = %v, %d follows; want it saved", err, len(follows))
				}
				return
			}
			ue, ok := commands.AsUserError(err)
			if !ok {
				t.Fatalf("err = %v; want a refusal", err)
			}
			for _, w := range tc.wants {
				if !strings.Contains(ue.Message, w) {
					t.Errorf("refusal %q does not name %s", ue.Message, w)
				}
			}
			if len(follows) != 0 {
				t.Errorf("saved %d follows despite the refusal", len(follows))
			}
		})
	}
	t.Run("another channel is saved unchecked, and the reply says so", func(t *testing.T) {
		c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
		req := admin("talks-admin/setup", "channel:"+elsewhere)
		req.AppPermissions = 0 // the bot's permissions here say nothing about there
		reply, err := c.Handle(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(reply.Content, "when the first post goes out") || !strings.Contains(reply.Content, "/talks-admin show") {
			t.Errorf("reply does not say the channel is checked later: %s", reply.Content)
		}
	})
}

func TestSettingChangesReplan(t *testing.T) {
	s := bundled(t)
	p := &planner{}
	c := commands.New(s, at("2025-05-30T12:00:00Z"), p)
	dm := func(path string, opts ...string) commands.Request {
		r := cmd(path, opts...)
		r.GuildID, r.Context, r.UserID = "", 1, "500"
		return r
	}
	steps := []struct {
		req     commands.Request
		refused bool
		want    []string
	}{
		{admin("talks-admin/setup", "channel:"+here), false, []string{track}},
		{admin("talks-admin/setup", "channel:"+here, "reminders:soon"), true, nil},
		{admin("talks-admin/digest", "schedule:@daily"), false, []string{""}},
		{admin("talks-admin/disable", "track:"+track), false, []string{track}},
		{admin("talks-admin/disable", "track:"+track), false, nil}, // nothing left to remove
		{admin("talks-admin/disable"), false, []string{""}},
		{dm("talks/subscribe"), false, []string{track}},
		{dm("talks/unsubscribe"), false, []string{track}},
		{dm("talks/unsubscribe", "track:"+track), false, nil},
		{admin("talks-admin/show"), false, nil},
	}
	for _, st := range steps {
		p.tracks = nil
		if _, err := c.Handle(t.Context(), st.req); (err != nil) != st.refused {
			t.Fatalf("/%s %v: err = %v", st.req.Path, st.req.Options, err)
		}
		if strings.Join(p.tracks, "|") != strings.Join(st.want, "|") || len(p.tracks) != len(st.want) {
			t.Errorf("/%s %v re-planned %q; want %q", st.req.Path, st.req.Options, p.tracks, st.want)
		}
	}
	// The shell has no planner: changes still save.
	if _, err := commands.New(s, at("2025-05-30T12:00:00Z"), nil).Handle(t.Context(), admin("talks-admin/setup", "channel:"+here)); err != nil {
		t.Errorf("setup without a planner: %v", err)
	}
}

func TestAdminDefinition(t *testing.T) {
	var def *discordgo.ApplicationCommand
	for _, d := range commands.New(nil, nil, nil).Definitions() {
		if d.Name == "talks-admin" {
			def = d
		}
	}
	if def == nil {
		t.Fatal("no /talks-admin")
	}
	b, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Perms    string `json:"default_member_permissions"`
		Contexts []int  `json:"contexts"`
		Installs []int  `json:"integration_types"`
		Options  []struct {
			Name    string `json:"name"`
			Options []struct {
				Name         string `json:"name"`
				Type         int    `json:"type"`
				ChannelTypes []int  `json:"channel_types"`
				Autocomplete bool   `json:"autocomplete"`
			} `json:"options"`
		} `json:"options"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	// "32" is Manage Server, sent as a string as Discord wants.
	if got.Perms != "32" || len(got.Contexts) != 1 || got.Contexts[0] != 0 || len(got.Installs) != 1 || got.Installs[0] != 0 {
		t.Errorf("default_member_permissions %q, contexts %v, integration_types %v; want \"32\", [0], [0]", got.Perms, got.Contexts, got.Installs)
	}
	var subs []string
	for _, sub := range got.Options {
		subs = append(subs, sub.Name)
		if sub.Name != "setup" {
			continue
		}
		types := map[string]int{}
		for _, o := range sub.Options {
			types[o.Name] = o.Type
			if o.Name == "channel" && (len(o.ChannelTypes) != 2 || o.ChannelTypes[0] != 0 || o.ChannelTypes[1] != 5) {
				t.Errorf("channel types %v; want text and announcement [0 5]", o.ChannelTypes)
			}
			if o.Name == "track" && !o.Autocomplete {
				t.Error("the track option does not autocomplete")
			}
		}
		if types["channel"] != 7 || types["role"] != 8 || types["reminders"] != 3 || types["track"] != 3 || types["updates"] != 3 {
			t.Errorf("setup option types %v", types)
		}
	}
	if strings.Join(subs, ",") != "events,setup,digest,show,disable,editors" {
		t.Errorf("subcommands %v", subs)
	}
}
