package bot

import (
	"encoding/json"
	"log/slog"
	"reflect"
	"testing"

	"talkbot/bot/discordtest"
	"talkbot/remind"
)

// TestTheSenderPostsAMessageAsDiscordsBody pins the body a delivery posts:
// the neutral message becomes Discord's embeds, and it may ping its role
// and nobody else.
func TestTheSenderPostsAMessageAsDiscordsBody(t *testing.T) {
	cases := []struct {
		name string
		msg  remind.Message
		want string
	}{
		{
			name: "a reminder with a role pings that role alone and keeps every part of its embed",
			msg: remind.Message{Content: "<@&99> Reminder: round 2.", PingRole: "99", Embeds: []remind.Embed{{
				Title: "Round 2", Description: "In Istanbul", URL: "https://example.org/r2", Color: 0x2F6FEB,
				Fields: []remind.Field{{Name: "Venue", Value: "Çırağan Palace", Inline: true}, {Name: "Agenda", Value: "Memoranda"}},
				Footer: "Sources: Wire",
			}}},
			want: `{"content":"<@&99> Reminder: round 2.","embeds":[{"url":"https://example.org/r2","title":"Round 2","description":"In Istanbul","color":3108843,
				"footer":{"text":"Sources: Wire"},"fields":[{"name":"Venue","value":"Çırağan Palace","inline":true},{"name":"Agenda","value":"Memoranda"}]}],
				"allowed_mentions":{"parse":[],"roles":["99"],"replied_user":false},"nonce":"n1","enforce_nonce":true}`,
		},
		{
			name: "a digest without a role pings nobody, whatever its text holds",
			msg:  remind.Message{Content: "Digest @everyone"},
			want: `{"content":"Digest @everyone","allowed_mentions":{"parse":[],"replied_user":false},"nonce":"n1","enforce_nonce":true}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordtest.New(t)
			b, err := New(Options{Token: fake.Token, APIURL: fake.APIBase, Log: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			const channel = "820000000000000001"
			if _, err := b.Sender().Send(t.Context(), "channel:"+channel, tc.msg, "n1"); err != nil {
				t.Fatal(err)
			}
			var body []byte
			for _, r := range fake.Requests() {
				if r.Path == "/channels/"+channel+"/messages" {
					body = r.Body
				}
			}
			var got, want any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("posted %s\nwant   %s", body, tc.want)
			}
			if v := fake.Violations(); len(v) > 0 {
				t.Errorf("Discord would refuse it: %v", v)
			}
		})
	}
}
