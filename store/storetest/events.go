package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"talkbot/store"
)

func eventCases() []struct {
	name string
	fn   func(t *testing.T, open Factory)
} {
	return []struct {
		name string
		fn   func(t *testing.T, open Factory)
	}{
		{"event settings are enabled per track or for all, and a track is left out of all by disabling it", testEventSettings},
		{"enabling events clears the server's problem and forgets only that track's events deleted by hand", testEnableEventsClears},
		{"stopping a server's events records why on every row and drops only its pending syncs", testStopEvents},
		{"a round's event is saved, replaced, read and forgotten only by its own id", testGuildEvents},
		{"replanning events adds, removes and re-opens syncs, marks rounds done and records what was left out", testReplanEvents},
		{"a later sync of a round waits while an earlier one is claimed", testEventInFlight},
		{"event syncs are not a channel's: unfollowing keeps them and show does not list them", testEventSyncsAreTheServers},
	}
}

// eventSync is an event delivery of a server's round.
func eventSync(guild, track string, round int, key string, due time.Time) store.Delivery {
	return store.Delivery{Key: key, Target: store.GuildTarget(guild), Kind: store.DeliveryEvent, GuildID: guild,
		Track: track, Round: round, DueAt: due, Deadline: due.Add(24 * time.Hour), Payload: `{"Name":"Round"}`}
}

func settingsOf(t *testing.T, s store.Store, guild string) []store.EventSetting {
	t.Helper()
	got, err := s.EventSettings(t.Context(), guild)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i].UpdatedAt = time.Time{}
	}
	return got
}

