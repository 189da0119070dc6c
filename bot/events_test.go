package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/remind"
	"talkbot/schedule"
)

const (
	eventGuild       = "1180000000000000900"
	routeListEvents  = "GET /guilds/{guild_id}/scheduled-events"
	routeCreateEvent = "POST /guilds/{guild_id}/scheduled-events"
	routeEditEvent   = "PATCH /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
	routeDeleteEvent = "DELETE /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
)

// eventSender is a bot's sender on a fake Discord, and the fake. rate is
// the bot's global ceiling (0: the default).
func eventSender(t *testing.T, rate int) (*discordtest.Server, *Sender) {
	t.Helper()
	fake := discordtest.New(t)
	b, err := New(Options{Token: fake.Token, APIURL: fake.APIBase, Log: slog.New(slog.DiscardHandler), RateLimit: rate})
	if err != nil {
		t.Fatal(err)
	}
	return fake, b.Sender()
}

// roundEvent is the event of a round starting start, as the planner makes
// one: the marker is the description's last line.
func roundEvent(track string, n int, start time.Time) remind.Event {
	marker := remind.EventMarker(track, n)
	return remind.Event{
		Marker:      marker,
		Name:        fmt.Sprintf("Round %d · Russia–Ukraine talks, Istanbul", n),
		Description: "Agenda: prisoner exchange\nProposed by Türkiye\n" + marker,
		Location:    "Çırağan Palace, Istanbul",
		Start:       start,
		End:         start.Add(3 * time.Hour),
	}
}

func tomorrow() time.Time { return time.Now().UTC().Add(24 * time.Hour).Truncate(time.Second) }

func requestsOf(fake *discordtest.Server, route string) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range fake.Requests() {
		if r.Route == route {
			out = append(out, r)
		}
	}
	return out
}

func assertEvent(t *testing.T, got discordtest.ScheduledEvent, want remind.Event, status int) {
	t.Helper()
	if got.Name != want.Name || got.Description != want.Description || got.Location != want.Location ||
		!got.Start.Equal(want.Start) || !got.End.Equal(want.End) || got.Status != status {
		t.Errorf("Discord shows %q %q at %q, %v-%v, status %d\nwant         %q %q at %q, %v-%v, status %d",
			got.Name, got.Description, got.Location, got.Start, got.End, got.Status,
			want.Name, want.Description, want.Location, want.Start, want.End, status)
	}
}

func assertNoViolations(t *testing.T, fake *discordtest.Server) {
	t.Helper()
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("Discord would refuse a body:\n%s", strings.Join(v, "\n"))
	}
}

func wantGone(t *testing.T, err error, code int) {
	t.Helper()
	var gone *schedule.GoneError
	if !errors.As(err, &gone) || gone.Code != code {
		t.Fatalf("got %v, want a GoneError with code %d", err, code)
	}
	if gone.Reason == "" {
		t.Error("the GoneError gives no reason to show in /talks-admin show")
	}
}

