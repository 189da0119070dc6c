package discordtest_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/discordtest"
)

const (
	eventGuild       = "1180000000000000900"
	routeCreateEvent = "POST /guilds/{guild_id}/scheduled-events"
	routeEditEvent   = "PATCH /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
)

// externalEvent is a valid create body, start hours from now.
func externalEvent(start time.Duration) map[string]any {
	at := time.Now().UTC().Add(start).Truncate(time.Second)
	return map[string]any{
		"name": "Round 2", "description": "Agenda\ntalkbot:round/t/2", "entity_type": 3, "privacy_level": 2,
		"channel_id": nil, "entity_metadata": map[string]any{"location": "Istanbul"},
		"scheduled_start_time": at.Format(time.RFC3339), "scheduled_end_time": at.Add(3 * time.Hour).Format(time.RFC3339),
	}
}

func with(body map[string]any, key string, value any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	if value == nil {
		delete(out, key)
	} else {
		out[key] = value
	}
	return out
}

// createEvent makes a valid event through s and returns its id.
func createEvent(t *testing.T, s *discordgo.Session) string {
	t.Helper()
	raw, err := s.RequestWithBucketID("POST", discordgo.EndpointGuildScheduledEvents(eventGuild), externalEvent(24*time.Hour), "events")
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	return ev.ID
}

func TestEventBodiesThatBreakTheSpecOrDiscordsRulesAreViolations(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	events := discordgo.EndpointGuildScheduledEvents(eventGuild)
	valid := externalEvent(24 * time.Hour)
	id := createEvent(t, s)
	one := discordgo.EndpointGuildScheduledEvent(eventGuild, id)
	tests := []struct {
		name          string
		method, url   string
		body          any
		wantViolation string
	}{
		{"a name over 100 characters", "POST", events, with(valid, "name", strings.Repeat("n", 101)), "/name: maxLength"},
		{"an empty name", "POST", events, with(valid, "name", ""), "/name: Must be between 1 and 100"},
		{"a description over 1,000 characters", "POST", events, with(valid, "description", strings.Repeat("d", 1001)), "/description: maxLength"},
		{"a location over 100 characters", "POST", events, with(valid, "entity_metadata", map[string]any{"location": strings.Repeat("l", 101)}), "/entity_metadata/location"},
		{"an external event without a place", "POST", events, with(valid, "entity_metadata", nil), "/entity_metadata"},
		{"an external event without an end", "POST", events, with(valid, "scheduled_end_time", nil), "/scheduled_end_time: An EXTERNAL event needs"},
		{"an end before the start", "POST", events, with(valid, "scheduled_end_time", time.Now().Add(time.Hour).UTC().Format(time.RFC3339)), "GUILD_SCHEDULED_EVENT_END_BEFORE_START"},
		{"a public event, which Discord does not offer", "POST", events, with(valid, "privacy_level", 1), "/privacy_level"},
		{"a start that is no date", "POST", events, with(valid, "scheduled_start_time", "tomorrow"), "/scheduled_start_time"},
		{"an edit that ends the event before its stored start", "PATCH", one,
			map[string]any{"scheduled_end_time": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, "GUILD_SCHEDULED_EVENT_END_BEFORE_START"},
		{"an edit to a status that does not exist", "PATCH", one, map[string]any{"status": 9}, "/status"},
		{"an edit to EXTERNAL without a place", "PATCH", one,
			map[string]any{"entity_type": 3, "channel_id": nil, "scheduled_end_time": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)},
			"/entity_metadata/location: An EXTERNAL event needs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fake.Violations())
			_, err := s.RequestWithBucketID(tc.method, tc.url, tc.body, tc.url)
			if status, code := apiError(t, err); status != 400 || code != 50035 {
				t.Errorf("answer %d code %d, want 400 code 50035", status, code)
			}
			got := fake.Violations()[before:]
			if !slices.ContainsFunc(got, func(v string) bool { return strings.Contains(v, tc.wantViolation) }) {
				t.Errorf("violations %q do not mention %q", got, tc.wantViolation)
			}
		})
	}
	if evs := fake.Events(eventGuild); len(evs) != 1 || evs[0].Edits != 0 {
		t.Errorf("a refused body changed the events: %+v", evs)
	}
}

