package web

import (
	"strconv"
	"strings"
	"time"

	"talkbot/i18n"
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

// whenOf reads a round's start or end in l's language: an exact time as
// UTC and the round's local time, "2 June 2025, 10:00 UTC (13:00 Istanbul
// time)".
func whenOf(w store.When, l *i18n.Localizer) when {
	if !w.TimeKnown() {
		return whenIn(w, nil, l)
	}
	loc, err := store.LoadZone(w.Zone)
	if err != nil {
		loc = nil
	}
	return whenIn(w, loc, l)
}

// whenIn is whenOf with the round's zone loaded (nil: UTC only).
func whenIn(w store.When, loc *time.Location, l *i18n.Localizer) when {
	if w.IsZero() {
		return when{}
	}
	if !w.TimeKnown() {
		return dateOf(w.Date, l)
	}
	utc := w.At.UTC()
	text := l.Say("web.when.utc", "Date", dayText(utc, l), "Time", utc.Format("15:04"))
	if loc != nil && w.Zone != "UTC" {
		local := utc.In(loc)
		if store.DateOf(local) == store.DateOf(utc) {
			text += " " + l.Say("web.when.local", "Time", local.Format("15:04"), "Zone", zoneName(w.Zone, l))
		} else {
			text += " " + l.Say("web.when.local_day", "Day", local.Day(), "Month", month(local, l),
				"Time", local.Format("15:04"), "Zone", zoneName(w.Zone, l))
		}
	}
	return when{Datetime: utc.Format(time.RFC3339), Text: text, Exact: true}
}

// dateOf is a calendar date, "2 June 2025", "2 червня 2025".
func dateOf(d store.Date, l *i18n.Localizer) when {
	if d.IsZero() {
		return when{}
	}
	return when{Datetime: d.String(), Text: dayText(d.In(time.UTC), l)}
}

func dayText(t time.Time, l *i18n.Localizer) string {
	return l.Say("date.day", "Day", t.Day(), "Month", month(t, l), "Year", t.Year())
}

func month(t time.Time, l *i18n.Localizer) string {
	return l.Say("date.month." + strconv.Itoa(int(t.Month())))
}

// zoneName names an IANA zone as the replies do: "Istanbul time" for the
// zones of the talks, else by its city ("America/Argentina/Buenos_Aires"
// is "Buenos Aires time").
func zoneName(zone string, l *i18n.Localizer) string {
	if s, ok := l.Lookup("zone." + zone); ok {
		return s
	}
	city := zone[strings.LastIndex(zone, "/")+1:]
	return l.Say("zone.other", "City", strings.ReplaceAll(city, "_", " "))
}
