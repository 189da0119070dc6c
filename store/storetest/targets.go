package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"talkbot/store"
)

// t0 is "now" in the scheduling tests. Its quarter second checks that
// instants keep their milliseconds.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 250*int(time.Millisecond), time.UTC)

// toChannel is a reminder of a round posted to a server channel at due.
func toChannel(guild, channel, track string, round int, due time.Time) store.Delivery {
	return store.Delivery{
		Key: reminderKey(track, round, due), Target: store.ChannelTarget(channel), Kind: store.DeliveryReminder,
		GuildID: guild, Track: track, Round: round, RoleID: "role-of-" + guild,
		DueAt: due, Deadline: due.Add(24 * time.Hour),
	}
}

// toUser is a reminder of a round sent to a user by DM at due.
func toUser(user, track string, round int, due time.Time) store.Delivery {
	return store.Delivery{
		Key: reminderKey(track, round, due), Target: store.UserTarget(user), Kind: store.DeliveryReminder,
		Track: track, Round: round, DueAt: due, Deadline: due.Add(24 * time.Hour),
	}
}

// digestTo is a server's digest posted to a channel at due.
func digestTo(guild, channel string, due time.Time) store.Delivery {
	return store.Delivery{
		Key: "digest/" + guild + "/" + due.Format(time.DateOnly), Target: store.ChannelTarget(channel), Kind: store.DeliveryDigest,
		GuildID: guild, DueAt: due, Payload: "the week ahead",
	}
}

func reminderKey(track string, round int, due time.Time) string {
	return fmt.Sprintf("reminder/%s/%d/%d", track, round, due.UnixMilli())
}

// pending is d as the store returns it once recorded.
func pending(d store.Delivery) store.Delivery {
	d.State, d.NextTry = store.DeliveryPending, d.DueAt
	return d
}

// ids names deliveries by key and target, in their order.
func ids(ds []store.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Key + " -> " + d.Target
	}
	return out
}

// sortedIDs names deliveries by key and target, sorted.
func sortedIDs(ds ...store.Delivery) []string {
	out := ids(ds)
	slices.Sort(out)
	return out
}

func add(t *testing.T, s store.Store, ds ...store.Delivery) {
	t.Helper()
	n, err := s.AddDeliveries(t.Context(), ds)
	if err != nil || n != len(ds) {
		t.Fatalf("AddDeliveries(%d) = %d, %v; want all added", len(ds), n, err)
	}
}

// recorded reports whether d is recorded in any state; it records d if not,
// so it is for the end of a test.
func recorded(t *testing.T, s store.Store, d store.Delivery) bool {
	t.Helper()
	n, err := s.AddDeliveries(t.Context(), []store.Delivery{d})
	if err != nil {
		t.Fatal(err)
	}
	return n == 0
}