// TestEventRefusalsThatDependOnState are Discord's answers to valid bodies
// that the moment or the event's state forbids: refused, not violations.
func TestEventRefusalsThatDependOnState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		do         func(t *testing.T, fake *discordtest.Server, s *discordgo.Session, id string) error
		wantStatus int
		wantCode   int
		wantField  string // a field error code in the 50035's errors
	}{
		{"a start in the past", func(t *testing.T, _ *discordtest.Server, s *discordgo.Session, _ string) error {
			_, err := s.RequestWithBucketID("POST", discordgo.EndpointGuildScheduledEvents(eventGuild), externalEvent(-time.Minute), "e")
			return err
		}, 400, 50035, "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST"},
		{"a move into the past", func(t *testing.T, _ *discordtest.Server, s *discordgo.Session, id string) error {
			_, err := s.RequestWithBucketID("PATCH", discordgo.EndpointGuildScheduledEvent(eventGuild, id),
				map[string]any{"scheduled_start_time": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}, "e")
			return err
		}, 400, 50035, "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST"},
		{"a scheduled event set to completed", func(t *testing.T, _ *discordtest.Server, s *discordgo.Session, id string) error {
			_, err := s.RequestWithBucketID("PATCH", discordgo.EndpointGuildScheduledEvent(eventGuild, id), map[string]any{"status": 3}, "e")
			return err
		}, 400, 50035, "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION"},
		{"an edit of a cancelled event", func(t *testing.T, fake *discordtest.Server, s *discordgo.Session, id string) error {
			fake.SetEventStatus(eventGuild, id, discordtest.EventCanceled)
			_, err := s.RequestWithBucketID("PATCH", discordgo.EndpointGuildScheduledEvent(eventGuild, id), map[string]any{"name": "Round 3"}, "e")
			return err
		}, 400, 180000, ""},
		{"an edit of an event deleted by hand", func(t *testing.T, fake *discordtest.Server, s *discordgo.Session, id string) error {
			fake.DeleteEventByHand(eventGuild, id)
			_, err := s.RequestWithBucketID("PATCH", discordgo.EndpointGuildScheduledEvent(eventGuild, id), map[string]any{"name": "Round 3"}, "e")
			return err
		}, 404, 10070, ""},
		{"a read of an event deleted by hand", func(t *testing.T, fake *discordtest.Server, s *discordgo.Session, id string) error {
			fake.DeleteEventByHand(eventGuild, id)
			_, err := s.GuildScheduledEvent(eventGuild, id, false)
			return err
		}, 404, 10070, ""},
		{"a create without Manage Events", func(t *testing.T, fake *discordtest.Server, s *discordgo.Session, _ string) error {
			fake.DenyManageEvents(eventGuild)
			_, err := s.RequestWithBucketID("POST", discordgo.EndpointGuildScheduledEvents(eventGuild), externalEvent(time.Hour), "e")
			return err
		}, 403, 50013, ""},
		{"an edit without Manage Events", func(t *testing.T, fake *discordtest.Server, s *discordgo.Session, id string) error {
			fake.DenyManageEvents(eventGuild)
			_, err := s.RequestWithBucketID("PATCH", discordgo.EndpointGuildScheduledEvent(eventGuild, id), map[string]any{"status": 4}, "e")
			return err
		}, 403, 50013, ""},
		{"a delete without Manage Events", func(t *testing.T, fake *discordtest.Server, s *discordgo.Session, id string) error {
			fake.DenyManageEvents(eventGuild)
			return s.GuildScheduledEventDelete(eventGuild, id)
		}, 403, 50013, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			s := newSession(t, fake)
			id := createEvent(t, s)
			err := tc.do(t, fake, s, id)
			if status, code := apiError(t, err); status != tc.wantStatus || code != tc.wantCode {
				t.Errorf("answer %d code %d, want %d code %d", status, code, tc.wantStatus, tc.wantCode)
			}
			if tc.wantField != "" {
				var re *discordgo.RESTError
				if !errors.As(err, &re) || !strings.Contains(string(re.ResponseBody), tc.wantField) {
					t.Errorf("answer %v does not say %s", err, tc.wantField)
				}
			}
			if evs := fake.Events(eventGuild); len(evs) == 1 && evs[0].Edits != 0 {
				t.Errorf("a refused edit changed the event: %+v", evs[0])
			}
			assertNoViolations(t, fake)
		})
	}
}

