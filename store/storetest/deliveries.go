package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"talkbot/store"
)

func testAddDeliveries(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	a := toChannel("g1", "c1", "ta", 1, t0.Add(time.Hour))
	b := toUser("u1", "ta", 1, t0.Add(time.Hour))
	d := digestTo("g1", "c1", t0.Add(30*time.Minute)) // no deadline
	n, err := s.AddDeliveries(ctx, []store.Delivery{a, b})
	if err != nil || n != 2 {
		t.Fatalf("AddDeliveries(a, b) = %d, %v; want 2", n, err)
	}
	// a is recorded already and listed twice; only d is new.
	n, err = s.AddDeliveries(ctx, []store.Delivery{a, d, a})
	if err != nil || n != 1 {
		t.Fatalf("AddDeliveries(a, d, a) = %d, %v; want 1", n, err)
	}
	got, err := s.PendingFor(ctx, "g1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Delivery{pending(d), pending(a)}; !reflect.DeepEqual(got, want) {
		t.Errorf("PendingFor(g1) =\n %+v\nwant every field back, soonest first\n %+v", got, want)
	}
	if _, err := s.AddDeliveries(ctx, []store.Delivery{{Key: "k", Target: "user:1", Kind: store.DeliveryUpdate}}); err == nil {
		t.Error("AddDeliveries without a due time succeeded")
	}
	if n, err := s.AddDeliveries(ctx, nil); err != nil || n != 0 {
		t.Errorf("AddDeliveries(nil) = %d, %v", n, err)
	}
}

func testReplan(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	day := t0.Add(24 * time.Hour)
	early, soon := toChannel("g1", "c1", "ta", 1, t0.Add(-time.Minute)), toUser("u1", "ta", 1, t0)
	keep, drop := toChannel("g1", "c1", "ta", 1, day), toUser("u1", "ta", 1, day)
	otherTrack := toChannel("g1", "c1", "tb", 1, day)
	add(t, s, otherTrack)

	replan := func(want []store.Delivery, wantAdded, wantRemoved int) {
		t.Helper()
		added, removed, err := s.ReplanReminders(ctx, "ta", want)
		if err != nil || added != wantAdded || removed != wantRemoved {
			t.Fatalf("ReplanReminders(%d wanted) = %d added, %d removed, %v; want %d, %d", len(want), added, removed, err, wantAdded, wantRemoved)
		}
	}
	first := []store.Delivery{early, soon, keep, drop}
	replan(first, 4, 0)
	replan(first, 0, 0) // idempotent

	// early is sent and soon is being sent when the plan changes.
	if got := finishAll(t, s, t0.Add(-time.Minute), store.Outcome{State: store.DeliverySent, MessageID: "m1", At: t0}); len(got) != 1 {
		t.Fatalf("claimed %q at early's due time; want early only", ids(got))
	}
	claim, err := s.ClaimDue(ctx, "w1", t0, time.Hour, 10)
	if err != nil || !slices.Equal(ids(claim), ids([]store.Delivery{soon})) {
		t.Fatalf("ClaimDue at soon's due time = %q, %v; want soon", ids(claim), err)
	}

	// The meeting moved: nothing of the old plan is wanted but keep, and
	// moved is new. Only the pending drop goes; sent and claimed stay.
	moved := toChannel("g1", "c1", "ta", 1, day.Add(time.Hour))
	second := []store.Delivery{keep, moved}
	replan(second, 1, 1)
	replan(second, 0, 0)
	if ok, err := s.FinishDelivery(ctx, claim[0], "w1", store.Outcome{State: store.DeliverySent, At: t0}); err != nil || !ok {
		t.Errorf("finishing soon after the replan = %v, %v; want the claim intact", ok, err)
	}
	// A sent reminder wanted again is recorded, not added a second time.
	replan(append(second, early), 0, 0)
	if got, want := pendingFor(t, s, "g1"), ids([]store.Delivery{keep, otherTrack, moved}); !slices.Equal(got, want) {
		t.Errorf("pending after the replan = %q; want %q", got, want)
	}
	if !recorded(t, s, soon) {
		t.Error("a reminder sent during the replan is no longer recorded")
	}

	replan(nil, 0, 2) // keep and moved; never another track's
	if got, want := pendingFor(t, s, "g1"), ids([]store.Delivery{otherTrack}); !slices.Equal(got, want) {
		t.Errorf("pending after replanning to nothing = %q; want %q", got, want)
	}
	if _, _, err := s.ReplanReminders(ctx, "ta", []store.Delivery{otherTrack}); err == nil {
		t.Error("ReplanReminders(ta) accepted a reminder of another track")
	}
}

