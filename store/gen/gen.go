// Package gen generates large, valid, deterministic datasets for the store
// benchmarks and for round-trip tests that need more than hand-written
// fixtures.
package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"talkbot/store"
)

// Config sizes a dataset. Statements and Positions are totals, spread
// evenly over the tracks.
type Config struct {
	Tracks, RoundsPerTrack, Statements, Positions int
	Seed                                          int64
	// Base is "now" for the dataset: rounds fall within two years before
	// and one year after it, statements and positions before it.
	Base time.Time
}

// Large is the benchmark size: 50 tracks of 100 rounds, 100,000 statements
// and 20,000 positions.
func Large(base time.Time) Config {
	return Config{Tracks: 50, RoundsPerTrack: 100, Statements: 100_000, Positions: 20_000, Seed: 1, Base: base}
}

// Tracks generates the dataset c describes. The same Config always gives
// the same tracks. Every reference resolves, ids and topics are slugs, and
// empty lists are nil.
func Tracks(c Config) []store.Track {
	out := make([]store.Track, 0, c.Tracks)
	locs := loadZones()
	for i := range c.Tracks {
		// One stream per track keeps a track's content independent of
		// how many tracks come before it.
		g := &generator{
			r:     rand.New(rand.NewPCG(uint64(c.Seed), uint64(i))),
			zones: locs,
			base:  c.Base.UTC(),
			from:  c.Base.UTC().AddDate(-2, 0, 0),
			until: c.Base.UTC().AddDate(1, 0, 0),
		}
		out = append(out, g.track(i, c.RoundsPerTrack, share(c.Positions, c.Tracks, i), share(c.Statements, c.Tracks, i)))
	}
	return out
}

// share is track i's part of total, spread so the parts add up to total.
func share(total, n, i int) int {
	s := total / n
	if i < total%n {
		s++
	}
	return s
}

// generator builds one track.
type generator struct {
	r                 *rand.Rand
	zones             map[string]*time.Location
	base, from, until time.Time

	t      store.Track
	people [][]int // indexes into t.People, per party index
}

func (g *generator) track(i, rounds, positions, statements int) store.Track {
	p := processes[i%len(processes)]
	g.t = store.Track{ID: p.id, Title: p.title, Timezone: p.zone}
	if cycle := i / len(processes); cycle > 0 {
		// Later cycles reuse a process under a new id and another zone.
		g.t.ID = fmt.Sprintf("%s-%d", p.id, cycle+1)
		g.t.Title = fmt.Sprintf("%s (%d)", p.title, cycle+1)
		g.t.Timezone = zones[i%len(zones)]
	}
	g.parties(p.sides)
	g.persons()
	g.sources()
	g.rounds(rounds)
	g.positions(positions)
	g.statements(statements)
	return g.t
}

// parties picks 4 to 6 parties: the process's two sides, then mediators,
// hosts and observers.
func (g *generator) parties(sides [2]string) {
	n := 4 + g.r.IntN(3)
	chosen := []string{sides[0], sides[1]}
	for _, k := range g.r.Perm(len(parties)) {
		if len(chosen) == n {
			break
		}
		if id := parties[k].id; !slices.Contains(chosen, id) {
			chosen = append(chosen, id)
		}
	}
	for k, id := range chosen {
		info := parties[slices.IndexFunc(parties, func(p partyInfo) bool { return p.id == id })]
		role := store.RoleParty
		switch {
		case k < 2:
		case k == 2:
			role = store.RoleMediator
		default:
			role = store.Roles[g.r.IntN(len(store.Roles))]
		}
		g.t.Parties = append(g.t.Parties, store.Party{ID: id, Name: info.name, Role: role})
	}
}

// persons creates about 20 people: at least one per party, more for the
// sides so delegations have members.
func (g *generator) persons() {
	n := 18 + g.r.IntN(5)
	g.people = make([][]int, len(g.t.Parties))
	used := map[string]bool{}
	for k := range n {
		party := k
		if k >= len(g.t.Parties) {
			party = g.r.IntN(len(g.t.Parties))
			if g.r.IntN(2) == 0 {
				party = g.r.IntN(2) // the two sides
			}
		}
		pid := g.t.Parties[party].ID
		reg := parties[slices.IndexFunc(parties, func(p partyInfo) bool { return p.id == pid })].region
		given := pick(g.r, givenNames[reg])
		family := pick(g.r, familyNames[reg])
		id := given.slug + "-" + family.slug
		for j := 2; used[id]; j++ {
			id = fmt.Sprintf("%s-%s-%d", given.slug, family.slug, j)
		}
		used[id] = true
		g.people[party] = append(g.people[party], len(g.t.People))
		g.t.People = append(g.t.People, store.Person{
			ID:    id,
			Name:  given.shown + " " + family.shown,
			Party: pid,
			Title: pick(g.r, titles),
		})
	}
}

