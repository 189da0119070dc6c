package shell_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/i18n"
	"talkbot/shell"
	"talkbot/store/sqlite/sqlitetest"
)

var update = flag.Bool("update", false, "rewrite testdata/session.txt")

func TestPipedSession(t *testing.T) {
	s := sqlitetest.Bundled(t, func() time.Time { return time.Date(2025, 5, 29, 8, 0, 0, 0, time.UTC) })
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
		"/talks round number: 2",
		`/talks search query:"prisoner exchange" track: "ru-ua-istanbul"`,
		"/talks round number:9",
		"/talks-admin setup channel:#news",
		"/talks subscribe",
		"/talks unsubscribe track:ru-ua-istanbul",
		"press",
		`/talks search query:"prisoner`,
		"/talks round",
		"/talks frobnicate",
		"/talks next colour:red",
		"/weather",
		"press rounds:ru-ua-istanbul:0",
		"?",
		"quit",
		"/talks about",
	}, "\n")
	// Error replies go to the error writer; the golden file shows them in
	// place, each line marked "stderr| ".
	var out bytes.Buffer
	err = newShell(t, cmds, cmds.Definitions(), i18n.English, loc, now).Run(t.Context(), strings.NewReader(script), &out, &prefixWriter{&out, "stderr| "})
	if !errors.Is(err, shell.ErrFailed) {
		t.Errorf("Run = %v; want ErrFailed after failed commands", err)
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
		if got := strings.TrimSpace(shell.Render(r, words(t, i18n.English), time.UTC, now)); got != tc.want {
			t.Errorf("Render(%v) = %q; want %q", tc.at, got, tc.want)
		}
	}
}

// newShell is a shell speaking lang.
func newShell(t *testing.T, h shell.Handler, defs []*discordgo.ApplicationCommand, lang i18n.Lang, loc *time.Location, now func() time.Time) *shell.Shell {
	t.Helper()
	sh, err := shell.New(h, defs, lang, loc, now)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

// words is the catalog's lang.
func words(t *testing.T, lang i18n.Lang) *i18n.Localizer {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Localizer(lang)
}

// prefixWriter marks every line written to it.
type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	var buf bytes.Buffer
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line != "" && line != "\n" {
			buf.WriteString(p.prefix)
		}
		buf.WriteString(line)
	}
	_, err := p.w.Write(buf.Bytes())
	return len(b), err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// terminal is a scripted terminal: keys to read, a screen to write to.
type terminal struct {
	io.Reader
	screen bytes.Buffer
}

func (t *terminal) Write(b []byte) (int, error) { return t.screen.Write(b) }

// On a terminal, arrow keys edit the line and recall the history.
func TestTerminalEditsLinesAndRecallsHistory(t *testing.T) {
	s := sqlitetest.Bundled(t, time.Now)
	now := func() time.Time { return time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC) }
	cmds := commands.New(s, now, nil)
	const (
		up, left  = "\x1b[A", "\x1b[D"
		backspace = "\x7f"
	)
	keys := "/talks round number:1\r" +
		up + backspace + "2\r" + // the last line again, its 1 made a 2
		"/talks rouds" + left + left + "n" + left + "\r" // a typo mended mid-line
	term := &terminal{Reader: strings.NewReader(keys)}
	if err := newShell(t, cmds, cmds.Definitions(), i18n.English, time.UTC, now).RunTerminal(t.Context(), term, 0); err != nil {
		t.Fatal(err)
	}
	screen := term.screen.String()
	for _, want := range []string{"Round 1 · Russia", "Round 2 · Russia", "Rounds · Russia"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen has no %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "\x1b[A2") || strings.Contains(screen, "unknown command") || strings.Contains(screen, "has no subcommand") {
		t.Errorf("keys were taken as text:\n%s", screen)
	}
}

func TestPlainTextHasNoDiscordMarkdown(t *testing.T) {
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	unix := itoa(at.Unix())
	cases := []struct{ name, in, want string }{
		{"bold and underline", "**Round 2** and __venue__", "Round 2 and venue"},
		{"italic", "*proposed* only", "proposed only"},
		{"a cron schedule keeps its asterisks", "`0 9 * * 1`", "0 9 * * 1"},
		{"inline code", "e.g. `/talks round number:1`.", "e.g. /talks round number:1."},
		{"a code block", "```yaml\nrounds: []\n```", "rounds: []\n"},
		{"a timestamp in full", "<t:" + unix + ":F>", "Monday 2 June 2025 13:00 EEST"},
		{"a timestamp without a style", "<t:" + unix + ">", "2 June 2025 13:00 EEST"},
		{"a channel", "posts in <#123456789012345678>", "posts in channel 123456789012345678"},
		{"a role", "pings <@&223456789012345678>", "pings role 223456789012345678"},
		{"a user", "<@323456789012345678> and <@!423456789012345678>", "user 323456789012345678 and user 423456789012345678"},
		{"strikethrough and spoilers", "~~old~~ ||secret||", "old secret"},
		{"a heading and subtext", "## Round 2\n-# from Reuters", "Round 2\nfrom Reuters"},
		{"a block quote", "> We are ready.", "  We are ready."},
		{"escaped characters", `1\*2 \_x\_`, "1*2 _x_"},
		{"a link", "[Reuters](https://example.com/a)", "Reuters <https://example.com/a>"},
	}
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.TrimSuffix(shell.Render(commands.Reply{Content: tc.in}, words(t, i18n.English), kyiv, at), "\n")
			if got != tc.want {
				t.Errorf("Render(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}
