package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Guild scheduled-event routes, named as in Discord's OpenAPI description.
const (
	routeListEvents  = "GET /guilds/{guild_id}/scheduled-events"
	routeCreateEvent = "POST /guilds/{guild_id}/scheduled-events"
	routeGetEvent    = "GET /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
	routeEditEvent   = "PATCH /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
	routeDeleteEvent = "DELETE /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
)

// Guild scheduled event statuses.
const (
	EventScheduled = 1
	EventActive    = 2
	EventCompleted = 3
	EventCanceled  = 4
)

// Discord's JSON error codes of the scheduled-event routes.
const (
	codeUnknownEvent       = 10070
	codeMaxEvents          = 30038
	codeMissingPermissions = 50013
	codeInvalidFormBody    = 50035
	codeFinishedEvent      = 180000
)

// MaxOpenEvents is Discord's limit: "A guild can have a maximum of 100
// events with SCHEDULED or ACTIVE status at any time."
const MaxOpenEvents = 100

// entityExternal is the entity type of an event somewhere outside Discord.
const entityExternal = 3

// ScheduledEvent is a guild scheduled event as the fake keeps it.
type ScheduledEvent struct {
	ID, GuildID  string
	Name         string
	Description  string
	Location     string // entity_metadata.location
	Start, End   time.Time
	Status       int // EventScheduled ... EventCanceled
	EntityType   int
	PrivacyLevel int
	Edits        int             // PATCHes applied
	Raw          json.RawMessage // the body that created it, or last edited it
}

// eventState is what the scheduled-event routes remember; guarded by
// Server.mu.
type eventState struct {
	byGuild map[string][]*ScheduledEvent // oldest first
	denied  map[string]bool              // guilds where the bot lacks Manage Events
	drops   []*drop
}

func newEventState() eventState {
	return eventState{byGuild: map[string][]*ScheduledEvent{}, denied: map[string]bool{}}
}

// drop is a scripted lost reply: the request takes effect, the client sees
// status (0: the connection closes with no answer at all).
type drop struct {
	route  string
	status int
}

// Events returns the scheduled events of a guild, oldest first, as they are
// now; events deleted (by the bot or by hand) are gone.
func (s *Server) Events(guildID string) []ScheduledEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ScheduledEvent
	for _, e := range s.state.events.byGuild[guildID] {
		out = append(out, *e)
	}
	return out
}

// DeleteEventByHand deletes an event as a server moderator would in
// Discord's client: later requests for it get 404 with 10070 Unknown Guild
// Scheduled Event. It reports whether there was such an event.
func (s *Server) DeleteEventByHand(guildID, eventID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notifyLocked()
	return s.deleteEventLocked(guildID, eventID)
}

// SetEventStatus changes an event's status as Discord itself does (an
// external event becomes ACTIVE at its start and COMPLETED at its end) or
// as a moderator might; it does not check the transition.
func (s *Server) SetEventStatus(guildID, eventID string, status int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.eventLocked(guildID, eventID)
	if e == nil {
		return false
	}
	e.Status = status
	s.notifyLocked()
	return true
}

// DenyManageEvents takes the Manage Events permission from the bot in a
// guild: from now on, creating, editing and deleting its scheduled events
// get 403 with 50013 Missing Permissions. Listing them still works, as
// reading external events needs no permission.
func (s *Server) DenyManageEvents(guildID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.events.denied[guildID] = true
}

// AllowManageEvents gives the permission back.
func (s *Server) AllowManageEvents(guildID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.state.events.denied, guildID)
}

// DropNextReply loses the answer to the next request of route that succeeds
// (e.g. "POST /guilds/{guild_id}/scheduled-events"): Discord has done what
// it asked, but the client sees status with Discord's error body instead,
// or, with status 0, a connection closed before any answer. The request is
// recorded with Dropped set and Status the status the client saw. Use it
// for methods Go's transport does not resend on a closed connection (POST,
// PATCH). Call it from the test goroutine.
func (s *Server) DropNextReply(route string, status int) {
	s.t.Helper()
	s.mustKnowRoute(route)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.events.drops = append(s.state.events.drops, &drop{route: route, status: status})
}

