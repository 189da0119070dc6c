package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"talkbot/data"
	"talkbot/dataset"
	"talkbot/store/gen"
	"talkbot/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// result is what one talkbot invocation did.
type result struct {
	code           int
	stdout, stderr string
}

// talkbot runs the whole program in-process, as the command line would.
func talkbot(t *testing.T, vars map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return vars[k] }
	err := run(t.Context(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	code := exitCode(err, &errOut)
	return result{code, out.String(), errOut.String()}
}

// engines are the stores the CLI tests run against.
func engines(t *testing.T) map[string]func(t *testing.T) map[string]string {
	return map[string]func(t *testing.T) map[string]string{
		"sqlite": func(t *testing.T) map[string]string {
			return map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "talkbot.db")}
		},
		"postgres": func(t *testing.T) map[string]string {
			return map[string]string{"DATABASE_URL": pgtest.URL(t)}
		},
	}
}

func TestCheckAcceptsTheBundledData(t *testing.T) {
	r := talkbot(t, nil, "", "check", "data/talks.yaml")
	// Round 2 was only proposed, for 2 June 2025, and no later report is
	// bundled: a warning, which must not fail the check.
	wantStderr := "data/talks.yaml:68:17: warning: round 2 is still \"proposed\" but its start, 2025-06-02, is more than 7 days past: set the status a later report gives (held, postponed or cancelled)\n"
	if r.code != 0 || r.stderr != wantStderr {
		t.Fatalf("check data/talks.yaml: exit %d, stderr:\n%s\nwant:\n%s", r.code, r.stderr, wantStderr)
	}
	if !strings.Contains(r.stdout, "data/talks.yaml: ok, 1 track, 2 rounds") {
		t.Errorf("stdout = %q", r.stdout)
	}
}

// broken copies of the bundled data, each with the error line expected.
var broken = []struct {
	name, from, to string
	want           string // regexp for the stderr line, after "FILE:"
}{
	{"a misspelt key", "    status: held", "    stauts: held", `^\d+:\d+: unknown key "stauts"`},
	{"an unknown party", "proposed_by: russia", "proposed_by: rusia", `^\d+:\d+: unknown party "rusia"`},
	{"a bad date", "starts: 2025-05-16", "starts: 2025-05-32", `^\d+:\d+: .*2025-05-32`},
	{"an unknown status", "status: proposed", "status: rumoured", `^\d+:\d+: .*"rumoured"`},
	{"an unknown timezone", "timezone: Europe/Istanbul", "timezone: Europe/Kyiw", `^\d+:\d+: unknown timezone "Europe/Kyiw"`},
	{"a duplicate round number", "  - number: 2\n", "  - number: 1\n", `^\d+:\d+: .*round.*1`},
	{"an unknown source", "sources: [reuters-2025-05-28]\n    positions", "sources: [reuters-2025-05-29]\n    positions", `^\d+:\d+: unknown source "reuters-2025-05-29"`},
	{"a feed over ftp", "    parties:\n", "    feeds: [{url: \"ftp://example.org/feed.xml\"}]\n    parties:\n", `^\d+:\d+: bad feed url "ftp://example.org/feed.xml": .*http and https`},
	{"a relative feed url", "    parties:\n", "    feeds:\n      - url: feed.xml\n    parties:\n", `^14:14: bad feed url "feed.xml": not a full address`},
	{"an empty keyword", "    parties:\n", "    feeds:\n      - url: https://example.org/feed.xml\n        keywords: [talks, \"\"]\n    parties:\n", `^15:27: empty entry in "keywords"`},
}

