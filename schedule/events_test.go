package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talkbot/remind"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/pgtest"
	"talkbot/store/sqlite/sqlitetest"
	"talkbot/store/sqlstore"
)

// fakeEvents is an in-memory Discord Events list per server, behind the
// EventSender contract: it keeps every event made, finds a lost create
// again by its marker, and can be told to refuse (the bot.Sender's own
// tests check the real routes against the fake Discord).
type fakeEvents struct {
	mu     sync.Mutex
	next   int
	byID   map[string]*fakeEvent
	calls  []string // "create <marker>", "edit <id>", "delete <id>"
	refuse error    // every call fails with it while set
	// loseReply makes the next create happen but fail as if its reply
	// were lost on the way back.
	loseReply bool
}

type fakeEvent struct {
	guild   string
	e       remind.Event
	deleted bool // by hand, or by DeleteEvent
	mine    bool // made through the sender
}

func newFakeEvents() *fakeEvents { return &fakeEvents{byID: map[string]*fakeEvent{}} }

func (f *fakeEvents) CreateEvent(_ context.Context, guild string, e remind.Event) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "create "+e.Marker)
	if f.refuse != nil {
		return "", f.refuse
	}
	for id, ev := range f.byID {
		if ev.guild == guild && !ev.deleted && !ev.e.Cancelled && slices.Contains(strings.Split(ev.e.Description, "\n"), e.Marker) {
			// A whole line: round 1's marker is a prefix of round 10's.
			ev.e = e
			return id, nil
		}
	}
	f.next++
	id := fmt.Sprintf("139%015d", f.next)
	f.byID[id] = &fakeEvent{guild: guild, e: e, mine: true}
	if f.loseReply {
		f.loseReply = false
		return "", errors.New("connection reset after the event was made")
	}
	return id, nil
}

func (f *fakeEvents) EditEvent(_ context.Context, guild, id string, e remind.Event) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "edit "+id)
	if f.refuse != nil {
		return f.refuse
	}
	ev, ok := f.byID[id]
	if !ok || ev.deleted || ev.guild != guild {
		return &schedule.GoneError{Code: 10070, Reason: "Unknown Guild Scheduled Event"}
	}
	ev.e = e
	return nil
}

func (f *fakeEvents) DeleteEvent(_ context.Context, guild, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "delete "+id)
	if f.refuse != nil {
		return f.refuse
	}
	if ev, ok := f.byID[id]; ok && ev.guild == guild {
		ev.deleted = true
	}
	return nil
}

// addByHand makes an event as a server's member would.
func (f *fakeEvents) addByHand(guild, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	id := fmt.Sprintf("139%015d", f.next)
	f.byID[id] = &fakeEvent{guild: guild, e: remind.Event{Name: name}}
	return id
}

func (f *fakeEvents) deleteByHand(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byID[id].deleted = true
}

func (f *fakeEvents) event(id string) remind.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ev, ok := f.byID[id]; ok {
		return ev.e
	}
	return remind.Event{}
}

func (f *fakeEvents) setRefuse(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = err
}

// live returns a server's events not deleted, by marker.
func (f *fakeEvents) live(guild string) map[string]remind.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]remind.Event{}
	for _, ev := range f.byID {
		if ev.guild == guild && !ev.deleted && ev.mine {
			out[ev.e.Marker] = ev.e
		}
	}
	return out
}

func (f *fakeEvents) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (f *fakeEvents) callsSnapshot() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// eventSender is what Run takes when events are kept: posts go nowhere
// (these tests plan no post that falls due), events to the fake.
type eventSender struct{ *fakeEvents }

func (eventSender) Send(context.Context, string, remind.Message, string) (string, error) {
	return "1380000000000000001", nil
}

// quick are the options of the event tests: a short watch, so that a
// re-plan asked for is done at once.
var quick = schedule.Options{WatchEvery: 100 * time.Millisecond}

// eventsRig is a server following track "ev" with events enabled, and a
// scheduler running.
type eventsRig struct {
	s     *sqlstore.DB
	fake  *fakeEvents
	rig   *rig
	guild string
	plans *countingPlans
}

