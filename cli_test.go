package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func sqliteEnv(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "talkbot.db"), "TZ": "UTC"}
}

// Discord settings are read by talkbot run only: a bad one in .env must not
// stop the subcommands that never talk to Discord, and run names it.
func TestDiscordSettingsStopOnlyRun(t *testing.T) {
	env := sqliteEnv(t)
	env["DISCORD_RATE_LIMIT"] = "lots"
	env["HTTP_ADDR"] = ":99999"
	env["DISCORD_TOKEN"] = "x"
	cases := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"shell", "/talks rounds\n", []string{"shell"}},
		{"check", "", []string{"check", "data/talks.yaml"}},
		{"import", "", []string{"import", "data/talks.yaml"}},
		{"export", "", []string{"export"}},
		{"version", "", []string{"version"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := talkbot(t, env, tc.stdin, tc.args...)
			if r.code != 0 || strings.Contains(r.stderr, "DISCORD_RATE_LIMIT") {
				t.Errorf("talkbot %s with a bad DISCORD_RATE_LIMIT: exit %d, stderr %q; want it to run", tc.name, r.code, r.stderr)
			}
		})
	}
	r := talkbot(t, env, "", "run")
	for _, name := range []string{"DISCORD_RATE_LIMIT", "HTTP_ADDR"} {
		if r.code != 1 || !strings.Contains(r.stderr, name+": ") {
			t.Errorf("talkbot run: exit %d, stderr %q; want 1 naming %s", r.code, r.stderr, name)
		}
	}
}
