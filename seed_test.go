package main

import (
	"strings"
	"testing"

	"talkbot/bot/discordtest"
	"talkbot/data"
	"talkbot/store"
)

// olderBundled is the bundled data as an earlier build shipped it: round 1
// somewhere else.
func olderBundled(t *testing.T) []store.Track {
	t.Helper()
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	tracks[0].Rounds[0].Venue = "An older venue"
	return tracks
}

// seedAt fills the store at env's DATABASE_URL as an earlier build would
// have, and then imports other data when imported is set.
func seedAt(t *testing.T, env map[string]string, imported []store.Track) {
	t.Helper()
	s := openStoreAt(t, env["DATABASE_URL"])
	defer s.Close()
	if _, err := s.SeedBundled(t.Context(), olderBundled(t), "an-earlier-build", false); err != nil {
		t.Fatal(err)
	}
	if imported != nil {
		if _, err := s.Import(t.Context(), imported); err != nil {
			t.Fatal(err)
		}
	}
}

// export returns the store's data as talkbot export writes it.
func export(t *testing.T, env map[string]string) string {
	t.Helper()
	r := talkbot(t, env, "", "export")
	if r.code != 0 {
		t.Fatalf("export: exit %d, stderr %q", r.code, r.stderr)
	}
	return r.stdout
}

// Export and the shell see the same data on a fresh store: both load the
// bundled data into it, the same way.
func TestExportOfAFreshStoreIsTheBundledData(t *testing.T) {
	fresh := sqliteEnv(t)
	exported := export(t, fresh)
	if strings.Contains(exported, "tracks: []") || !strings.Contains(exported, "ru-ua-istanbul") {
		t.Fatalf("export of a fresh store:\n%s", exported)
	}
	viaShell := sqliteEnv(t)
	if r := talkbot(t, viaShell, "/talks rounds\n", "shell"); r.code != 0 {
		t.Fatalf("shell: exit %d, stderr %q", r.code, r.stderr)
	}
	if got := export(t, viaShell); got != exported {
		t.Error("export after the shell differs from export of a fresh store")
	}
}

// A store that holds only bundled data follows the bundled data of the
// build that opens it, and says so once.
func TestBundledDataUpdatesABundledOnlyStore(t *testing.T) {
	env := sqliteEnv(t)
	seedAt(t, env, nil)
	r := talkbot(t, env, "/talks round number:1\n", "shell")
	if r.code != 0 || !strings.Contains(r.stderr, "updated the bundled data in SQLite at") {
		t.Fatalf("shell: exit %d, stderr %q; want a note that the bundled data was updated", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "An older venue") || !strings.Contains(r.stdout, "Venue:\n  Istanbul") {
		t.Errorf("the shell shows the older bundled data:\n%s", r.stdout)
	}
	again := talkbot(t, env, "/talks rounds\n", "shell")
	if again.stderr != "" {
		t.Errorf("a second start said %q; want nothing", again.stderr)
	}
}

// A store with imported data is left alone, and the shell says that the
// bundled data changed and how to load it.
func TestImportedDataIsKeptAndTheShellSaysSo(t *testing.T) {
	env := sqliteEnv(t)
	edited := olderBundled(t)
	edited[0].Rounds[0].Venue = "An editor's venue"
	seedAt(t, env, edited)
	r := talkbot(t, env, "/talks round number:1\n", "shell")
	if r.code != 0 || !strings.Contains(r.stdout, "An editor's venue") {
		t.Fatalf("shell: exit %d, stdout %q; want the editor's data", r.code, r.stdout)
	}
	for _, want := range []string{"holds imported data", "bundled data changed", "talkbot import -bundled"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr %q does not say %q", r.stderr, want)
		}
	}
	if r := talkbot(t, env, "", "import", "-bundled"); r.code != 0 || !strings.Contains(r.stdout, "imported the bundled data") {
		t.Fatalf("import -bundled: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	after := talkbot(t, env, "/talks round number:1\n", "shell")
	if after.stderr != "" || strings.Contains(after.stdout, "An editor's venue") {
		t.Errorf("after import -bundled: stderr %q, stdout %q; want the bundled data and no note", after.stderr, after.stdout)
	}
}

// Importing data/talks.yaml itself is importing the bundled data: the
// store goes on following it, with no note about imported data.
func TestImportingTheBundledFileKeepsTheStoreBundled(t *testing.T) {
	env := sqliteEnv(t)
	edited := olderBundled(t)
	edited[0].Rounds[0].Venue = "An editor's venue"
	seedAt(t, env, edited)
	if r := talkbot(t, env, "", "import", "data/talks.yaml"); r.code != 0 {
		t.Fatalf("import: exit %d, stderr %q", r.code, r.stderr)
	}
	r := talkbot(t, env, "/talks round number:1\n", "shell")
	if r.stderr != "" || strings.Contains(r.stdout, "An editor's venue") {
		t.Errorf("shell after importing the bundled file: stderr %q, stdout %q; want the bundled data and no note", r.stderr, r.stdout)
	}
}

// talkbot run applies the same rule at start, in its log.
func TestRunUpdatesTheBundledData(t *testing.T) {
	env := sqliteEnv(t)
	seedAt(t, env, nil)
	bot := startBot(t, discordtest.New(t), env)
	if logs := bot.logs.String(); !strings.Contains(logs, "updated the bundled data in SQLite at") {
		t.Errorf("the log says nothing of the update:\n%s", logs)
	}
	if err := bot.stop(); err != nil {
		t.Fatal(err)
	}
	if got := export(t, env); strings.Contains(got, "An older venue") {
		t.Error("the store still holds the older bundled data after talkbot run")
	}
}

func TestImportUsage(t *testing.T) {
	for _, args := range [][]string{{"import"}, {"import", "-bundled", "data/talks.yaml"}, {"import", "a.yaml", "b.yaml"}} {
		r := talkbot(t, nil, "", args...)
		if r.code != 2 || !strings.Contains(r.stderr, "talkbot import -bundled") {
			t.Errorf("talkbot %v: exit %d, stderr %q; want 2 and the usage", args, r.code, r.stderr)
		}
	}
}