// sources creates about 200 sources; most have a title, URL and date.
func (g *generator) sources() {
	n := 190 + g.r.IntN(21)
	for k := range n {
		pub := pick(g.r, publishers)
		s := store.Source{ID: fmt.Sprintf("%s-%d", pub.slug, k+1), Publisher: pub.name}
		if g.r.IntN(10) < 9 {
			s.Title = g.headline()
		}
		if g.r.IntN(20) < 17 {
			s.Published = store.DateOf(g.between(g.from, g.base))
		}
		if g.r.IntN(20) < 17 {
			s.URL = fmt.Sprintf("https://%s/news/%d/%s", pub.domain, 100000+g.r.IntN(900000), s.ID)
		}
		g.t.Sources = append(g.t.Sources, s)
	}
}

// rounds numbers rounds in time order. About a quarter (at least three,
// when there are that many) are still ahead of Base.
func (g *generator) rounds(n int) {
	future := min(n, max(3, n/4))
	starts := make([]time.Time, n)
	for k := range starts {
		if k < n-future {
			starts[k] = g.between(g.from, g.base.Add(-48*time.Hour))
		} else {
			starts[k] = g.between(g.base.Add(48*time.Hour), g.until)
		}
	}
	slices.SortFunc(starts[:n-future], time.Time.Compare)
	slices.SortFunc(starts[n-future:], time.Time.Compare)

	for k, start := range starts {
		ahead := k >= n-future
		r := store.Round{Track: g.t.ID, Number: k + 1, Status: g.status(ahead, k-(n-future))}
		zone := g.t.Timezone
		if g.r.IntN(100) < 15 {
			if z := pick(g.r, zones); z != zone {
				zone, r.Timezone = z, z
			}
		}
		r.Starts, r.Ends = g.when(start, zone)
		if g.r.IntN(10) < 9 {
			r.Venue = pick(g.r, venues)
		}
		r.ProposedBy = g.t.Parties[g.r.IntN(len(g.t.Parties))].ID
		if !ahead || g.r.IntN(2) == 0 {
			r.Delegations = g.delegations()
		}
		for _, p := range g.t.Parties {
			// A party that proposed the round is one of its sides, so it
			// cannot mediate it (the draw stays, keeping the sequence).
			if p.Role == store.RoleMediator && g.r.IntN(10) < 7 && p.ID != r.ProposedBy {
				r.Mediators = append(r.Mediators, p.ID)
			}
		}
		for range g.r.IntN(5) {
			r.Agenda = append(r.Agenda, g.item())
		}
		if r.Status == store.StatusHeld {
			for range 1 + g.r.IntN(4) {
				r.Outcomes = append(r.Outcomes, g.sentence())
			}
			for range g.r.IntN(3) {
				r.Documents = append(r.Documents, pick(g.r, documentKinds)+" "+g.nounPhrase())
			}
		}
		r.Sources = g.sourceIDs(1 + g.r.IntN(3))
		g.t.Rounds = append(g.t.Rounds, r)
	}
}

var documentKinds = []string{"Memorandum on", "Joint statement on", "Protocol on", "Draft framework for", "Annex on", "Non-paper on"}

// status is mostly held or cancelled in the past and pending ahead. The
// first two rounds ahead are always pending, so every track has an upcoming
// round; a few past rounds stay "scheduled", as stale data does.
func (g *generator) status(ahead bool, aheadIdx int) store.Status {
	x := g.r.IntN(100)
	switch {
	case ahead && aheadIdx < 2:
		return []store.Status{store.StatusScheduled, store.StatusProposed}[x%2]
	case ahead:
		switch {
		case x < 55:
			return store.StatusScheduled
		case x < 90:
			return store.StatusProposed
		case x < 95:
			return store.StatusPostponed
		}
		return store.StatusCancelled
	}
	switch {
	case x < 80:
		return store.StatusHeld
	case x < 88:
		return store.StatusPostponed
	case x < 95:
		return store.StatusCancelled
	}
	return store.StatusScheduled
}

