package commands_test

import (
	"encoding/json"
	"strings"
	"testing"

	"talkbot/commands"
	"talkbot/data"
	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
)

// bundledEdited is a store holding the bundled data after edit.
func bundledEdited(t *testing.T, edit func(tr *store.Track)) store.Store {
	t.Helper()
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	edit(&tracks[0])
	s := sqlitetest.Open(t, at("2025-05-29T08:00:00Z"))
	if _, err := s.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	return s
}

// stated is the bundled data as the article states it (nobody is a
// mediator of round 2, Türkiye facilitated, the round has a note), with
// an agreed agenda given to round 1.
func stated(t *testing.T) store.Store {
	return bundledEdited(t, func(tr *store.Track) {
		for i := range tr.Rounds {
			if tr.Rounds[i].Number == 1 {
				tr.Rounds[i].Agenda = []string{"Prisoner exchange"}
			}
		}
	})
}

func fieldsOf(t *testing.T, r commands.Reply) map[string]string {
	t.Helper()
	if len(r.Embeds) == 0 {
		t.Fatalf("no embed in %+v", r)
	}
	out := map[string]string{}
	for _, f := range r.Embeds[0].Fields {
		out[f.Name] = f.Value
	}
	return out
}

// A round says what its sources state: its notes, mediators only when it
// names some, and a proposed agenda as the proposer's.
func TestRoundSaysWhatWasStated(t *testing.T) {
	s := stated(t)
	before := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	for _, req := range []commands.Request{cmd("talks/round", "number:2"), cmd("talks/next")} {
		t.Run(req.Path, func(t *testing.T) {
			reply, err := before.Handle(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			checkLimits(t, reply)
			fields := fieldsOf(t, reply)
			if got := fields["Notes"]; !strings.HasPrefix(got, "• Lavrov credited") {
				t.Errorf("notes = %q; want the round's note as a bullet", got)
			}
			if _, ok := fields["Mediators"]; ok {
				t.Error("a round that names no mediator shows a Mediators field")
			}
			if _, ok := fields["Agenda proposed by Russia"]; !ok {
				t.Errorf("no \"Agenda proposed by Russia\" among %v", fields)
			}
			if _, ok := fields["Agenda"]; ok {
				t.Error("a proposed agenda is headed Agenda, as if agreed")
			}
			b, err := json.Marshal(reply)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ToLower(string(b)), "mediator") {
				t.Errorf("the reply calls someone a mediator: %s", b)
			}
		})
	}
	t.Run("an agreed agenda is the Agenda", func(t *testing.T) {
		reply, err := before.Handle(t.Context(), cmd("talks/round", "number:1"))
		if err != nil {
			t.Fatal(err)
		}
		if got := fieldsOf(t, reply)["Agenda"]; got != "• Prisoner exchange" {
			t.Errorf("a held round's agenda = %q (fields %v)", got, fieldsOf(t, reply))
		}
	})
	t.Run("mediators that a round names are shown", func(t *testing.T) {
		s := bundledEdited(t, func(tr *store.Track) {
			for i := range tr.Parties {
				if tr.Parties[i].ID == "turkiye" {
					tr.Parties[i].Role = store.RoleMediator
				}
			}
			for i := range tr.Rounds {
				if tr.Rounds[i].Number == 2 {
					tr.Rounds[i].Mediators = []string{"turkiye"}
				}
			}
		})
		reply, err := commands.New(s, at("2025-05-30T12:00:00Z"), nil).Handle(t.Context(), cmd("talks/round", "number:2"))
		if err != nil {
			t.Fatal(err)
		}
		if got := fieldsOf(t, reply)["Mediators"]; got != "Türkiye" {
			t.Errorf("the round's mediators = %q, want Türkiye", got)
		}
	})
	t.Run("about one track names each party's role as recorded", func(t *testing.T) {
		reply, err := before.Handle(t.Context(), cmd("talks/about", "track:ru-ua-istanbul"))
		if err != nil {
			t.Fatal(err)
		}
		got := fieldsOf(t, reply)["Parties"]
		if !strings.Contains(got, "Türkiye (facilitator)") || strings.Contains(got, "mediator") {
			t.Errorf("parties = %q", got)
		}
	})
}

// A proposed round whose date passed is headed by what it was, never
// "Latest round", wherever it is shown.
func TestAProposalWhoseDatePassedIsNotCalledARound(t *testing.T) {
	c := commands.New(stated(t), at("2025-06-10T12:00:00Z"), nil)
	const heading = "Round 2 (proposed for Monday 2 June 2025; no later report)"
	for _, req := range []commands.Request{cmd("talks/next"), cmd("talks/round", "number:2"), cmd("talks/next", "track:ru-ua-istanbul")} {
		reply, err := c.Handle(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		title := reply.Embeds[0].Title
		if !strings.HasPrefix(title, heading) || strings.Contains(title, "Latest round") {
			t.Errorf("%s %v: title = %q; want it to start %q", req.Path, req.Options, title, heading)
		}
		if got := fieldsOf(t, reply)["When"]; strings.Contains(got, "time not announced") {
			t.Errorf("%s: a passed date still waits for its time: %q", req.Path, got)
		}
	}
	reply, err := c.Handle(t.Context(), cmd("talks/rounds"))
	if err != nil {
		t.Fatal(err)
	}
	if d := reply.Embeds[0].Description; !strings.Contains(d, "**Round 2** · 2 June 2025 · Istanbul · proposed; no later report") {
		t.Errorf("rounds = %q", d)
	}
	// Before its date it is the next meeting, as proposed.
	ahead, err := commands.New(stated(t), at("2025-05-30T12:00:00Z"), nil).Handle(t.Context(), cmd("talks/next"))
	if err != nil {
		t.Fatal(err)
	}
	if title := ahead.Embeds[0].Title; !strings.HasPrefix(title, "Next meeting: Round 2 ·") {
		t.Errorf("ahead: title = %q", title)
	}
}
