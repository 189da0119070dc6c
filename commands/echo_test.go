package commands_test

import (
	"strings"
	"testing"

	"talkbot/commands"
)

// userError runs a request that must fail with a user error and returns
// its message.
func userError(t *testing.T, c *commands.Commands, req commands.Request) string {
	t.Helper()
	reply, err := c.Handle(t.Context(), req)
	ue, ok := commands.AsUserError(err)
	if !ok {
		t.Fatalf("%s: got %+v, %v; want a user error", req.Path, reply, err)
	}
	return ue.Message
}

// What a user typed comes back as typed, in quotes, not Go-escaped.
func TestTypedInputIsEchoedAsTyped(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	cases := []struct {
		name string
		req  commands.Request
		want string
	}{
		{"a speaker", cmd("talks/statements", "speaker:Sergey Lavrovv"), `There is no speaker "Sergey Lavrovv" in`},
		{"a speaker typed in quotes", cmd("talks/statements", `speaker:"Sergey Lavrovv"`), `There is no speaker ""Sergey Lavrovv"" in`},
		{"a side", cmd("talks/positions", "side:Mars"), `There is no side "Mars" in`},
		{"a track", cmd("talks/next", "track:Geneva talks"), `There is no track "Geneva talks".`},
		{"a search", cmd("talks/search", "query:zeppelin airship"), `matches "zeppelin airship".`},
		{"a topic nobody has", cmd("talks/compare", "topic:elections"), `position on "elections" in`},
		{"markdown typed", cmd("talks/positions", "side:`@everyone`"), "There is no side \"\\`@\u200beveryone\\`\" in"},
		{"reminder times", inDM("talks/subscribe", "reminders:2x"), `Cannot read the reminder times "2x"`},
		{"a timezone", admin("talks-admin/digest", "schedule:@daily", "timezone:Mars/Olympus"), `There is no timezone "Mars/Olympus".`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if msg := userError(t, c, tc.req); !strings.Contains(msg, tc.want) {
				t.Errorf("message = %q; want it to contain %q", msg, tc.want)
			}
		})
	}
}
