package schedule

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"talkbot/remind"
	"talkbot/store"
)

// EventLimit is Discord's limit of scheduled events per server.
const EventLimit = 100

// EventTrack is what planning a track's events reads, once per pass.
type EventTrack struct {
	Track  store.Track
	Rounds []store.Round
}

// ServerEvents is what planning one server's events starts from.
type ServerEvents struct {
	GuildID  string
	Settings []store.EventSetting
	Follows  []string // the tracks the server follows
	Recorded []store.GuildEvent
}

// Covered lists the tracks whose rounds the server shows in its Events
// list: every followed track when "" is enabled, and each track enabled on
// its own, less those disabled on their own. None while the server has a
// problem (Manage Events removed): nothing is synced until enable.
func (se ServerEvents) Covered() []string {
	all, on, off := false, map[string]bool{}, map[string]bool{}
	for _, s := range se.Settings {
		if s.Problem != "" {
			return nil
		}
		switch {
		case s.Track == "":
			all = s.Enabled
		case s.Enabled:
			on[s.Track] = true
		default:
			off[s.Track] = true
		}
	}
	if all {
		for _, t := range se.Follows {
			on[t] = true
		}
	}
	var out []string
	for t := range on {
		if !off[t] {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// PlanEvents decides a server's event syncs at now:
//   - each proposed or scheduled round of a covered track that has not
//     ended gets an event, nearest first, at most EventLimit of them (the
//     rest are counted in LeftOut); a round's event already made is brought
//     to what the round is now (a new delivery only when it changed);
//   - one that has begun is not made any more (Discord refuses a start in
//     the past) nor edited;
//   - a cancelled round's event is set to cancelled; a held or ended one's
//     is left to Discord (Done);
//   - an event deleted by hand (gone) is not made again;
//   - any other event talkbot made (a postponed or removed round, a track
//     no longer covered, a round past the limit) is deleted;
//   - nothing at all while the server has a problem (Manage Events lost).
func PlanEvents(se ServerEvents, tracks map[string]EventTrack, now time.Time, deadline time.Time) (store.EventPlan, error) {
	p := store.EventPlan{GuildID: se.GuildID}
	for _, s := range se.Settings {
		if s.Problem != "" {
			// Stopped (Manage Events removed): nothing is made, edited or
			// deleted until the server enables events again.
			p.LeftOut = s.LeftOut
			return p, nil
		}
	}
	recorded := map[store.RoundRef]store.GuildEvent{}
	for _, g := range se.Recorded {
		recorded[store.RoundRef{Track: g.Track, Round: g.Round}] = g
	}
	type candidate struct {
		ref   store.RoundRef
		event remind.Event
		start time.Time
	}
	var cands []candidate
	keep := map[store.RoundRef]bool{} // recorded events that stay as they are, or are edited
	for _, id := range se.Covered() {
		et, ok := tracks[id]
		if !ok {
			continue // the track is gone: its events are deleted below
		}
		for _, r := range et.Rounds {
			ref := store.RoundRef{Track: id, Round: r.Number}
			rec, has := recorded[ref]
			if has && (rec.State == store.GuildEventGone || rec.State == store.GuildEventDone) {
				keep[ref] = true
				continue
			}
			e, ok, err := remind.RoundEvent(et.Track, r, now)
			if err != nil {
				return p, err
			}
			if !ok {
				continue
			}
			start, end, err := remind.EventSpan(r)
			if err != nil {
				return p, err
			}
			ended := !end.After(now)
			switch {
			case r.Status == store.StatusHeld || (has && ended):
				if has {
					keep[ref] = true
					p.Done = append(p.Done, ref)
				}
			case r.Status == store.StatusCancelled:
				if has && rec.State == store.GuildEventActive {
					keep[ref] = true
					if !start.After(now) {
						continue // under way: cancelling it now would be noise
					}
					p.Want = appendSync(p.Want, se.GuildID, ref, e, rec, now, deadline)
				} else if has {
					keep[ref] = true
				}
			case !r.Status.Pending() || ended:
				// Postponed, or a pending round that ended with no event.
			case has && !start.After(now):
				keep[ref] = true // under way: left as it is
			case r.Starts.TimeKnown() && !start.After(now):
				// Under way and never shown: too late for an event.
			default:
				cands = append(cands, candidate{ref, e, start})
			}
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(a.start.Compare(b.start), cmp.Compare(a.ref.Track, b.ref.Track), cmp.Compare(a.ref.Round, b.ref.Round))
	})
	if len(cands) > EventLimit {
		p.LeftOut = len(cands) - EventLimit
		cands = cands[:EventLimit]
	}
	for _, c := range cands {
		rec := recorded[c.ref]
		if rec.State == store.GuildEventActive {
			keep[c.ref] = true
		}
		p.Want = appendSync(p.Want, se.GuildID, c.ref, c.event, rec, now, deadline)
	}
	for _, g := range se.Recorded {
		ref := store.RoundRef{Track: g.Track, Round: g.Round}
		if keep[ref] || (g.State != store.GuildEventActive && g.State != store.GuildEventCancelled) {
			continue
		}
		p.Want = append(p.Want, store.Delivery{
			Key: fmt.Sprintf("event-delete:%s:%d:%s", g.Track, g.Round, g.EventID), Target: store.GuildTarget(se.GuildID),
			Kind: store.DeliveryEvent, GuildID: se.GuildID, Track: g.Track, Round: g.Round,
			DueAt: now, Deadline: deadline, Payload: g.EventID,
		})
	}
	return p, nil
}

// appendSync wants a create or edit of e unless the event recorded is
// already e.
func appendSync(ds []store.Delivery, guild string, ref store.RoundRef, e remind.Event, rec store.GuildEvent, now, deadline time.Time) []store.Delivery {
	hash := remind.EventHash(e)
	if rec.State == store.GuildEventActive && rec.SpecHash == hash {
		return ds
	}
	payload, _ := json.Marshal(e) // an Event always marshals
	return append(ds, store.Delivery{
		Key: fmt.Sprintf("event:%s:%d:%s", ref.Track, ref.Round, hash), Target: store.GuildTarget(guild),
		Kind: store.DeliveryEvent, GuildID: guild, Track: ref.Track, Round: ref.Round,
		DueAt: now, Deadline: deadline, Payload: string(payload),
	})
}

// replanEvents re-plans the events of every server that has asked for
// them. Tracks are read once per pass, whatever the number of servers.
func (s *Scheduler) replanEvents(ctx context.Context) {
	settings, err := s.store.EventSettings(ctx, "")
	if err != nil {
		s.log.Error("reading event settings", "err", err)
		return
	}
	byGuild := map[string][]store.EventSetting{}
	var guilds []string
	for _, e := range settings {
		if _, ok := byGuild[e.GuildID]; !ok {
			guilds = append(guilds, e.GuildID)
		}
		byGuild[e.GuildID] = append(byGuild[e.GuildID], e)
	}
	tracks := map[string]EventTrack{}
	missing := map[string]bool{}
	for _, g := range guilds {
		if err := s.replanGuildEvents(ctx, g, byGuild[g], tracks, missing); err != nil {
			s.log.Error("planning events", "guild", g, "err", err)
		}
	}
}

func (s *Scheduler) replanGuildEvents(ctx context.Context, guild string, settings []store.EventSetting, tracks map[string]EventTrack, missing map[string]bool) error {
	se := ServerEvents{GuildID: guild, Settings: settings}
	follows, err := s.store.Follows(ctx, guild)
	if err != nil {
		return err
	}
	for _, f := range follows {
		if !slices.Contains(se.Follows, f.Track) {
			se.Follows = append(se.Follows, f.Track)
		}
	}
	if se.Recorded, err = s.store.GuildEvents(ctx, guild); err != nil {
		return err
	}
	for _, id := range se.Covered() {
		if _, ok := tracks[id]; ok || missing[id] {
			continue
		}
		t, err := s.store.Track(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			missing[id] = true
			continue
		}
		if err != nil {
			return fmt.Errorf("reading track %q: %w", id, err)
		}
		rounds, err := s.store.Rounds(ctx, id)
		if err != nil {
			return fmt.Errorf("reading the rounds of %q: %w", id, err)
		}
		tracks[id] = EventTrack{Track: t, Rounds: rounds}
	}
	now := s.now()
	p, err := PlanEvents(se, tracks, now, now.Add(maxWait))
	if err != nil {
		return err
	}
	added, removed, err := s.store.ReplanEvents(ctx, p)
	if err != nil {
		return err
	}
	if added+removed > 0 {
		s.log.Info("planned event syncs", "guild", guild, "added", added, "removed", removed, "left_out", p.LeftOut)
	}
	return nil
}

// deliverEvent runs one claimed event sync: a create (or, once the event
// is recorded, an edit) of the payload's event, or a delete. It returns
// the outcome and the result to count.
func (s *Scheduler) deliverEvent(ctx context.Context, d store.Delivery) (store.Outcome, string) {
	now := s.now()
	retry := func(err error, result string) (store.Outcome, string) {
		return store.Outcome{State: store.DeliveryPending, NextTry: s.now().Add(backoff(d.Attempts)), Error: err.Error()}, result
	}
	if s.events == nil {
		return store.Outcome{State: store.DeliveryFailed, Error: "this process's sender cannot sync scheduled events"}, "refused"
	}
	busy, err := s.store.EventInFlight(ctx, d)
	if err != nil {
		return retry(err, "error")
	}
	if busy {
		// An earlier sync of this round is under way: this one goes after
		// it, so that the round never gets two events.
		return store.Outcome{State: store.DeliveryPending, NextTry: now.Add(time.Second), Error: "waiting for an earlier sync of the round"}, "retry"
	}
	if strings.HasPrefix(d.Key, "event-delete:") {
		eventID := d.Payload
		if err := s.events.DeleteEvent(ctx, d.GuildID, eventID); err != nil {
			return s.eventFailed(ctx, d, "", err)
		}
		if err := s.store.DeleteGuildEvent(ctx, d.GuildID, d.Track, d.Round, eventID); err != nil {
			return retry(err, "error")
		}
		return store.Outcome{State: store.DeliverySent, MessageID: eventID}, "sent"
	}
	var e remind.Event
	if err := json.Unmarshal([]byte(d.Payload), &e); err != nil {
		return store.Outcome{State: store.DeliveryFailed, Error: "unreadable event: " + err.Error()}, "error"
	}
	hash := d.Key[strings.LastIndexByte(d.Key, ':')+1:]
	rec, err := s.store.GuildEvent(ctx, d.GuildID, d.Track, d.Round)
	has := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return retry(err, "error")
	}
	state := store.GuildEventActive
	if e.Cancelled {
		state = store.GuildEventCancelled
	}
	var id string
	switch {
	case has && (rec.State == store.GuildEventGone || rec.State == store.GuildEventDone):
		return store.Outcome{State: store.DeliveryDropped, Error: "the event is no longer talkbot's to change (" + string(rec.State) + ")"}, "dropped"
	case has && rec.State == store.GuildEventActive:
		id = rec.EventID
		if err := s.events.EditEvent(ctx, d.GuildID, id, e); err != nil {
			return s.eventFailed(ctx, d, id, err)
		}
	case e.Cancelled:
		return store.Outcome{State: store.DeliveryDropped, Error: "no event to cancel"}, "dropped"
	default:
		// No event yet, or only a cancelled one, which Discord will not
		// schedule again: make one. A create whose reply was lost is found
		// again by its marker, so this is safe to repeat.
		if id, err = s.events.CreateEvent(ctx, d.GuildID, e); err != nil {
			return s.eventFailed(ctx, d, "", err)
		}
	}
	err = s.store.SaveGuildEvent(ctx, store.GuildEvent{GuildID: d.GuildID, Track: d.Track, Round: d.Round,
		EventID: id, State: state, SpecHash: hash, UpdatedAt: s.now()})
	if err != nil {
		return retry(err, "error")
	}
	return store.Outcome{State: store.DeliverySent, MessageID: id}, "sent"
}

// Why a server's events stopped, or one event, as /talks-admin show says.
const (
	problemManageEvents  = "talkbot lost the Manage Events permission in this server, so its events are no longer kept in sync"
	problemDeletedByHand = "the event was deleted in Discord; talkbot will not make it again until /talks-admin events enable runs again"
)

// eventFailed turns a sender's error into an outcome: a refusal for good
// is recorded (the server stops syncing, or the event is gone) and not
// retried; anything else is retried later.
func (s *Scheduler) eventFailed(ctx context.Context, d store.Delivery, eventID string, err error) (store.Outcome, string) {
	var gone *GoneError
	if !errors.As(err, &gone) {
		s.log.Warn("syncing an event failed; will retry", "key", d.Key, "guild", d.GuildID, "attempt", d.Attempts, "err", err)
		return store.Outcome{State: store.DeliveryPending, NextTry: s.now().Add(backoff(d.Attempts)), Error: err.Error()}, "retry"
	}
	var rerr error
	if gone.Code == 10070 && eventID != "" {
		rerr = s.store.SaveGuildEvent(ctx, store.GuildEvent{GuildID: d.GuildID, Track: d.Track, Round: d.Round,
			EventID: eventID, State: store.GuildEventGone, Problem: problemDeletedByHand, UpdatedAt: s.now()})
	} else {
		problem := problemManageEvents
		if gone.Code != 50013 {
			problem = "Discord refused talkbot's events in this server (" + strconv.Itoa(gone.Code) + ": " + gone.Reason + ")"
		}
		rerr = s.store.StopEvents(ctx, d.GuildID, problem)
	}
	s.log.Warn("Discord refused an event sync for good", "key", d.Key, "guild", d.GuildID, "code", gone.Code, "reason", gone.Reason)
	if rerr != nil {
		s.log.Error("recording a refused event sync", "key", d.Key, "guild", d.GuildID, "err", rerr)
	}
	return store.Outcome{State: store.DeliveryFailed, Error: gone.Reason}, "refused"
}
