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
	var first bytes.Buffer
	if err := Write(&first, tracks); err != nil {
		t.Fatalf("Write: %v", err)
	}
	again, err := Parse("written.yaml", first.Bytes())
	if err != nil {
		t.Fatalf("Parse(Write(x)): %v\n%s", err, first.Bytes())
	}
	if !reflect.DeepEqual(again, tracks) {
		t.Fatalf("Parse(Write(x)) differs from x\n got %+v\nwant %+v\n%s", again, tracks, first.Bytes())
	}
	var second bytes.Buffer
	if err := Write(&second, again); err != nil {
		t.Fatalf("Write again: %v", err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatalf("Write is not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
	}
	return first.Bytes()
}

func parseFile(t *testing.T, path string) []store.Track {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tracks, err := Parse(path, data)
	if err != nil {
		t.Fatalf("Parse(%s):\n%v", path, err)
	}
	return tracks
}

func TestWriteRoundTripsTheFullFixture(t *testing.T) {
	out := roundTrip(t, parseFile(t, filepath.Join("testdata", "full.yaml")))
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
	roundTrip(t, parseFile(t, filepath.Join("..", "data", "talks.yaml")))
}