func brokenCopy(t *testing.T, from, to string) string {
	t.Helper()
	raw, err := os.ReadFile("data/talks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(from)) {
		t.Fatalf("data/talks.yaml has no %q to break", from)
	}
	path := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(path, bytes.Replace(raw, []byte(from), []byte(to), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckRejectsBrokenCopies(t *testing.T) {
	for _, tc := range broken {
		t.Run(tc.name, func(t *testing.T) {
			path := brokenCopy(t, tc.from, tc.to)
			r := talkbot(t, nil, "", "check", path)
			if r.code != 1 {
				t.Fatalf("exit %d; want 1 (stderr %q)", r.code, r.stderr)
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			re := regexp.MustCompile(tc.want)
			found := false
			for _, l := range lines {
				if !strings.HasPrefix(l, path+":") {
					t.Errorf("stderr line %q does not start with %q", l, path+":")
					continue
				}
				found = found || re.MatchString(strings.TrimPrefix(l, path+":"))
			}
			if !found {
				t.Errorf("stderr %q has no line matching FILE:%s", r.stderr, tc.want)
			}
		})
	}
}

func TestImportOfABrokenFileChangesNothing(t *testing.T) {
	for name, vars := range engines(t) {
		t.Run(name, func(t *testing.T) {
			env := vars(t)
			if r := talkbot(t, env, "", "import", "data/talks.yaml"); r.code != 0 {
				t.Fatalf("import: exit %d: %s", r.code, r.stderr)
			}
			before := talkbot(t, env, "", "export")
			// One good change and one bad one: neither may land.
			path := brokenCopy(t, "venue: Istanbul\n        venue_names: {uk: Стамбул, ru: Стамбул, tr: İstanbul}\n        proposed_by: russia",
				"venue: Ankara\n        venue_names: {uk: Стамбул, ru: Стамбул, tr: İstanbul}\n        proposed_by: rusia")
			r := talkbot(t, env, "", "import", path)
			if r.code != 1 || !strings.Contains(r.stderr, path+":") || !strings.Contains(r.stderr, `unknown party "rusia"`) {
				t.Fatalf("import of a broken file: exit %d, stderr %q; want 1 and a FILE:LINE:COL error", r.code, r.stderr)
			}
			after := talkbot(t, env, "", "export")
			if after.stdout != before.stdout {
				t.Error("a broken import changed the store")
			}
		})
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	large := filepath.Join(t.TempDir(), "large.yaml")
	var buf bytes.Buffer
	c := gen.Config{Tracks: 10, RoundsPerTrack: 100, Statements: 20_000, Positions: 4_000, Seed: 7, Base: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}
	if err := dataset.Write(&buf, gen.Tracks(c)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(large, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, vars := range engines(t) {
		// The full fixture has what the bundled data lacks: feeds, a
		// server's track, a version.
		for _, file := range []string{"data/talks.yaml", "dataset/testdata/full.yaml", large} {
			t.Run(name+"/"+filepath.Base(file), func(t *testing.T) {
				first := vars(t)
				if r := talkbot(t, first, "", "import", file); r.code != 0 {
					t.Fatalf("import %s: exit %d: %s", file, r.code, r.stderr)
				}
				exported := talkbot(t, first, "", "export")
				if exported.code != 0 {
					t.Fatalf("export: %s", exported.stderr)
				}
				second := vars(t) // an empty store
				if r := talkbot(t, second, exported.stdout, "import", "-"); r.code != 0 {
					t.Fatalf("import -: exit %d: %s", r.code, r.stderr)
				}
				again := talkbot(t, second, "", "export")
				if again.stdout != exported.stdout {
					t.Errorf("export | import - | export is not byte-identical (%d vs %d bytes)", len(again.stdout), len(exported.stdout))
				}
				if file == large && len(exported.stdout) < 1_000_000 {
					t.Errorf("the large export is only %d bytes", len(exported.stdout))
				}
			})
		}
	}
}

func TestRunWithoutATokenPointsToTheShell(t *testing.T) {
	r := talkbot(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "talkbot.db")}, "", "run")
	if r.code != 1 || !strings.Contains(r.stderr, "DISCORD_TOKEN") || !strings.Contains(r.stderr, "talkbot shell") {
		t.Errorf("exit %d, stderr %q; want 1 naming DISCORD_TOKEN and pointing to talkbot shell", r.code, r.stderr)
	}
}

func TestShellLoadsTheBundledDataIntoAnEmptyStore(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "talkbot.db"), "TZ": "UTC"}
	r := talkbot(t, env, "/talks round number:1\n", "shell")
	if r.code != 0 || !strings.Contains(r.stdout, "Round 1 · Russia–Ukraine direct talks in Istanbul") {
		t.Fatalf("shell: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// An editor's change survives the next start: the bundled data is
	// loaded into an empty store only, never over what is there.
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	tracks[0].Rounds[0].Venue = "Edited venue"
	var want bytes.Buffer
	if err := dataset.Write(&want, tracks); err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(t.TempDir(), "edited.yaml")
	if err := os.WriteFile(edited, want.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := talkbot(t, env, "", "import", edited); r.code != 0 {
		t.Fatalf("import: exit %d, stderr %q", r.code, r.stderr)
	}
	talkbot(t, env, "", "shell")
	exported := talkbot(t, env, "", "export")
	// The export records the history version it was made at; the data
	// follows it.
	if data := regexp.MustCompile(`^version: \d+\n`).ReplaceAllString(exported.stdout, ""); data != want.String() {
		t.Error("after a second start the store does not hold exactly the edited data")
	}
}

func TestBadConfigurationNamesTheVariable(t *testing.T) {
	r := talkbot(t, map[string]string{"LOG_LEVEL": "loud", "DATABASE_URL": "mysql://x"}, "", "run")
	if r.code != 1 || !strings.Contains(r.stderr, "LOG_LEVEL") || !strings.Contains(r.stderr, "DATABASE_URL") {
		t.Errorf("exit %d, stderr %q; want 1 naming LOG_LEVEL and DATABASE_URL", r.code, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"check without a file", []string{"check"}, "usage: talkbot check FILE"},
		{"a missing file", []string{"check", "no/such.yaml"}, "no/such.yaml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := talkbot(t, nil, "", tc.args...)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want non-zero and %q", r.code, r.stderr, tc.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	r := talkbot(t, nil, "", "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "talkbot ") || !strings.Contains(r.stdout, "go: go1.") {
		t.Errorf("version: exit %d, %q", r.code, r.stdout)
	}
}

// The container image has no zone database: the static binary must carry
// its own (time/tzdata). Build it as the Dockerfile does and check the
// bundled data with ZONEINFO pointing at an empty directory. Where the test
// may hide the system's zone files too (root, with unshare), it does, and
// shows that a binary built without time/tzdata then fails.
func TestStaticBinaryNeedsNoZoneinfo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	build := func(name string, tags ...string) string {
		bin := filepath.Join(dir, name)
		args := append([]string{"build", "-trimpath", "-o", bin}, tags...)
		cmd := exec.CommandContext(t.Context(), "go", append(args, ".")...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("CGO_ENABLED=0 go build %v: %v\n%s", tags, err, out)
		}
		return bin
	}
	bin := build("talkbot")
	if out, err := exec.Command("file", bin).Output(); err == nil && !strings.Contains(string(out), "statically linked") {
		t.Errorf("the binary is not static: %s", out)
	}
	empty := t.TempDir()
	check := func(bin string, hideSystem bool) (string, error) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "check", "data/talks.yaml")
		if hideSystem {
			script := `mount --bind "$1" /usr/share/zoneinfo && exec "$2" check data/talks.yaml`
			cmd = exec.CommandContext(ctx, "unshare", "-m", "sh", "-c", script, "sh", empty, bin)
		}
		cmd.Env = []string{"ZONEINFO=" + empty, "PATH=/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := check(bin, false); err != nil || !strings.Contains(out, "ok") {
		t.Fatalf("check with an empty ZONEINFO: %v\n%s", err, out)
	}
	if os.Geteuid() != 0 || exec.Command("unshare", "-m", "true").Run() != nil {
		t.Log("cannot hide /usr/share/zoneinfo here (needs root and unshare); checked with ZONEINFO only")
		return
	}
	if out, err := check(bin, true); err != nil || !strings.Contains(out, "ok") {
		t.Fatalf("check with no zone files on the machine: %v\n%s", err, out)
	}
	without := build("talkbot-notzdata", "-tags", "talkbot_notzdata")
	if out, err := check(without, true); err == nil || !strings.Contains(out, "unknown timezone") {
		t.Errorf("a binary without time/tzdata passed with no zone files (%v): the test proves nothing\n%s", err, out)
	}
}
