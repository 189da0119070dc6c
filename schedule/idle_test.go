package schedule_test

import (
	"fmt"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
)

func TestIdleSchedulerDoesNoWorkPerServer(t *testing.T) {
	const (
		servers = 10000
		tracks  = 10
	)
	s := sqlitetest.Open(t, time.Now)
	var ts []store.Track
	for i := range tracks {
		// Only a meeting that was held: nothing to remind of.
		ts = append(ts, trackOf(fmt.Sprintf("tr%02d", i), meeting(t, 1, time.Now().Add(-72*time.Hour), "Europe/Istanbul", store.StatusHeld)))
	}
	importTracks(t, s, ts...)
	for i := range servers {
		saveFollow(t, s, store.Follow{GuildID: guildID(i), ChannelID: channelID(i), Track: fmt.Sprintf("tr%02d", i%tracks), Offsets: []time.Duration{time.Hour}})
	}
	fake := discordtest.New(t)
	counted := newCountingStore(s)
	const (
		watchEvery = 500 * time.Millisecond
		replans    = 4 // every 1 s over 4 s
	)
	startOn(t, s, counted, newSender(t, fake, via{}), time.Now, schedule.Options{WatchEvery: watchEvery, ReplanEvery: "@every 1s"})
	time.Sleep(replans*time.Second + 200*time.Millisecond)

	calls, followsRead := counted.snapshot()
	t.Logf("store calls in %ds: %v; follows read: %d", replans, calls, followsRead)
	if followsRead > 0 {
		t.Errorf("%d follows read with no meeting ahead; want none", followsRead)
	}
	// Each wake: NextDue, ClaimDue, DataVersion, DueEditUpdates; each
	// re-plan (and the first): DropExpired, Tracks, Digests, EventSettings
	// and, per track, UpcomingRounds and ReplanReminders.
	wakes := int(replans*time.Second/watchEvery) + replans + 2
	if limit := wakes*4 + (replans+2)*(4+2*tracks); calls["total"] > limit {
		t.Errorf("%d store calls; want at most %d, whatever the number of servers", calls["total"], limit)
	}
}
