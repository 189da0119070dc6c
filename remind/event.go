package remind

import (
	"strconv"
	"time"
)

// Event is a Discord guild scheduled event as talkbot wants it to be for
// one round in one server: what the sender creates or edits.
type Event struct {
	// Marker is the line talkbot writes at the end of Description,
	// "talkbot:round/<track>/<n>", so a create whose reply was lost is
	// found again in the guild's event list instead of made twice.
	Marker      string
	Name        string // at most 100 characters
	Description string // at most 1,000 characters, Marker included
	Location    string // entity_metadata.location: the venue (1-100 characters)
	Start, End  time.Time
	// Cancelled asks for status 4 (CANCELED); otherwise the event stays
	// scheduled (status 1).
	Cancelled bool
}

// EventMarker is the marker of a track's round.
func EventMarker(track string, round int) string {
	return "talkbot:round/" + track + "/" + strconv.Itoa(round)
}
