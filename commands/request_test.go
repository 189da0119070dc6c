package commands_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
)

func decode(t testing.TB, raw string) *discordgo.Interaction {
	t.Helper()
	var i discordgo.Interaction
	if err := json.Unmarshal([]byte(raw), &i); err != nil {
		t.Fatal(err)
	}
	return &i
}

func TestFromInteraction(t *testing.T) {
	cases := []struct {
		name string
		raw  string
		want commands.Request
	}{
		{
			"a subcommand with options in a server",
			`{"type":2,"guild_id":"10","channel_id":"20","app_permissions":"19456","context":0,"locale":"uk",
			  "member":{"user":{"id":"30"},"permissions":"32"},
			  "data":{"name":"talks","options":[{"type":1,"name":"round","options":[{"type":4,"name":"number","value":2},{"type":3,"name":"track","value":"ru-ua-istanbul"}]}]}}`,
			commands.Request{Kind: commands.KindCommand, Path: "talks/round", Options: map[string]string{"number": "2", "track": "ru-ua-istanbul"},
				GuildID: "10", ChannelID: "20", UserID: "30", MemberPermissions: 32, AppPermissions: 19456, Locale: "uk"},
		},
		{
			"channel and role options arrive as snowflake strings",
			`{"type":2,"guild_id":"10","channel_id":"20","app_permissions":"19456","context":0,
			  "member":{"user":{"id":"30"},"permissions":"32"},
			  "data":{"name":"talks-admin","options":[{"type":1,"name":"setup","options":[{"type":7,"name":"channel","value":"1234567890123456789"},{"type":8,"name":"role","value":"9876543210987654321"},{"type":3,"name":"reminders","value":"7d,1h"}]}]}}`,
			commands.Request{Kind: commands.KindCommand, Path: "talks-admin/setup",
				Options: map[string]string{"channel": "1234567890123456789", "role": "9876543210987654321", "reminders": "7d,1h"},
				GuildID: "10", ChannelID: "20", UserID: "30", MemberPermissions: 32, AppPermissions: 19456},
		},
		{
			"an autocomplete in a DM",
			`{"type":4,"channel_id":"20","context":1,"user":{"id":"31"},
			  "data":{"name":"talks","options":[{"type":1,"name":"positions","options":[{"type":3,"name":"side","value":"uk","focused":true}]}]}}`,
			commands.Request{Kind: commands.KindAutocomplete, Path: "talks/positions", Options: map[string]string{"side": "uk"}, Focused: "side",
				ChannelID: "20", UserID: "31", Context: 1},
		},
		{
			"a button",
			`{"type":3,"channel_id":"20","context":2,"user":{"id":"32"},"data":{"custom_id":"rounds:ru-ua-istanbul:1","component_type":2}}`,
			commands.Request{Kind: commands.KindComponent, Path: "rounds", Args: []string{"ru-ua-istanbul", "1"}, Options: map[string]string{},
				ChannelID: "20", UserID: "32", Context: 2},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := commands.FromInteraction(decode(t, tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(tc.want)
			if string(g) != string(w) {
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
	if _, err := commands.FromInteraction(decode(t, `{"type":1}`)); err == nil {
		t.Error("a PING is not a request; want an error")
	}
}

// Discord's rules for chat commands (shared/DISCORD.md).
var commandName = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)

func TestDefinitionsFollowDiscordRules(t *testing.T) {
	defs := commands.New(nil, nil, nil).Definitions()
	// Each command carries its own contexts: reading works everywhere,
	// server settings only in servers that installed the bot.
	where := map[string]struct{ contexts, installs string }{
		"talks":       {"[0,1,2]", "[0,1]"},
		"talks-admin": {"[0]", "[0]"},
	}
	if len(defs) != len(where) {
		t.Errorf("%d commands; want %d", len(defs), len(where))
	}
	var check func(path string, opts []*discordgo.ApplicationCommandOption, depth int)
	check = func(path string, opts []*discordgo.ApplicationCommandOption, depth int) {
		if len(opts) > 25 {
			t.Errorf("%s: %d options", path, len(opts))
		}
		optional := false
		names := map[string]bool{}
		for _, o := range opts {
			p := path + " " + o.Name
			if !commandName.MatchString(o.Name) || names[o.Name] {
				t.Errorf("%s: bad or repeated name", p)
			}
			names[o.Name] = true
			if n := len([]rune(o.Description)); n < 1 || n > 100 {
				t.Errorf("%s: description of %d characters", p, n)
			}
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
				if depth > 1 {
					t.Errorf("%s: nested too deep", p)
				}
				check(p, o.Options, depth+1)
			default:
				if (o.Type == discordgo.ApplicationCommandOptionChannel) != (len(o.ChannelTypes) > 0) {
					t.Errorf("%s: channel types %v on an option of type %d", p, o.ChannelTypes, o.Type)
				}
				if o.Required && optional {
					t.Errorf("%s: required after an optional option", p)
				}
				optional = optional || !o.Required
			}
		}
	}
	for _, d := range defs {
		if !commandName.MatchString(d.Name) {
			t.Errorf("command name %q", d.Name)
		}
		want, ok := where[d.Name]
		if !ok {
			t.Errorf("/%s: no contexts expected; add it to this test", d.Name)
		}
		contexts, _ := json.Marshal(d.Contexts)
		installs, _ := json.Marshal(d.IntegrationTypes)
		if string(contexts) != want.contexts || string(installs) != want.installs {
			t.Errorf("/%s: contexts %s, integration types %s; want %s and %s", d.Name, contexts, installs, want.contexts, want.installs)
		}
		check("/"+d.Name, d.Options, 0)
	}
}

func FuzzFromInteraction(f *testing.F) {
	f.Add(`{"type":2,"data":{"name":"talks","options":[{"type":1,"name":"round","options":[{"type":4,"name":"number","value":2}]}]}}`)
	f.Add(`{"type":4,"data":{"name":"talks","options":[{"type":2,"name":"g","options":[{"type":1,"name":"s","options":[{"type":3,"name":"x","value":null,"focused":true}]}]}]}}`)
	f.Add(`{"type":3,"data":{"custom_id":"rounds:a:b:c","component_type":2},"member":{"permissions":"8"}}`)
	f.Add(`{"type":2,"data":{"options":[null,{"type":1,"options":[null]}]}}`)
	f.Add(`{"type":2,"guild_id":"10","app_permissions":"19456","member":{"user":{"id":"30"},"permissions":"32"},"data":{"name":"talks-admin","options":[{"type":1,"name":"setup","options":[{"type":7,"name":"channel","value":"1234567890123456789"},{"type":8,"name":"role","value":"98765"}]}]}}`)
	f.Add(`{"type":2,"data":{"name":"talks-admin","options":[{"type":1,"name":"setup","options":[{"type":7,"name":"channel","value":123},{"type":8,"name":"role","value":{"id":"1"}}]}]}}`)
	f.Fuzz(func(t *testing.T, raw string) {
		var i discordgo.Interaction
		if json.Unmarshal([]byte(raw), &i) != nil {
			return
		}
		req, err := commands.FromInteraction(&i)
		if err == nil && req.Options == nil {
			t.Error("a request without an options map")
		}
	})
}
