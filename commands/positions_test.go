package commands_test

import (
	"strings"
	"testing"

	"talkbot/commands"
)

// A side with no position on a topic lists the topics it has positions
// on, as compare does for a topic nobody has.
func TestPositionsOnATopicTheSideHasNoneOnListsItsTopics(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	msg := userError(t, c, cmd("talks/positions", "side:ukraine", "topic:memo"))
	for _, want := range []string{`Ukraine has stated no position on "memo"`, "`memorandum`"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message = %q; want it to contain %q", msg, want)
		}
	}
}
