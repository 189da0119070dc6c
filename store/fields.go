package store

import (
	"strings"
	"time"
)

// The history keeps each entity's fields as text, so that a record can be
// shown, compared field by field (import conflicts, what changed
// meanwhile) and read by people, whatever the entity. Lists are one item a
// line, as the modals take them.

// Fields of a track's header.
func (t Track) Fields() map[string]string {
	return map[string]string{"title": t.Title, "timezone": t.Timezone, "guild": t.Guild}
}

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