func TestCreateEventMakesAnExternalServerOnlyEvent(t *testing.T) {
	fake, sender := eventSender(t, 0)
	e := roundEvent("ru-ua", 2, tomorrow())
	id, err := sender.CreateEvent(t.Context(), eventGuild, e)
	if err != nil {
		t.Fatal(err)
	}
	events := fake.Events(eventGuild)
	if len(events) != 1 || events[0].ID != id {
		t.Fatalf("events %+v, want one with id %s", events, id)
	}
	assertEvent(t, events[0], e, discordtest.EventScheduled)
	creates := requestsOf(fake, routeCreateEvent)
	if len(creates) != 1 {
		t.Fatalf("%d creates, want 1", len(creates))
	}
	var body map[string]any
	if err := json.Unmarshal(creates[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"entity_type": 3.0, "privacy_level": 2.0, "channel_id": nil,
		"entity_metadata":      map[string]any{"location": e.Location},
		"scheduled_start_time": e.Start.Format(time.RFC3339), "scheduled_end_time": e.End.Format(time.RFC3339),
		"name": e.Name, "description": e.Description,
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("posted %s\nwant   %v", creates[0].Body, want)
	}
	assertNoViolations(t, fake)
}

// TestCreateEventAfterALostReplyFindsTheEvent is a create that Discord
// carried out but whose reply never came: the retry finds the event by its
// marker instead of making a second, and brings it up to date.
func TestCreateEventAfterALostReplyFindsTheEvent(t *testing.T) {
	cases := []struct {
		name    string
		status  int  // what the client saw: 0 no answer at all
		changed bool // the round changed before the retry
	}{
		{name: "a connection closed before the answer", status: 0},
		{name: "a server error after the event was made", status: 500},
		{name: "a lost reply, then the round moved before the retry", status: 0, changed: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake, sender := eventSender(t, 0)
			e := roundEvent("ru-ua", 2, tomorrow())
			fake.DropNextReply(routeCreateEvent, tc.status)
			if _, err := sender.CreateEvent(t.Context(), eventGuild, e); err == nil {
				t.Fatal("the lost reply was taken for a success")
			} else if errors.As(err, new(*schedule.GoneError)) {
				t.Fatalf("a lost reply is not a refusal for good: %v", err)
			}
			if n := len(fake.Events(eventGuild)); n != 1 {
				t.Fatalf("the fake holds %d events after the lost reply, want 1", n)
			}
			if tc.changed {
				e.Start = e.Start.Add(2 * time.Hour)
				e.End = e.End.Add(2 * time.Hour)
				e.Location = "Dolmabahçe Palace, Istanbul"
			}
			id, err := sender.CreateEvent(t.Context(), eventGuild, e)
			if err != nil {
				t.Fatal(err)
			}
			events := fake.Events(eventGuild)
			if len(events) != 1 || events[0].ID != id {
				t.Fatalf("events %+v, want the one made before, id %s", events, id)
			}
			assertEvent(t, events[0], e, discordtest.EventScheduled)
			if got := len(requestsOf(fake, routeCreateEvent)); got != 1 {
				t.Errorf("%d creates, want the lost one only", got)
			}
			wantEdits := 0
			if tc.changed {
				wantEdits = 1
			}
			if got := len(requestsOf(fake, routeEditEvent)); got != wantEdits {
				t.Errorf("%d edits, want %d", got, wantEdits)
			}
			assertNoViolations(t, fake)
		})
	}
}

func TestCreateEventDoesNotTakeAnotherRoundsEventForItsOwn(t *testing.T) {
	fake, sender := eventSender(t, 0)
	// "talkbot:round/ru-ua/1" is inside round 10's marker, and a
	// finished event of round 1 is no event to reuse.
	ten, err := sender.CreateEvent(t.Context(), eventGuild, roundEvent("ru-ua", 10, tomorrow()))
	if err != nil {
		t.Fatal(err)
	}
	first, err := sender.CreateEvent(t.Context(), eventGuild, roundEvent("ru-ua", 1, tomorrow()))
	if err != nil {
		t.Fatal(err)
	}
	if first == ten {
		t.Fatal("round 1 took round 10's event")
	}
	fake.SetEventStatus(eventGuild, first, discordtest.EventCompleted)
	again, err := sender.CreateEvent(t.Context(), eventGuild, roundEvent("ru-ua", 1, tomorrow()))
	if err != nil {
		t.Fatal(err)
	}
	if again == first {
		t.Error("a completed event was taken for a lost create")
	}
	if n := len(fake.Events(eventGuild)); n != 3 {
		t.Errorf("%d events, want 3", n)
	}
	assertNoViolations(t, fake)
}

func TestEditEventMovesTheEvent(t *testing.T) {
	fake, sender := eventSender(t, 0)
	e := roundEvent("ru-ua", 2, tomorrow())
	id, err := sender.CreateEvent(t.Context(), eventGuild, e)
	if err != nil {
		t.Fatal(err)
	}
	e.Name = "Round 2 · Russia–Ukraine talks, Geneva"
	e.Location = "Palais des Nations, Geneva"
	e.Start = e.Start.Add(48 * time.Hour)
	e.End = e.Start.Add(5 * time.Hour)
	e.Description = "Agenda: ceasefire lines\n" + e.Marker
	if err := sender.EditEvent(t.Context(), eventGuild, id, e); err != nil {
		t.Fatal(err)
	}
	events := fake.Events(eventGuild)
	if len(events) != 1 || events[0].Edits != 1 {
		t.Fatalf("events %+v, want the one event edited once", events)
	}
	assertEvent(t, events[0], e, discordtest.EventScheduled)
	assertNoViolations(t, fake)
}