// manyReminders is n reminders of a track to distinct channels of one
// server, due a second apart from start.
func manyReminders(track string, n int, start time.Time) []store.Delivery {
	out := make([]store.Delivery, n)
	for i := range out {
		out[i] = toChannel("g-"+track, fmt.Sprintf("c%05d", i), track, 1+i%3, start.Add(time.Duration(i)*time.Second))
	}
	return out
}

// testReplanMany replans enough reminders that every write spans several
// statements (BenchReplan measures 40,000).
func testReplanMany(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	want := manyReminders("ta", 12_000, t0)
	cases := []struct {
		name           string
		want           []store.Delivery
		added, removed int
		pending        int
	}{
		{"12,000 new reminders are all added", want, 12_000, 0, 12_000},
		{"the same plan again changes nothing", want, 0, 0, 12_000},
		{"half the plan removes the other half", want[:6_000], 0, 6_000, 6_000},
		{"a plan shifted by a quarter adds and removes a quarter", want[3_000:9_000], 3_000, 3_000, 6_000},
	}
	for _, tc := range cases {
		added, removed, err := s.ReplanReminders(ctx, "ta", tc.want)
		if err != nil || added != tc.added || removed != tc.removed {
			t.Fatalf("%s: ReplanReminders = %d added, %d removed, %v; want %d, %d", tc.name, added, removed, err, tc.added, tc.removed)
		}
		got, err := s.PendingFor(ctx, "g-ta", 0)
		if err != nil || len(got) != tc.pending {
			t.Fatalf("%s: %d pending, %v; want %d", tc.name, len(got), err, tc.pending)
		}
		if len(got) > 0 && got[0].Key != tc.want[0].Key {
			t.Fatalf("%s: the first pending is %q; want the plan's first %q", tc.name, got[0].Key, tc.want[0].Key)
		}
	}
}

