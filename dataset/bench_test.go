package dataset

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"talkbot/store"
)

// generated builds a dataset shaped like the real one: a few parties and
// people per track, many sources, and statements far outnumbering rounds.
func generated(tracks, rounds, positions, statements int) []store.Track {
	out := make([]store.Track, tracks)
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for ti := range out {
		t := store.Track{ID: fmt.Sprintf("track-%d", ti), Title: fmt.Sprintf("Talks number %d", ti), Timezone: "Europe/Istanbul"}
		parties := []string{"russia", "ukraine", "usa", "turkiye"}
		for _, p := range parties {
			t.Parties = append(t.Parties, store.Party{ID: p, Name: p, Role: store.RoleParty})
			for k := range 3 {
				t.People = append(t.People, store.Person{ID: fmt.Sprintf("%s-%d", p, k), Name: "Person of " + p, Party: p, Title: "Envoy"})
			}
		}
		for i := range 200 {
			t.Sources = append(t.Sources, store.Source{ID: fmt.Sprintf("src-%d", i), Publisher: "Reuters", Title: "Report", URL: fmt.Sprintf("https://example.com/%d", i), Published: store.DateOf(day.AddDate(0, 0, i%300))})
		}
		for i := range rounds {
			at := day.AddDate(0, 0, i).Add(10 * time.Hour)
			t.Rounds = append(t.Rounds, store.Round{
				Track: t.ID, Number: i + 1, Status: store.StatusHeld,
				Starts:      store.When{Date: store.DateOf(at), At: at.Add(-3 * time.Hour), Zone: "Europe/Istanbul"},
				Venue:       "Istanbul",
				ProposedBy:  "russia",
				Delegations: []store.Delegation{{Party: "russia", Head: "russia-0", Members: []string{"russia-1"}}, {Party: "ukraine", Head: "ukraine-0"}},
				Mediators:   []string{"turkiye"},
				Agenda:      []string{"Prisoner exchange", "Ceasefire"},
				Outcomes:    []string{"Agreed to meet again"},
				Sources:     []string{fmt.Sprintf("src-%d", i%200)},
			})
		}
		for i := range positions {
			p := parties[i%len(parties)]
			t.Positions = append(t.Positions, store.Position{Track: t.ID, Party: p, Topic: "ceasefire", Summary: "A position summary of moderate length, as curators write them.", StatedOn: store.DateOf(day.AddDate(0, 0, i%300)), By: p + "-0", Sources: []string{fmt.Sprintf("src-%d", i%200)}})
		}
		for i := range statements {
			p := parties[i%len(parties)]
			t.Statements = append(t.Statements, store.Statement{Track: t.ID, By: p + "-1", Party: p, SaidOn: store.DateOf(day.AddDate(0, 0, i%300)), Medium: "press conference", Text: fmt.Sprintf("Quote number %d: a sentence or two of what was said, long enough to be realistic.", i), Sources: []string{fmt.Sprintf("src-%d", i%200), fmt.Sprintf("src-%d", (i+1)%200)}})
		}
		out[ti] = t
	}
	return out
}

func generatedFile(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, generated(5, 100, 400, 2000)); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkParse(b *testing.B) {
	data := generatedFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bench.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	tracks, err := Parse("bench.yaml", generatedFile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, tracks); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
