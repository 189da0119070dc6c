package config_test

import (
	"flag"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"talkbot/config"
	"talkbot/store/backend"
)

var update = flag.Bool("update", false, "rewrite .env.example and the README's configuration table")

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Engine != backend.SQLite || c.Database.Path != "talkbot.db" {
		t.Errorf("default database = %+v; want SQLite at talkbot.db", c.Database)
	}
	if c.DiscordAPIURL != "https://discord.com/api/v10" {
		t.Errorf("default API URL = %q", c.DiscordAPIURL)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"LOG_LEVEL":          "loud",
		"DATABASE_URL":       "mysql://secret-password@h/db",
		"DISCORD_API_URL":    "discord.com",
		"LOG_FORMAT":         "xml",
		"DISCORD_PUBLIC_KEY": "zz",
		"DISCORD_GUILD_ID":   "my-server",
		"HTTP_ADDR":          "8080",
	}))
	if err == nil {
		t.Fatal("bad values were accepted")
	}
	msg := err.Error()
	for _, want := range []string{"LOG_LEVEL: \"loud\"", "DATABASE_URL: unsupported", "DISCORD_API_URL: \"discord.com\"", "LOG_FORMAT: \"xml\"", "DISCORD_PUBLIC_KEY: not a public key", "DISCORD_GUILD_ID: \"my-server\"", "HTTP_ADDR: \"8080\""} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if strings.Contains(msg, "secret-password") {
		t.Errorf("error echoes a database password: %q", msg)
	}
}

// The README table and .env.example are generated from the options table;
// go test ./config -update rewrites them.
func TestDocsAgreeWithOptions(t *testing.T) {
	want := config.EnvExample()
	checkFile(t, "../.env.example", func(string) string { return want })

	table := config.MarkdownTable()
	const begin, end = "<!-- config:begin -->\n", "<!-- config:end -->"
	checkFile(t, "../README.md", func(readme string) string {
		i, j := strings.Index(readme, begin), strings.Index(readme, end)
		if i < 0 || j < i {
			t.Fatalf("README.md has no %q ... %q section", begin, end)
		}
		return readme[:i+len(begin)] + table + readme[j:]
	})
}

func checkFile(t *testing.T, path string, want func(current string) string) {
	t.Helper()
	cur, err := os.ReadFile(path)
	if err != nil && !*update {
		t.Fatal(err)
	}
	w := want(string(cur))
	if *update {
		if err := os.WriteFile(path, []byte(w), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(cur) != w {
		t.Errorf("%s is out of date with the options table: run go test ./config -update", path)
	}
}

func TestPublicURL(t *testing.T) {
	cases := []struct {
		name, in, want string
		ok             bool
	}{
		{"empty publishes nothing", "", "", true},
		{"an https URL", "https://talks.example.org", "https://talks.example.org", true},
		{"a trailing slash is dropped", "http://127.0.0.1:8080/bot/", "http://127.0.0.1:8080/bot", true},
		{"no scheme is refused", "talks.example.org", "", false},
		{"another scheme is refused", "ftp://talks.example.org", "", false},
		{"no host is refused", "https://", "", false},
		{"a query is refused", "https://talks.example.org/?a=1", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(map[string]string{"PUBLIC_URL": tc.in}))
			if tc.ok {
				if err != nil || c.PublicURL != tc.want {
					t.Errorf("PUBLIC_URL=%s: %v, PublicURL %q; want %q", tc.in, err, c.PublicURL, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "PUBLIC_URL: ") {
				t.Errorf("PUBLIC_URL=%s: error %v; want one naming PUBLIC_URL", tc.in, err)
			}
		})
	}
}

func TestListenAddress(t *testing.T) {
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"a port alone", ":8080", true},
		{"a host and a port", "127.0.0.1:8080", true},
		{"port 0 takes any free port", ":0", true},
		{"the highest port", ":65535", true},
		{"a port past 65535 is refused", ":99999", false},
		{"a negative port is refused", ":-1", false},
		{"a named port is refused", ":http", false},
		{"no port is refused", "127.0.0.1", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(map[string]string{"HTTP_ADDR": tc.in}))
			if tc.ok {
				if err != nil || c.HTTPAddr != tc.in {
					t.Errorf("HTTP_ADDR=%s: %v, HTTPAddr %q; want it accepted", tc.in, err, c.HTTPAddr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "HTTP_ADDR: ") || !strings.Contains(err.Error(), tc.in) {
				t.Errorf("HTTP_ADDR=%s: error %v; want one naming HTTP_ADDR and the value", tc.in, err)
			}
		})
	}
}

