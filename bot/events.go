package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/remind"
	"talkbot/schedule"
)

// Discord error codes of the scheduled-event routes.
const (
	codeUnknownScheduledEvent = 10070
	codeMaxScheduledEvents    = 30038
	codeInvalidFormBody       = 50035
	codeFinishedEvent         = 180000
)

// scheduleInPast is the field error Discord gives a start that has passed.
const scheduleInPast = "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST"

var _ schedule.EventSender = (*Sender)(nil)

// CreateEvent makes e in a guild as an EXTERNAL event, unless the guild
// already has an unfinished event carrying e.Marker: a create whose reply
// was lost. That one is brought to e and its id returned, so a retry never
// makes a second event.
func (d *Sender) CreateEvent(ctx context.Context, guildID string, e remind.Event) (string, error) {
	found, err := d.eventByMarker(ctx, guildID, e.Marker)
	if err != nil {
		return "", err
	}
	if found != nil {
		// A running event can no longer be moved or cancelled; Discord
		// completes it at its end.
		if found.Status == discordgo.GuildScheduledEventStatusScheduled && !sameEvent(found, e) {
			if err := d.EditEvent(ctx, guildID, found.ID, e); err != nil {
				return "", err
			}
		}
		return found.ID, nil
	}
	if e.Cancelled {
		return "", &schedule.GoneError{Reason: "the round is cancelled and has no event on Discord: there is nothing to create"}
	}
	ev, err := d.s.GuildScheduledEventCreate(guildID, createParams(e), discordgo.WithContext(ctx))
	if err != nil {
		return "", eventError(err)
	}
	return ev.ID, nil
}

// EditEvent brings an event to e: its name, description, place and times,
// or, for a cancelled round, status 4 (CANCELED) alone, since a cancelled
// event keeps what it said.
func (d *Sender) EditEvent(ctx context.Context, guildID, eventID string, e remind.Event) error {
	p := editParams(e)
	if e.Cancelled {
		p = &discordgo.GuildScheduledEventParams{Status: discordgo.GuildScheduledEventStatusCanceled}
	}
	_, err := d.s.GuildScheduledEventEdit(guildID, eventID, p, discordgo.WithContext(ctx))
	if err == nil {
		return nil
	}
	err = eventError(err)
	var gone *schedule.GoneError
	if e.Cancelled && errors.As(err, &gone) && gone.Code == codeFinishedEvent {
		// Already cancelled (a cancel whose reply was lost) or completed:
		// either way the event no longer says the round will happen.
		return nil
	}
	return err
}

// DeleteEvent deletes an event; one already deleted (by talkbot before a
// lost reply, or by hand) is not an error.
func (d *Sender) DeleteEvent(ctx context.Context, guildID, eventID string) error {
	err := d.s.GuildScheduledEventDelete(guildID, eventID, discordgo.WithContext(ctx))
	if err == nil {
		return nil
	}
	err = eventError(err)
	var gone *schedule.GoneError
	if errors.As(err, &gone) && gone.Code == codeUnknownScheduledEvent {
		return nil
	}
	return err
}

// eventByMarker returns the guild's oldest unfinished event whose
// description holds marker as a line of its own, or nil. A whole line, so
// that round 1's marker does not match round 10's.
func (d *Sender) eventByMarker(ctx context.Context, guildID, marker string) (*discordgo.GuildScheduledEvent, error) {
	events, err := d.s.GuildScheduledEvents(guildID, false, discordgo.WithContext(ctx))
	if err != nil {
		return nil, eventError(err)
	}
	for _, ev := range events {
		finished := ev.Status == discordgo.GuildScheduledEventStatusCompleted || ev.Status == discordgo.GuildScheduledEventStatusCanceled
		if !finished && slices.Contains(strings.Split(ev.Description, "\n"), marker) {
			return ev, nil
		}
	}
	return nil, nil
}

