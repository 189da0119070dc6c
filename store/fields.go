package store

import (
	"fmt"
	"strings"
	"time"
)

// The history keeps each entity's fields as text, so that a record can be
// shown, compared field by field (import conflicts, what changed
// meanwhile) and read by people, whatever the entity. Lists are one item a
// line, as the modals take them.

// Fields of a track's header.
func (t Track) Fields() map[string]string {
	f := map[string]string{"title": t.Title, "timezone": t.Timezone, "guild": t.Guild}
	if t.Public {
		f["public"] = "yes" // only when set, so older records read the same
	}
	return f
}

// Published reports whether a track is on the web page and in the
// calendar feeds: every global track, and a server's track made public.
func (t TrackSummary) Published() bool { return t.Guild == "" || t.Public }

// Published reports whether a track is on the web page (TrackSummary.Published).
func (t Track) Published() bool { return t.Guild == "" || t.Public }

// Fields of a party.
func (p Party) Fields() map[string]string {
	return map[string]string{"name": p.Name, "role": string(p.Role)}
}

// Fields of a person.
func (p Person) Fields() map[string]string {
	return map[string]string{"name": p.Name, "party": p.Party, "title": p.Title}
}

// Fields of a source.
func (s Source) Fields() map[string]string {
	return map[string]string{"publisher": s.Publisher, "title": s.Title, "url": s.URL, "published": dateText(s.Published)}
}

// Fields of a round.
func (r Round) Fields() map[string]string {
	dels := make([]string, 0, len(r.Delegations))
	for _, d := range r.Delegations {
		line := d.Party + ":"
		if d.Head != "" {
			line += " head " + d.Head
		}
		if len(d.Members) > 0 {
			line += " members " + strings.Join(d.Members, ", ")
		}
		dels = append(dels, line)
	}
	return map[string]string{
		"status":      string(r.Status),
		"starts":      WhenText(r.Starts),
		"ends":        WhenText(r.Ends),
		"timezone":    r.Timezone,
		"venue":       r.Venue,
		"proposed_by": r.ProposedBy,
		"delegations": strings.Join(dels, "\n"),
		"mediators":   strings.Join(r.Mediators, "\n"),
		"agenda":      strings.Join(r.Agenda, "\n"),
		"outcomes":    strings.Join(r.Outcomes, "\n"),
		"documents":   strings.Join(r.Documents, "\n"),
		"notes":       strings.Join(r.Notes, "\n"),
		"sources":     strings.Join(r.Sources, "\n"),
	}
}

// Fields of a position.
func (p Position) Fields() map[string]string {
	return map[string]string{
		"party": p.Party, "topic": p.Topic, "summary": p.Summary,
		"stated_on": dateText(p.StatedOn), "by": p.By, "sources": strings.Join(p.Sources, "\n"),
	}
}

// Fields of a statement.
func (s Statement) Fields() map[string]string {
	return map[string]string{
		"by": s.By, "party": s.Party, "said_on": dateText(s.SaidOn), "medium": s.Medium,
		"text": s.Text, "sources": strings.Join(s.Sources, "\n"),
	}
}

func dateText(d Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// WhenText is a start or end as an editor writes it: the date alone when
// the time was not announced, else the wall time in its zone
// ("2025-06-02T13:00"), with seconds only when they are not zero.
func WhenText(w When) string {
	if w.IsZero() {
		return ""
	}
	if !w.TimeKnown() {
		return w.Date.String()
	}
	t := w.At
	if loc, err := LoadZone(w.Zone); err == nil {
		t = t.In(loc)
	} else {
		t = t.UTC()
	}
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return t.Format(time.RFC3339)
	}
	return t.Format("2006-01-02T15:04")
}

// The inverses of Fields read a history record's fields back into the
// entity, so that undo can restore what a change replaced.

// TrackFromFields is the header Track.Fields describes.
func TrackFromFields(id string, f map[string]string) Track {
	return Track{ID: id, Title: f["title"], Timezone: f["timezone"], Guild: f["guild"], Public: f["public"] == "yes"}
}

