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
	f.Fuzz(func(t *testing.T, raw string) {
		var i discordgo.Interaction
		if json.Unmarshal([]byte(raw), &i) != nil {
			return
		}
		req, err := FromInteraction(&i)
		if err == nil && req.Options == nil {
			t.Error("a request without an options map")
		}
	})
}
