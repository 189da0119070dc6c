package store

import (
	"fmt"
	"strings"
	"time"
)

// ZoneProblem is why LoadZone refused a zone name.
type ZoneProblem int

const (
	ZoneMissing ZoneProblem = iota + 1 // no name
	ZoneLocal                          // "Local": the machine's own zone
	ZoneUnknown                        // not in the IANA database
)

// ZoneError is a zone name LoadZone refuses. Its message suits a data
// file's checker; an edge that talks to users words it its own way from
// Problem.
type ZoneError struct {
	Name    string
	Problem ZoneProblem
}

func (e *ZoneError) Error() string {
	switch e.Problem {
	case ZoneMissing:
		return "missing timezone: use an IANA name such as Europe/Istanbul"
	case ZoneLocal:
		return fmt.Sprintf("timezone %q means the server's own zone: use an IANA name such as Europe/Istanbul", e.Name)
	}
	return fmt.Sprintf("unknown timezone %q: use an IANA name such as Europe/Istanbul", e.Name)
}

// LoadZone reads an IANA zone name. "" and "Local" (in any case) are
// refused: both mean the zone of the machine talkbot runs on, so the same
// data or setting would mean another time on another machine, and nobody
// in Discord can see that zone.
func LoadZone(name string) (*time.Location, error) {
	switch {
	case name == "":
		return nil, &ZoneError{Name: name, Problem: ZoneMissing}
	case strings.EqualFold(name, "Local"):
		return nil, &ZoneError{Name: name, Problem: ZoneLocal}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, &ZoneError{Name: name, Problem: ZoneUnknown}
	}
	return loc, nil
}