// claimAll claims every pending delivery, however far ahead, and every
// claim, to show what is left; it is for the end of a test.
func claimAll(t *testing.T, s store.Store) []store.Delivery {
	t.Helper()
	ds, err := s.ClaimDue(t.Context(), "probe", t0.AddDate(10, 0, 0), time.Minute, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func pendingFor(t *testing.T, s store.Store, guild string) []string {
	t.Helper()
	ds, err := s.PendingFor(t.Context(), guild, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ids(ds)
}

func saveFollows(t *testing.T, s store.Store, fs ...store.Follow) {
	t.Helper()
	for _, f := range fs {
		if err := s.SaveFollow(t.Context(), f); err != nil {
			t.Fatal(err)
		}
	}
}

func saveSubscriptions(t *testing.T, s store.Store, subs ...store.Subscription) {
	t.Helper()
	for _, sub := range subs {
		if err := s.SaveSubscription(t.Context(), sub); err != nil {
			t.Fatal(err)
		}
	}
}

// followNames names follows as guild/channel/track and, if disabled, why.
func followNames(fs []store.Follow) []string {
	var out []string
	for _, f := range fs {
		n := f.GuildID + "/" + f.ChannelID + "/" + f.Track
		if f.Disabled != "" {
			n += " (" + f.Disabled + ")"
		}
		out = append(out, n)
	}
	return out
}

func testFollows(t *testing.T, open Factory) {
	s, c := openWith(t, open, nil)
	ctx := t.Context()
	day, quarter := 24*time.Hour, 15*time.Minute
	a1 := store.Follow{GuildID: "g1", ChannelID: "c1", Track: "ta", RoleID: "r1", Offsets: []time.Duration{day, quarter}, Updates: store.UpdatesAll, UpdatedAt: t0}
	a2 := store.Follow{GuildID: "g1", ChannelID: "c2", Track: "ta", Offsets: []time.Duration{day}, Updates: store.UpdatesNone, UpdatedAt: t0}
	b1 := store.Follow{GuildID: "g1", ChannelID: "c1", Track: "tb", Offsets: []time.Duration{time.Hour}, Updates: store.UpdatesRounds, UpdatedAt: t0}
	other := store.Follow{GuildID: "g2", ChannelID: "c9", Track: "ta", Offsets: []time.Duration{day}, UpdatedAt: t0}
	saveFollows(t, s, a1, a2, b1, other)
	other.Updates = store.UpdatesRounds // what "" is saved as

	// Saving the same channel and track again replaces the follow.
	a1.RoleID, a1.Offsets, a1.UpdatedAt = "r2", []time.Duration{90*time.Minute + 500*time.Millisecond}, t0.Add(time.Minute)
	saveFollows(t, s, a1)
	got, err := s.Follows(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Follow{a1, a2, b1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Follows(g1) after an update =\n %+v\nwant (by track, then channel)\n %+v", got, want)
	}
	of, err := s.FollowsOf(ctx, "ta")
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Follow{a1, a2, other}; !reflect.DeepEqual(of, want) {
		t.Errorf("FollowsOf(ta) =\n %+v\nwant (by server, then channel)\n %+v", of, want)
	}

	// A follow saved without a time is stamped with the store's clock.
	saveFollows(t, s, store.Follow{GuildID: "g3", ChannelID: "c3", Track: "ta"})
	if got, err := s.Follows(ctx, "g3"); err != nil || len(got) != 1 || !got[0].UpdatedAt.Equal(c.now()) || got[0].Offsets != nil {
		t.Errorf("Follows(g3) = %+v, %v; want one follow updated at %v with no offsets", got, err, c.now())
	}
	if got, err := s.Follows(ctx, "nobody"); err != nil || len(got) != 0 {
		t.Errorf("Follows of a server with none = %+v, %v", got, err)
	}
	if err := s.SaveFollow(ctx, store.Follow{GuildID: "g1", Track: "ta"}); err == nil {
		t.Error("SaveFollow without a channel succeeded")
	}
	if err := s.SaveFollow(ctx, store.Follow{GuildID: "g1", ChannelID: "c1", Track: "ta", Updates: "some"}); err == nil {
		t.Error("SaveFollow with updates \"some\" succeeded")
	}
}

func testDisableChannel(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	saveFollows(t, s,
		store.Follow{GuildID: "g1", ChannelID: "c1", Track: "ta", UpdatedAt: t0},
		store.Follow{GuildID: "g1", ChannelID: "c1", Track: "tb", UpdatedAt: t0},
		store.Follow{GuildID: "g1", ChannelID: "c2", Track: "ta", UpdatedAt: t0},
	)
	sent := toChannel("g1", "c1", "ta", 1, t0.Add(-time.Minute))
	c1a, c1b := toChannel("g1", "c1", "ta", 2, t0.Add(time.Hour)), toChannel("g1", "c1", "tb", 1, t0.Add(2*time.Hour))
	digest := digestTo("g1", "c1", t0.Add(3*time.Hour))
	c2a := toChannel("g1", "c2", "ta", 2, t0.Add(time.Hour))
	add(t, s, sent, c1a, c1b, digest, c2a)
	finishAll(t, s, t0, store.Outcome{State: store.DeliverySent, MessageID: "m1", At: t0}) // only sent is due

	if err := s.DisableChannel(ctx, "g1", "c1", "50001 Missing Access"); err != nil {
		t.Fatal(err)
	}
	fs, err := s.Follows(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"g1/c1/ta (50001 Missing Access)", "g1/c2/ta", "g1/c1/tb (50001 Missing Access)"}
	if got := followNames(fs); !slices.Equal(got, want) {
		t.Errorf("Follows(g1) after disabling c1 = %q; want %q", got, want)
	}
	of, err := s.FollowsOf(ctx, "ta")
	if err != nil || !slices.Equal(followNames(of), []string{"g1/c2/ta"}) {
		t.Errorf("FollowsOf(ta) = %q, %v; want only the active follow in c2", followNames(of), err)
	}
	if got := pendingFor(t, s, "g1"); !slices.Equal(got, ids([]store.Delivery{c2a})) {
		t.Errorf("pending for g1 after disabling c1 = %q; want only c2's", got)
	}
	if !recorded(t, s, sent) {
		t.Error("disabling a channel deleted a delivery already sent to it")
	}
	if err := s.DisableChannel(ctx, "g1", "c2", ""); err == nil {
		t.Error("DisableChannel without a reason succeeded (an empty reason reads as active)")
	}

	// Following again enables the follow again.
	saveFollows(t, s, store.Follow{GuildID: "g1", ChannelID: "c1", Track: "ta", UpdatedAt: t0.Add(time.Hour)})
	if of, _ := s.FollowsOf(ctx, "ta"); !slices.Equal(followNames(of), []string{"g1/c1/ta", "g1/c2/ta"}) {
		t.Errorf("FollowsOf(ta) after following c1 again = %q", followNames(of))
	}
}

func testDeleteFollows(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	saveFollows(t, s,
		store.Follow{GuildID: "g1", ChannelID: "c1", Track: "ta", UpdatedAt: t0},
		store.Follow{GuildID: "g1", ChannelID: "c2", Track: "ta", UpdatedAt: t0},
		store.Follow{GuildID: "g1", ChannelID: "c1", Track: "tb", UpdatedAt: t0},
		store.Follow{GuildID: "g2", ChannelID: "c9", Track: "ta", UpdatedAt: t0},
	)
	c1a, c2a := toChannel("g1", "c1", "ta", 1, t0.Add(time.Hour)), toChannel("g1", "c2", "ta", 1, t0.Add(time.Hour))
	c1b := toChannel("g1", "c1", "tb", 1, t0.Add(2*time.Hour))
	digest := digestTo("g1", "c1", t0.Add(3*time.Hour))
	g2 := toChannel("g2", "c9", "ta", 1, t0.Add(time.Hour))
	add(t, s, c1a, c2a, c1b, digest, g2)

	n, err := s.DeleteFollows(ctx, "g1", "ta")
	if err != nil || n != 2 {
		t.Fatalf("DeleteFollows(g1, ta) = %d, %v; want 2 (two channels)", n, err)
	}
	if got, want := pendingFor(t, s, "g1"), ids([]store.Delivery{c1b, digest}); !slices.Equal(got, want) {
		t.Errorf("pending for g1 after unfollowing ta = %q; want %q", got, want)
	}
	if got, want := pendingFor(t, s, "g2"), ids([]store.Delivery{g2}); !slices.Equal(got, want) {
		t.Errorf("pending for g2 = %q; want another server's untouched: %q", got, want)
	}
	n, err = s.DeleteFollows(ctx, "g1", "")
	if err != nil || n != 1 {
		t.Fatalf("DeleteFollows(g1, all) = %d, %v; want 1", n, err)
	}
	if got, want := pendingFor(t, s, "g1"), ids([]store.Delivery{digest}); !slices.Equal(got, want) {
		t.Errorf("pending for g1 after unfollowing all = %q; want only the digest, which is no follow's: %q", got, want)
	}
	if fs, err := s.Follows(ctx, "g1"); err != nil || len(fs) != 0 {
		t.Errorf("Follows(g1) after deleting all = %q, %v", followNames(fs), err)
	}
	if of, _ := s.FollowsOf(ctx, "ta"); !slices.Equal(followNames(of), []string{"g2/c9/ta"}) {
		t.Errorf("FollowsOf(ta) = %q; want g2's follow kept", followNames(of))
	}
	if n, err := s.DeleteFollows(ctx, "g1", ""); err != nil || n != 0 {
		t.Errorf("DeleteFollows with nothing left = %d, %v; want 0", n, err)
	}
}

func testSubscriptions(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	ua := store.Subscription{UserID: "u1", Track: "ta", Offsets: []time.Duration{24 * time.Hour}}
	ub := store.Subscription{UserID: "u1", Track: "tb", Offsets: []time.Duration{time.Hour}}
	other := store.Subscription{UserID: "u2", Track: "ta"}
	saveSubscriptions(t, s, ua, ub, other)
	ua.Offsets = []time.Duration{time.Hour, 10*time.Minute + 30*time.Second}
	saveSubscriptions(t, s, ua)
	got, err := s.Subscriptions(ctx, "u1")
	if err != nil || !reflect.DeepEqual(got, []store.Subscription{ua, ub}) {
		t.Errorf("Subscriptions(u1) after an update = %+v, %v; want %+v", got, err, []store.Subscription{ua, ub})
	}
	of, err := s.SubscriptionsOf(ctx, "ta")
	if err != nil || !reflect.DeepEqual(of, []store.Subscription{ua, other}) {
		t.Errorf("SubscriptionsOf(ta) = %+v, %v; want u1 and u2 by user", of, err)
	}

	dmA, dmB, dmOther := toUser("u1", "ta", 1, t0.Add(time.Hour)), toUser("u1", "tb", 1, t0.Add(time.Hour)), toUser("u2", "ta", 1, t0.Add(time.Hour))
	add(t, s, dmA, dmB, dmOther)
	if ok, err := s.DeleteSubscription(ctx, "u1", "ta"); err != nil || !ok {
		t.Fatalf("DeleteSubscription(u1, ta) = %v, %v; want true", ok, err)
	}
	if ok, err := s.DeleteSubscription(ctx, "u1", "ta"); err != nil || ok {
		t.Errorf("deleting it again = %v, %v; want false", ok, err)
	}
	if of, _ := s.SubscriptionsOf(ctx, "ta"); !reflect.DeepEqual(of, []store.Subscription{other}) {
		t.Errorf("SubscriptionsOf(ta) after u1 left = %+v", of)
	}
	if got, want := sortedIDs(claimAll(t, s)...), sortedIDs(dmB, dmOther); !slices.Equal(got, want) {
		t.Errorf("pending DMs after u1 left ta = %q; want %q", got, want)
	}
}

func testPauseSubscriptions(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	saveSubscriptions(t, s,
		store.Subscription{UserID: "u1", Track: "ta"},
		store.Subscription{UserID: "u1", Track: "tb"},
		store.Subscription{UserID: "u2", Track: "ta"},
	)
	dmA, dmB, dmOther := toUser("u1", "ta", 1, t0.Add(time.Hour)), toUser("u1", "tb", 1, t0.Add(time.Hour)), toUser("u2", "ta", 1, t0.Add(time.Hour))
	add(t, s, dmA, dmB, dmOther)

	const reason = "50007 Cannot send messages to this user"
	if err := s.PauseSubscriptions(ctx, "u1", reason); err != nil {
		t.Fatal(err)
	}
	check := func(when string, wantNoticed bool) {
		t.Helper()
		subs, err := s.Subscriptions(ctx, "u1")
		if err != nil || len(subs) != 2 {
			t.Fatalf("Subscriptions(u1) %s = %+v, %v", when, subs, err)
		}
		for _, sub := range subs {
			if sub.Paused != reason || sub.Noticed != wantNoticed {
				t.Errorf("%s: subscription to %s paused %q, noticed %v; want %q, %v", when, sub.Track, sub.Paused, sub.Noticed, reason, wantNoticed)
			}
		}
	}
	check("after the pause", false)
	if of, _ := s.SubscriptionsOf(ctx, "ta"); len(of) != 1 || of[0].UserID != "u2" {
		t.Errorf("SubscriptionsOf(ta) = %+v; want only u2 (u1 is paused)", of)
	}
	if err := s.MarkPauseNoticed(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	check("once noticed", true)
	if err := s.PauseSubscriptions(ctx, "u1", "another refusal"); err != nil {
		t.Fatal(err)
	}
	check("after a second refusal (the first reason and notice stand)", true)
	if err := s.PauseSubscriptions(ctx, "u2", ""); err == nil {
		t.Error("PauseSubscriptions without a reason succeeded")
	}
	if got, want := sortedIDs(claimAll(t, s)...), sortedIDs(dmOther); !slices.Equal(got, want) {
		t.Errorf("pending DMs after pausing u1 = %q; want only u2's %q", got, want)
	}

	// Subscribing again (the user fixed their settings) resumes.
	saveSubscriptions(t, s, store.Subscription{UserID: "u1", Track: "ta"})
	if of, _ := s.SubscriptionsOf(ctx, "ta"); len(of) != 2 {
		t.Errorf("SubscriptionsOf(ta) after u1 subscribed again = %+v; want u1 and u2", of)
	}
}

func testDigests(t *testing.T, open Factory) {
	s, c := openWith(t, open, nil)
	ctx := t.Context()
	g1 := store.Digest{GuildID: "g1", Schedule: "0 9 * * 1", Timezone: "Europe/Kyiv", UpdatedAt: t0}
	g2 := store.Digest{GuildID: "g2", Schedule: "@weekly", Timezone: "UTC"}
	for _, d := range []store.Digest{g2, g1} {
		if err := s.SaveDigest(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	g1.Schedule, g1.UpdatedAt = "@daily", t0.Add(time.Hour)
	if err := s.SaveDigest(ctx, g1); err != nil {
		t.Fatal(err)
	}
	g2.UpdatedAt = c.now() // saved without a time
	got, err := s.Digests(ctx)
	if err != nil || !reflect.DeepEqual(got, []store.Digest{g1, g2}) {
		t.Errorf("Digests() = %+v, %v; want %+v", got, err, []store.Digest{g1, g2})
	}

	digest, reminder := digestTo("g1", "c1", t0.Add(time.Hour)), toChannel("g1", "c1", "ta", 1, t0.Add(time.Hour))
	add(t, s, digest, reminder)
	if err := s.DeleteDigest(ctx, "g1"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Digests(ctx); err != nil || !reflect.DeepEqual(got, []store.Digest{g2}) {
		t.Errorf("Digests() after deleting g1's = %+v, %v", got, err)
	}
	if got, want := pendingFor(t, s, "g1"), ids([]store.Delivery{reminder}); !slices.Equal(got, want) {
		t.Errorf("pending for g1 after deleting its digest = %q; want the reminder only: %q", got, want)
	}
}

// finishAll claims what is due at now and finishes it with o.
func finishAll(t *testing.T, s store.Store, now time.Time, o store.Outcome) []store.Delivery {
	t.Helper()
	ds, err := s.ClaimDue(t.Context(), "finisher", now, time.Minute, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if ok, err := s.FinishDelivery(t.Context(), d, "finisher", o); err != nil || !ok {
			t.Fatalf("FinishDelivery(%s) = %v, %v", strings.Join(ids([]store.Delivery{d}), ""), ok, err)
		}
	}
	return ds
}
