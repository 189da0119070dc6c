package remind

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultOffsets are used when a server or user names none.
var DefaultOffsets = []time.Duration{24 * time.Hour, time.Hour}

const (
	day        = 24 * time.Hour
	maxOffset  = 30 * day
	maxOffsets = 6
)

// offsetExample is what a refusal suggests.
const offsetExample = "use a comma list of times before the meeting in d, h or m, e.g. 7d,24h,1h,15m"

// OffsetErrorKind says why ParseOffsets refused, so that a caller can say
// it in its reader's language.
type OffsetErrorKind int

const (
	OffsetsNone       OffsetErrorKind = iota // nothing typed
	OffsetUnreadable                         // Part is no number and unit
	OffsetTwice                              // Part is listed twice
	OffsetsTooMany                           // more than Max offsets
	OffsetUnknownUnit                        // Part's unit is not d, h or m
	OffsetTooLong                            // Part is more than 30 days
)

// OffsetError refuses typed reminder times. Error() is the English
// reason with the example; Part is the offending piece as typed
// (lower-cased), Max the limit for OffsetsTooMany.
type OffsetError struct {
	Kind OffsetErrorKind
	Part string
	Max  int
}

func (e *OffsetError) Error() string {
	switch e.Kind {
	case OffsetsNone:
		return "no reminder times given: " + offsetExample
	case OffsetTwice:
		return fmt.Sprintf("%q is listed twice: %s", e.Part, offsetExample)
	case OffsetsTooMany:
		return fmt.Sprintf("at most %d reminder times: %s", e.Max, offsetExample)
	case OffsetUnknownUnit:
		return fmt.Sprintf("%q has an unknown unit: %s", e.Part, offsetExample)
	case OffsetTooLong:
		return fmt.Sprintf("%q is more than 30 days: %s", e.Part, offsetExample)
	}
	return fmt.Sprintf("%q is not a reminder time: %s", e.Part, offsetExample)
}

// ParseOffsets reads "7d,24h,1h,15m": units d, h and m, each at least one
// minute and at most 30 days, at most six, none repeated. The result is
// sorted longest first.
func ParseOffsets(s string) ([]time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, &OffsetError{Kind: OffsetsNone}
	}
	var out []time.Duration
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(strings.ToLower(part))
		d, err := parseOffset(part)
		if err != nil {
			return nil, err
		}
		if slices.Contains(out, d) {
			return nil, &OffsetError{Kind: OffsetTwice, Part: part}
		}
		out = append(out, d)
	}
	if len(out) > maxOffsets {
		return nil, &OffsetError{Kind: OffsetsTooMany, Max: maxOffsets}
	}
	slices.SortFunc(out, func(a, b time.Duration) int { return int((b - a) / time.Minute) })
	return out, nil
}

func parseOffset(part string) (time.Duration, error) {
	if len(part) < 2 {
		return 0, &OffsetError{Kind: OffsetUnreadable, Part: part}
	}
	n, err := strconv.Atoi(part[:len(part)-1])
	if err != nil || n < 1 {
		return 0, &OffsetError{Kind: OffsetUnreadable, Part: part}
	}
	var unit time.Duration
	switch part[len(part)-1] {
	case 'd':
		unit = day
	case 'h':
		unit = time.Hour
	case 'm':
		unit = time.Minute
	default:
		return 0, &OffsetError{Kind: OffsetUnknownUnit, Part: part}
	}
	if n > int(maxOffset/unit) {
		return 0, &OffsetError{Kind: OffsetTooLong, Part: part}
	}
	return time.Duration(n) * unit, nil
}

// FormatOffsets writes offsets as ParseOffsets reads them, in the largest
// whole unit: "7d,24h" would read back as 7d,1d, so days are used only
// for multiples of a day: 24h is written "1d".
func FormatOffsets(ds []time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = FormatOffset(d)
	}
	return strings.Join(parts, ",")
}

// FormatOffset writes one offset: "1d", "90m", "2h".
func FormatOffset(d time.Duration) string {
	switch {
	case d%day == 0:
		return strconv.Itoa(int(d/day)) + "d"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/time.Minute)) + "m"
}