// Each subcommand validates only the variables it reads: Discord settings
// cannot stop the shell. (check reads no settings at all: the top-level
// TestDiscordSettingsStopOnlyRun runs it.)
func TestLoadForValidatesOnlyWhatTheSubcommandReads(t *testing.T) {
	bad := env(map[string]string{
		"DISCORD_RATE_LIMIT": "lots",
		"HTTP_ADDR":          ":99999",
		"DISCORD_PUBLIC_KEY": "zz",
		"LOG_LEVEL":          "loud",
	})
	for _, cmd := range []string{config.CmdShell, config.CmdImport, config.CmdExport} {
		c, err := config.LoadFor(cmd, bad)
		if err != nil {
			t.Errorf("LoadFor(%s) with bad Discord settings: %v; want no error", cmd, err)
		}
		if c.Database.Engine != backend.SQLite || c.Database.Path != "talkbot.db" {
			t.Errorf("LoadFor(%s) database = %+v; want the default", cmd, c.Database)
		}
	}
	_, err := config.LoadFor(config.CmdRun, bad)
	for _, name := range []string{"DISCORD_RATE_LIMIT", "HTTP_ADDR", "DISCORD_PUBLIC_KEY", "LOG_LEVEL"} {
		if err == nil || !strings.Contains(err.Error(), name+": ") {
			t.Errorf("LoadFor(run) error %v; want it to name %s", err, name)
		}
	}
	badDB := env(map[string]string{"DATABASE_URL": "mysql://h/db"})
	if _, err := config.LoadFor(config.CmdShell, badDB); err == nil || !strings.Contains(err.Error(), "DATABASE_URL: ") {
		t.Errorf("LoadFor(shell) with a bad DATABASE_URL: %v; want it named", err)
	}
}

// Every option says which subcommands read it; one read by none would
// never be validated.
func TestEveryOptionIsReadBySomeSubcommand(t *testing.T) {
	for _, o := range config.Options() {
		if len(o.UsedBy) == 0 {
			t.Errorf("%s has no UsedBy", o.Name)
		}
	}
}

func TestEditors(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
		err      string // part of the error; "" for none
	}{
		{"unset means no global editor", "", nil, ""},
		{"one id", "123456789012345678", []string{"123456789012345678"}, ""},
		{"spaces, a trailing comma and a repeat are forgiven", " 123456789012345678 , 223456789012345678,123456789012345678,", []string{"123456789012345678", "223456789012345678"}, ""},
		{"a name is refused by its place", "123456789012345678, olena", nil, `TALKBOT_EDITORS: item 2, "olena", is not a Discord user id`},
		{"a mention is refused", "<@123456789012345678>", nil, `TALKBOT_EDITORS: item 1, "<@123456789012345678>"`},
		{"a leading zero is refused", "0123", nil, `item 1, "0123"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.LoadFor(config.CmdRun, env(map[string]string{"TALKBOT_EDITORS": tc.in}))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v; want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || !slices.Equal(c.Editors, tc.want) {
				t.Errorf("Editors %q, error %v; want %q", c.Editors, err, tc.want)
			}
		})
	}
}

func TestEditSettle(t *testing.T) {
	cases := []struct {
		name, in string
		want     time.Duration
		ok       bool
	}{
		{"unset is two minutes", "", 2 * time.Minute, true},
		{"zero posts at once", "0", 0, true},
		{"seconds", "30s", 30 * time.Second, true},
		{"a negative window is refused", "-1m", 0, false},
		{"a number without a unit is refused", "120", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.LoadFor(config.CmdRun, env(map[string]string{"EDIT_SETTLE": tc.in}))
			if !tc.ok {
				if err == nil || !strings.Contains(err.Error(), "EDIT_SETTLE: ") || !strings.Contains(err.Error(), tc.in) {
					t.Errorf("EDIT_SETTLE=%s: error %v; want one naming EDIT_SETTLE and the value", tc.in, err)
				}
				return
			}
			if err != nil || c.EditSettle != tc.want {
				t.Errorf("EDIT_SETTLE=%q: %v, error %v; want %v", tc.in, c.EditSettle, err, tc.want)
			}
		})
	}
}

func TestFeedOptions(t *testing.T) {
	c, err := config.LoadFor(config.CmdRun, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.FeedPoll != 10*time.Minute || c.FeedsAllowPrivate || c.FeedMaxPostsPerHour != 6 {
		t.Errorf("defaults: FeedPoll %v, FeedsAllowPrivate %v, FeedMaxPostsPerHour %d; want 10m, false, 6", c.FeedPoll, c.FeedsAllowPrivate, c.FeedMaxPostsPerHour)
	}
	c, err = config.LoadFor(config.CmdRun, env(map[string]string{"FEED_POLL": "10s", "FEEDS_ALLOW_PRIVATE": "true", "FEED_MAX_POSTS_PER_HOUR": "1"}))
	if err != nil || c.FeedPoll != 10*time.Second || !c.FeedsAllowPrivate || c.FeedMaxPostsPerHour != 1 {
		t.Errorf("the lowest values: %+v, %v; want 10s, true, 1 accepted", c, err)
	}
	cases := []struct{ name, variable, in string }{
		{"a poll under 10 seconds is refused", "FEED_POLL", "5s"},
		{"a poll without a unit is refused", "FEED_POLL", "600"},
		{"a negative poll is refused", "FEED_POLL", "-10m"},
		{"allow private takes only true or false", "FEEDS_ALLOW_PRIVATE", "yes"},
		{"allow private is not a number", "FEEDS_ALLOW_PRIVATE", "1"},
		{"zero posts an hour is refused", "FEED_MAX_POSTS_PER_HOUR", "0"},
		{"a word is not a post count", "FEED_MAX_POSTS_PER_HOUR", "six"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.LoadFor(config.CmdRun, env(map[string]string{tc.variable: tc.in}))
			if err == nil || !strings.Contains(err.Error(), tc.variable+": ") || !strings.Contains(err.Error(), strconv.Quote(tc.in)) {
				t.Errorf("%s=%s: error %v; want one naming %s and the value", tc.variable, tc.in, err, tc.variable)
			}
		})
	}
}