func TestACancelledRoundSetsTheEventToCanceledOnce(t *testing.T) {
	fake, sender := eventSender(t, 0)
	e := roundEvent("ru-ua", 2, tomorrow())
	id, err := sender.CreateEvent(t.Context(), eventGuild, e)
	if err != nil {
		t.Fatal(err)
	}
	e.Cancelled = true
	if err := sender.EditEvent(t.Context(), eventGuild, id, e); err != nil {
		t.Fatal(err)
	}
	edits := requestsOf(fake, routeEditEvent)
	if len(edits) != 1 || string(edits[0].Body) != `{"status":4}` {
		t.Fatalf("edits %v, want one PATCH of status 4 alone", edits)
	}
	// A retry after a lost reply meets 180000 Cannot update a finished
	// event: the event is cancelled, which is what was asked.
	if err := sender.EditEvent(t.Context(), eventGuild, id, e); err != nil {
		t.Errorf("cancelling a cancelled event: %v", err)
	}
	if got := fake.Events(eventGuild)[0].Status; got != discordtest.EventCanceled {
		t.Errorf("status %d, want 4", got)
	}
	assertNoViolations(t, fake)
}

func TestDeleteEventDeletesItAndTakesAMissingOneAsDone(t *testing.T) {
	fake, sender := eventSender(t, 0)
	id, err := sender.CreateEvent(t.Context(), eventGuild, roundEvent("ru-ua", 2, tomorrow()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.DeleteEvent(t.Context(), eventGuild, id); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Events(eventGuild)); n != 0 {
		t.Fatalf("%d events left", n)
	}
	if err := sender.DeleteEvent(t.Context(), eventGuild, id); err != nil {
		t.Errorf("deleting it again: %v", err)
	}
	statuses := []int{}
	for _, r := range requestsOf(fake, routeDeleteEvent) {
		statuses = append(statuses, r.Status)
	}
	if !reflect.DeepEqual(statuses, []int{204, 404}) {
		t.Errorf("DELETE answers %v, want [204 404]", statuses)
	}
}

// TestRefusalsForGoodAreGoneErrors: each is a refusal the scheduler must
// record and not retry.
func TestRefusalsForGoodAreGoneErrors(t *testing.T) {
	cases := []struct {
		name string
		// do sets the scene on the fake, given an event already made, and
		// makes the call that is refused.
		do   func(t *testing.T, fake *discordtest.Server, s *Sender, id string, e remind.Event) error
		code int
	}{
		{"a create after Manage Events was taken away", func(t *testing.T, fake *discordtest.Server, s *Sender, _ string, _ remind.Event) error {
			fake.DenyManageEvents(eventGuild)
			_, err := s.CreateEvent(t.Context(), eventGuild, roundEvent("ru-ua", 3, tomorrow()))
			return err
		}, 50013},
		{"an edit after Manage Events was taken away", func(t *testing.T, fake *discordtest.Server, s *Sender, id string, e remind.Event) error {
			fake.DenyManageEvents(eventGuild)
			e.Location = "Geneva"
			return s.EditEvent(t.Context(), eventGuild, id, e)
		}, 50013},
		{"a delete after Manage Events was taken away", func(t *testing.T, fake *discordtest.Server, s *Sender, id string, _ remind.Event) error {
			fake.DenyManageEvents(eventGuild)
			return s.DeleteEvent(t.Context(), eventGuild, id)
		}, 50013},
		{"an edit of an event deleted by hand", func(t *testing.T, fake *discordtest.Server, s *Sender, id string, e remind.Event) error {
			fake.DeleteEventByHand(eventGuild, id)
			e.Location = "Geneva"
			return s.EditEvent(t.Context(), eventGuild, id, e)
		}, 10070},
		{"a cancel of an event deleted by hand", func(t *testing.T, fake *discordtest.Server, s *Sender, id string, e remind.Event) error {
			fake.DeleteEventByHand(eventGuild, id)
			e.Cancelled = true
			return s.EditEvent(t.Context(), eventGuild, id, e)
		}, 10070},
		{"an edit of an event Discord has completed", func(t *testing.T, fake *discordtest.Server, s *Sender, id string, e remind.Event) error {
			fake.SetEventStatus(eventGuild, id, discordtest.EventCompleted)
			e.Location = "Geneva"
			return s.EditEvent(t.Context(), eventGuild, id, e)
		}, 180000},
		{"a create of a cancelled round that has no event", func(t *testing.T, _ *discordtest.Server, s *Sender, _ string, _ remind.Event) error {
			e := roundEvent("ru-ua", 3, tomorrow())
			e.Cancelled = true
			_, err := s.CreateEvent(t.Context(), eventGuild, e)
			return err
		}, 0},
		{"a create of a round that has already started", func(t *testing.T, _ *discordtest.Server, s *Sender, _ string, _ remind.Event) error {
			_, err := s.CreateEvent(t.Context(), eventGuild, roundEvent("ru-ua", 3, time.Now().Add(-time.Minute).UTC()))
			return err
		}, 50035},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake, sender := eventSender(t, 0)
			e := roundEvent("ru-ua", 2, tomorrow())
			id, err := sender.CreateEvent(t.Context(), eventGuild, e)
			if err != nil {
				t.Fatal(err)
			}
			wantGone(t, tc.do(t, fake, sender, id, e), tc.code)
			// Refusals are Discord's answers to valid bodies, not
			// bodies Discord would reject.
			assertNoViolations(t, fake)
		})
	}
}