func testClaimDue(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	a := toChannel("g1", "c1", "ta", 1, t0.Add(-2*time.Minute))
	b := toUser("u1", "ta", 1, t0.Add(-time.Minute))
	now := toChannel("g1", "c2", "ta", 1, t0)                         // due at this very millisecond
	later := toChannel("g1", "c3", "ta", 1, t0.Add(time.Millisecond)) // not yet
	add(t, s, later, now, b, a)

	got, err := s.ClaimDue(ctx, "w1", t0, 30*time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	claimed := func(d store.Delivery, owner string, leaseEnds time.Time, attempts int) store.Delivery {
		d = pending(d)
		d.State, d.Owner, d.LeaseEnds, d.Attempts = store.DeliveryClaimed, owner, leaseEnds, attempts
		return d
	}
	lease := t0.Add(30 * time.Second)
	if want := []store.Delivery{claimed(a, "w1", lease, 1), claimed(b, "w1", lease, 1)}; !reflect.DeepEqual(got, want) {
		t.Errorf("ClaimDue(limit 2) =\n %+v\nwant the two oldest, claimed\n %+v", got, want)
	}
	got, err = s.ClaimDue(ctx, "w2", t0, 30*time.Second, 10)
	if err != nil || !reflect.DeepEqual(got, []store.Delivery{claimed(now, "w2", lease, 1)}) {
		t.Errorf("ClaimDue by w2 = %q, %v; want only the delivery due now (the others are claimed or not due)", ids(got), err)
	}
	if got, err := s.ClaimDue(ctx, "w3", t0.Add(time.Millisecond-1), 30*time.Second, 10); err != nil || len(got) != 0 {
		t.Errorf("ClaimDue a nanosecond before the next is due = %q, %v; want nothing", ids(got), err)
	}
	if _, err := s.ClaimDue(ctx, "", t0, time.Minute, 10); err == nil {
		t.Error("ClaimDue without an owner succeeded")
	}
}

func testLease(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	d := toChannel("g1", "c1", "ta", 1, t0)
	add(t, s, d)
	claim := func(owner string, at time.Time) []store.Delivery {
		t.Helper()
		got, err := s.ClaimDue(ctx, owner, at, time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := claim("w1", t0); len(got) != 1 {
		t.Fatalf("w1 claimed %q; want the due delivery", ids(got))
	}
	if got := claim("w2", t0.Add(time.Minute-time.Millisecond)); len(got) != 0 {
		t.Errorf("w2 took over %q before w1's lease ended", ids(got))
	}
	got := claim("w2", t0.Add(time.Minute))
	if len(got) != 1 || got[0].Owner != "w2" || got[0].Attempts != 2 || !got[0].LeaseEnds.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("w2 at the end of w1's lease claimed %+v; want the delivery, attempt 2, leased to w2 until %v", got, t0.Add(2*time.Minute))
	}

	// w1 comes back too late: its outcome is refused and changes nothing.
	ok, err := s.FinishDelivery(ctx, d, "w1", store.Outcome{State: store.DeliveryPending, NextTry: t0, Error: "stale"})
	if err != nil || ok {
		t.Fatalf("FinishDelivery by w1 after the takeover = %v, %v; want false", ok, err)
	}
	if got := claim("w3", t0.Add(time.Minute+time.Millisecond)); len(got) != 0 {
		t.Errorf("after w1's stale outcome, w3 claimed %q; want w2's claim intact", ids(got))
	}
	if next, ok, err := s.NextDue(ctx); err != nil || !ok || !next.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("NextDue after w1's stale outcome = %v, %v, %v; want w2's lease end %v", next, ok, err, t0.Add(2*time.Minute))
	}
	if ok, err := s.FinishDelivery(ctx, got[0], "w2", store.Outcome{State: store.DeliverySent, MessageID: "m", At: t0.Add(time.Minute)}); err != nil || !ok {
		t.Errorf("FinishDelivery by w2 = %v, %v; want true", ok, err)
	}
	if ok, err := s.FinishDelivery(ctx, got[0], "w2", store.Outcome{State: store.DeliverySent, At: t0}); err != nil || ok {
		t.Errorf("finishing a sent delivery again = %v, %v; want false", ok, err)
	}
	if got := claimAll(t, s); len(got) != 0 {
		t.Errorf("a sent delivery was claimed again: %q", ids(got))
	}
}

func testRetry(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	d := toChannel("g1", "c1", "ta", 1, t0)
	add(t, s, d)
	got, err := s.ClaimDue(ctx, "w1", t0, time.Minute, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("ClaimDue = %q, %v", ids(got), err)
	}
	retry := t0.Add(10 * time.Second)
	if ok, err := s.FinishDelivery(ctx, d, "w1", store.Outcome{State: store.DeliveryPending, NextTry: retry, Error: "503 Service Unavailable"}); err != nil || !ok {
		t.Fatalf("FinishDelivery(retry) = %v, %v", ok, err)
	}
	if next, ok, err := s.NextDue(ctx); err != nil || !ok || !next.Equal(retry) {
		t.Errorf("NextDue after a retry = %v, %v, %v; want the retry time %v", next, ok, err, retry)
	}
	if got, err := s.ClaimDue(ctx, "w2", retry.Add(-time.Millisecond), time.Minute, 10); err != nil || len(got) != 0 {
		t.Errorf("ClaimDue before the retry time = %q, %v; want nothing", ids(got), err)
	}
	if pend, _ := s.PendingFor(ctx, "g1", 0); len(pend) != 1 || pend[0].Owner != "" || pend[0].LastError != "503 Service Unavailable" {
		t.Errorf("PendingFor during the wait = %+v; want the delivery without owner, with its error", pend)
	}
	got, err = s.ClaimDue(ctx, "w2", retry, time.Minute, 10)
	want := pending(d)
	want.State, want.Owner, want.Attempts, want.NextTry, want.LeaseEnds = store.DeliveryClaimed, "w2", 2, retry, retry.Add(time.Minute)
	want.LastError = "503 Service Unavailable"
	if err != nil || !reflect.DeepEqual(got, []store.Delivery{want}) {
		t.Errorf("ClaimDue at the retry time =\n %+v, %v\nwant\n %+v", got, err, want)
	}
	if _, err := s.FinishDelivery(ctx, d, "w2", store.Outcome{State: store.DeliveryPending}); err == nil {
		t.Error("a retry without a next try was accepted")
	}
}

func testOutcomes(t *testing.T, open Factory) {
	cases := []struct {
		name string
		o    store.Outcome
	}{
		{"sent", store.Outcome{State: store.DeliverySent, MessageID: "1380000000000000000", At: t0.Add(time.Second), Late: true}},
		{"dropped", store.Outcome{State: store.DeliveryDropped, At: t0, Late: true, Error: "the meeting has started"}},
		{"failed", store.Outcome{State: store.DeliveryFailed, At: t0, Error: "50001 Missing Access"}},
	}
	for _, tc := range cases {
		t.Run("a "+tc.name+" delivery is finished for good", func(t *testing.T) {
			s, _ := openWith(t, open, nil)
			ctx := t.Context()
			d := toChannel("g1", "c1", "ta", 1, t0)
			add(t, s, d)
			if got := finishAll(t, s, t0, tc.o); len(got) != 1 {
				t.Fatalf("finished %q; want the one delivery", ids(got))
			}
			if _, ok, err := s.NextDue(ctx); err != nil || ok {
				t.Errorf("NextDue after the delivery was %s = %v, %v; want nothing waiting", tc.name, ok, err)
			}
			if got := claimAll(t, s); len(got) != 0 {
				t.Errorf("a %s delivery was claimed again: %q", tc.name, ids(got))
			}
			if !recorded(t, s, d) {
				t.Errorf("a %s delivery is no longer recorded (it would be sent again)", tc.name)
			}
		})
	}
	t.Run("claimed is no outcome", func(t *testing.T) {
		s, _ := openWith(t, open, nil)
		d := toChannel("g1", "c1", "ta", 1, t0)
		add(t, s, d)
		if _, err := s.FinishDelivery(t.Context(), d, "w", store.Outcome{State: store.DeliveryClaimed}); err == nil {
			t.Error("FinishDelivery accepted the outcome claimed")
		}
	})
}

func testNextDue(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	next := func(want time.Time) {
		t.Helper()
		at, ok, err := s.NextDue(ctx)
		if err != nil || ok != !want.IsZero() || !at.Equal(want) {
			t.Fatalf("NextDue() = %v, %v, %v; want %v", at, ok, err, want)
		}
	}
	next(time.Time{})
	a, b := toChannel("g1", "c1", "ta", 1, t0.Add(time.Hour)), toUser("u1", "ta", 1, t0.Add(2*time.Hour))
	add(t, s, b, a)
	next(a.DueAt)
	if got, err := s.ClaimDue(ctx, "w1", a.DueAt, 5*time.Minute, 10); err != nil || len(got) != 1 {
		t.Fatalf("ClaimDue(a) = %q, %v", ids(got), err)
	}
	next(a.DueAt.Add(5 * time.Minute)) // a's lease ends before b is due
	if ok, err := s.FinishDelivery(ctx, a, "w1", store.Outcome{State: store.DeliverySent, At: a.DueAt}); err != nil || !ok {
		t.Fatalf("FinishDelivery(a) = %v, %v", ok, err)
	}
	next(b.DueAt)
	if got, err := s.ClaimDue(ctx, "w1", b.DueAt, time.Hour, 10); err != nil || len(got) != 1 {
		t.Fatalf("ClaimDue(b) = %q, %v", ids(got), err)
	}
	next(b.DueAt.Add(time.Hour)) // only a claim waits
	if ok, err := s.FinishDelivery(ctx, b, "w1", store.Outcome{State: store.DeliveryFailed, At: b.DueAt, Error: "50007"}); err != nil || !ok {
		t.Fatalf("FinishDelivery(b) = %v, %v", ok, err)
	}
	next(time.Time{})
}

func testPendingFor(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	first := toChannel("g1", "c2", "ta", 1, t0.Add(time.Hour))
	second := toChannel("g1", "c1", "tb", 2, t0.Add(2*time.Hour))
	third := digestTo("g1", "c1", t0.Add(3*time.Hour))
	claimed := toChannel("g1", "c1", "ta", 1, t0)
	add(t, s, third, claimed, first, toChannel("g2", "c9", "ta", 1, t0), toUser("u1", "ta", 1, t0), second)
	if got, err := s.ClaimDue(ctx, "w1", t0, time.Hour, 10); err != nil || len(got) != 3 {
		t.Fatalf("ClaimDue = %q, %v; want the three due now", ids(got), err)
	}
	cases := []struct {
		name  string
		guild string
		limit int
		want  []store.Delivery
	}{
		{"a server's pending deliveries, soonest first", "g1", 0, []store.Delivery{first, second, third}},
		{"the first few", "g1", 2, []store.Delivery{first, second}},
		{"a server with none", "g3", 5, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.PendingFor(ctx, tc.guild, tc.limit)
			if err != nil || !slices.Equal(ids(got), ids(tc.want)) {
				t.Errorf("PendingFor(%s, %d) = %q, %v; want %q", tc.guild, tc.limit, ids(got), err, ids(tc.want))
			}
		})
	}
}