// when makes a round's start from an instant, with the time announced in
// three cases of five, and an end in three of ten, in the same form.
func (g *generator) when(t time.Time, zone string) (starts, ends store.When) {
	loc := g.zones[zone]
	day := store.DateOf(t.In(loc))
	exact := g.r.IntN(5) < 3
	if !exact {
		starts = store.When{Date: day, Zone: zone}
		if g.r.IntN(10) < 3 {
			ends = store.When{Date: day.AddDays(1 + g.r.IntN(3)), Zone: zone}
		}
		return starts, ends
	}
	// Meetings start in office hours, local time, on the quarter hour.
	at := time.Date(day.Year, day.Month, day.Day, 8+g.r.IntN(11), 15*g.r.IntN(4), 0, 0, loc).UTC()
	starts = store.When{Date: store.DateOf(at.In(loc)), At: at, Zone: zone}
	if g.r.IntN(10) < 3 {
		end := at.Add(time.Duration(1+g.r.IntN(8)) * time.Hour)
		if g.r.IntN(3) == 0 {
			end = end.Add(time.Duration(1+g.r.IntN(2)) * 24 * time.Hour)
		}
		ends = store.When{Date: store.DateOf(end.In(loc)), At: end, Zone: zone}
	}
	return starts, ends
}

// delegations sends the sides, and sometimes others, each with a head and
// up to three members of its own party.
func (g *generator) delegations() []store.Delegation {
	var out []store.Delegation
	for k, p := range g.t.Parties {
		if k >= 2 && (p.Role == store.RoleMediator || g.r.IntN(3) > 0) {
			continue
		}
		people := g.people[k]
		order := g.r.Perm(len(people))
		d := store.Delegation{Party: p.ID, Head: g.t.People[people[order[0]]].ID}
		for _, m := range order[1:min(len(order), 1+g.r.IntN(4))] {
			d.Members = append(d.Members, g.t.People[people[m]].ID)
		}
		out = append(out, d)
	}
	return out
}

// positions are stated before Base, in date order, on topics from a fixed
// pool; most name who stated them.
func (g *generator) positions(n int) {
	for range n {
		k := g.someParty()
		p := store.Position{
			Track:    g.t.ID,
			Party:    g.t.Parties[k].ID,
			Topic:    pick(g.r, topics),
			Summary:  g.text(1 + g.r.IntN(2)),
			StatedOn: store.DateOf(g.between(g.from, g.base)),
			Sources:  g.sourceIDs(1 + g.r.IntN(2)),
		}
		if g.r.IntN(10) < 7 {
			p.By = g.t.People[pick(g.r, g.people[k])].ID
		}
		g.t.Positions = append(g.t.Positions, p)
	}
	slices.SortStableFunc(g.t.Positions, func(a, b store.Position) int { return compareDates(a.StatedOn, b.StatedOn) })
}

// statements are quotes made before Base, in date order, attributed to the
// speaker's party.
func (g *generator) statements(n int) {
	// The checker refuses an exact duplicate (same speaker, day and text),
	// which short texts from a small pool sometimes are: draw again.
	seen := make(map[string]bool, n)
	for len(g.t.Statements) < n {
		person := g.t.People[g.r.IntN(len(g.t.People))]
		s := store.Statement{
			Track:   g.t.ID,
			By:      person.ID,
			Party:   person.Party,
			SaidOn:  store.DateOf(g.between(g.from, g.base)),
			Medium:  pick(g.r, media),
			Text:    g.text(1 + g.r.IntN(3)),
			Sources: g.sourceIDs(1 + g.r.IntN(2)),
		}
		key := s.By + "\x00" + s.SaidOn.String() + "\x00" + s.Text
		if seen[key] {
			continue
		}
		seen[key] = true
		g.t.Statements = append(g.t.Statements, s)
	}
	slices.SortStableFunc(g.t.Statements, func(a, b store.Statement) int { return compareDates(a.SaidOn, b.SaidOn) })
}

// someParty favours the two sides, who say the most.
func (g *generator) someParty() int {
	if g.r.IntN(10) < 6 {
		return g.r.IntN(2)
	}
	return g.r.IntN(len(g.t.Parties))
}

// sourceIDs returns n distinct source ids of the track.
func (g *generator) sourceIDs(n int) []string {
	ids := make([]string, 0, n)
	for len(ids) < n {
		id := g.t.Sources[g.r.IntN(len(g.t.Sources))].ID
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// between returns a whole-minute instant in [from, until).
func (g *generator) between(from, until time.Time) time.Time {
	return from.Add(time.Duration(g.r.Int64N(int64(until.Sub(from)))).Truncate(time.Minute))
}

func compareDates(a, b store.Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// loadZones loads the zone pool. The pool is fixed, so a zone that fails
// to load means the machine lacks tzdata, which no caller can handle.
func loadZones() map[string]*time.Location {
	m := make(map[string]*time.Location, len(zones)+len(processes))
	names := slices.Clone(zones)
	for _, p := range processes {
		names = append(names, p.zone)
	}
	for _, z := range names {
		loc, err := time.LoadLocation(z)
		if err != nil {
			panic(fmt.Sprintf("gen: loading zone %s (is tzdata installed?): %v", z, err))
		}
		m[z] = loc
	}
	return m
}

// pick returns an element of s, uniformly.
func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }
