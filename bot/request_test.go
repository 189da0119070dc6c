package bot

import (
	"encoding/json"
	"strings"
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
			"channel and role options arrive as snowflake strings, with the caller's and the server's languages",
			`{"type":2,"guild_id":"10","channel_id":"20","app_permissions":"19456","context":0,"locale":"en-US","guild_locale":"tr",
			  "member":{"user":{"id":"30"},"permissions":"32"},
			  "data":{"name":"talks-admin","options":[{"type":1,"name":"setup","options":[{"type":7,"name":"channel","value":"1234567890123456789"},{"type":8,"name":"role","value":"9876543210987654321"},{"type":3,"name":"reminders","value":"7d,1h"}]}]}}`,
			commands.Request{Kind: commands.KindCommand, Path: "talks-admin/setup",
				Options: map[string]string{"channel": "1234567890123456789", "role": "9876543210987654321", "reminders": "7d,1h"},
				GuildID: "10", ChannelID: "20", UserID: "30", MemberPermissions: 32, AppPermissions: 19456, Locale: "en-US", GuildLocale: "tr"},
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
		{
			"a modal submit in a server, by a member with a nickname and roles",
			`{"type":5,"guild_id":"10","channel_id":"20","context":0,"locale":"uk",
			  "member":{"user":{"id":"30","username":"olena","global_name":"Olena K."},"nick":"Olena (editor)","roles":["40","41"],"permissions":"32"},
			  "data":{"custom_id":"edit/round:ru-ua-istanbul:3:v7","components":[
			    {"type":1,"components":[{"type":4,"custom_id":"starts","value":"2025-06-02T13:00"}]},
			    {"type":1,"components":[{"type":4,"custom_id":"agenda","value":"prisoners\nceasefire"}]},
			    {"type":1,"components":[{"type":4,"custom_id":"venue","value":""}]}]}}`,
			commands.Request{Kind: commands.KindModal, Path: "edit/round", Options: map[string]string{},
				Args:    []string{"ru-ua-istanbul", "3", "v7"},
				Fields:  map[string]string{"starts": "2025-06-02T13:00", "agenda": "prisoners\nceasefire", "venue": ""},
				GuildID: "10", ChannelID: "20", UserID: "30", UserName: "Olena (editor)", MemberRoles: []string{"40", "41"},
				MemberPermissions: 32, Locale: "uk"},
		},
		{
			"a member without a nickname is shown by their display name",
			`{"type":3,"guild_id":"10","channel_id":"20","member":{"user":{"id":"30","username":"olena","global_name":"Olena K."},"nick":null,"roles":[],"permissions":"0"},
			  "data":{"custom_id":"rounds:t:1","component_type":2}}`,
			commands.Request{Kind: commands.KindComponent, Path: "rounds", Args: []string{"t", "1"}, Options: map[string]string{},
				GuildID: "10", ChannelID: "20", UserID: "30", UserName: "Olena K.", MemberRoles: []string{}},
		},
		{
			"a user in a DM without a display name is shown by their username",
			`{"type":4,"channel_id":"20","context":1,"user":{"id":"31","username":"petro","global_name":null},
			  "data":{"name":"talks-edit","options":[{"type":2,"name":"round","options":[{"type":1,"name":"add","options":[{"type":3,"name":"source","value":"htt","focused":true}]}]}]}}`,
			commands.Request{Kind: commands.KindAutocomplete, Path: "talks-edit/round/add", Options: map[string]string{"source": "htt"}, Focused: "source",
				ChannelID: "20", UserID: "31", UserName: "petro", Context: 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromInteraction(decode(t, tc.raw))
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
	if _, err := FromInteraction(decode(t, `{"type":1}`)); err == nil {
		t.Error("a PING is not a request; want an error")
	}
	if _, err := FromInteraction(&discordgo.Interaction{Type: discordgo.InteractionModalSubmit}); err == nil {
		t.Error("a modal submit without data; want an error")
	}
	longModal := `{"type":5,"data":{"custom_id":"` + strings.Repeat("x", 101) + `","components":[]}}`
	if _, err := FromInteraction(decode(t, longModal)); err == nil || !strings.Contains(err.Error(), "Discord allows 100") {
		t.Errorf("a modal's custom id past 100 bytes: %v; want an error naming the limit", err)
	}
	long := `{"type":3,"data":{"custom_id":"rounds:` + strings.Repeat("x", 100) + `","component_type":2}}`
	if _, err := FromInteraction(decode(t, long)); err == nil || !strings.Contains(err.Error(), "Discord allows 100") {
		t.Errorf("a custom id past 100 bytes: %v; want an error naming the limit", err)
	}
}

func FuzzFromInteraction(f *testing.F) {
	f.Add(`{"type":2,"data":{"name":"talks","options":[{"type":1,"name":"round","options":[{"type":4,"name":"number","value":2}]}]}}`)
	f.Add(`{"type":4,"data":{"name":"talks","options":[{"type":2,"name":"g","options":[{"type":1,"name":"s","options":[{"type":3,"name":"x","value":null,"focused":true}]}]}]}}`)
	f.Add(`{"type":3,"data":{"custom_id":"rounds:a:b:c","component_type":2},"member":{"permissions":"8"}}`)
	f.Add(`{"type":2,"data":{"options":[null,{"type":1,"options":[null]}]}}`)
	f.Add(`{"type":2,"guild_id":"10","app_permissions":"19456","member":{"user":{"id":"30"},"permissions":"32"},"data":{"name":"talks-admin","options":[{"type":1,"name":"setup","options":[{"type":7,"name":"channel","value":"1234567890123456789"},{"type":8,"name":"role","value":"98765"}]}]}}`)
	f.Add(`{"type":2,"data":{"name":"talks-admin","options":[{"type":1,"name":"setup","options":[{"type":7,"name":"channel","value":123},{"type":8,"name":"role","value":{"id":"1"}}]}]}}`)
	f.Add(`{"type":5,"data":{"custom_id":"edit/round:t:1:v2","components":[{"type":1,"components":[{"type":4,"custom_id":"starts","value":"2025-06-02"},{"type":4,"custom_id":"","value":"x"}]},{"type":4,"custom_id":"loose","value":"y"}]},"member":{"user":{"id":"1","username":"u"},"nick":"n","roles":["2"]}}`)
	f.Add(`{"type":5,"data":{"custom_id":"m","components":[{"type":1,"components":null},{"type":2,"custom_id":"b","style":1}]},"user":{"id":"1","global_name":"G"}}`)
	f.Add(`{"type":5,"data":{"custom_id":"m","components":[{"type":1}]},"member":{"roles":null}}`)
	f.Fuzz(func(t *testing.T, raw string) {
		var i discordgo.Interaction
		if json.Unmarshal([]byte(raw), &i) != nil {
			return
		}
		req, err := FromInteraction(&i)
		if err == nil && req.Options == nil {
			t.Error("a request without an options map")
		}
		if err == nil && req.Kind == commands.KindModal && req.Fields == nil {
			t.Error("a modal submit without a fields map")
		}
	})
}