// countingPlans counts the scheduler's event re-plans, so a test can wait
// for one to have happened rather than for a while.
type countingPlans struct {
	schedule.Store
	n atomic.Int64
}

func (c *countingPlans) ReplanEvents(ctx context.Context, p store.EventPlan) (int, int, error) {
	defer c.n.Add(1)
	return c.Store.ReplanEvents(ctx, p)
}

// replanned waits for the scheduler to re-plan events after now, and for
// what it planned to go out.
func (r *eventsRig) replanned(t *testing.T) {
	t.Helper()
	from := r.plans.n.Load()
	waitFor(t, 30*time.Second, "an event re-plan", func() bool { return r.plans.n.Load() > from })
	settled(t, r.s)
}

func startEvents(t *testing.T, s *sqlstore.DB, tracks ...store.Track) *eventsRig {
	t.Helper()
	importTracks(t, s, tracks...)
	r := &eventsRig{s: s, fake: newFakeEvents(), guild: guildID(1)}
	saveFollow(t, s, store.Follow{GuildID: r.guild, ChannelID: channelID(1), Track: "ev"}) // no reminders: only event syncs wait
	if err := s.EnableEvents(t.Context(), r.guild, ""); err != nil {
		t.Fatal(err)
	}
	r.plans = &countingPlans{Store: s}
	r.rig = startOn(t, s, r.plans, eventSender{r.fake}, time.Now, quick)
	return r
}

func (r *eventsRig) recorded(t *testing.T) map[int]store.GuildEvent {
	t.Helper()
	evs, err := r.s.GuildEvents(context.Background(), r.guild)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]store.GuildEvent{}
	for _, e := range evs {
		out[e.Round] = e
	}
	return out
}

func (r *eventsRig) settings(t *testing.T) store.EventSetting {
	t.Helper()
	es, err := r.s.EventSettings(context.Background(), r.guild)
	if err != nil || len(es) == 0 {
		t.Fatalf("settings of %s: %v, %v", r.guild, es, err)
	}
	return es[0]
}

// settled waits until no event sync is pending or claimed.
func settled(t *testing.T, s *sqlstore.DB) {
	t.Helper()
	waitFor(t, 30*time.Second, "every event sync finished", func() bool {
		_, ok, err := s.NextDue(context.Background())
		return err == nil && !ok
	})
}

func dateOnlyRound(t *testing.T, n int, day time.Time, status store.Status) store.Round {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Istanbul")
	return store.Round{Number: n, Status: status, Starts: store.When{Date: store.DateOf(day.In(loc)), Zone: "Europe/Istanbul"},
		Sources: []string{"wire"}}
}