// PartyFromFields is the party Party.Fields describes.
func PartyFromFields(id string, f map[string]string) Party {
	return Party{ID: id, Name: f["name"], Role: Role(f["role"])}
}

// PersonFromFields is the person Person.Fields describes.
func PersonFromFields(id string, f map[string]string) Person {
	return Person{ID: id, Name: f["name"], Party: f["party"], Title: f["title"]}
}

// SourceFromFields is the source Source.Fields describes.
func SourceFromFields(id string, f map[string]string) (Source, error) {
	published, err := optionalDate(f["published"])
	if err != nil {
		return Source{}, fmt.Errorf("published: %w", err)
	}
	return Source{ID: id, Publisher: f["publisher"], Title: f["title"], URL: f["url"], Published: published}, nil
}

// RoundFromFields is the round Round.Fields describes; trackZone is the
// track's timezone, which applies unless the round names its own.
func RoundFromFields(track string, number int, trackZone string, f map[string]string) (Round, error) {
	r := Round{
		Track: track, Number: number, Status: Status(f["status"]), Timezone: f["timezone"],
		Venue: f["venue"], ProposedBy: f["proposed_by"],
		Mediators: lines(f["mediators"]), Agenda: lines(f["agenda"]), Outcomes: lines(f["outcomes"]),
		Documents: lines(f["documents"]), Notes: lines(f["notes"]), Sources: lines(f["sources"]),
	}
	zone := trackZone
	if r.Timezone != "" {
		zone = r.Timezone
	}
	var err error
	if r.Starts, err = ParseWhenText(f["starts"], zone); err != nil {
		return r, fmt.Errorf("starts: %w", err)
	}
	if r.Ends, err = ParseWhenText(f["ends"], zone); err != nil {
		return r, fmt.Errorf("ends: %w", err)
	}
	for _, line := range lines(f["delegations"]) {
		party, rest, ok := strings.Cut(line, ":")
		if !ok {
			return r, fmt.Errorf("delegations: %q has no party", line)
		}
		d := Delegation{Party: party}
		rest = strings.TrimSpace(rest)
		if head, ok := strings.CutPrefix(rest, "head "); ok {
			d.Head, rest, _ = strings.Cut(head, " ")
			rest = strings.TrimSpace(rest)
		}
		if members, ok := strings.CutPrefix(rest, "members "); ok {
			d.Members = strings.Split(members, ", ")
		}
		r.Delegations = append(r.Delegations, d)
	}
	return r, nil
}

// PositionFromFields is the position Position.Fields describes.
func PositionFromFields(track string, f map[string]string) (Position, error) {
	on, err := optionalDate(f["stated_on"])
	if err != nil {
		return Position{}, fmt.Errorf("stated_on: %w", err)
	}
	return Position{Track: track, Party: f["party"], Topic: f["topic"], Summary: f["summary"], StatedOn: on,
		By: f["by"], Sources: lines(f["sources"])}, nil
}

// StatementFromFields is the statement Statement.Fields describes.
func StatementFromFields(track string, f map[string]string) (Statement, error) {
	on, err := optionalDate(f["said_on"])
	if err != nil {
		return Statement{}, fmt.Errorf("said_on: %w", err)
	}
	return Statement{Track: track, By: f["by"], Party: f["party"], SaidOn: on, Medium: f["medium"],
		Text: f["text"], Sources: lines(f["sources"])}, nil
}

// ParseWhenText reads WhenText's forms in zone: a date alone, a wall time
// ("2025-06-02T13:00"), or RFC 3339 with an offset. A wall time that a DST
// change repeats is read as its first occurrence.
func ParseWhenText(s, zone string) (When, error) {
	if s == "" {
		return When{}, nil
	}
	loc, err := LoadZone(zone)
	if err != nil {
		return When{}, err
	}
	if d, err := ParseDate(s); err == nil {
		return When{Date: d, Zone: zone}, nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return When{}, fmt.Errorf("%q is neither a date nor a time", s)
		}
	}
	return When{Date: DateOf(t.In(loc)), At: t.UTC(), Zone: zone}, nil
}

func optionalDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	return ParseDate(s)
}

// lines splits a one-item-a-line list; nil for "".
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