func TestEventsAreListedReadEditedAndDeleted(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	id := createEvent(t, s)
	list, err := s.GuildScheduledEvents(eventGuild, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != id || list[0].EntityMetadata.Location != "Istanbul" ||
		list[0].EntityType != discordgo.GuildScheduledEventEntityTypeExternal || list[0].Status != discordgo.GuildScheduledEventStatusScheduled {
		t.Fatalf("listed %+v", list)
	}
	if other, err := s.GuildScheduledEvents("1180000000000000901", false); err != nil || len(other) != 0 {
		t.Errorf("another guild lists %v, %v", other, err)
	}
	start := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second)
	end := start.Add(time.Hour)
	edited, err := s.GuildScheduledEventEdit(eventGuild, id, &discordgo.GuildScheduledEventParams{
		Name: "Round 2, moved", ScheduledStartTime: &start, ScheduledEndTime: &end,
	})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Name != "Round 2, moved" || !edited.ScheduledStartTime.Equal(start) || edited.Description != "Agenda\ntalkbot:round/t/2" {
		t.Errorf("edited %+v: the edit should change what it sends and keep the rest", edited)
	}
	got, err := s.GuildScheduledEvent(eventGuild, id, false)
	if err != nil || got.Name != "Round 2, moved" || !got.ScheduledEndTime.Equal(end) {
		t.Errorf("read back %+v, %v", got, err)
	}
	if _, err := s.GuildScheduledEventEdit(eventGuild, id, &discordgo.GuildScheduledEventParams{Status: discordgo.GuildScheduledEventStatusCanceled}); err != nil {
		t.Fatal(err)
	}
	if evs := fake.Events(eventGuild); len(evs) != 1 || evs[0].Status != discordtest.EventCanceled || evs[0].Edits != 2 {
		t.Errorf("events %+v, want the one event cancelled after two edits", evs)
	}
	if err := s.GuildScheduledEventDelete(eventGuild, id); err != nil {
		t.Fatal(err)
	}
	if evs := fake.Events(eventGuild); len(evs) != 0 {
		t.Errorf("events left after the delete: %+v", evs)
	}
	assertNoViolations(t, fake)
}

func TestAGuildHoldsAtMostAHundredUnfinishedEvents(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	fake.SetRateLimit(routeCreateEvent, 1000, time.Second)
	s := newSession(t, fake)
	var first string
	for i := range discordtest.MaxOpenEvents {
		id := createEvent(t, s)
		if i == 0 {
			first = id
		}
	}
	_, err := s.RequestWithBucketID("POST", discordgo.EndpointGuildScheduledEvents(eventGuild), externalEvent(time.Hour), "e")
	if status, code := apiError(t, err); status != 400 || code != 30038 {
		t.Errorf("the 101st: %d code %d, want 400 code 30038", status, code)
	}
	fake.SetEventStatus(eventGuild, first, discordtest.EventCompleted)
	createEvent(t, s)
	if n := len(fake.Events(eventGuild)); n != discordtest.MaxOpenEvents+1 {
		t.Errorf("%d events, want 100 open and one completed", n)
	}
	assertNoViolations(t, fake)
}

func TestADroppedReplyLeavesTheEventMade(t *testing.T) {
	t.Parallel()
	for _, status := range []int{0, 500} {
		fake := discordtest.New(t)
		s := newSession(t, fake)
		fake.DropNextReply(routeCreateEvent, status)
		_, err := s.RequestWithBucketID("POST", discordgo.EndpointGuildScheduledEvents(eventGuild), externalEvent(time.Hour), "e")
		if err == nil {
			t.Fatalf("status %d: the client saw a success", status)
		}
		if evs := fake.Events(eventGuild); len(evs) != 1 {
			t.Errorf("status %d: %d events, want the one made", status, len(evs))
		}
		reqs := fake.Requests()
		if last := reqs[len(reqs)-1]; !last.Dropped || last.Status != status {
			t.Errorf("recorded %+v, want Dropped with status %d", last, status)
		}
		// Only the next reply is lost.
		createEvent(t, s)
	}
}
