package main

import (
	"testing"

	"talkbot/config"
	"talkbot/feeds"
)

// The client `talkbot run` polls feeds and checks `feed add` with cuts a
// slow feed at 10 s (feeds.DefaultTimeout): the wiring sets no other
// timeout.
func TestNewsFeedClientOfTheProgramCutsAt10Seconds(t *testing.T) {
	c, err := config.LoadFor(config.CmdRun, func(k string) string {
		return map[string]string{"DISCORD_TOKEN": "x", "FEEDS_ALLOW_PRIVATE": "true"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := (env{}).feedClient(c).Timeout; got != feeds.DefaultTimeout || got.Seconds() != 10 {
		t.Errorf("the program's feed client times out after %v; want 10 s", got)
	}
}
