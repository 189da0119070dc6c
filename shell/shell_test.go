package shell_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/shell"
	"talkbot/store/sqlite/sqlitetest"
)

var update = flag.Bool("update", false, "rewrite testdata/session.txt")

func TestPipedSession(t *testing.T) {
	s := sqlitetest.Bundled(t, time.Now)
	now := func() time.Time { return time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC) }
	cmds := commands.New(s, now, nil)
	loc, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	script := strings.Join([]string{
		"/talks next",
		"/talks round number:1",
		"/talks positions side:ukraine topic:memorandum",
		"/talks search query:prisoner exchange",
		"/talks round number:9",
		"/talks round",
		"/talks frobnicate",
		"/talks next colour:red",
		"/weather",
		"press rounds:ru-ua-istanbul:0",
		"commands",
		"quit",
		"/talks about",
	}, "\n")
	var out bytes.Buffer
	if err := shell.New(cmds, cmds.Definitions(), loc, now).Run(t.Context(), strings.NewReader(script), &out, false); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "session.txt")
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("session differs from %s (go test ./shell -update rewrites it):\n%s", path, out.String())
	}
	if strings.Contains(out.String(), "About talkbot") {
		t.Error("the shell went on after quit")
	}
}

func TestRelativeTimestamps(t *testing.T) {
	now := time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		at   time.Time
		want string
	}{
		{now.Add(3 * 24 * time.Hour), "in 3 days"},
		{now.Add(-2 * time.Hour), "2 hours ago"},
		{now.Add(time.Minute), "in 1 minute"},
	}
	for _, tc := range cases {
		r := commands.Reply{Content: "<t:" + itoa(tc.at.Unix()) + ":R>"}
		if got := strings.TrimSpace(shell.Render(r, time.UTC, now)); got != tc.want {
			t.Errorf("Render(%v) = %q; want %q", tc.at, got, tc.want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
