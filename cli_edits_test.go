package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"talkbot/store"
)

// smallDataset is one track with one round, hand-written: no version.
const smallDataset = `tracks:
  - id: tr
    title: Talks
    timezone: UTC
    parties:
      - id: north
        name: North
        role: party
    sources:
      - id: wire
        publisher: Wire
    rounds:
      - number: 1
        status: scheduled
        starts: 2030-06-02
        venue: Istanbul
        sources:
          - wire
`

var olena = store.Editor{ID: "123456789012345678", Name: "Olena"}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// setVenue saves round 1's venue as Olena would from Discord.
func setVenue(t *testing.T, env map[string]string, venue string) store.Change {
	t.Helper()
	s := openStoreAt(t, env["DATABASE_URL"])
	defer s.Close()
	r, err := s.Round(t.Context(), "tr", 1)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Version(t.Context(), store.RoundEntity("tr", 1))
	if err != nil {
		t.Fatal(err)
	}
	r.Venue = venue
	ch, err := s.ApplyEdit(t.Context(), store.Edit{Editor: olena, Base: base, Source: "wire", Round: &r})
	if err != nil {
		t.Fatalf("editing the venue: %v", err)
	}
	return ch
}

func mustRun(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	r := talkbot(t, env, "", args...)
	if r.code != 0 {
		t.Fatalf("talkbot %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// An old export imported after an editor's change would undo it: the
// import lists the conflict and changes nothing, unless forced; a
// hand-written file is checked against the last import.
func TestImportRefusesToOverwriteNewerEdits(t *testing.T) {
	for name, vars := range engines(t) {
		t.Run(name, func(t *testing.T) {
			env := vars(t)
			mustRun(t, env, "import", writeTemp(t, "talks.yaml", smallDataset))
			old := mustRun(t, env, "export").stdout
			if !regexp.MustCompile(`^version: [1-9][0-9]*\ntracks:\n`).MatchString(old) {
				t.Fatalf("the export does not start with its version:\n%s", old)
			}
			oldFile := writeTemp(t, "old.yaml", old)
			setVenue(t, env, "Ankara")
			edited := mustRun(t, env, "export").stdout

			r := talkbot(t, env, "", "import", oldFile)
			line := regexp.MustCompile(`(?m)^round/tr/1 venue: file "Istanbul", now "Ankara" \(changed by Olena \(123456789012345678\) \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$`)
			if r.code != 1 || !line.MatchString(r.stderr) || !strings.Contains(r.stderr, "nothing was applied") || !strings.Contains(r.stderr, "--force") {
				t.Fatalf("import of an old export: exit %d, stderr:\n%s\nwant 1, the conflict and how to force it", r.code, r.stderr)
			}
			if got := mustRun(t, env, "export").stdout; got != edited {
				t.Fatalf("a refused import changed the store:\n%s", got)
			}

			r = mustRun(t, env, "import", oldFile, "--force")
			if !strings.Contains(r.stdout, "overrode 1 field") {
				t.Errorf("import --force said %q; want how many fields it overrode", r.stdout)
			}
			if got := mustRun(t, env, "export").stdout; !strings.Contains(got, "venue: Istanbul") {
				t.Errorf("import --force did not apply the file:\n%s", got)
			}
			if h := mustRun(t, env, "history", "--track", "tr").stdout; !strings.Contains(h, "(forced over newer edits)") {
				t.Errorf("the history does not show the forced import:\n%s", h)
			}

			// A hand-written file: the venue was edited after the last import.
			setVenue(t, env, "Geneva")
			r = talkbot(t, env, "", "import", writeTemp(t, "hand.yaml", smallDataset))
			if r.code != 1 || !strings.Contains(r.stderr, `round/tr/1 venue: file "Istanbul", now "Geneva" (changed by Olena`) {
				t.Errorf("import of a hand-written file over an edit: exit %d, stderr:\n%s", r.code, r.stderr)
			}
		})
	}
}

// After edits from Discord, export | import of the same file changes
// nothing and exports the same bytes again.
func TestExportAfterEditsImportsBackUnchanged(t *testing.T) {
	for name, vars := range engines(t) {
		t.Run(name, func(t *testing.T) {
			env := vars(t)
			mustRun(t, env, "import", writeTemp(t, "talks.yaml", smallDataset))
			setVenue(t, env, "Ankara")
			first := mustRun(t, env, "export").stdout
			if !strings.Contains(first, "venue: Ankara") {
				t.Fatalf("the export lacks the edit:\n%s", first)
			}
			r := mustRun(t, env, "import", writeTemp(t, "export.yaml", first))
			if !strings.Contains(r.stdout, "nothing changed") {
				t.Errorf("importing the export back said %q; want nothing changed", r.stdout)
			}
			if again := mustRun(t, env, "export").stdout; again != first {
				t.Errorf("export | import | export is not byte-identical:\n%s\n---\n%s", first, again)
			}
		})
	}
}

func TestHistory(t *testing.T) {
	env := sqliteEnv(t)
	mustRun(t, env, "import", writeTemp(t, "talks.yaml", smallDataset))
	first := setVenue(t, env, "Ankara")
	long := strings.Repeat("Çırağan Palace ", 10)
	second := setVenue(t, env, long+"\nsecond line")

	out := mustRun(t, env, "history").stdout
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// Oldest first: the import, then the two edits, last.
	if len(lines) < 3 || !strings.Contains(lines[0], " import talks.yaml add ") {
		t.Fatalf("history does not start with the import and end with two edits:\n%s", out)
	}
	edits := lines[len(lines)-2:]
	want1 := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC #` + itoa(first.ID) + ` Olena \(123456789012345678\) edit round/tr/1: venue "Istanbul" -> "Ankara"; source wire$`)
	if !want1.MatchString(edits[0]) {
		t.Errorf("the first edit reads\n%s\nwant it to match %s", edits[0], want1)
	}
	// Long values are cut, and a line break stays on its line.
	if !strings.Contains(edits[1], `#`+itoa(second.ID)+` `) || !strings.Contains(edits[1], `"Ankara" -> "Çırağan Palace Çırağan`) || !strings.Contains(edits[1], `…"`) || strings.Contains(edits[1], "second line") {
		t.Errorf("the second edit reads\n%s\nwant its new venue cut to one line", edits[1])
	}

	var got []changeJSON
	for _, l := range strings.Split(strings.TrimSpace(mustRun(t, env, "history", "--json", "--track", "tr").stdout), "\n") {
		var c changeJSON
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("history --json line %q: %v", l, err)
		}
		got = append(got, c)
	}
	c := got[len(got)-1]
	if c.ID != second.ID || c.Entity != "round/tr/1" || c.Op != store.OpEdit || c.Editor != (editorJSON{olena.ID, olena.Name}) ||
		c.Before["venue"] != "Ankara" || c.After["venue"] != long+"\nsecond line" || c.Source != "wire" || c.At.IsZero() {
		t.Errorf("history --json ends with %+v; want the second edit in full", c)
	}

	if out := mustRun(t, env, "history", "--since", time.Now().UTC().Add(48*time.Hour).Format("2006-01-02")).stdout; out != "" {
		t.Errorf("history --since the day after tomorrow printed %q", out)
	}
	if out := mustRun(t, env, "history", "--since", "2000-01-01T00:00:00Z", "--track", "tr").stdout; strings.Count(out, "\n") != len(lines) {
		t.Errorf("history --since 2000 has %d lines; want all %d", strings.Count(out, "\n"), len(lines))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestHistoryUsageErrors(t *testing.T) {
	env := sqliteEnv(t)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a date in words", []string{"history", "--since", "yesterday"}, 2, `--since: "yesterday" is not a date: use e.g. 2026-12-01`},
		{"an impossible day", []string{"history", "--since", "2026-02-30"}, 2, `"2026-02-30" is not a date`},
		{"an unknown flag", []string{"history", "--round", "3"}, 2, "usage: talkbot history [--track ID] [--since DATE] [--json]"},
		{"an argument", []string{"history", "tr"}, 2, `unexpected argument "tr"`},
		{"an unknown track", []string{"history", "--track", "nosuch"}, 1, `there is no track "nosuch"`},
		{"--force with the bundled data", []string{"import", "-bundled", "--force"}, 2, "usage: talkbot import [--force] FILE|-"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := talkbot(t, env, "", tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tc.code, tc.want)
			}
		})
	}
}

func TestDescribeConflict(t *testing.T) {
	at := time.Date(2026, 12, 6, 18, 0, 30, 0, time.FixedZone("EET", 2*3600))
	cases := []struct {
		name string
		c    store.Conflict
		want string
	}{
		{"an editor's change", store.Conflict{Entity: store.RoundEntity("istanbul", 3), Field: "venue", File: "Ankara", Current: "Istanbul", ChangedBy: store.Editor{ID: "123", Name: "Olena"}, ChangedAt: at},
			`round/istanbul/3 venue: file "Ankara", now "Istanbul" (changed by Olena (123) 2026-12-06 16:00 UTC)`},
		{"an import's change, lines and a long value", store.Conflict{Entity: store.Entity{Kind: store.EntityParty, Track: "t", Key: "north"}, Field: "name", File: "a\nb", Current: strings.Repeat("x", 100), ChangedBy: store.Editor{Name: "import t.yaml"}, ChangedAt: at},
			`party/t/north name: file "a\nb", now "` + strings.Repeat("x", conflictValueMax-1) + `…" (changed by import t.yaml 2026-12-06 16:00 UTC)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := describeConflict(tc.c); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
