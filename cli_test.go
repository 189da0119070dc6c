package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// sqliteEnv is the SQLite engine's settings, with times shown in UTC.
func sqliteEnv(t *testing.T) map[string]string {
	t.Helper()
	env := engines(t)["sqlite"](t)
	env["TZ"] = "UTC"
	return env
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

// A script piping commands into the shell learns from the exit status
// whether any failed; replies stay on stdout, failures go to stderr.
func TestPipedShellReportsFailures(t *testing.T) {
	env := sqliteEnv(t)
	cases := []struct {
		name       string
		stdin      string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"every command answered", "/talks round number: 1\n/talks rounds\n", 0,
			[]string{"Round 1 · Russia", "Rounds · Russia"}, nil},
		{"a user error among good commands", "/talks round number:9\n/talks rounds\n", 1,
			[]string{"Rounds · Russia"}, []string{"There is no round 9"}},
		{"an unknown command", "/weather\n", 1, nil, []string{"unknown command /weather"}},
		{"a Discord-only command", "/talks-admin setup\n", 1, nil, []string{"works only in a Discord server"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := talkbot(t, env, tc.stdin, "shell")
			if r.code != tc.wantCode {
				t.Errorf("exit %d; want %d (stderr %q)", r.code, tc.wantCode, r.stderr)
			}
			for _, want := range tc.wantStdout {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout has no %q:\n%s", want, r.stdout)
				}
			}
			for _, want := range tc.wantStderr {
				if !strings.Contains(r.stderr, want) || strings.Contains(r.stdout, want) {
					t.Errorf("%q is not on stderr only: stdout %q, stderr %q", want, r.stdout, r.stderr)
				}
			}
			if tc.wantStderr == nil && r.stderr != "" {
				t.Errorf("stderr %q; want nothing", r.stderr)
			}
		})
	}
}

func TestExportToAMissingFolderNamesIt(t *testing.T) {
	env := sqliteEnv(t)
	dir := filepath.Join(t.TempDir(), "no", "such")
	r := talkbot(t, env, "", "export", filepath.Join(dir, "out.yaml"))
	if r.code != 1 || !strings.Contains(r.stderr, "folder "+dir+" does not exist") {
		t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, "folder "+dir+" does not exist")
	}
	if strings.Contains(r.stderr, ".out.yaml.") {
		t.Errorf("stderr %q names the temporary file", r.stderr)
	}
}
