package dataset

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"talkbot/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// roundTrip checks that Write's output parses back to tracks and that
// writing that again gives the same bytes; it returns the output.
func roundTrip(t *testing.T, tracks []store.Track) []byte {
	t.Helper()
	return roundTripFile(t, File{Tracks: tracks})
}

// roundTripFile is roundTrip for a whole file, its version included.
func roundTripFile(t *testing.T, f File) []byte {
	t.Helper()
	var first bytes.Buffer
	if err := WriteFile(&first, f); err != nil {
		t.Fatalf("Write: %v", err)
	}
	again, err := ParseFile("written.yaml", first.Bytes())
	if err != nil {
		t.Fatalf("Parse(Write(x)): %v\n%s", err, first.Bytes())
	}
	if !reflect.DeepEqual(again, f) {
		t.Fatalf("Parse(Write(x)) differs from x\n got %+v\nwant %+v\n%s", again, f, first.Bytes())
	}
	var second bytes.Buffer
	if err := WriteFile(&second, again); err != nil {
		t.Fatalf("Write again: %v", err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatalf("Write is not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
	}
	return first.Bytes()
}

func parseFile(t *testing.T, path string) File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFile(path, data)
	if err != nil {
		t.Fatalf("Parse(%s):\n%v", path, err)
	}
	return f
}

func TestWriteRoundTripsTheFullFixture(t *testing.T) {
	f := parseFile(t, filepath.Join("testdata", "full.yaml"))
	if f.Version == 0 || f.Tracks[len(f.Tracks)-1].Guild == "" {
		t.Fatalf("the full fixture lost its version (%d) or its server's track", f.Version)
	}
	out := roundTripFile(t, f)
	golden := filepath.Join("testdata", "full.golden.yaml")
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("Write output differs from %s (run go test -update and review the diff):\n%s", golden, out)
	}
}

func TestWriteOfNoTracksParsesBack(t *testing.T) {
	if out := roundTrip(t, []store.Track{}); string(out) != "tracks: []\n" {
		t.Fatalf("Write(no tracks) = %q", out)
	}
}

// TestWriteQuotesOnlyWhatNeedsIt checks each kind of text survives the trip
// and is written the way a curator would write it by hand.
func TestWriteQuotesOnlyWhatNeedsIt(t *testing.T) {
	tests := []struct {
		name  string
		venue string
		want  string // the venue line as written
	}{
		{"plain words stay plain", "Dolmabahçe Palace, Istanbul", "venue: Dolmabahçe Palace, Istanbul"},
		{"a colon inside a word stays plain", "https://example.com/a?b=c#d", "venue: https://example.com/a?b=c#d"},
		{"a colon and a space are quoted", "Istanbul: Çırağan Palace", `venue: "Istanbul: Çırağan Palace"`},
		{"a hash after a space is quoted", "Room #3", `venue: "Room #3"`},
		{"a number is quoted so it stays text", "2025", `venue: "2025"`},
		{"a date is quoted so it stays text", "2025-06-02", `venue: "2025-06-02"`},
		{"a boolean word is quoted", "yes", `venue: "yes"`},
		{"null is quoted", "null", `venue: "null"`},
		{"a tilde is quoted", "~", `venue: "~"`},
		{"a leading dash is quoted", "- TBD", `venue: "- TBD"`},
		{"a leading quote is quoted", `"Villa" Madama`, `venue: "\"Villa\" Madama"`},
		{"leading spaces are quoted", "  indented", `venue: "  indented"`},
		{"a tab is escaped", "a\tb", `venue: "a\tb"`},
		{"a control character is escaped", "a\x01b", `venue: "a\x01b"`},
		{"a no-break space is escaped", "a\u00a0b", `venue: "a\u00a0b"`},
		{"two lines become a literal block", "line one\nline two", "venue: |-\n          line one\n          line two"},
		{"a final newline is kept by the literal block", "line one\nline two\n", "venue: |\n          line one\n          line two"},
		{"blank lines inside stay", "one\n\ntwo", "venue: |-\n          one\n\n          two"},
		{"two final newlines are quoted", "one\ntwo\n\n", `venue: "one\ntwo\n\n"`},
		{"trailing spaces on a line are quoted", "one \ntwo", `venue: "one \ntwo"`},
		{"a first line that starts with a space is quoted", " one\ntwo", `venue: " one\ntwo"`},
		{"a carriage return is quoted", "one\r\ntwo", `venue: "one\r\ntwo"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tracks := []store.Track{{
				ID: "t", Title: "T", Timezone: "UTC",
				Sources: []store.Source{{ID: "s1", Publisher: "P"}},
				Rounds: []store.Round{{
					Track: "t", Number: 1, Status: store.StatusHeld,
					Starts: store.When{Date: date(2025, 6, 2), Zone: "UTC"},
					Venue:  tc.venue, Sources: []string{"s1"},
				}},
			}}
			out := string(roundTrip(t, tracks))
			if !strings.Contains(out, "        "+tc.want+"\n") {
				t.Fatalf("venue not written as %q:\n%s", tc.want, out)
			}
		})
	}
}

func TestBundledDatasetParsesAndRoundTrips(t *testing.T) {
	f := parseFile(t, filepath.Join("..", "data", "talks.yaml"))
	if f.Version != 0 {
		t.Errorf("the bundled data says version %d: it is no export of a store's history", f.Version)
	}
	roundTripFile(t, f)
}

// An export records its version first, and a server's track its guild, as
// text: both read back as written, so export | import stays byte-identical.
func TestWriteVersionAndGuild(t *testing.T) {
	tracks := []store.Track{{ID: "t", Title: "T", Timezone: "UTC", Guild: "1098765432109876543", Public: true}, {ID: "u", Title: "U", Timezone: "UTC"}}
	tests := []struct {
		name    string
		version int64
		want    string
	}{
		{"no version, as in a hand-written file", 0, "tracks:\n  - id: t\n    title: T\n    timezone: UTC\n    guild: \"1098765432109876543\"\n    public: true\n  - id: u\n"},
		{"a version comes first", 42, "version: 42\ntracks:\n  - id: t\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := string(roundTripFile(t, File{Version: tc.version, Tracks: tracks}))
			if !strings.HasPrefix(out, tc.want) {
				t.Errorf("written as\n%s\nwant it to start\n%s", out, tc.want)
			}
		})
	}
	if out := string(roundTripFile(t, File{Version: 7, Tracks: []store.Track{}})); out != "version: 7\ntracks: []\n" {
		t.Errorf("an empty export at version 7 is written %q", out)
	}
}