func testClaimRace(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ClaimRace(t, []store.Store{s}, 4)
}

// ClaimRace records 2,000 due deliveries through the first store, then
// runs workers goroutines on each store, each with its own owner, that
// claim 50 at a time and finish what they claim until nothing is left. It
// fails unless every delivery was claimed exactly once in all. Stores
// opened separately on one database stand for replicas.
func ClaimRace(t *testing.T, stores []store.Store, workers int) {
	t.Helper()
	const total, limit = 2000, 50
	ds := make([]store.Delivery, total)
	for i := range ds {
		// Spread over a minute, 30 ms apart, so their order matters.
		ds[i] = toChannel("g1", fmt.Sprintf("c%04d", i), "ta", 1, t0.Add(-time.Minute+time.Duration(i)*30*time.Millisecond))
	}
	if n, err := stores[0].AddDeliveries(t.Context(), ds); err != nil || n != total {
		t.Fatalf("AddDeliveries = %d, %v", n, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var (
		mu     sync.Mutex
		counts = make(map[string]int, total)
		wg     sync.WaitGroup
		errs   = make(chan error, len(stores)*workers)
	)
	for si, s := range stores {
		for w := range workers {
			owner := fmt.Sprintf("store%d-worker%d", si, w)
			wg.Go(func() {
				for range total { // bounded: each turn claims one or stops
					got, err := s.ClaimDue(ctx, owner, t0, time.Hour, limit)
					if err != nil {
						errs <- fmt.Errorf("%s: %w", owner, err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, id := range ids(got) {
						counts[id]++
					}
					mu.Unlock()
					for _, d := range got {
						if d.Owner != owner {
							errs <- fmt.Errorf("%s got a delivery owned by %q", owner, d.Owner)
							return
						}
						ok, err := s.FinishDelivery(ctx, d, owner, store.Outcome{State: store.DeliverySent, At: t0})
						if err != nil || !ok {
							errs <- fmt.Errorf("%s finishing its own claim: %v, %w", owner, ok, err)
							return
						}
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(counts) != total {
		t.Errorf("%d distinct deliveries claimed; want %d", len(counts), total)
	}
	twice := 0
	for id, n := range counts {
		if n != 1 {
			if twice++; twice <= 5 {
				t.Errorf("%s was claimed %d times", id, n)
			}
		}
	}
	if twice > 5 {
		t.Errorf("and %d more deliveries were claimed more than once", twice-5)
	}
	if left, err := stores[0].ClaimDue(t.Context(), "after", t0, time.Hour, limit); err != nil || len(left) != 0 {
		t.Errorf("after the race ClaimDue = %d deliveries, %v; want none left", len(left), err)
	}
}

func testDropExpired(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	expired := toChannel("g1", "c1", "ta", 1, t0.Add(-2*time.Hour))
	ahead := toChannel("g1", "c2", "ta", 1, t0.Add(time.Hour))
	digest := digestTo("g1", "c1", t0.Add(-time.Hour)) // no deadline: never expires
	add(t, s, expired, ahead, digest)
	dropped, err := s.DropExpired(ctx, expired.Deadline)
	if err != nil || dropped[store.DeliveryReminder] != 1 || len(dropped) != 1 {
		t.Fatalf("DropExpired = %v, %v; want one reminder", dropped, err)
	}
	got, err := s.ClaimDue(ctx, "w1", t0.Add(2*time.Hour), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || slices.ContainsFunc(got, func(d store.Delivery) bool { return d.Key == expired.Key && d.Target == expired.Target }) {
		t.Errorf("claimed %q after dropping the expired one; want the other two", ids(got))
	}
	if again, err := s.DropExpired(ctx, expired.Deadline); err != nil || len(again) != 0 {
		t.Errorf("DropExpired again = %v, %v; want nothing", again, err)
	}
}
