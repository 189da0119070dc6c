// Package store owns talkbot's data model (tracks of talks and everything
// recorded about them) and the Store API that both database engines
// implement. No SQL lives outside store and its engine packages.
package store

import (
	"fmt"
	"time"
)

// Track is one negotiation process: its parties, people, rounds of talks,
// stated positions, quoted statements and the sources behind all of them.
type Track struct {
	ID       string
	Title    string
	Names    Names  // Title in other languages
	Timezone string // default IANA zone for the track's rounds
	// Guild is the server that owns the track (made with /talks-edit track
	// new); "" for a global track, which every server sees.
	Guild string
	// Public says a server's own track is published on the web page and
	// the calendar feeds as global tracks are; a global track always is.
	Public     bool
	Parties    []Party
	People     []Person
	Sources    []Source
	Rounds     []Round
	Positions  []Position
	Statements []Statement
	// Feeds are the news feeds the track follows (see Feed: only what the
	// dataset file holds).
	Feeds []Feed
}

// Role is what a party does in a track.
type Role string

const (
	RoleParty    Role = "party"
	RoleMediator Role = "mediator"
	RoleHost     Role = "host"
	RoleObserver Role = "observer"
	// RoleFacilitator is for a party a source credits with facilitating the
	// talks without calling it a mediator or host.
	RoleFacilitator Role = "facilitator"
)

// Roles lists the valid roles in the order the docs present them.
var Roles = []Role{RoleParty, RoleMediator, RoleHost, RoleFacilitator, RoleObserver}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Party is a state, organisation or group taking part in a track.
type Party struct {
	ID    string
	Name  string
	Names Names // Name in other languages
	Role  Role  // empty means RoleParty was not stated; treated as "party"
}

// Person speaks for a party.
type Person struct {
	ID    string
	Name  string
	Names Names  // Name in other languages
	Party string // party id, may be empty
	Title string // e.g. "Foreign Minister"
}

// Source is where a fact comes from.
type Source struct {
	ID        string
	Publisher string
	Title     string
	URL       string
	Published Date // zero when unknown
}

// Status is where a round of talks stands.
type Status string

const (
	StatusProposed  Status = "proposed"
	StatusScheduled Status = "scheduled"
	StatusHeld      Status = "held"
	StatusPostponed Status = "postponed"
	StatusCancelled Status = "cancelled"
)

// Statuses lists the valid statuses.
var Statuses = []Status{StatusProposed, StatusScheduled, StatusHeld, StatusPostponed, StatusCancelled}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Pending reports whether a round with this status is still expected to
// happen at its date: only those count as upcoming.
func (s Status) Pending() bool { return s == StatusProposed || s == StatusScheduled }

// Round is one meeting of a track, identified by its number in the track.
type Round struct {
	Track       string
	Number      int
	Status      Status
	Starts      When
	Ends        When   // zero when no end was given
	Timezone    string // IANA override as written in the dataset; empty means the track's
	Venue       string
	VenueNames  Names  // Venue in other languages
	ProposedBy  string // party id
	Delegations []Delegation
	Mediators   []string // party ids
	Agenda      []string
	Outcomes    []string
	Documents   []string
	Notes       []string // what the round's sources state about it that fits no other field
	Sources     []string // source ids, never empty
}

// Delegation is who a party sends to a round.
type Delegation struct {
	Party   string
	Head    string   // person id
	Members []string // person ids
}

// Position is what a party has stated on a topic.
type Position struct {
	Track    string
	Party    string
	Topic    string // slug such as "ceasefire"
	Summary  string
	StatedOn Date
	By       string // person id, may be empty
	Sources  []string
}

// Statement is a quote.
type Statement struct {
	Track  string
	By     string // person id
	Party  string // party id; the speaker's party when not given
	SaidOn Date
	Medium string // e.g. "post on X"
	Text   string
	// Language is the ISO 639-1 code of the language Text was said in
	// ("uk"); "" when unknown. Quotes are never translated.
	Language string
	Sources  []string
}

// When is the start or end of a round. Either only the date is known (the
// time was not announced) or the exact instant is. Both keep the IANA zone
// that applies, so "time not announced" is never lost and a date-only
// meeting's day can be placed on the timeline.
type When struct {
	Date Date      // calendar date in Zone; zero means no value
	At   time.Time // exact instant in UTC; zero when the time was not announced
	Zone string    // IANA zone name that applies
}

// IsZero reports whether w holds no value.
func (w When) IsZero() bool { return w.Date.IsZero() }

// TimeKnown reports whether the exact time was announced.
func (w When) TimeKnown() bool { return !w.At.IsZero() }

// Bounds returns the instant the meeting may begin and the instant before
// which it is still "today": for an exact time both are that instant; for a
// date-only value, the start of that day and of the next in Zone.
func (w When) Bounds() (from, until time.Time, err error) {
	if w.TimeKnown() {
		return w.At, w.At, nil
	}
	loc, err := time.LoadLocation(w.Zone)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("zone %q: %w", w.Zone, err)
	}
	from = w.Date.In(loc)
	until = w.Date.AddDays(1).In(loc)
	return from.UTC(), until.UTC(), nil
}
