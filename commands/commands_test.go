package commands_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/data"
	"talkbot/store"
	"talkbot/store/sqlite"
	"talkbot/store/sqlite/sqlitetest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// bundled opens a store holding the bundled data.
func bundled(t testing.TB) store.Store {
	t.Helper()
	return sqlitetest.Bundled(t, func() time.Time { return time.Date(2025, 5, 29, 8, 0, 0, 0, time.UTC) })
}

// at is a clock stopped at one instant.
func at(s string) func() time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return func() time.Time { return t }
}

// cmd builds a command request as Discord would deliver it.
func cmd(path string, opts ...string) commands.Request {
	r := commands.Request{Kind: commands.KindCommand, Path: path, Options: map[string]string{}, Context: 0, GuildID: "1"}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, ":")
		r.Options[k] = v
	}
	return r
}

// golden compares got with testdata/name.json (rewritten with -update).
func golden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./commands -update to create it)", err)
	}
	if string(want) != string(b) {
		t.Errorf("reply differs from %s (go test ./commands -update rewrites it; review the diff):\n%s", path, b)
	}
}

// outcome is what a golden file records: the reply, or the user error.
type outcome struct {
	Reply     *commands.Reply `json:",omitempty"`
	UserError string          `json:",omitempty"`
}

func TestReplies(t *testing.T) {
	cases := replyCases(bundled(t))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, answer(t, tc.c, tc.req))
		})
	}
}

// replyCase is one read command and the clock it runs at.
type replyCase struct {
	name string
	c    *commands.Commands
	req  commands.Request
}

// replyCases are the read replies of the bundled data: each command, its
// errors, and the dates before and after a proposed round's date. The
// golden tests run them in every language.
func replyCases(s store.Store) []replyCase {
	before := commands.New(s, at("2025-05-30T12:00:00Z"), nil) // round 2 ahead
	after := commands.New(s, at("2025-06-10T12:00:00Z"), nil)  // its date passed
	published := commands.New(s, at("2025-05-30T12:00:00Z"), nil, commands.WithPublicURL("https://talks.example.org/"))
	return []replyCase{
		{"next", before, cmd("talks/next")},
		{"next_after_the_proposed_date", after, cmd("talks/next")},
		{"next_with_the_track_named_by_title", before, cmd("talks/next", "track:russia–ukraine direct talks in istanbul")},
		{"next_with_an_unknown_track", before, cmd("talks/next", "track:geneva")},
		{"rounds", before, cmd("talks/rounds")},
		{"round_1", before, cmd("talks/round", "number:1")},
		{"round_2", before, cmd("talks/round", "number:2")},
		{"round_unknown", before, cmd("talks/round", "number:7")},
		{"positions_of_ukraine", before, cmd("talks/positions", "side:ukraine")},
		{"positions_by_name_typed_by_hand", before, cmd("talks/positions", "side:RUSSIA")},
		{"positions_on_a_topic", before, cmd("talks/positions", "side:ukraine", "topic:Memorandum")},
		{"positions_of_an_unknown_side", before, cmd("talks/positions", "side:mars")},
		{"positions_on_a_topic_with_none", before, cmd("talks/positions", "side:russia", "topic:ceasefire")},
		{"positions_on_a_topic_the_side_has_none", before, cmd("talks/positions", "side:ukraine", "topic:memo")},
		{"compare_memorandum", before, cmd("talks/compare", "topic:memorandum")},
		{"compare_unknown_topic", before, cmd("talks/compare", "topic:elections")},
		{"statements", before, cmd("talks/statements")},
		{"statements_by_speaker", before, cmd("talks/statements", "speaker:sybiha")},
		{"statements_unknown_speaker", before, cmd("talks/statements", "speaker:nobody")},
		{"upcoming", before, cmd("talks/upcoming")},
		{"upcoming_after_the_proposed_date", after, cmd("talks/upcoming")},
		{"upcoming_in_one_track", before, cmd("talks/upcoming", "track:ru-ua-istanbul")},
		{"upcoming_in_one_track_after_the_proposed_date", after, cmd("talks/upcoming", "track:ru-ua-istanbul")},
		{"search_memorandum", before, cmd("talks/search", "query:memorandum")},
		{"search_nothing", before, cmd("talks/search", "query:zeppelin")},
		{"search_common_words_only", before, cmd("talks/search", "query:the")},
		{"about", before, cmd("talks/about")},
		{"about_one_track", before, cmd("talks/about", "track:ru-ua-istanbul")},
		{"rounds_after_the_proposed_date", after, cmd("talks/rounds")},
		{"round_2_after_the_proposed_date", after, cmd("talks/round", "number:2")},
		{"calendar", published, cmd("talks/calendar")},
		{"calendar_of_a_track_named", published, cmd("talks/calendar", "track:ru-ua-istanbul")},
		{"calendar_of_an_unknown_track", published, cmd("talks/calendar", "track:geneva")},
		{"calendar_not_published", before, cmd("talks/calendar")},
	}
}

// Tracks are cached between commands, and an import from another process
// (another store handle on the same database) is seen by the next command.
func TestTrackChangesAreSeen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talkbot.db")
	now := at("2025-05-29T08:00:00Z")
	open := func() store.Store {
		s, err := sqlite.Open(t.Context(), path, now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	bot, editor := open(), open()
	if _, err := editor.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	c := commands.New(bot, now, nil)
	title := func() string {
		t.Helper()
		r, err := c.Handle(t.Context(), cmd("talks/next", "track:ru-ua-istanbul"))
		if err != nil {
			t.Fatal(err)
		}
		return r.Embeds[0].Title + " " + r.Embeds[0].Description
	}
	before := title()
	if before != title() {
		t.Fatalf("the same command twice gave different replies")
	}
	tracks[0].Title = "Renamed talks"
	tracks[0].People[0].Name = "Renamed Person"
	if _, err := editor.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	after := title()
	if !strings.Contains(after, "Renamed talks") || after == before {
		t.Errorf("after the import, /talks next = %q; want the new title", after)
	}
}

// answer runs a request and records the reply or the user error; an
// internal error fails the test.
func answer(t *testing.T, c *commands.Commands, req commands.Request) outcome {
	t.Helper()
	reply, err := c.Handle(t.Context(), req)
	var got outcome
	if ue, ok := commands.AsUserError(err); ok {
		got.UserError = ue.Message
	} else if err != nil {
		t.Fatalf("internal error: %v", err)
	} else {
		got.Reply = &reply
		checkLimits(t, reply)
	}
	return got
}