func TestEventsFollowTheRounds(t *testing.T) {
	s := sqlitetest.Open(t, time.Now)
	at := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	scheduled := meeting(t, 1, at, "Europe/Istanbul", store.StatusScheduled)
	scheduled.Agenda, scheduled.ProposedBy = []string{"prisoner exchange"}, "north"
	dateOnly := dateOnlyRound(t, 2, at.Add(72*time.Hour), store.StatusProposed)
	past := meeting(t, 3, time.Now().Add(-48*time.Hour), "Europe/Istanbul", store.StatusHeld)
	cancelled := meeting(t, 4, at.Add(24*time.Hour), "Europe/Istanbul", store.StatusCancelled)
	postponed := meeting(t, 5, at.Add(240*time.Hour), "Europe/Istanbul", store.StatusPostponed)
	r := startEvents(t, s, trackOf("ev", scheduled, dateOnly, past, cancelled, postponed))
	someoneElses := r.fake.addByHand(r.guild, "Movie night")

	// Enabled: the two pending rounds ahead get an event each.
	waitFor(t, 30*time.Second, "two events", func() bool { return len(r.recorded(t)) == 2 })
	settled(t, s)
	live := r.fake.live(r.guild)
	one, two := live[remind.EventMarker("ev", 1)], live[remind.EventMarker("ev", 2)]
	if len(live) != 2 || one.Name == "" || two.Name == "" {
		t.Fatalf("events = %+v; want rounds 1 and 2", live)
	}
	if one.Name != "Round 1 · Talks ev" || !one.Start.Equal(at) || !one.End.Equal(at.Add(3*time.Hour)) || one.Location != "Geneva" {
		t.Errorf("round 1's event = %+v; want its name, start, start plus 3 hours, venue", one)
	}
	for _, want := range []string{"Agenda: prisoner exchange", "Proposed by North", "Status: scheduled",
		"End time not announced: shown as 3 hours.", "- Wire: Talks announced https://example.org/wire", "\ntalkbot:round/ev/1"} {
		if !strings.Contains(one.Description, want) {
			t.Errorf("round 1's description lacks %q:\n%s", want, one.Description)
		}
	}
	istanbul, _ := time.LoadLocation("Europe/Istanbul")
	midnight := dateOnly.Starts.Date.In(istanbul)
	if two.Name != "Round 2 · Talks ev (time not announced)" || !two.Start.Equal(midnight) || !two.End.Equal(midnight.AddDate(0, 0, 1)) ||
		!strings.Contains(two.Description, "Time not announced") || two.Location != "To be announced" {
		t.Errorf("the date-only round's event = %+v; want the whole day in Istanbul, said so", two)
	}
	rec := r.recorded(t)
	firstID := rec[1].EventID

	// Rescheduled by an import: the event is edited, not made again.
	scheduled.Starts = meeting(t, 1, at.Add(time.Hour), "Europe/Istanbul", store.StatusScheduled).Starts
	importTracks(t, s, trackOf("ev", scheduled, dateOnly, past, cancelled, postponed))
	waitFor(t, 30*time.Second, "the event moved", func() bool {
		return r.fake.live(r.guild)[remind.EventMarker("ev", 1)].Start.Equal(at.Add(time.Hour))
	})
	if n := r.fake.count("create"); n != 2 {
		t.Errorf("%d creates after a reschedule; want still 2", n)
	}
	if got := r.recorded(t)[1].EventID; got != firstID {
		t.Errorf("round 1's event is now %s; want still %s", got, firstID)
	}

	// Cancelled: the event is set to cancelled.
	scheduled.Status = store.StatusCancelled
	importTracks(t, s, trackOf("ev", scheduled, dateOnly, past, cancelled, postponed))
	waitFor(t, 30*time.Second, "the event cancelled", func() bool { return r.recorded(t)[1].State == store.GuildEventCancelled })
	if ev := r.fake.event(firstID); !ev.Cancelled {
		t.Errorf("round 1's event after the cancel = %+v; want Cancelled", ev)
	}

	// Held: left to Discord, no more calls for it.
	dateOnly.Status = store.StatusHeld
	before := r.fake.count("")
	importTracks(t, s, trackOf("ev", scheduled, dateOnly, past, cancelled, postponed))
	waitFor(t, 30*time.Second, "round 2 done", func() bool { return r.recorded(t)[2].State == store.GuildEventDone })
	r.rig.sched.Replan("")
	r.replanned(t)
	if after := r.fake.count(""); after != before {
		t.Errorf("calls after the round was held: %q; want none", r.fake.callsSnapshot()[before:])
	}

	// Disabled: talkbot deletes what it still keeps (the cancelled event),
	// never a held round's nor someone else's.
	if _, err := s.DisableEvents(t.Context(), r.guild, ""); err != nil {
		t.Fatal(err)
	}
	r.rig.sched.Replan("")
	waitFor(t, 30*time.Second, "the cancelled event deleted", func() bool { _, ok := r.recorded(t)[1]; return !ok })
	settled(t, s)
	var deleted []string
	for _, c := range r.fake.callsSnapshot() {
		if id, ok := strings.CutPrefix(c, "delete "); ok {
			deleted = append(deleted, id)
		}
	}
	if !slices.Equal(deleted, []string{firstID}) {
		t.Errorf("deleted %q; want only round 1's event %s (not %s, someone else's)", deleted, firstID, someoneElses)
	}
}

// failOnce fails the first SaveGuildEvent, as a process killed between
// Discord's reply and the record would.
type failOnce struct {
	*sqlstore.DB
	mu     sync.Mutex
	failed bool
}

func (f *failOnce) SaveGuildEvent(ctx context.Context, e store.GuildEvent) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.failed {
		f.failed = true
		return errors.New("killed before the record")
	}
	return f.DB.SaveGuildEvent(ctx, e)
}