func TestOtherFailuresAreLeftToRetry(t *testing.T) {
	cases := []struct {
		name   string
		route  string
		status int
		body   any
	}{
		{"a server error on create", routeCreateEvent, 500, nil},
		{"a 404 without Discord's code, as from a wrong API base", routeEditEvent, 404, map[string]any{"message": "404: Not Found", "code": 0}},
		{"an unreadable list", routeListEvents, 503, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake, sender := eventSender(t, 0)
			e := roundEvent("ru-ua", 2, tomorrow())
			id := "1180000000000000999"
			if tc.route == routeEditEvent {
				var err error
				if id, err = sender.CreateEvent(t.Context(), eventGuild, e); err != nil {
					t.Fatal(err)
				}
			}
			fake.FailNext(tc.route, 1, tc.status, tc.body)
			var err error
			if tc.route == routeEditEvent {
				err = sender.EditEvent(t.Context(), eventGuild, id, e)
			} else {
				_, err = sender.CreateEvent(t.Context(), eventGuild, e)
			}
			if err == nil || errors.As(err, new(*schedule.GoneError)) {
				t.Errorf("got %v, want an error to retry", err)
			}
		})
	}
}

// TestTheHundredAndFirstEventIsRefused: Discord keeps at most 100
// unfinished events a server; a cancelled one no longer counts.
func TestTheHundredAndFirstEventIsRefused(t *testing.T) {
	fake, sender := eventSender(t, 1000)
	for _, r := range []string{routeListEvents, routeCreateEvent, routeEditEvent} {
		fake.SetRateLimit(r, 1000, time.Second)
	}
	start := tomorrow()
	var first string
	for n := 1; n <= discordtest.MaxOpenEvents; n++ {
		id, err := sender.CreateEvent(t.Context(), eventGuild, roundEvent("big", n, start.Add(time.Duration(n)*time.Hour)))
		if err != nil {
			t.Fatalf("event %d: %v", n, err)
		}
		if n == 1 {
			first = id
		}
	}
	extra := roundEvent("big", 101, start.Add(101*time.Hour))
	_, err := sender.CreateEvent(t.Context(), eventGuild, extra)
	wantGone(t, err, 30038)
	if n := len(fake.Events(eventGuild)); n != discordtest.MaxOpenEvents {
		t.Fatalf("%d events, want %d", n, discordtest.MaxOpenEvents)
	}
	cancel := roundEvent("big", 1, start.Add(time.Hour))
	cancel.Cancelled = true
	if err := sender.EditEvent(t.Context(), eventGuild, first, cancel); err != nil {
		t.Fatal(err)
	}
	if _, err := sender.CreateEvent(t.Context(), eventGuild, extra); err != nil {
		t.Errorf("with one event cancelled: %v", err)
	}
	assertNoViolations(t, fake)
}
