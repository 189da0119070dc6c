package web

import (
	"strings"
	"time"

	"talkbot/store"
)

// when is a date or an instant as a page shows it: Datetime is the <time>
// element's machine-readable value, Text what a reader sees without
// script, Exact whether the script may show it in the reader's timezone
// (never for a date-only value: its time was not announced).
type when struct {
	Datetime, Text string
	Exact          bool
}

// whenOf reads a round's start or end: an exact time as UTC and the
// round's local time, "2 June 2025, 10:00 UTC (13:00 Istanbul time)".
func whenOf(w store.When) when {
	if !w.TimeKnown() {
		return whenIn(w, nil)
	}
	loc, err := store.LoadZone(w.Zone)
	if err != nil {
		loc = nil
	}
	return whenIn(w, loc)
}

// whenIn is whenOf with the round's zone loaded (nil: UTC only).
func whenIn(w store.When, loc *time.Location) when {
	if w.IsZero() {
		return when{}
	}
	if !w.TimeKnown() {
		return dateOf(w.Date)
	}
	utc := w.At.UTC()
	text := utc.Format("2 January 2006, 15:04") + " UTC"
	if loc != nil && w.Zone != "UTC" {
		local := utc.In(loc)
		if store.DateOf(local) == store.DateOf(utc) {
			text += " (" + local.Format("15:04") + " " + zoneCity(w.Zone) + " time)"
		} else {
			text += " (" + local.Format("2 January, 15:04") + " " + zoneCity(w.Zone) + " time)"
		}
	}
	return when{Datetime: utc.Format(time.RFC3339), Text: text, Exact: true}
}

// dateOf is a calendar date, "2 June 2025".
func dateOf(d store.Date) when {
	if d.IsZero() {
		return when{}
	}
	return when{Datetime: d.String(), Text: d.In(time.UTC).Format("2 January 2006")}
}

// zoneCity names an IANA zone by its city: "Europe/Istanbul" -> "Istanbul",
// "America/Argentina/Buenos_Aires" -> "Buenos Aires".
func zoneCity(zone string) string {
	city := zone[strings.LastIndex(zone, "/")+1:]
	return strings.ReplaceAll(city, "_", " ")
}