// takeDrop consumes the drop scripted for a request that got answer status,
// if any.
func (s *Server) takeDrop(route string, status int) *drop {
	if status < 200 || status > 299 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, d := range s.state.events.drops {
		if d.route == route {
			s.state.events.drops = slices.Delete(s.state.events.drops, i, i+1)
			return d
		}
	}
	return nil
}

func (s *Server) eventLocked(guildID, eventID string) *ScheduledEvent {
	for _, e := range s.state.events.byGuild[guildID] {
		if e.ID == eventID {
			return e
		}
	}
	return nil
}

func (s *Server) deleteEventLocked(guildID, eventID string) bool {
	evs := s.state.events.byGuild[guildID]
	for i, e := range evs {
		if e.ID == eventID {
			s.state.events.byGuild[guildID] = slices.Delete(evs, i, i+1)
			return true
		}
	}
	return false
}

// eventBody is what the fake reads from a create or edit; pointers tell a
// field left out from one sent.
type eventBody struct {
	Name           *string         `json:"name"`
	Description    json.RawMessage `json:"description"`
	Start          *string         `json:"scheduled_start_time"`
	End            json.RawMessage `json:"scheduled_end_time"`
	PrivacyLevel   *int            `json:"privacy_level"`
	EntityType     json.RawMessage `json:"entity_type"`
	ChannelID      json.RawMessage `json:"channel_id"`
	Status         json.RawMessage `json:"status"`
	EntityMetadata json.RawMessage `json:"entity_metadata"`
}

func (b eventBody) location() (string, bool) {
	if isNull(b.EntityMetadata) {
		return "", false
	}
	var m struct {
		Location *string `json:"location"`
	}
	if json.Unmarshal(b.EntityMetadata, &m) != nil || m.Location == nil {
		return "", false
	}
	return *m.Location, true
}

func optionalInt(raw json.RawMessage) (int, bool) {
	var n int
	if isNull(raw) || json.Unmarshal(raw, &n) != nil {
		return 0, false
	}
	return n, true
}