// sameEvent tells whether ev already shows e. Discord keeps times to the
// second at best.
func sameEvent(ev *discordgo.GuildScheduledEvent, e remind.Event) bool {
	sameTime := func(a, b time.Time) bool { return a.Truncate(time.Second).Equal(b.Truncate(time.Second)) }
	end := time.Time{}
	if ev.ScheduledEndTime != nil {
		end = *ev.ScheduledEndTime
	}
	return ev.Name == e.Name && ev.Description == e.Description && ev.EntityMetadata.Location == e.Location &&
		sameTime(ev.ScheduledStartTime, e.Start) && sameTime(end, e.End)
}

// createParams is e as an EXTERNAL, server-only event: Discord requires a
// location and an end time for those.
func createParams(e remind.Event) *discordgo.GuildScheduledEventParams {
	p := editParams(e)
	p.PrivacyLevel = discordgo.GuildScheduledEventPrivacyLevelGuildOnly
	p.EntityType = discordgo.GuildScheduledEventEntityTypeExternal
	return p
}

func editParams(e remind.Event) *discordgo.GuildScheduledEventParams {
	start := e.Start.UTC()
	p := &discordgo.GuildScheduledEventParams{
		Name:               e.Name,
		Description:        e.Description,
		ScheduledStartTime: &start,
		EntityMetadata:     &discordgo.GuildScheduledEventEntityMetadata{Location: e.Location},
	}
	// No end is sent as none rather than as year 1; the planner always
	// gives one (start plus 3 hours when none is known).
	if !e.End.IsZero() {
		end := e.End.UTC()
		p.ScheduledEndTime = &end
	}
	return p
}

// eventError turns Discord's refusals for good into GoneError, with a
// reason an admin can act on; anything else (5xx, time-outs, 429 past
// discordgo's retries) is returned as is, to be retried.
//
//   - 403 with 50001 or 50013: the bot lost Manage Events (or the server);
//   - 404 with 10070: the event was deleted by hand (DeleteEvent takes it
//     as done);
//   - 30038: the server has 100 unfinished events, Discord's limit;
//   - 180000: the event is finished (completed or cancelled);
//   - 50035 with GUILD_SCHEDULED_EVENT_SCHEDULE_PAST at
//     scheduled_start_time: the start has passed, so the event cannot be
//     made or moved at all (Code 50035: drop this one event, not the
//     server's).
func eventError(err error) error {
	status, code, ok := restError(err)
	if !ok {
		return apiError(err)
	}
	switch {
	case status == http.StatusForbidden && (code == codeMissingAccess || code == codeMissingPermissions):
		return &schedule.GoneError{Code: code, Reason: fmt.Sprintf("talkbot may not manage this server's events: it needs the Manage Events permission (Discord 403, code %d)", code)}
	case status == http.StatusNotFound && code == codeUnknownScheduledEvent:
		return &schedule.GoneError{Code: code, Reason: "the event was deleted on Discord, probably by hand (Discord 404, code 10070)"}
	case code == codeMaxScheduledEvents:
		return &schedule.GoneError{Code: code, Reason: "the server already has 100 upcoming events, Discord's limit (code 30038)"}
	case code == codeFinishedEvent:
		return &schedule.GoneError{Code: code, Reason: "the event has already ended or been cancelled on Discord (code 180000)"}
	case code == codeInvalidFormBody && startInPast(responseBody(err)):
		return &schedule.GoneError{Code: code, Reason: "the round has already started: Discord does not schedule an event in the past (code 50035, " + scheduleInPast + ")"}
	}
	return err
}

// startInPast tells whether a 50035's field errors refuse the start time
// for being in the past.
func startInPast(body []byte) bool {
	type fieldError struct {
		Code string `json:"code"`
	}
	var b struct {
		Errors struct {
			Start struct {
				Errors []fieldError `json:"_errors"`
			} `json:"scheduled_start_time"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &b) != nil {
		return false
	}
	return slices.ContainsFunc(b.Errors.Start.Errors, func(e fieldError) bool { return e.Code == scheduleInPast })
}

// responseBody is the body of Discord's refusal, nil without one.
func responseBody(err error) []byte {
	var rerr *discordgo.RESTError
	if errors.As(err, &rerr) {
		return rerr.ResponseBody
	}
	return nil
}
