package schedule_test

import (
	"fmt"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/pgtest"
)

func TestThreeSchedulersOnOneDatabaseSendEachReminderOnce(t *testing.T) {
	const channels = 2000
	url := pgtest.URL(t)
	fake := discordtest.New(t)
	setup := pgtest.OpenURL(t, url, time.Now)
	for i := range channels {
		saveFollow(t, setup, store.Follow{GuildID: guildID(i / 4), ChannelID: channelID(i), Track: "fan", RoleID: roleID(i / 4), Offsets: []time.Duration{time.Minute}})
	}
	due := time.Now().Add(3 * time.Second).Truncate(time.Second)
	importTracks(t, setup, trackOf("fan", meeting(t, 1, due.Add(time.Minute), "Europe/Istanbul", store.StatusScheduled)))

	var rigs []*rig
	for i := range 3 {
		s := pgtest.OpenURL(t, url, time.Now)
		rigs = append(rigs, start(t, s, newSender(t, fake, via{}), time.Now, schedule.Options{Owner: fmt.Sprintf("replica-%d", i)}))
	}

	sentBy := func() (total int, each []int) {
		for _, r := range rigs {
			n := r.obs.count("reminder", "sent")
			each = append(each, n)
			total += n
		}
		return total, each
	}
	waitFor(t, time.Minute, "every reminder sent", func() bool { n, _ := sentBy(); return n >= channels })
	time.Sleep(time.Second) // anything sent twice would show by now

	total, each := sentBy()
	t.Logf("reminders sent by each replica: %v", each)
	if total != channels {
		t.Errorf("the replicas report %d reminders sent; want %d", total, channels)
	}
	byChannel := posts(fake)
	nonces := map[string]string{}
	for i := range channels {
		ch := channelID(i)
		if got := messagesIn(fake, ch, "Reminder: round 1"); len(got) != 1 {
			t.Errorf("channel %s has %d reminders; want 1", ch, len(got))
		}
		// Not even a repeat Discord would deduplicate: one request each.
		if reqs := byChannel[ch]; len(reqs) != 1 {
			t.Errorf("channel %s got %d message requests; want 1", ch, len(reqs))
		} else if n := nonceOf(t, reqs[0]); nonces[n] != "" {
			t.Errorf("channels %s and %s got the same nonce", nonces[n], ch)
		} else {
			nonces[n] = ch
		}
	}
	for _, r := range rigs {
		if ws := r.logs.lines("taken over"); len(ws) > 0 {
			t.Errorf("a claim was taken over: %s", ws[0])
		}
		for _, result := range []string{"retry", "error", "dropped", "refused", "late"} {
			if n := r.obs.count("reminder", result); n > 0 {
				t.Errorf("%d reminders ended %q", n, result)
			}
		}
	}
	nothingWaits(t, setup)
	noViolations(t, fake)
}

// Each send takes a second; a claim must not wait behind other sends until
// its lease ends, or another replica takes it over and sends it again.
func TestASlowDiscordDoesNotMakeReplicasSendTwice(t *testing.T) {
	const channels = 24
	url := pgtest.URL(t)
	fake := discordtest.New(t)
	fake.Handle(messagesRoute, func(discordtest.Request) (int, any) {
		time.Sleep(time.Second)
		return 0, nil
	})
	setup := pgtest.OpenURL(t, url, time.Now)
	for i := range channels {
		saveFollow(t, setup, store.Follow{GuildID: guildID(i), ChannelID: channelID(i), Track: "tr", Offsets: []time.Duration{time.Minute}})
	}
	due := time.Now().Add(2 * time.Second).Truncate(time.Second)
	importTracks(t, setup, trackOf("tr", meeting(t, 1, due.Add(time.Minute), "Europe/Istanbul", store.StatusScheduled)))
	var rigs []*rig
	for i := range 2 {
		s := pgtest.OpenURL(t, url, time.Now)
		rigs = append(rigs, start(t, s, newSender(t, fake, via{}), time.Now,
			schedule.Options{Owner: fmt.Sprintf("replica-%d", i), Workers: 4, Lease: 3 * time.Second, WatchEvery: 200 * time.Millisecond}))
	}
	sent := func() int { return rigs[0].obs.count("reminder", "sent") + rigs[1].obs.count("reminder", "sent") }
	waitFor(t, 30*time.Second, "every reminder", func() bool { return sent() >= channels })
	time.Sleep(2 * time.Second)
	for ch, reqs := range posts(fake) {
		if len(reqs) != 1 {
			t.Errorf("channel %s got %d message requests; want 1", ch, len(reqs))
		}
	}
	for _, r := range rigs {
		if ws := r.logs.lines("taken over"); len(ws) > 0 {
			t.Errorf("%d claims were taken over: %s", len(ws), ws[0])
		}
	}
	if n := sent(); n != channels {
		t.Errorf("%d reminders reported sent; want %d", n, channels)
	}
}