func TestAnEventMadeButNotRecordedIsFoundAgain(t *testing.T) {
	for _, lost := range []string{"the record", "Discord's reply"} {
		t.Run("losing "+lost, func(t *testing.T) {
			s := sqlitetest.Open(t, time.Now)
			importTracks(t, s, trackOf("ev", meeting(t, 1, time.Now().Add(48*time.Hour), "Europe/Istanbul", store.StatusScheduled)))
			saveFollow(t, s, store.Follow{GuildID: guildID(1), ChannelID: channelID(1), Track: "ev"}) // no reminders: only event syncs wait
			if err := s.EnableEvents(t.Context(), guildID(1), ""); err != nil {
				t.Fatal(err)
			}
			fake := newFakeEvents()
			var st schedule.Store = s
			if lost == "the record" {
				st = &failOnce{DB: s}
			} else {
				fake.loseReply = true
			}
			startOn(t, s, st, eventSender{fake}, time.Now, quick)
			waitFor(t, 30*time.Second, "the event recorded", func() bool {
				evs, err := s.GuildEvents(context.Background(), guildID(1))
				return err == nil && len(evs) == 1
			})
			settled(t, s)
			evs, _ := s.GuildEvents(t.Context(), guildID(1))
			if n := len(fake.byID); n != 1 {
				t.Errorf("Discord has %d events; want 1", n)
			}
			if _, ok := fake.byID[evs[0].EventID]; !ok {
				t.Errorf("recorded event %s is not Discord's", evs[0].EventID)
			}
			if n := fake.count("create"); n != 2 {
				t.Errorf("%d creates; want the first and the one that found it again", n)
			}
		})
	}
}

func TestTwoReplicasMakeEachEventOnce(t *testing.T) {
	const rounds = 20
	url := pgtest.URL(t)
	setup := pgtest.OpenURL(t, url, time.Now)
	var rs []store.Round
	for i := range rounds {
		rs = append(rs, meeting(t, i+1, time.Now().Add(time.Duration(48+i)*time.Hour), "Europe/Istanbul", store.StatusScheduled))
	}
	importTracks(t, setup, trackOf("ev", rs...))
	saveFollow(t, setup, store.Follow{GuildID: guildID(1), ChannelID: channelID(1), Track: "ev"}) // no reminders: only event syncs wait
	if err := setup.EnableEvents(t.Context(), guildID(1), ""); err != nil {
		t.Fatal(err)
	}
	fake := newFakeEvents()
	for i := range 2 {
		start(t, pgtest.OpenURL(t, url, time.Now), eventSender{fake}, time.Now,
			schedule.Options{WatchEvery: 100 * time.Millisecond, Owner: fmt.Sprintf("replica-%d", i)})
	}
	waitFor(t, time.Minute, "every event recorded", func() bool {
		evs, err := setup.GuildEvents(context.Background(), guildID(1))
		return err == nil && len(evs) == rounds
	})
	settled(t, setup)
	if n := fake.count("create"); n != rounds {
		t.Errorf("%d creates; want %d, one a round", n, rounds)
	}
	if n := len(fake.live(guildID(1))); n != rounds {
		t.Errorf("Discord has %d events; want %d", n, rounds)
	}
}

func TestTheNearestHundredRoundsGetEvents(t *testing.T) {
	s := sqlitetest.Open(t, time.Now)
	var rs []store.Round
	// Numbered against time: the nearest are the highest numbers.
	for i := range 105 {
		rs = append(rs, meeting(t, 105-i, time.Now().Add(time.Duration(48+i)*time.Hour), "Europe/Istanbul", store.StatusScheduled))
	}
	r := startEvents(t, s, trackOf("ev", rs...))
	waitFor(t, time.Minute, "100 events recorded", func() bool { return len(r.recorded(t)) == schedule.EventLimit })
	settled(t, s)
	rec := r.recorded(t)
	for n := 1; n <= 5; n++ {
		if _, ok := rec[n]; ok {
			t.Errorf("round %d, among the 5 farthest, got an event", n)
		}
	}
	if n := r.fake.count("create"); n != schedule.EventLimit {
		t.Errorf("%d creates; want %d", n, schedule.EventLimit)
	}
	if got := r.settings(t).LeftOut; got != 5 {
		t.Errorf("left out = %d; want 5", got)
	}
}

