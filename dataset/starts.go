package dataset

import (
	"fmt"
	"slices"
	"time"

	"talkbot/store"
)

// layoutLocal is the wall-clock form curators write when the round's zone
// says where the clock hangs: no offset, no seconds.
const layoutLocal = "2006-01-02T15:04"

// ParseStarts parses a `starts:` or `ends:` value in the IANA zone that
// applies to the round:
//
//	"2025-06-02"                -> the date only (the time was not announced)
//	"2025-06-02T10:00"          -> local wall time in zone
//	"2025-06-02T10:00:00+03:00" -> an exact instant (RFC 3339, Z or an offset,
//	                               seconds optional)
//
// A local time that does not exist (skipped at a DST change) or happens
// twice (repeated at a DST change) is an error that suggests the RFC 3339
// form with an explicit offset.
func ParseStarts(s, zone string) (store.When, error) {
	loc, err := store.LoadZone(zone)
	if err != nil {
		return store.When{}, err
	}
	return parseStartsIn(s, zone, loc)
}

// FormatStarts is the inverse of ParseStarts used by Write: a date-only
// value as YYYY-MM-DD; an exact one as local YYYY-MM-DDTHH:MM in its zone
// when that reads back as the same instant, else as RFC 3339 with the
// zone's offset (or in UTC when even that would not read back).
func FormatStarts(w store.When) string {
	if w.IsZero() {
		return ""
	}
	if !w.TimeKnown() {
		return w.Date.String()
	}
	loc, err := store.LoadZone(w.Zone)
	if err != nil {
		return w.At.UTC().Format(time.RFC3339Nano)
	}
	return formatStartsIn(w, loc)
}

func formatStartsIn(w store.When, loc *time.Location) string {
	if !w.TimeKnown() {
		return w.Date.String()
	}
	local := w.At.In(loc)
	candidates := [3]string{"", local.Format(time.RFC3339Nano), w.At.UTC().Format(time.RFC3339Nano)}
	if local.Second() == 0 && local.Nanosecond() == 0 {
		candidates[0] = local.Format(layoutLocal)
	}
	for _, s := range candidates {
		if s == "" {
			continue
		}
		if got, err := parseStartsIn(s, w.Zone, loc); err == nil && sameWhen(got, w) {
			return s
		}
	}
	// Unreachable for values ParseStarts produced; keep the instant anyway.
	return candidates[2]
}

func sameWhen(a, b store.When) bool {
	return a.Date == b.Date && a.Zone == b.Zone && a.At.Equal(b.At)
}

func parseStartsIn(s, zone string, loc *time.Location) (store.When, error) {
	switch {
	case shaped(s, "0000-00-00"):
		d, err := store.ParseDate(s)
		if err != nil {
			return store.When{}, badStarts(s)
		}
		return store.When{Date: d, Zone: zone}, nil
	case shaped(s, "0000-00-00T00:00"):
		wall, err := time.Parse(layoutLocal, s)
		if err != nil {
			return store.When{}, badStarts(s)
		}
		at, err := localInstant(wall, zone, loc)
		if err != nil {
			return store.When{}, err
		}
		return store.When{Date: store.DateOf(wall), At: at.UTC(), Zone: zone}, nil
	}
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		// RFC 3339 proper requires seconds; curators often leave them out.
		at, err = time.Parse("2006-01-02T15:04Z07:00", s)
	}
	if err != nil {
		return store.When{}, badStarts(s)
	}
	// Write must be able to print the value back with a four-digit year
	// both in the zone and in UTC.
	if y := at.UTC().Year(); y < 1 || y > 9999 {
		return store.When{}, fmt.Errorf("%s is out of range: use a year from 0001 to 9999", s)
	}
	if y := at.In(loc).Year(); y < 1 || y > 9999 {
		return store.When{}, fmt.Errorf("%s is out of range: use a year from 0001 to 9999", s)
	}
	return store.When{Date: store.DateOf(at.In(loc)), At: at.UTC(), Zone: zone}, nil
}

func badStarts(s string) error {
	if why := impossibleDay(s); why != "" {
		return fmt.Errorf("bad date %q: %s", s, why)
	}
	return fmt.Errorf("bad date or time %q: use YYYY-MM-DD (time not announced), YYYY-MM-DDTHH:MM (local time) or RFC 3339 such as 2025-06-02T10:00:00+03:00", s)
}

// shaped reports whether s has the shape of pattern, where '0' stands for
// any digit and every other byte must match exactly.
func shaped(s, pattern string) bool {
	if len(s) != len(pattern) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if pattern[i] == '0' {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		} else if s[i] != pattern[i] {
			return false
		}
	}
	return true
}

// localInstant finds the one instant at which clocks in loc show wall
// (given as a UTC time whose fields are the wall clock). At a DST change a
// wall time can be skipped or repeated; both are errors because guessing
// would put a meeting an hour off.
func localInstant(wall time.Time, zone string, loc *time.Location) (time.Time, error) {
	guess := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, loc)
	// The offsets that can apply are those of guess's zone period and of
	// its neighbours; try each and keep the ones that show wall.
	start, end := guess.ZoneBounds()
	probes := []time.Time{guess}
	if !start.IsZero() {
		probes = append(probes, start.Add(-time.Nanosecond))
	}
	if !end.IsZero() {
		probes = append(probes, end)
	}
	var found []time.Time
	var later time.Time // a skipped time moved forward by the gap, for the message
	for _, p := range probes {
		_, offset := p.Zone()
		at := wall.Add(-time.Duration(offset) * time.Second)
		if at.After(later) {
			later = at
		}
		local := at.In(loc)
		if local.Year() != wall.Year() || local.YearDay() != wall.YearDay() || local.Hour() != wall.Hour() || local.Minute() != wall.Minute() || local.Second() != 0 {
			continue
		}
		dup := false
		for _, f := range found {
			dup = dup || f.Equal(at)
		}
		if !dup {
			found = append(found, at)
		}
	}
	slices.SortFunc(found, time.Time.Compare)
	text := wall.Format(layoutLocal)
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return time.Time{}, fmt.Errorf("%s does not exist in %s (clocks skip it at a DST change): give the time in RFC 3339 with an explicit offset, e.g. %s",
			text, zone, later.In(loc).Format(time.RFC3339))
	default:
		return time.Time{}, fmt.Errorf("%s happens twice in %s (clocks repeat it at a DST change): give the time in RFC 3339 with an explicit offset, either %s or %s",
			text, zone, found[0].In(loc).Format(time.RFC3339), found[1].In(loc).Format(time.RFC3339))
	}
}
