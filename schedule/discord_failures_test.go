package schedule_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
)

func TestRateLimitBurstsDuringAFanOutDeliverEverythingOnce(t *testing.T) {
	const (
		channels  = 200
		injected  = 10
		perSecond = 100
	)
	fake := discordtest.New(t)
	// Each channel takes one message a second, and gets two at once.
	fake.SetRateLimit(messagesRoute, 1, time.Second)
	s := sqlitetest.Open(t, time.Now)
	due := time.Now().Add(3 * time.Second).Truncate(time.Second)
	importTracks(t, s,
		trackOf("one", meeting(t, 1, due.Add(time.Minute), "Europe/Istanbul", store.StatusScheduled)),
		trackOf("two", meeting(t, 1, due.Add(time.Minute), "Europe/Istanbul", store.StatusScheduled)))
	for i := range channels {
		for _, tr := range []string{"one", "two"} {
			saveFollow(t, s, store.Follow{GuildID: guildID(i), ChannelID: channelID(i), Track: tr, Offsets: []time.Duration{time.Minute}})
		}
	}
	fake.RateLimitNext(messagesRoute, injected, time.Second, false)
	rg := start(t, s, newSender(t, fake, via{perSecond: perSecond}), time.Now, schedule.Options{})

	// The bound is generous: 400 sends under -race on a loaded CI machine
	// took 19-35 s; what is tested is that every one arrives once.
	waitFor(t, 90*time.Second, "every reminder", func() bool { return rg.obs.count("reminder", "sent") >= 2*channels })
	time.Sleep(time.Second)

	tooMany, at := 0, []time.Time{}
	for i := range channels {
		ch := channelID(i)
		for _, tr := range []string{"one", "two"} {
			if got := messagesIn(fake, ch, "Talks "+tr); len(got) != 1 {
				t.Errorf("channel %s has %d reminders of %s; want 1", ch, len(got), tr)
			}
		}
	}
	for ch, reqs := range posts(fake) {
		n := 0
		for _, r := range reqs {
			at = append(at, r.At)
			if r.Status == http.StatusTooManyRequests {
				n++
			}
		}
		if n > 1 {
			t.Errorf("channel %s answered 429 %d times; want at most the one injected", ch, n)
		}
		tooMany += n
	}
	if tooMany != injected {
		t.Errorf("%d answers were 429; want only the %d injected", tooMany, injected)
	}
	// The ceiling lets a tenth of a second's requests through at once.
	if most := busiest(at, time.Second); most > perSecond+perSecond/10+perSecond/20 {
		t.Errorf("%d message requests in one second; the ceiling is %d a second", most, perSecond)
	} else {
		t.Logf("at most %d message requests in one second (ceiling %d)", most, perSecond)
	}
	nothingWaits(t, s)
	noViolations(t, fake)
}

func TestA30SecondOutageLosesNoReminder(t *testing.T) {
	if testing.Short() {
		t.Skip("waits through a 30 s outage")
	}
	const (
		channels = 20
		outage   = 30 * time.Second
	)
	fake := discordtest.New(t)
	s := sqlitetest.Open(t, time.Now)
	t0 := time.Now()
	zone := "Europe/Istanbul"
	// The 1m reminders of rounds 1 and 2 are due at once, of round 3
	// during the outage; round 1 starts during the outage.
	started := meeting(t, 1, t0.Add(20*time.Second), zone, store.StatusScheduled)
	afterwards := meeting(t, 2, t0.Add(50*time.Second), zone, store.StatusScheduled)
	duringOutage := meeting(t, 3, t0.Add(72*time.Second), zone, store.StatusScheduled)
	importTracks(t, s, trackOf("tr", started, afterwards, duringOutage))
	for i := range channels {
		saveFollow(t, s, store.Follow{GuildID: guildID(i), ChannelID: channelID(i), Track: "tr", Offsets: []time.Duration{time.Minute}})
	}
	statuses := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}
	var answered atomic.Int64
	fake.Handle(messagesRoute, func(r discordtest.Request) (int, any) {
		status := statuses[answered.Add(1)%int64(len(statuses))]
		return status, map[string]any{"message": http.StatusText(status), "code": 0}
	})
	rg := start(t, s, newSender(t, fake, via{}), time.Now, schedule.Options{})
	time.Sleep(time.Until(t0.Add(outage)))
	fake.Handle(messagesRoute, nil)
	back := time.Now()

	waitFor(t, 40*time.Second, "every reminder of rounds 2 and 3", func() bool { return rg.obs.count("reminder", "sent") >= 2*channels })
	time.Sleep(time.Second)
	for i := range channels {
		ch := channelID(i)
		for _, r := range []store.Round{afterwards, duringOutage} {
			got := messagesIn(fake, ch, fmt.Sprintf("Reminder: round %d ", r.Number))
			if len(got) != 1 {
				t.Errorf("channel %s has %d reminders of round %d; want 1", ch, len(got), r.Number)
				continue
			}
			if got[0].At.Before(back) || !got[0].At.Before(r.Starts.At) {
				t.Errorf("round %d's reminder in %s came at %v; want after Discord was back (%v) and before the meeting (%v)",
					r.Number, ch, got[0].At, back, r.Starts.At)
			}
		}
		if got := messagesIn(fake, ch, "Reminder: round 1 "); len(got) > 0 {
			t.Errorf("channel %s got a reminder of a meeting that had started", ch)
		}
	}
	waitFor(t, 10*time.Second, "round 1's reminders dropped", func() bool { return rg.obs.count("reminder", "dropped") >= channels })
	if n := rg.obs.count("reminder", "dropped"); n != channels {
		t.Errorf("%d reminders dropped; want %d", n, channels)
	}
	t.Logf("results: %s", rg.obs)
	nothingWaits(t, s)
	noViolations(t, fake)
}

