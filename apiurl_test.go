package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// talkbot run against a DISCORD_API_URL nothing answers on names that URL
// and the variable, not the discord.com URL discordgo builds requests from.
func TestRunNamesAnUnreachableAPIURL(t *testing.T) {
	api := "http://" + freeAddr(t) + "/api/v10"
	r := talkbot(t, map[string]string{
		"DATABASE_URL":  "sqlite:" + filepath.Join(t.TempDir(), "talkbot.db"),
		"DISCORD_TOKEN": "token", "DISCORD_API_URL": api, "HTTP_ADDR": "127.0.0.1:0",
	}, "", "run")
	if r.code != 1 || !strings.Contains(r.stderr, api+"/") || !strings.Contains(r.stderr, "DISCORD_API_URL") || strings.Contains(r.stderr, "discord.com") {
		t.Errorf("exit %d, stderr %q; want 1 naming %s and DISCORD_API_URL, not discord.com", r.code, r.stderr, api)
	}
}
