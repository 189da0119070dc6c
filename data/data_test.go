package data

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"talkbot/store"
)

// The bundled data says what its one source says and no more: these are
// the places where it once said more.
func TestBundledDataSaysWhatTheArticleSays(t *testing.T) {
	tracks, err := Tracks()
	if err != nil {
		t.Fatal(err)
	}
	if len(tracks) != 1 {
		t.Fatalf("%d tracks, want 1", len(tracks))
	}
	tr := tracks[0]

	t.Run("no party is called a mediator and Türkiye is the facilitator", func(t *testing.T) {
		var ids []string
		for _, p := range tr.Parties {
			ids = append(ids, p.ID)
			if p.Role == store.RoleMediator {
				t.Errorf("party %s has role mediator; the article names no mediator", p.ID)
			}
			if p.ID == "turkiye" && p.Role != store.RoleFacilitator {
				t.Errorf("Türkiye's role is %q, want %q", p.Role, store.RoleFacilitator)
			}
		}
		if want := []string{"russia", "ukraine", "turkiye"}; !slices.Equal(ids, want) {
			t.Errorf("parties %v, want %v (the US and Saudi Arabia are only credited, in round 2's notes)", ids, want)
		}
	})

	round2 := func(t *testing.T) store.Round {
		t.Helper()
		for _, r := range tr.Rounds {
			if r.Number == 2 {
				return r
			}
		}
		t.Fatal("no round 2")
		return store.Round{}
	}
	t.Run("round 2 has no mediators and notes who was credited", func(t *testing.T) {
		r := round2(t)
		if len(r.Mediators) != 0 {
			t.Errorf("round 2 mediators %v, want none", r.Mediators)
		}
		want := "Lavrov credited the involvement of the United States, Saudi Arabia and Türkiye in helping to create the conditions for resuming direct negotiations, and thanked Türkiye for facilitating them."
		if !slices.Equal(r.Notes, []string{want}) {
			t.Errorf("round 2 notes %q, want %q", r.Notes, want)
		}
	})
	t.Run("round 2 is Russia's proposal and tables only Russia's memorandum", func(t *testing.T) {
		r := round2(t)
		if r.ProposedBy != "russia" || r.Status != store.StatusProposed {
			t.Errorf("round 2 proposed by %q, status %q; want russia, proposed", r.ProposedBy, r.Status)
		}
		for _, d := range r.Documents {
			if strings.Contains(d, "Ukraine") {
				t.Errorf("round 2 lists %q among its documents; Ukraine's was submitted beforehand", d)
			}
		}
	})
	t.Run("Umerov's paraphrased remarks on progress are a position", func(t *testing.T) {
		want := store.Position{
			Track: tr.ID, Party: "ukraine", Topic: "talks-progress", By: "umerov",
			Summary:  "Delays from Moscow had hindered progress, but pressure from international leaders, including President Donald Trump and Ukrainian President Volodymyr Zelenskyy, helped push the process forward.",
			StatedOn: store.Date{Year: 2025, Month: 5, Day: 28},
			Sources:  []string{"reuters-2025-05-28"},
		}
		for _, p := range tr.Positions {
			if p.Topic == want.Topic {
				if !slices.Equal(p.Sources, want.Sources) || p.Party != want.Party || p.By != want.By || p.Summary != want.Summary || p.StatedOn != want.StatedOn {
					t.Errorf("position %+v, want %+v", p, want)
				}
				return
			}
		}
		t.Errorf("no position on %q", want.Topic)
	})
}

// Every date in the bundled file is inferred from the article's text ("on
// Wednesday", "next Monday, June 2"), so each says how beside it.
func TestEveryBundledDateSaysHowItWasInferred(t *testing.T) {
	dated := regexp.MustCompile(`^\s*(starts|ends|published|stated_on|said_on): \d{4}-`)
	n := 0
	for i, line := range strings.Split(string(talks), "\n") {
		if !dated.MatchString(line) {
			continue
		}
		n++
		if _, comment, ok := strings.Cut(line, " # "); !ok || len(comment) < 10 {
			t.Errorf("data/talks.yaml:%d: %q has no comment saying how the date was inferred", i+1, strings.TrimSpace(line))
		}
	}
	if n == 0 {
		t.Fatal("found no dates in data/talks.yaml")
	}
}