func TestForbiddenAndUnknownChannelsAreDisabledAndNotRetried(t *testing.T) {
	const channels = 10
	forbidden, noAccess, unknown := channelID(channels), channelID(channels+1), channelID(channels+2)
	// A bare 404 (a wrong API base, a proxy) says nothing about the
	// channel: it is retried, and the follow stays.
	bare404 := channelID(channels + 3)
	closed := userID(1)
	fake := discordtest.New(t)
	closedDM, otherDM := openDM(t, fake, closed), openDM(t, fake, userID(2))
	fake.Handle(messagesRoute, func(r discordtest.Request) (int, any) {
		switch r.Params["channel_id"] {
		case forbidden:
			return http.StatusForbidden, map[string]any{"message": "Missing Permissions", "code": 50013}
		case noAccess:
			return http.StatusForbidden, map[string]any{"message": "Missing Access", "code": 50001}
		case unknown:
			return http.StatusNotFound, map[string]any{"message": "Unknown Channel", "code": 10003}
		case bare404:
			return http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0}
		}
		if r.Params["channel_id"] == closedDM {
			return http.StatusForbidden, map[string]any{"message": "Cannot send messages to this user", "code": 50007}
		}
		return 0, nil
	})
	s := sqlitetest.Open(t, time.Now)
	now := time.Now()
	// A reminder due in a few seconds, and more later: none of the later
	// ones may be tried either.
	importTracks(t, s, trackOf("tr",
		meeting(t, 1, now.Add(time.Hour+3*time.Second), "Europe/Istanbul", store.StatusScheduled),
		meeting(t, 2, now.Add(72*time.Hour), "Europe/Istanbul", store.StatusScheduled)))
	for i := range channels + 4 {
		saveFollow(t, s, store.Follow{GuildID: guildID(1), ChannelID: channelID(i), Track: "tr", Offsets: []time.Duration{time.Hour}})
	}
	for _, u := range []string{closed, userID(2)} {
		if err := s.SaveSubscription(t.Context(), store.Subscription{UserID: u, Track: "tr", Offsets: []time.Duration{time.Hour}}); err != nil {
			t.Fatal(err)
		}
	}
	rg := start(t, s, newSender(t, fake, via{}), time.Now, schedule.Options{WatchEvery: 100 * time.Millisecond, ReplanEvery: "@every 1s"})

	waitFor(t, 10*time.Second, "the reminders and refusals", func() bool {
		return rg.obs.count("reminder", "sent") >= channels+1 && rg.obs.count("reminder", "refused") >= 4
	})
	// Re-plans run every second: a refused target must not come back.
	time.Sleep(3 * time.Second)
	byChannel := posts(fake)
	for _, ch := range []string{forbidden, noAccess, unknown, closedDM} {
		if n := len(byChannel[ch]); n != 1 {
			t.Errorf("channel %s got %d message requests; want 1", ch, n)
		}
		if ch != closedDM && len(rg.logs.lines("target refused", ch)) != 1 {
			t.Errorf("no log line says channel %s refused\n%s", ch, rg.logs)
		}
	}
	follows, err := s.Follows(t.Context(), guildID(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range follows {
		switch f.ChannelID {
		case forbidden, noAccess:
			if !strings.Contains(f.Disabled, "may not post") {
				t.Errorf("follow in %s: Disabled = %q; want why posting stopped", f.ChannelID, f.Disabled)
			}
		case unknown:
			if !strings.Contains(f.Disabled, "no longer exists") {
				t.Errorf("follow in %s: Disabled = %q; want why posting stopped", f.ChannelID, f.Disabled)
			}
		case bare404:
			if f.Disabled != "" {
				t.Errorf("a bare 404 disabled the follow in %s: %q", f.ChannelID, f.Disabled)
			}
			if n := len(byChannel[bare404]); n < 2 {
				t.Errorf("channel %s answered a bare 404 and got %d requests; want it retried", bare404, n)
			}
		default:
			if f.Disabled != "" {
				t.Errorf("follow in %s was disabled: %q", f.ChannelID, f.Disabled)
			}
			if got := messagesIn(fake, f.ChannelID, "Reminder: round 1"); len(got) != 1 {
				t.Errorf("channel %s has %d reminders; want 1", f.ChannelID, len(got))
			}
		}
	}
	if len(rg.logs.lines("target refused", "user:"+closed)) != 1 {
		t.Errorf("no log line says user %s refused DMs", closed)
	}
	subs, err := s.Subscriptions(t.Context(), closed)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || !strings.Contains(subs[0].Paused, "50007") {
		t.Errorf("subscriptions of the user with closed DMs = %+v; want paused with the reason", subs)
	}
	if subs, err := s.Subscriptions(t.Context(), userID(2)); err != nil || len(subs) != 1 || subs[0].Paused != "" {
		t.Errorf("subscriptions of another user = %+v, %v; want active", subs, err)
	}
	if got := messagesIn(fake, otherDM, "Reminder: round 1"); len(got) != 1 {
		t.Errorf("another user got %d reminders by DM; want 1", len(got))
	}
	noViolations(t, fake)
}

func TestDroppedConnectionsAreRetriedAndDeliverOnce(t *testing.T) {
	const channels = 30
	fake := discordtest.New(t)
	proxy := newFlakyProxy(t, fake)
	s := sqlitetest.Open(t, time.Now)
	due := time.Now().Add(time.Second).Truncate(time.Second)
	importTracks(t, s, trackOf("tr", meeting(t, 1, due.Add(time.Minute), "Europe/Istanbul", store.StatusScheduled)))
	for i := range channels {
		saveFollow(t, s, store.Follow{GuildID: guildID(i), ChannelID: channelID(i), Track: "tr", Offsets: []time.Duration{time.Minute}})
	}
	proxy.setMode("cut")
	rg := start(t, s, newSender(t, fake, via{base: proxy.apiBase(fake)}), time.Now, schedule.Options{})
	time.Sleep(time.Until(due.Add(2 * time.Second)))
	proxy.setMode("refuse")
	time.Sleep(2 * time.Second)
	proxy.setMode("")
	back := time.Now()

	waitFor(t, 30*time.Second, "every reminder", func() bool { return rg.obs.count("reminder", "sent") >= channels })
	time.Sleep(time.Second)
	byChannel := posts(fake)
	for i := range channels {
		ch := channelID(i)
		if got := messagesIn(fake, ch, "Reminder: round 1"); len(got) != 1 {
			t.Errorf("channel %s has %d reminders; want 1", ch, len(got))
		} else if got[0].At.After(back) {
			t.Errorf("channel %s: the reminder was made after the connections came back; want when the first try reached Discord", ch)
		}
		reqs := byChannel[ch]
		if len(reqs) < 2 {
			t.Errorf("channel %s got %d requests; want the cut one and at least one retry", ch, len(reqs))
		}
		for _, r := range reqs {
			if nonceOf(t, r) != nonceOf(t, reqs[0]) {
				t.Errorf("channel %s: a retry carried another nonce", ch)
			}
		}
	}
	if n := rg.obs.count("reminder", "retry"); n < channels {
		t.Errorf("%d retries; want at least one per channel (%s)", n, rg.obs)
	}
	t.Logf("results: %s", rg.obs)
	nothingWaits(t, s)
	noViolations(t, fake)
}