func testEventSettings(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	if got := settingsOf(t, s, "g1"); len(got) != 0 {
		t.Fatalf("a new store has settings %+v", got)
	}
	if was, err := s.DisableEvents(ctx, "g1", ""); err != nil || was {
		t.Errorf("DisableEvents with nothing enabled = %v, %v; want false", was, err)
	}
	for _, track := range []string{"", "tb"} {
		if err := s.EnableEvents(ctx, "g1", track); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EnableEvents(ctx, "g2", "ta"); err != nil {
		t.Fatal(err)
	}
	want := []store.EventSetting{{GuildID: "g1", Track: "", Enabled: true}, {GuildID: "g1", Track: "tb", Enabled: true}}
	if got := settingsOf(t, s, "g1"); !reflect.DeepEqual(got, want) {
		t.Errorf("settings of g1 = %+v; want %+v", got, want)
	}
	// ta is not enabled on its own, but "" covers it: disabling it is a
	// change, recorded as a row that leaves it out.
	if was, err := s.DisableEvents(ctx, "g1", "ta"); err != nil || !was {
		t.Errorf("DisableEvents(g1, ta) under all = %v, %v; want true", was, err)
	}
	want = []store.EventSetting{{GuildID: "g1", Track: "", Enabled: true}, {GuildID: "g1", Track: "ta"}, {GuildID: "g1", Track: "tb", Enabled: true}}
	if got := settingsOf(t, s, "g1"); !reflect.DeepEqual(got, want) {
		t.Errorf("settings of g1 after disabling ta = %+v; want %+v", got, want)
	}
	if was, err := s.DisableEvents(ctx, "g1", "ta"); err != nil || was {
		t.Errorf("DisableEvents(g1, ta) again = %v, %v; want false", was, err)
	}
	if was, err := s.DisableEvents(ctx, "g1", ""); err != nil || !was {
		t.Errorf("DisableEvents(g1, all) = %v, %v; want true", was, err)
	}
	for _, e := range settingsOf(t, s, "g1") {
		if e.Enabled {
			t.Errorf("after disabling all, %q is still enabled", e.Track)
		}
	}
	if was, err := s.DisableEvents(ctx, "g1", "tb"); err != nil || was {
		t.Errorf("DisableEvents(g1, tb) when nothing is on = %v, %v; want false", was, err)
	}
	all := settingsOf(t, s, "")
	var guilds []string
	for _, e := range all {
		guilds = append(guilds, e.GuildID+"/"+e.Track)
	}
	if want := []string{"g1/", "g1/ta", "g1/tb", "g2/ta"}; !slices.Equal(guilds, want) {
		t.Errorf("every server's settings = %q; want %q", guilds, want)
	}
	if err := s.EnableEvents(ctx, "", "ta"); err == nil {
		t.Error("EnableEvents without a server succeeded")
	}
}

func testEnableEventsClears(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	if err := s.EnableEvents(ctx, "g1", ""); err != nil {
		t.Fatal(err)
	}
	save := func(track string, round int, state store.GuildEventState) {
		t.Helper()
		if err := s.SaveGuildEvent(ctx, store.GuildEvent{GuildID: "g1", Track: track, Round: round, EventID: "e" + track + itoa(round), State: state, SpecHash: "h"}); err != nil {
			t.Fatal(err)
		}
	}
	save("ta", 1, store.GuildEventGone)
	save("ta", 2, store.GuildEventActive)
	save("tb", 1, store.GuildEventGone)
	if err := s.StopEvents(ctx, "g1", "lost Manage Events"); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableEvents(ctx, "g1", "ta"); err != nil {
		t.Fatal(err)
	}
	for _, e := range settingsOf(t, s, "g1") {
		if e.Problem != "" {
			t.Errorf("after enable, %q still has the problem %q", e.Track, e.Problem)
		}
	}
	got, err := s.GuildEvents(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, g := range got {
		left = append(left, g.Track+itoa(g.Round)+" "+string(g.State))
	}
	if want := []string{"ta2 active", "tb1 gone"}; !slices.Equal(left, want) {
		t.Errorf("events after enabling ta = %q; want %q (only ta's deleted event forgotten)", left, want)
	}
	if err := s.EnableEvents(ctx, "g1", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GuildEvents(ctx, "g1"); len(got) != 1 {
		t.Errorf("after enabling all, %d events left; want only the active one", len(got))
	}
}

func testStopEvents(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	for _, track := range []string{"", "ta"} {
		if err := s.EnableEvents(ctx, "g1", track); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EnableEvents(ctx, "g2", ""); err != nil {
		t.Fatal(err)
	}
	mine := eventSync("g1", "ta", 1, "event:ta:1:aa", t0)
	theirs := eventSync("g2", "ta", 1, "event:ta:1:aa", t0)
	reminder := toChannel("g1", "c1", "ta", 1, t0)
	add(t, s, mine, theirs, reminder)
	if err := s.StopEvents(ctx, "g1", ""); err == nil {
		t.Error("StopEvents without a reason succeeded")
	}
	if err := s.StopEvents(ctx, "g1", "lost Manage Events"); err != nil {
		t.Fatal(err)
	}
	for _, e := range settingsOf(t, s, "g1") {
		if e.Problem != "lost Manage Events" {
			t.Errorf("row %q has problem %q; want the server's", e.Track, e.Problem)
		}
	}
	if e := settingsOf(t, s, "g2"); e[0].Problem != "" {
		t.Errorf("another server got the problem %q", e[0].Problem)
	}
	got := sortedIDs(claimAll(t, s)...)
	if want := sortedIDs(theirs, reminder); !slices.Equal(got, want) {
		t.Errorf("left after stopping g1's events: %q; want %q", got, want)
	}
}

func testGuildEvents(t *testing.T, open Factory) {
	s, c := openWith(t, open, nil)
	ctx := t.Context()
	if _, err := s.GuildEvent(ctx, "g1", "ta", 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GuildEvent of nothing = %v; want ErrNotFound", err)
	}
	e := store.GuildEvent{GuildID: "g1", Track: "ta", Round: 1, EventID: "1390000000000000001", State: store.GuildEventActive,
		SpecHash: "h1", UpdatedAt: t0.Truncate(time.Millisecond)}
	if err := s.SaveGuildEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GuildEvent(ctx, "g1", "ta", 1); err != nil || !reflect.DeepEqual(got, e) {
		t.Errorf("GuildEvent = %+v, %v; want %+v", got, err, e)
	}
	e2 := e
	e2.State, e2.SpecHash, e2.Problem, e2.UpdatedAt = store.GuildEventGone, "h2", "deleted by hand", time.Time{}
	if err := s.SaveGuildEvent(ctx, e2); err != nil {
		t.Fatal(err)
	}
	e2.UpdatedAt = c.now().Truncate(time.Millisecond)
	other := store.GuildEvent{GuildID: "g1", Track: "ta", Round: 2, EventID: "1390000000000000002", State: store.GuildEventCancelled, SpecHash: "h3", UpdatedAt: e2.UpdatedAt}
	if err := s.SaveGuildEvent(ctx, other); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GuildEvents(ctx, "g1"); err != nil || !reflect.DeepEqual(got, []store.GuildEvent{e2, other}) {
		t.Errorf("GuildEvents = %+v, %v; want the replaced one and the other, by round", got, err)
	}
	if err := s.SaveGuildEvent(ctx, store.GuildEvent{GuildID: "g1", Track: "ta", Round: 3, EventID: "1", State: "lost"}); err == nil {
		t.Error("SaveGuildEvent with a state that is none succeeded")
	}
	// A delete that names another id (a newer event was recorded since)
	// changes nothing.
	if err := s.DeleteGuildEvent(ctx, "g1", "ta", 1, "1390000000000000009"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GuildEvent(ctx, "g1", "ta", 1); err != nil {
		t.Errorf("a delete by another id removed the event: %v", err)
	}
	if err := s.DeleteGuildEvent(ctx, "g1", "ta", 1, e.EventID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GuildEvent(ctx, "g1", "ta", 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after the delete GuildEvent = %v; want ErrNotFound", err)
	}
}

func testReplanEvents(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	if err := s.EnableEvents(ctx, "g1", ""); err != nil {
		t.Fatal(err)
	}
	a := eventSync("g1", "ta", 1, "event:ta:1:aa", t0)
	b := eventSync("g1", "ta", 2, "event:ta:2:bb", t0)
	c := eventSync("g1", "ta", 3, "event:ta:3:cc", t0)
	otherServer := eventSync("g2", "ta", 1, "event:ta:1:aa", t0)
	add(t, s, otherServer)
	replan := func(p store.EventPlan, wantAdded, wantRemoved int) {
		t.Helper()
		p.GuildID = "g1"
		added, removed, err := s.ReplanEvents(ctx, p)
		if err != nil || added != wantAdded || removed != wantRemoved {
			t.Fatalf("ReplanEvents(%d wanted) = %d added, %d removed, %v; want %d, %d", len(p.Want), added, removed, err, wantAdded, wantRemoved)
		}
	}
	replan(store.EventPlan{Want: []store.Delivery{a, b}}, 2, 0)
	replan(store.EventPlan{Want: []store.Delivery{a, b}}, 0, 0)
	// a goes out; b is claimed when the plan changes: a stays sent, b
	// stays claimed (its sender finishes it), c is added.
	claimed, err := s.ClaimDue(ctx, "w", t0, time.Minute, 10)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("claimed %q, %v; want a, b and the other server's", ids(claimed), err)
	}
	for _, d := range claimed {
		if d.Key == a.Key && d.GuildID == "g1" {
			if ok, err := s.FinishDelivery(ctx, d, "w", store.Outcome{State: store.DeliverySent, At: t0}); err != nil || !ok {
				t.Fatal(ok, err)
			}
		}
	}
	replan(store.EventPlan{Want: []store.Delivery{c}}, 1, 0)
	if !recorded(t, s, b) {
		t.Error("a claimed sync was removed by a plan that no longer wants it")
	}
	// a's event was changed since by another sync (A, then B, then A):
	// wanting a again makes it pending again, with its new due time.
	a2 := a
	a2.DueAt = t0.Add(time.Hour)
	replan(store.EventPlan{Want: []store.Delivery{a2, c}}, 1, 0)
	again, err := s.ClaimDue(ctx, "w2", t0.Add(time.Hour), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range again {
		if d.GuildID == "g1" {
			got = append(got, d.Key+" "+itoa(d.Attempts))
		}
	}
	slices.Sort(got)
	if want := []string{"event:ta:1:aa 1", "event:ta:2:bb 2", "event:ta:3:cc 1"}; !slices.Equal(got, want) {
		t.Errorf("claimed after re-opening a = %q; want a (its attempts counted afresh), b (its lease ended) and c", got)
	}
	// Nothing wanted: pending ones go, claimed and finished ones stay.
	add(t, s, eventSync("g1", "ta", 4, "event:ta:4:dd", t0))
	replan(store.EventPlan{}, 0, 1)

	// Done marks active and cancelled events done, never a gone one, and
	// LeftOut is recorded on the server's rows.
	for i, st := range []store.GuildEventState{store.GuildEventActive, store.GuildEventCancelled, store.GuildEventGone} {
		if err := s.SaveGuildEvent(ctx, store.GuildEvent{GuildID: "g1", Track: "ta", Round: i + 1, EventID: "e" + itoa(i), State: st, SpecHash: "h"}); err != nil {
			t.Fatal(err)
		}
	}
	replan(store.EventPlan{Done: []store.RoundRef{{Track: "ta", Round: 1}, {Track: "ta", Round: 2}, {Track: "ta", Round: 3}}, LeftOut: 5}, 0, 0)
	evs, err := s.GuildEvents(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, g := range evs {
		states = append(states, string(g.State))
	}
	if want := []string{"done", "done", "gone"}; !slices.Equal(states, want) {
		t.Errorf("states after Done = %q; want %q", states, want)
	}
	if e := settingsOf(t, s, "g1"); e[0].LeftOut != 5 {
		t.Errorf("left out = %d; want 5", e[0].LeftOut)
	}
	if _, _, err := s.ReplanEvents(ctx, store.EventPlan{GuildID: "g1", Want: []store.Delivery{otherServer}}); err == nil {
		t.Error("ReplanEvents took another server's sync")
	}
	if _, _, err := s.ReplanEvents(ctx, store.EventPlan{GuildID: "g1", Want: []store.Delivery{toChannel("g1", "c1", "ta", 1, t0)}}); err == nil {
		t.Error("ReplanEvents took a reminder")
	}
}

func testEventInFlight(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	first := eventSync("g1", "ta", 1, "event:ta:1:aa", t0)
	later := eventSync("g1", "ta", 1, "event:ta:1:bb", t0.Add(time.Second))
	otherRound := eventSync("g1", "ta", 2, "event:ta:2:aa", t0)
	add(t, s, first, later, otherRound)
	busy := func(d store.Delivery) bool {
		t.Helper()
		b, err := s.EventInFlight(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if busy(later) || busy(first) {
		t.Error("a sync waits while nothing is claimed")
	}
	if _, err := s.ClaimDue(ctx, "w", t0.Add(time.Second), time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	if !busy(later) {
		t.Error("a later sync of the round does not wait for the claimed earlier one")
	}
	if busy(first) || busy(otherRound) {
		t.Error("the earliest sync, or another round's, waits")
	}
}

func testEventSyncsAreTheServers(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	saveFollows(t, s, store.Follow{GuildID: "g1", ChannelID: "c1", Track: "ta", Offsets: []time.Duration{time.Hour}})
	sync := eventSync("g1", "ta", 1, "event:ta:1:aa", t0)
	reminder := toChannel("g1", "c1", "ta", 1, t0)
	add(t, s, sync, reminder)
	if got, want := pendingFor(t, s, "g1"), ids([]store.Delivery{reminder}); !slices.Equal(got, want) {
		t.Errorf("PendingFor = %q; want only the channel's %q", got, want)
	}
	if _, err := s.DeleteFollows(ctx, "g1", "ta"); err != nil {
		t.Fatal(err)
	}
	if got, want := sortedIDs(claimAll(t, s)...), sortedIDs(sync); !slices.Equal(got, want) {
		t.Errorf("after unfollowing, left %q; want the event sync %q", got, want)
	}
}
