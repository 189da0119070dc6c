package config_test

import (
	"flag"
	"os"
	"strings"
	"testing"

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
