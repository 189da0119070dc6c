package storetest

import (
	"fmt"
	"testing"
	"time"

	"talkbot/store"
	"talkbot/store/gen"
)

// BenchBase is "now" for the benchmark dataset.
var BenchBase = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// Bench measures every query the bot makes on the large generated dataset
// (50 tracks x 100 rounds, 100,000 statements, 20,000 positions). Each
// iteration asks about a different track, party or person, so no single
// row stays hot.
func Bench(b *testing.B, open Factory) {
	tracks := gen.Tracks(gen.Large(BenchBase))
	s := open(b, time.Now)
	if _, err := s.Import(b.Context(), tracks); err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	type probe struct{ track, party, person, topic, source string }
	var probes []probe
	for _, t := range tracks {
		for i := range 5 {
			probes = append(probes, probe{
				track:  t.ID,
				party:  t.Parties[i%len(t.Parties)].ID,
				person: t.People[i%len(t.People)].ID,
				topic:  t.Positions[i%len(t.Positions)].Topic,
				source: t.Sources[i%len(t.Sources)].ID,
			})
		}
	}
	run := func(name string, fn func(p probe, i int) error) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := fn(probes[i%len(probes)], i); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
	run("NextRound", func(p probe, i int) error {
		_, err := s.NextRound(ctx, p.track, BenchBase)
		return err
	})
	run("NextRoundAnyTrack", func(p probe, i int) error {
		_, err := s.NextRound(ctx, "", BenchBase.Add(time.Duration(i%500)*time.Hour))
		return err
	})
	run("UpcomingRounds", func(p probe, i int) error {
		_, err := s.UpcomingRounds(ctx, p.track, BenchBase, 25)
		return err
	})
	run("UpcomingRoundsAllTracks", func(p probe, i int) error {
		_, err := s.UpcomingRounds(ctx, "", BenchBase, 25)
		return err
	})
	run("RoundByNumber", func(p probe, i int) error {
		_, err := s.Round(ctx, p.track, 1+i%100)
		return err
	})
	run("RoundsPage", func(p probe, i int) error {
		_, err := s.RoundsPage(ctx, p.track, 10, 10*(i%10))
		return err
	})
	run("LatestRound", func(p probe, i int) error {
		_, err := s.LatestRound(ctx, p.track)
		return err
	})
	run("Rounds", func(p probe, i int) error {
		_, err := s.Rounds(ctx, p.track)
		return err
	})
	run("Track", func(p probe, i int) error {
		_, err := s.Track(ctx, p.track)
		return err
	})
	run("Tracks", func(p probe, i int) error {
		_, err := s.Tracks(ctx)
		return err
	})
	run("Sources", func(p probe, i int) error {
		_, err := s.Sources(ctx, p.track, []string{p.source})
		return err
	})
	run("PositionsByParty", func(p probe, i int) error {
		_, err := s.Positions(ctx, store.PositionQuery{Track: p.track, Party: p.party, Limit: 10})
		return err
	})
	run("PositionsByTopic", func(p probe, i int) error {
		_, err := s.Positions(ctx, store.PositionQuery{Track: p.track, Topic: p.topic, Limit: 10})
		return err
	})
	run("PositionsByPartyAndTopic", func(p probe, i int) error {
		_, err := s.Positions(ctx, store.PositionQuery{Track: p.track, Party: p.party, Topic: p.topic, Limit: 10})
		return err
	})
	run("StatementsByParty", func(p probe, i int) error {
		_, err := s.Statements(ctx, store.StatementQuery{Track: p.track, Party: p.party, Limit: 5, Offset: 5 * (i % 4)})
		return err
	})
	run("StatementsByPerson", func(p probe, i int) error {
		_, err := s.Statements(ctx, store.StatementQuery{Track: p.track, Person: p.person, Limit: 5})
		return err
	})
	for _, word := range []string{"moratorium", "ceasefire", "unconditional ceasefire"} {
		run(fmt.Sprintf("Search/%q", word), func(p probe, i int) error {
			_, err := s.Search(ctx, store.SearchQuery{Track: p.track, Text: word, Limit: 10})
			return err
		})
		run(fmt.Sprintf("SearchAllTracks/%q", word), func(p probe, i int) error {
			_, err := s.Search(ctx, store.SearchQuery{Text: word, Limit: 10})
			return err
		})
	}
	for _, kind := range []store.CompleteKind{store.CompleteTracks, store.CompleteParties, store.CompletePeople, store.CompleteTopics} {
		run("Complete/"+string(kind), func(p probe, i int) error {
			prefix := p.party[:1+i%2]
			_, err := s.Complete(ctx, store.CompleteQuery{Kind: kind, Track: p.track, Prefix: prefix})
			return err
		})
	}
}

// BenchImport measures importing the whole large dataset into an empty store.
func BenchImport(b *testing.B, open Factory) {
	tracks := gen.Tracks(gen.Large(BenchBase))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := open(b, time.Now)
		b.StartTimer()
		if _, err := s.Import(b.Context(), tracks); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
