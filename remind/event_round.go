package remind

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"talkbot/store"
)

// Discord's limits on a scheduled event's fields.
const (
	maxEventName        = 100
	maxEventDescription = 1000
	maxEventLocation    = 100
)

// AssumedLength is how long a meeting with no announced end is shown:
// Discord requires an end for an external event.
const AssumedLength = 3 * time.Hour

// RoundEvent is the event for round r of track t, as of now. A date-only
// round spans its whole day in its zone, and its name and description say
// the time was not announced: no invented time is shown as announced. One
// whose day has begun starts a few minutes after now instead (Discord
// refuses a start in the past), which is still "today, time not
// announced". ok is false when the round has no start.
func RoundEvent(t store.Track, r store.Round, now time.Time) (e Event, ok bool, err error) {
	if r.Starts.IsZero() {
		return Event{}, false, nil
	}
	start, end, err := EventSpan(r)
	if err != nil {
		return Event{}, false, fmt.Errorf("round %d of %s: %w", r.Number, t.ID, err)
	}
	dateOnly := !r.Starts.TimeKnown()
	if dateOnly && !start.After(now) {
		start = now.UTC().Truncate(time.Minute).Add(5 * time.Minute)
		if !end.After(start) {
			end = start.Add(time.Minute)
		}
	}
	suffix := ""
	if dateOnly {
		suffix = " (time not announced)"
	}
	title := t.Title
	if title == "" {
		title = t.ID
	}
	head := fmt.Sprintf("Round %d · ", r.Number)
	name := head + cut(title, maxEventName-units(head)-units(suffix)) + suffix

	var lines []string
	if len(r.Agenda) > 0 {
		lines = append(lines, "Agenda: "+strings.Join(r.Agenda, "; "))
	}
	if r.ProposedBy != "" {
		lines = append(lines, "Proposed by "+partyName(t, r.ProposedBy))
	}
	lines = append(lines, "Status: "+string(r.Status))
	if dateOnly {
		lines = append(lines, fmt.Sprintf("Time not announced: shown as the whole day of %s (%s).", r.Starts.Date, r.Starts.Zone))
	} else if r.Ends.IsZero() {
		lines = append(lines, "End time not announced: shown as 3 hours.")
	}
	if len(r.Sources) > 0 {
		lines = append(lines, "Sources:")
		byID := map[string]store.Source{}
		for _, s := range t.Sources {
			byID[s.ID] = s
		}
		for _, id := range r.Sources {
			s, ok := byID[id]
			if !ok {
				continue
			}
			line := "- " + s.Publisher
			if s.Title != "" {
				line += ": " + s.Title
			}
			if s.URL != "" {
				line += " " + s.URL
			}
			lines = append(lines, line)
		}
	}
	marker := EventMarker(t.ID, r.Number)
	body := cut(strings.Join(lines, "\n"), maxEventDescription-units(marker)-1)
	location := r.Venue
	if strings.TrimSpace(location) == "" {
		location = "To be announced"
	}
	return Event{
		Marker: marker, Name: name, Description: body + "\n" + marker,
		Location: cut(location, maxEventLocation), Start: start.UTC(), End: end.UTC(),
		Cancelled: r.Status == store.StatusCancelled,
	}, true, nil
}

// EventSpan is when a round's event runs: its start and end as
// announced; a date-only start from that day's midnight in its zone; a
// date-only end to the next midnight; no end, AssumedLength after a known
// start or the end of a date-only start's day.
func EventSpan(r store.Round) (start, end time.Time, err error) {
	start, dayEnd, err := r.Starts.Bounds()
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	switch {
	case !r.Ends.IsZero() && r.Ends.TimeKnown():
		end = r.Ends.At
	case !r.Ends.IsZero():
		if _, end, err = r.Ends.Bounds(); err != nil {
			return time.Time{}, time.Time{}, err
		}
	case r.Starts.TimeKnown():
		end = start.Add(AssumedLength)
	default:
		end = dayEnd
	}
	if !end.After(start) {
		end = start.Add(AssumedLength)
	}
	return start, end, nil
}

// EventHash names an event's content: a changed event gets a new hash,
// hence a new delivery key.
func EventHash(e Event) string {
	b, _ := json.Marshal(e) // an Event always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func partyName(t store.Track, id string) string {
	for _, p := range t.Parties {
		if p.ID == id {
			return p.Name
		}
	}
	return id
}

// units counts UTF-16 code units, as Discord counts a text's length.
func units(s string) int { return len(utf16.Encode([]rune(s))) }

// cut shortens s to at most max units, ending with an ellipsis when cut.
func cut(s string, max int) string {
	if units(s) <= max {
		return s
	}
	if max < 1 {
		return ""
	}
	budget := max - 1
	n := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 1 {
			w = 1
		}
		if n+w > budget {
			return strings.TrimRight(s[:i], " \n") + "…"
		}
		n += w
	}
	return s
}
