package gen_test

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"talkbot/dataset"
	"talkbot/store"
	"talkbot/store/gen"
)

var base = time.Date(2025, time.June, 2, 12, 0, 0, 0, time.UTC)

func small() gen.Config {
	return gen.Config{Tracks: 16, RoundsPerTrack: 30, Statements: 1000, Positions: 301, Seed: 7, Base: base}
}

func TestSameConfigGivesSameTracks(t *testing.T) {
	a, b := gen.Tracks(small()), gen.Tracks(small())
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with one Config differ")
	}
	other := small()
	other.Seed++
	if reflect.DeepEqual(a, gen.Tracks(other)) {
		t.Error("another seed gave the same tracks")
	}
}

func TestCountsMatchConfig(t *testing.T) {
	for _, c := range []gen.Config{small(), gen.Large(base), {Tracks: 3, RoundsPerTrack: 2, Statements: 4, Positions: 1, Base: base}} {
		t.Run(fmt.Sprintf("%d tracks", c.Tracks), func(t *testing.T) {
			tracks := gen.Tracks(c)
			if len(tracks) != c.Tracks {
				t.Fatalf("%d tracks, want %d", len(tracks), c.Tracks)
			}
			var statements, positions int
			for _, tr := range tracks {
				if len(tr.Rounds) != c.RoundsPerTrack {
					t.Errorf("track %s has %d rounds, want %d", tr.ID, len(tr.Rounds), c.RoundsPerTrack)
				}
				statements += len(tr.Statements)
				positions += len(tr.Positions)
			}
			if statements != c.Statements || positions != c.Positions {
				t.Errorf("%d statements and %d positions, want %d and %d", statements, positions, c.Statements, c.Positions)
			}
		})
	}
}

func TestTracksAreValid(t *testing.T) {
	for name, c := range map[string]gen.Config{"small": small(), "large": gen.Large(base)} {
		t.Run(name, func(t *testing.T) {
			tracks := gen.Tracks(c)
			for _, tr := range tracks {
				for _, problem := range check(tr, c.Base) {
					t.Errorf("track %s: %s", tr.ID, problem)
				}
			}
			if t.Failed() || name != "large" {
				return // the small dataset is too small to be sure of every awkward string
			}
			var all strings.Builder
			for _, tr := range tracks {
				for _, s := range tr.Statements {
					all.WriteString(s.Text)
				}
				for _, p := range tr.Parties {
					all.WriteString(p.Name)
				}
				for _, p := range tr.People {
					all.WriteString(p.Name)
				}
			}
			for _, want := range []string{"@everyone", "<@&123>", "Türkiye", "“", "Лавров", "\n", "- leading dash"} {
				if !strings.Contains(all.String(), want) {
					t.Errorf("no statement, party or person contains %q", want)
				}
			}
		})
	}
}

