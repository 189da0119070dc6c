package dataset

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"talkbot/store"
)

func FuzzLoadDataset(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files in testdata: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tc := range parseErrorTests {
		f.Add([]byte(tc.src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checked, warnings, checkErr := Check("fuzz.yaml", data, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		if checkErr != nil && checked != nil {
			t.Fatalf("Check returned tracks with an error")
		}
		for _, w := range warnings {
			if !w.Warning || !strings.Contains(w.Error(), ": warning: ") {
				t.Fatalf("warning %q is not marked as one", w.Error())
			}
		}
		tracks, err := Parse("fuzz.yaml", data)
		if err != nil && checkErr == nil {
			t.Fatalf("Check accepted what Parse refused: %v", err)
		}
		if err == nil && checkErr == nil && !reflect.DeepEqual(tracks, checked) {
			t.Fatalf("Check and Parse read different tracks")
		}
		if err != nil {
			if tracks != nil {
				t.Fatalf("Parse returned tracks with an error")
			}
			return
		}
		f, err := ParseFile("fuzz.yaml", data)
		if err != nil || !reflect.DeepEqual(f.Tracks, tracks) {
			t.Fatalf("ParseFile and Parse disagree: %v", err)
		}
		roundTripFile(t, f)
	})
}

func FuzzParseStarts(f *testing.F) {
	seeds, err := os.Open(filepath.Join("testdata", "starts.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { seeds.Close() })
	lines := bufio.NewScanner(seeds)
	for lines.Scan() {
		line := lines.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		f.Add(line[:i], line[i+1:])
	}
	f.Fuzz(func(t *testing.T, s, zone string) {
		w, err := ParseStarts(s, zone)
		if err != nil {
			return
		}
		text := FormatStarts(w)
		back, err := ParseStarts(text, zone)
		if err != nil {
			t.Fatalf("ParseStarts(%q) = %+v, but its FormatStarts %q does not parse: %v", s, w, text, err)
		}
		if !reflect.DeepEqual(back, w) {
			t.Fatalf("ParseStarts(%q) = %+v, FormatStarts = %q, which parses as %+v", s, w, text, back)
		}
	})
}

// FuzzWriteText puts arbitrary text where curators write free text and
// checks that Write quotes it so that it reads back unchanged.
func FuzzWriteText(f *testing.F) {
	for _, s := range []string{"Istanbul", "a: b", "line one\nline two\n", " x", "2025-06-02", "null", "- x", "#x", "a\tb", "\"q\"", "'q'", "x\r\ny", "…", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.TrimSpace(s) == "" {
			return // Parse only ever yields valid UTF-8, and required text is never blank
		}
		tracks := []store.Track{{
			ID: "t", Title: s, Timezone: "UTC",
			Parties: []store.Party{{ID: "p", Name: s, Role: store.RoleParty}},
			People:  []store.Person{{ID: "a", Name: s, Party: "p", Title: s}},
			Sources: []store.Source{{ID: "s", Publisher: s, Title: s, URL: s}},
			Rounds: []store.Round{{
				Track: "t", Number: 1, Status: store.StatusHeld,
				Starts: store.When{Date: store.Date{Year: 2025, Month: 6, Day: 2}, Zone: "UTC"},
				Venue:  s, Agenda: []string{s, s}, Outcomes: []string{s}, Documents: []string{s}, Notes: []string{s},
				Sources: []string{"s"},
			}},
			Statements: []store.Statement{{Track: "t", By: "a", Party: "p", SaidOn: store.Date{Year: 2025, Month: 6, Day: 2}, Medium: s, Text: s, Sources: []string{"s"}}},
		}}
		var out bytes.Buffer
		if err := Write(&out, tracks); err != nil {
			t.Fatal(err)
		}
		got, err := Parse("written.yaml", out.Bytes())
		if err != nil {
			t.Fatalf("Parse(Write(%q)): %v\n%s", s, err, out.Bytes())
		}
		if !reflect.DeepEqual(got, tracks) {
			t.Fatalf("text %q read back as %q\n%s", s, got[0].Title, out.Bytes())
		}
	})
}
