package schedule_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/remind"
	"talkbot/schedule"
	"talkbot/store"
)

func TestAChangedMeetingIsReplannedAtOnceAndFollowersAreToldOnce(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { changedMeeting(t, e) })
	}
}

func changedMeeting(t *testing.T, e engine) {
	const channels = 3
	fake := discordtest.New(t)
	s := e.open(t, time.Now)
	now := time.Now()
	// Round 1 is in two days and moves a day later; rounds 2 and 3 have
	// a 1m reminder due in a few seconds, and are postponed and cancelled
	// before it is due. (Longer offsets would already be due for rounds 2
	// and 3, and be sent at once, late.)
	zone := "Europe/Istanbul"
	r1 := meeting(t, 1, now.Add(48*time.Hour), zone, store.StatusScheduled)
	r2 := meeting(t, 2, now.Add(time.Minute+6*time.Second), zone, store.StatusScheduled)
	r3 := meeting(t, 3, now.Add(time.Minute+7*time.Second), zone, store.StatusProposed)
	importTracks(t, s, trackOf("tr", r1, r2, r3))
	for i := range channels {
		saveFollow(t, s, store.Follow{GuildID: guildID(1), ChannelID: channelID(i), Track: "tr", RoleID: roleID(1), Offsets: []time.Duration{time.Minute}})
	}
	if err := s.SaveSubscription(t.Context(), store.Subscription{UserID: userID(1), Track: "tr", Offsets: []time.Duration{time.Minute}}); err != nil {
		t.Fatal(err)
	}
	rg := start(t, s, newSender(t, fake, via{}), time.Now, schedule.Options{WatchEvery: 200 * time.Millisecond})

	pending := func() map[string]bool {
		ds, err := s.PendingFor(t.Context(), guildID(1), 0)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, d := range ds {
			keys[d.Key+" "+d.Target] = true
		}
		return keys
	}
	keysFor := func(r store.Round, offsets ...time.Duration) map[string]bool {
		keys := map[string]bool{}
		for i := range channels {
			for _, off := range offsets {
				keys[remind.ReminderKey("tr", r.Number, r.Starts.At, off, roleID(1))+" "+store.ChannelTarget(channelID(i))] = true
			}
		}
		return keys
	}
	before := keysFor(r1, time.Minute)
	for k := range keysFor(r2, time.Minute) {
		before[k] = true
	}
	for k := range keysFor(r3, time.Minute) {
		before[k] = true
	}
	waitFor(t, 5*time.Second, "the first plan", func() bool { return equalSets(pending(), before) })

	moved := r1
	moved.Starts = meeting(t, 1, r1.Starts.At.Add(24*time.Hour), zone, store.StatusScheduled).Starts
	postponed, cancelled := r2, r3
	postponed.Status, cancelled.Status = store.StatusPostponed, store.StatusCancelled
	changedAt := time.Now()
	importTracks(t, s, trackOf("tr", moved, postponed, cancelled))

	after := keysFor(moved, time.Minute)
	waitFor(t, 2*time.Second, "the re-plan after the import", func() bool { return equalSets(pending(), after) })
	t.Logf("re-planned %v after the import", time.Since(changedAt).Round(time.Millisecond))

	// One update per change to each follower: three channels and the
	// subscriber's DMs.
	dm := openDM(t, fake, userID(1))
	waitFor(t, 10*time.Second, "the update posts", func() bool {
		n := len(messagesIn(fake, dm, "Update: "))
		for i := range channels {
			n += len(messagesIn(fake, channelID(i), "Update: "))
		}
		return n >= 4*3
	})
	for _, ch := range []string{channelID(0), channelID(1), channelID(2), dm} {
		var got []string
		for _, m := range messagesIn(fake, ch, "Update: ") {
			got = append(got, m.Content)
		}
		// Updates due together go out in parallel, in no set order.
		slices.Sort(got)
		want := []string{"Round 1 of **Talks tr** moved from", "Round 2 of **Talks tr**, planned for", "Round 3 of **Talks tr**, planned for"}
		ends := []string{".", "is postponed.", "is cancelled."}
		if len(got) != len(want) {
			t.Errorf("channel %s got %d updates; want %d: %q", ch, len(got), len(want), got)
			continue
		}
		for i, w := range want {
			if !strings.Contains(got[i], w) || !strings.HasSuffix(got[i], ends[i]) {
				t.Errorf("channel %s got %q; want %q ... %q", ch, got[i], w, ends[i])
			}
		}
	}

	// Past the due time of the dropped reminders, nothing was reminded.
	time.Sleep(time.Until(r3.Starts.At.Add(-time.Minute + 2*time.Second)))
	for i := range channels {
		if got := messagesIn(fake, channelID(i), "Reminder:"); len(got) > 0 {
			t.Errorf("channel %s got a reminder of a meeting that was called off: %q", channelID(i), got[0].Content)
		}
	}
	if n := rg.obs.count("update", "sent"); n != 12 {
		t.Errorf("%d updates sent; want 12 (%s)", n, rg.obs)
	}
	noViolations(t, fake)
}

func equalSets(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
