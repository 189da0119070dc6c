package storetest

import (
	"fmt"
	"testing"
	"time"

	"talkbot/store"
	"talkbot/store/gen"
)

// BenchEdit measures saving an edit of a round on the large generated
// dataset, as a modal submit does: the version check, the write, the
// search upkeep, the history record and the pending update, in one
// transaction. Each iteration edits another round.
func BenchEdit(b *testing.B, open Factory) {
	tracks := gen.Tracks(gen.Large(BenchBase))
	s := open(b, time.Now)
	ctx := b.Context()
	if _, err := s.Import(ctx, tracks); err != nil {
		b.Fatal(err)
	}
	editor := store.Editor{ID: "1001", Name: "Ann"}
	versions := map[store.Entity]int64{}
	b.Run("Round", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			t := &tracks[i%len(tracks)]
			r := t.Rounds[(i/len(tracks))%len(t.Rounds)]
			r.Venue = fmt.Sprintf("Venue %d", i)
			r.Outcomes = append(r.Outcomes[:len(r.Outcomes):len(r.Outcomes)], fmt.Sprintf("Outcome %d", i))
			ent := store.RoundEntity(t.ID, r.Number)
			base, ok := versions[ent]
			if !ok {
				var err error
				if base, err = s.Version(ctx, ent); err != nil {
					b.Fatal(err)
				}
			}
			c, err := s.ApplyEdit(ctx, store.Edit{Editor: editor, Base: base, Source: r.Sources[0], Round: &r, SettleUntil: BenchBase.Add(2 * time.Minute)})
			if err != nil {
				b.Fatal(err)
			}
			versions[ent] = c.ID
			i++
		}
	})
}

// BenchHistory measures /talks history on a track with 10,000 history
// records: its first page, a later page, one side's and one round's.
func BenchHistory(b *testing.B, open Factory) {
	const records = 10_000
	d := date("2025-01-01")
	t := store.Track{
		ID: "history", Title: "History", Timezone: "UTC",
		Parties: []store.Party{{ID: "a", Name: "A", Role: store.RoleParty}, {ID: "b", Name: "B", Role: store.RoleParty}},
		People:  []store.Person{{ID: "pa", Name: "PA", Party: "a"}, {ID: "pb", Name: "PB", Party: "b"}},
		Sources: []store.Source{{ID: "s", Publisher: "S"}},
	}
	for n := range 100 {
		t.Rounds = append(t.Rounds, store.Round{Track: t.ID, Number: n + 1, Status: store.StatusHeld,
			Starts: store.When{Date: d.AddDays(n), Zone: "UTC"}, Sources: []string{"s"}})
	}
	for i := len(t.Parties) + len(t.People) + len(t.Sources) + len(t.Rounds) + 1; i < records; i++ {
		p := []string{"a", "b"}[i%2]
		t.Statements = append(t.Statements, store.Statement{Track: t.ID, By: "p" + p, Party: p, SaidOn: d.AddDays(i % 700),
			Text: fmt.Sprintf("Statement number %d.", i), Sources: []string{"s"}})
	}
	s := open(b, time.Now)
	ctx := b.Context()
	if _, err := s.Import(ctx, []store.Track{t}); err != nil {
		b.Fatal(err)
	}
	if p, err := s.History(ctx, store.HistoryQuery{}); err != nil || p.Total != records {
		b.Fatalf("history holds %d records, %v; want %d", p.Total, err, records)
	}
	for _, q := range []struct {
		name string
		q    store.HistoryQuery
	}{
		{"Track", store.HistoryQuery{Track: t.ID, Limit: 10}},
		{"TrackPage50", store.HistoryQuery{Track: t.ID, Limit: 10, Offset: 500}},
		{"Side", store.HistoryQuery{Track: t.ID, Party: "a", Limit: 10}},
		{"Round", store.HistoryQuery{Track: t.ID, Round: 42, Limit: 10}},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := s.History(ctx, q.q)
				if err != nil || len(p.Items) == 0 {
					b.Fatalf("History(%+v) = %d items, %v", q.q, len(p.Items), err)
				}
			}
		})
	}
}