func optionalString(raw json.RawMessage) (string, bool) {
	var s string
	if isNull(raw) || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// parseEventTime reads an ISO 8601 timestamp as the schema's date-time
// format has already checked it.
func parseEventTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// eventRules checks what Discord documents for a scheduled event's body and
// the description does not state: a name and a location that are not empty
// (1-100 characters; the description states the 100); for an EXTERNAL
// event ("Field Requirements By Entity Type") channel_id null,
// entity_metadata with a location, and an end time; an
// end after the start. An edit is checked for what it sends (one sending
// entity_type 3 as a change to EXTERNAL); the end after the stored start is
// checked by the handler.
func eventRules(body []byte, create bool) []issue {
	var b eventBody
	if json.Unmarshal(body, &b) != nil {
		return nil // the schema check has said what is wrong
	}
	var out []issue
	if b.Name != nil && runes(*b.Name) == 0 {
		out = append(out, issue{path: []string{"name"}, code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length."})
	}
	if loc, ok := b.location(); ok && runes(loc) == 0 {
		out = append(out, issue{path: []string{"entity_metadata", "location"}, code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length."})
	}
	if entity, ok := optionalInt(b.EntityType); ok && entity == entityExternal {
		if !isNull(b.ChannelID) {
			out = append(out, issue{path: []string{"channel_id"}, code: "GUILD_SCHEDULED_EVENT_EXTERNAL_CHANNEL", message: "channel_id must be null for an EXTERNAL event"})
		}
		if _, ok := b.location(); !ok && !create {
			// A create's schema requires it already.
			out = append(out, issue{path: []string{"entity_metadata", "location"}, code: "BASE_TYPE_REQUIRED", message: "An EXTERNAL event needs entity_metadata with a location"})
		}
		if isNull(b.End) {
			out = append(out, issue{path: []string{"scheduled_end_time"}, code: "BASE_TYPE_REQUIRED", message: "An EXTERNAL event needs a scheduled_end_time"})
		}
	}
	if b.Start != nil {
		start, okStart := parseEventTime(*b.Start)
		endText, hasEnd := optionalString(b.End)
		end, okEnd := parseEventTime(endText)
		if okStart && hasEnd && okEnd && !end.After(start) {
			out = append(out, endBeforeStart())
		}
	}
	return out
}

// endBeforeStart is the fake's own wording; Discord refuses such a body
// with 50035 at scheduled_end_time.
func endBeforeStart() issue {
	return issue{path: []string{"scheduled_end_time"}, code: "GUILD_SCHEDULED_EVENT_END_BEFORE_START", message: "The end time must be after the start time."}
}

// scheduledInPast is Discord's refusal of a start that has passed: a 50035
// at scheduled_start_time with code GUILD_SCHEDULED_EVENT_SCHEDULE_PAST. It
// depends on the clock, not on the body alone, so it is a refusal and not a
// violation.
func scheduledInPast() response {
	return response{status: http.StatusBadRequest, body: issuesBody([]issue{{
		path: []string{"scheduled_start_time"}, code: "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", message: "Cannot schedule event in the past.",
	}})}
}

func (s *Server) eventDenied(guildID string) *response {
	if !s.state.events.denied[guildID] {
		return nil
	}
	r := jsonError(http.StatusForbidden, codeMissingPermissions, "Missing Permissions")
	return &r
}

func unknownEvent() response {
	return jsonError(http.StatusNotFound, codeUnknownEvent, "Unknown Guild Scheduled Event")
}

// listEvents answers GET /guilds/{guild_id}/scheduled-events.
func (s *Server) listEvents(r *Request) response {
	withCount := r.Query.Get("with_user_count") == "true"
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, e := range s.state.events.byGuild[r.Params["guild_id"]] {
		out = append(out, s.eventObject(e, withCount))
	}
	return response{status: http.StatusOK, body: out}
}

// getEvent answers GET /guilds/{guild_id}/scheduled-events/{id}.
func (s *Server) getEvent(r *Request) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.eventLocked(r.Params["guild_id"], r.Params["guild_scheduled_event_id"])
	if e == nil {
		return unknownEvent()
	}
	return response{status: http.StatusOK, body: s.eventObject(e, r.Query.Get("with_user_count") == "true")}
}

// createEvent answers POST /guilds/{guild_id}/scheduled-events.
func (s *Server) createEvent(r *Request) response {
	var b eventBody
	if err := json.Unmarshal(r.Body, &b); err != nil {
		return s.misread(r, err)
	}
	guild := r.Params["guild_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if denied := s.eventDenied(guild); denied != nil {
		return *denied
	}
	e := &ScheduledEvent{ID: s.idGen.next(), GuildID: guild, Status: EventScheduled}
	if err := e.apply(b, r.Body); err != nil {
		return s.misread(r, err)
	}
	if !e.Start.After(time.Now()) {
		return scheduledInPast()
	}
	open := 0
	for _, o := range s.state.events.byGuild[guild] {
		if o.Status == EventScheduled || o.Status == EventActive {
			open++
		}
	}
	if open >= MaxOpenEvents {
		return jsonError(http.StatusBadRequest, codeMaxEvents, "Maximum number of uncompleted guild scheduled events reached (100)")
	}
	s.state.events.byGuild[guild] = append(s.state.events.byGuild[guild], e)
	s.notifyLocked()
	return response{status: http.StatusOK, body: s.eventObject(e, false)}
}

// editEvent answers PATCH /guilds/{guild_id}/scheduled-events/{id}:
// "Once status is set to COMPLETED or CANCELED, the status can no longer
// be updated" (and nothing else can: 180000 Cannot update a finished
// event); the valid transitions are SCHEDULED to ACTIVE or CANCELED and
// ACTIVE to COMPLETED.
func (s *Server) editEvent(r *Request) response {
	var b eventBody
	if err := json.Unmarshal(r.Body, &b); err != nil {
		return s.misread(r, err)
	}
	guild := r.Params["guild_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if denied := s.eventDenied(guild); denied != nil {
		return *denied
	}
	e := s.eventLocked(guild, r.Params["guild_scheduled_event_id"])
	if e == nil {
		return unknownEvent()
	}
	if e.Status == EventCompleted || e.Status == EventCanceled {
		return jsonError(http.StatusBadRequest, codeFinishedEvent, "Cannot update a finished event")
	}
	if to, ok := optionalInt(b.Status); ok && to != e.Status && !validTransition(e.Status, to) {
		return response{status: http.StatusBadRequest, body: issuesBody([]issue{{
			path: []string{"status"}, code: "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
			message: fmt.Sprintf("An event cannot go from status %d to %d.", e.Status, to),
		}})}
	}
	next := *e
	if err := next.apply(b, r.Body); err != nil {
		return s.misread(r, err)
	}
	if b.Start != nil && e.Status == EventScheduled && !next.Start.After(time.Now()) {
		return scheduledInPast()
	}
	if !next.End.IsZero() && !next.End.After(next.Start) {
		// The body alone may look fine (only an end, before the stored
		// start): the bot's fault all the same.
		is := endBeforeStart()
		s.violationLocked(r.Route, is)
		return response{status: http.StatusBadRequest, body: issuesBody([]issue{is})}
	}
	next.Edits++
	*e = next
	s.notifyLocked()
	return response{status: http.StatusOK, body: s.eventObject(e, false)}
}

func validTransition(from, to int) bool {
	switch from {
	case EventScheduled:
		return to == EventActive || to == EventCanceled
	case EventActive:
		return to == EventCompleted
	}
	return false
}

// deleteEvent answers DELETE /guilds/{guild_id}/scheduled-events/{id}.
func (s *Server) deleteEvent(r *Request) response {
	guild := r.Params["guild_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if denied := s.eventDenied(guild); denied != nil {
		return *denied
	}
	if !s.deleteEventLocked(guild, r.Params["guild_scheduled_event_id"]) {
		return unknownEvent()
	}
	s.notifyLocked()
	return response{status: http.StatusNoContent}
}

// apply sets what b sets; the body has passed validation.
func (e *ScheduledEvent) apply(b eventBody, raw []byte) error {
	if b.Name != nil {
		e.Name = *b.Name
	}
	if b.Description != nil {
		e.Description, _ = optionalString(b.Description)
	}
	if b.Start != nil {
		t, ok := parseEventTime(*b.Start)
		if !ok {
			return fmt.Errorf("scheduled_start_time %q", *b.Start)
		}
		e.Start = t
	}
	if b.End != nil {
		e.End = time.Time{}
		if text, ok := optionalString(b.End); ok {
			t, ok := parseEventTime(text)
			if !ok {
				return fmt.Errorf("scheduled_end_time %q", text)
			}
			e.End = t
		}
	}
	if b.PrivacyLevel != nil {
		e.PrivacyLevel = *b.PrivacyLevel
	}
	if n, ok := optionalInt(b.EntityType); ok {
		e.EntityType = n
	}
	if n, ok := optionalInt(b.Status); ok {
		e.Status = n
	}
	if loc, ok := b.location(); ok {
		e.Location = loc
	}
	e.Raw = raw
	return nil
}

// eventObject is Discord's guild scheduled event object for e; s.mu must
// be held.
func (s *Server) eventObject(e *ScheduledEvent, withCount bool) map[string]any {
	var end, desc any
	if !e.End.IsZero() {
		end = discordTime(e.End)
	}
	if e.Description != "" {
		desc = e.Description
	}
	obj := map[string]any{
		"id": e.ID, "guild_id": e.GuildID, "channel_id": nil, "creator_id": s.BotUserID, "creator": s.botUser(),
		"name": e.Name, "description": desc, "scheduled_start_time": discordTime(e.Start), "scheduled_end_time": end,
		"privacy_level": e.PrivacyLevel, "status": e.Status, "entity_type": e.EntityType, "entity_id": nil,
		"entity_metadata": map[string]any{"location": e.Location}, "image": nil, "recurrence_rule": nil,
	}
	if withCount {
		obj["user_count"] = 0
	}
	return obj
}
