package commands_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/store/gen"
	"talkbot/store/sqlite/sqlitetest"
	"talkbot/store/storetest"
)

// BenchmarkHandlers measures each read subcommand end to end (store
// lookups and rendering) on the large generated dataset, and reports the
// median and p99 of single calls as well as the mean.
func BenchmarkHandlers(b *testing.B) {
	s := sqlitetest.Open(b, time.Now)
	tracks := gen.Tracks(gen.Large(storetest.BenchBase))
	if _, err := s.Import(b.Context(), tracks); err != nil {
		b.Fatal(err)
	}
	c := commands.New(s, func() time.Time { return storetest.BenchBase }, nil)
	type probe struct{ track, party, topic, person string }
	var probes []probe
	for _, t := range tracks {
		probes = append(probes, probe{t.ID, t.Parties[0].ID, t.Positions[0].Topic, t.People[0].ID})
	}
	cases := []struct {
		name string
		req  func(p probe, i int) commands.Request
	}{
		{"next", func(p probe, i int) commands.Request { return cmd("talks/next", "track:"+p.track) }},
		{"next_default_track", func(p probe, i int) commands.Request { return cmd("talks/next") }},
		{"rounds", func(p probe, i int) commands.Request { return cmd("talks/rounds", "track:"+p.track) }},
		{"round", func(p probe, i int) commands.Request {
			return cmd("talks/round", "track:"+p.track, "number:"+itoa(1+i%100))
		}},
		{"positions", func(p probe, i int) commands.Request {
			return cmd("talks/positions", "track:"+p.track, "side:"+p.party)
		}},
		{"compare", func(p probe, i int) commands.Request { return cmd("talks/compare", "track:"+p.track, "topic:"+p.topic) }},
		{"statements", func(p probe, i int) commands.Request { return cmd("talks/statements", "track:"+p.track) }},
		{"statements_by_speaker", func(p probe, i int) commands.Request {
			return cmd("talks/statements", "track:"+p.track, "speaker:"+p.person)
		}},
		{"upcoming", func(p probe, i int) commands.Request { return cmd("talks/upcoming") }},
		{"search_rare_word", func(p probe, i int) commands.Request {
			return cmd("talks/search", "track:"+p.track, "query:moratorium")
		}},
		{"search_common_word", func(p probe, i int) commands.Request { return cmd("talks/search", "track:"+p.track, "query:ceasefire") }},
		{"about", func(p probe, i int) commands.Request { return cmd("talks/about") }},
		// The same replies in Ukrainian: plurals, dates and words from the
		// catalogs cost no more than English.
		{"round_uk", func(p probe, i int) commands.Request {
			return inLocale(cmd("talks/round", "track:"+p.track, "number:"+itoa(1+i%100)), "uk")
		}},
		{"statements_uk", func(p probe, i int) commands.Request {
			return inLocale(cmd("talks/statements", "track:"+p.track), "uk")
		}},
		{"upcoming_uk", func(p probe, i int) commands.Request { return inLocale(cmd("talks/upcoming"), "uk") }},
		{"autocomplete_side", func(p probe, i int) commands.Request {
			return commands.Request{Kind: commands.KindAutocomplete, Path: "talks/positions", Focused: "side", Options: map[string]string{"side": "u", "track": p.track}}
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var lat []time.Duration
			i := 0
			for b.Loop() {
				req := tc.req(probes[i%len(probes)], i)
				start := time.Now()
				if _, err := c.Handle(b.Context(), req); err != nil {
					if _, ok := commands.AsUserError(err); !ok {
						b.Fatal(err)
					}
				}
				lat = append(lat, time.Since(start))
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// BenchmarkAboutAfterAnImport is /talks about on a cold track cache, as
// the first call after any import is: it must not read every fact.
func BenchmarkAboutAfterAnImport(b *testing.B) {
	s := sqlitetest.Open(b, time.Now)
	if _, err := s.Import(b.Context(), gen.Tracks(gen.Large(storetest.BenchBase))); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c := commands.New(s, func() time.Time { return storetest.BenchBase }, nil)
		if _, err := c.Handle(b.Context(), cmd("talks/about")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEditSubmit is an editor's form submit end to end, from the
// MODAL_SUBMIT request to the reply: the draft read, the checks, the save
// with its history record in one transaction, on the large dataset. Every
// submit changes the round (the venue alternates), so each one writes.
func BenchmarkEditSubmit(b *testing.B) {
	s := sqlitetest.Open(b, time.Now)
	tracks := gen.Tracks(gen.Large(storetest.BenchBase))
	if _, err := s.Import(b.Context(), tracks); err != nil {
		b.Fatal(err)
	}
	const editor = "100"
	c := commands.New(s, func() time.Time { return storetest.BenchBase }, nil, commands.WithEditors([]string{editor}))
	track := tracks[0]
	open := cmd("talks-edit/round/edit", "track:"+track.ID, "number:1", "source:"+track.Sources[0].ID)
	open.UserID = editor
	reply, err := c.Handle(b.Context(), open)
	if err != nil || reply.Modal == nil {
		b.Fatalf("opening the form: %+v, %v", reply, err)
	}
	fields := map[string]string{}
	for _, in := range reply.Modal.Inputs {
		fields[in.ID] = in.Value
	}
	b.ReportAllocs()
	var lat []time.Duration
	i := 0
	for b.Loop() {
		// A form's base version moves with each save: reopen as an editor
		// would, outside the timed part.
		reply, err := c.Handle(b.Context(), open)
		if err != nil {
			b.Fatal(err)
		}
		fields["venue"] = "Venue " + itoa(i%2)
		req := submitRequest(reply.Modal, fields)
		req.UserID = editor
		start := time.Now()
		got, err := c.Handle(b.Context(), req)
		lat = append(lat, time.Since(start))
		if err != nil || !got.Ephemeral || got.Embeds != nil {
			b.Fatalf("submit: %+v, %v", got, err)
		}
		i++
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// submitRequest is the MODAL_SUBMIT of m with fields.
func submitRequest(m *commands.Modal, fields map[string]string) commands.Request {
	req, err := commands.ComponentRequest(m.CustomID)
	if err != nil {
		panic(err)
	}
	req.Kind, req.Fields = commands.KindModal, fields
	return req
}