func TestLosingManageEventsStopsTheServer(t *testing.T) {
	s := sqlitetest.Open(t, time.Now)
	fake := newFakeEvents()
	fake.setRefuse(&schedule.GoneError{Code: 50013, Reason: "Missing Permissions"})
	importTracks(t, s, trackOf("ev", meeting(t, 1, time.Now().Add(48*time.Hour), "Europe/Istanbul", store.StatusScheduled),
		meeting(t, 2, time.Now().Add(96*time.Hour), "Europe/Istanbul", store.StatusScheduled)))
	saveFollow(t, s, store.Follow{GuildID: guildID(1), ChannelID: channelID(1), Track: "ev"}) // no reminders: only event syncs wait
	if err := s.EnableEvents(t.Context(), guildID(1), ""); err != nil {
		t.Fatal(err)
	}
	rg := start(t, s, eventSender{fake}, time.Now, quick)
	problem := func() string {
		es, err := s.EventSettings(context.Background(), guildID(1))
		if err != nil || len(es) == 0 {
			return ""
		}
		return es[0].Problem
	}
	waitFor(t, 30*time.Second, "the problem recorded", func() bool { return problem() != "" })
	settled(t, s)
	if !strings.Contains(problem(), "Manage Events") {
		t.Errorf("problem = %q; want it to name Manage Events", problem())
	}
	calls := fake.count("")
	if calls == 0 || calls > 2 {
		t.Errorf("%d calls before stopping; want one for each round at most", calls)
	}
	rg.sched.Replan("")
	settled(t, s)
	if n := fake.count(""); n != calls {
		t.Errorf("%d more calls after the refusal; want none (no retry loop)", n-calls)
	}
	// Granted again and enabled again: syncing resumes.
	fake.setRefuse(nil)
	if err := s.EnableEvents(t.Context(), guildID(1), ""); err != nil {
		t.Fatal(err)
	}
	rg.sched.Replan("")
	waitFor(t, 30*time.Second, "both events after enabling again", func() bool { return len(fake.live(guildID(1))) == 2 })
}

func TestAnEventDeletedByHandIsNotMadeAgainUntilEnable(t *testing.T) {
	s := sqlitetest.Open(t, time.Now)
	at := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	round := meeting(t, 1, at, "Europe/Istanbul", store.StatusScheduled)
	r := startEvents(t, s, trackOf("ev", round))
	waitFor(t, 30*time.Second, "the event", func() bool { return len(r.recorded(t)) == 1 })
	settled(t, s)
	id := r.recorded(t)[1].EventID
	r.fake.deleteByHand(id)

	// The round moves: the edit finds the event gone, and it is recorded.
	round.Starts = meeting(t, 1, at.Add(time.Hour), "Europe/Istanbul", store.StatusScheduled).Starts
	importTracks(t, s, trackOf("ev", round))
	waitFor(t, 30*time.Second, "the event recorded gone", func() bool { return r.recorded(t)[1].State == store.GuildEventGone })
	settled(t, s)
	if p := r.recorded(t)[1].Problem; !strings.Contains(p, "deleted") {
		t.Errorf("the gone event's problem = %q; want it to say it was deleted", p)
	}
	// Changed again: still not made again.
	round.Venue = "Istanbul"
	importTracks(t, s, trackOf("ev", round))
	r.replanned(t)
	if n := r.fake.count("create"); n != 1 {
		t.Errorf("%d creates after the event was deleted by hand; want none after the first", n-1)
	}
	if err := s.EnableEvents(t.Context(), r.guild, ""); err != nil {
		t.Fatal(err)
	}
	r.rig.sched.Replan("")
	waitFor(t, 30*time.Second, "a new event after enable", func() bool {
		e := r.recorded(t)[1]
		return e.State == store.GuildEventActive && e.EventID != id
	})
	if ev := r.fake.live(r.guild)[remind.EventMarker("ev", 1)]; ev.Location != "Istanbul" || !ev.Start.Equal(at.Add(time.Hour)) {
		t.Errorf("the new event = %+v; want the round as it is now", ev)
	}
}