var slug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// check returns what is wrong with tr under the dataset rules.
func check(tr store.Track, base time.Time) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if !slug.MatchString(tr.ID) {
		fail("id %q is not a slug", tr.ID)
	}
	if _, err := time.LoadLocation(tr.Timezone); err != nil || tr.Timezone == "" {
		fail("timezone %q: %v", tr.Timezone, err)
	}
	parties := map[string]bool{}
	if n := len(tr.Parties); n < 4 || n > 6 {
		fail("%d parties, want 4 to 6", n)
	}
	for _, p := range tr.Parties {
		if !slug.MatchString(p.ID) || parties[p.ID] {
			fail("party id %q is not a unique slug", p.ID)
		}
		parties[p.ID] = true
		if !p.Role.Valid() || p.Name == "" {
			fail("party %s: role %q, name %q", p.ID, p.Role, p.Name)
		}
	}
	partyOf := map[string]string{}
	for _, p := range tr.People {
		if _, dup := partyOf[p.ID]; dup || !slug.MatchString(p.ID) {
			fail("person id %q is not a unique slug", p.ID)
		}
		if !parties[p.Party] || p.Name == "" {
			fail("person %s: party %q, name %q", p.ID, p.Party, p.Name)
		}
		partyOf[p.ID] = p.Party
	}
	sources := map[string]bool{}
	for _, s := range tr.Sources {
		if !slug.MatchString(s.ID) || sources[s.ID] || s.Publisher == "" {
			fail("source %q: not a unique slug or no publisher", s.ID)
		}
		sources[s.ID] = true
	}
	refs := func(what string, ids []string, known map[string]bool, required bool) {
		if ids != nil && len(ids) == 0 {
			fail("%s: empty, not nil", what)
		}
		if required && len(ids) == 0 {
			fail("%s: none", what)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if !known[id] || seen[id] {
				fail("%s: %q unknown or repeated", what, id)
			}
			seen[id] = true
		}
	}
	nonNil := func(what string, s []string) {
		if s != nil && len(s) == 0 {
			fail("%s: empty, not nil", what)
		}
	}

	pendingAhead := 0
	for k, r := range tr.Rounds {
		what := fmt.Sprintf("round %d", r.Number)
		if r.Number != k+1 || r.Track != tr.ID || !r.Status.Valid() {
			fail("%s at %d: track %q, status %q", what, k, r.Track, r.Status)
		}
		zone := tr.Timezone
		if r.Timezone != "" {
			zone = r.Timezone
		}
		checkWhen(fail, what+" starts", r.Starts, zone)
		if !r.Ends.IsZero() {
			checkWhen(fail, what+" ends", r.Ends, zone)
			if r.Starts.TimeKnown() != r.Ends.TimeKnown() {
				fail("%s: starts and ends in different forms", what)
			}
			from, _, _ := r.Starts.Bounds()
			to, _, _ := r.Ends.Bounds()
			if !from.Before(to) {
				fail("%s: ends %v not after starts %v", what, to, from)
			}
		}
		if r.Starts.IsZero() {
			fail("%s: no start", what)
		} else if from, _, _ := r.Starts.Bounds(); from.After(base) && r.Status.Pending() {
			pendingAhead++
		}
		if !parties[r.ProposedBy] {
			fail("%s: proposed by %q", what, r.ProposedBy)
		}
		if r.Delegations != nil && len(r.Delegations) == 0 {
			fail("%s: empty delegations, not nil", what)
		}
		seen := map[string]bool{}
		for _, d := range r.Delegations {
			if !parties[d.Party] || seen[d.Party] || partyOf[d.Head] != d.Party {
				fail("%s: delegation of %q headed by %q", what, d.Party, d.Head)
			}
			seen[d.Party] = true
			nonNil(what+" members", d.Members)
			for _, m := range d.Members {
				if partyOf[m] != d.Party || m == d.Head {
					fail("%s: member %q of %q", what, m, d.Party)
				}
			}
		}
		refs(what+" mediators", r.Mediators, parties, false)
		refs(what+" sources", r.Sources, sources, true)
		for _, l := range [][]string{r.Agenda, r.Outcomes, r.Documents} {
			nonNil(what+" lists", l)
		}
	}
	if want := min(2, len(tr.Rounds)); pendingAhead < want {
		fail("%d pending rounds after base, want at least %d", pendingAhead, want)
	}

	for k, p := range tr.Positions {
		what := fmt.Sprintf("position %d", k)
		if p.Track != tr.ID || !parties[p.Party] || !slug.MatchString(p.Topic) || p.Summary == "" || p.StatedOn.IsZero() {
			fail("%s: %+v", what, p)
		}
		if p.By != "" && partyOf[p.By] != p.Party {
			fail("%s: by %q, not of %q", what, p.By, p.Party)
		}
		refs(what+" sources", p.Sources, sources, false)
	}
	for k, s := range tr.Statements {
		what := fmt.Sprintf("statement %d", k)
		if s.Track != tr.ID || partyOf[s.By] == "" || s.Party != partyOf[s.By] || s.Text == "" || s.SaidOn.IsZero() || s.Medium == "" {
			fail("%s: %+v", what, s)
		}
		refs(what+" sources", s.Sources, sources, false)
	}
	return problems
}

// checkWhen enforces the two forms of When: date-only, or an exact UTC
// instant on whole minutes whose local date in Zone is Date.
func checkWhen(fail func(string, ...any), what string, w store.When, zone string) {
	if w.Zone != zone {
		fail("%s: zone %q, want %q", what, w.Zone, zone)
	}
	if !w.TimeKnown() {
		return
	}
	loc, err := time.LoadLocation(w.Zone)
	if err != nil {
		fail("%s: %v", what, err)
		return
	}
	if w.At.Location() != time.UTC || w.At.Second() != 0 || w.At.Nanosecond() != 0 {
		fail("%s: at %v is not UTC whole minutes", what, w.At)
	}
	if got := store.DateOf(w.At.In(loc)); got != w.Date {
		fail("%s: date %v but %v falls on %v in %s", what, w.Date, w.At, got, w.Zone)
	}
}

func BenchmarkTracksLarge(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		gen.Tracks(gen.Large(base))
	}
}

// What gen makes passes the checker as a file, with the time of checking
// at Base: benchmarks and the export round trip import it.
func TestTracksPassTheChecker(t *testing.T) {
	for name, c := range map[string]gen.Config{"small": small(), "large": gen.Large(base)} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := dataset.Write(&buf, gen.Tracks(c)); err != nil {
				t.Fatal(err)
			}
			if _, _, err := dataset.Check("gen.yaml", buf.Bytes(), c.Base); err != nil {
				msg := err.Error()
				if len(msg) > 2000 {
					msg = msg[:2000] + "..."
				}
				t.Fatal(msg)
			}
		})
	}
}
