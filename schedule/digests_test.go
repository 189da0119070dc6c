package schedule_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
)

// A server's digest goes out on its schedule to every channel that follows
// talks there and is not disabled, once per run even with two replicas.
func TestDigestGoesToEachActiveChannelOnce(t *testing.T) {
	// A run's key holds its minute, and this schedule fires every 2 s, so
	// each minute must see exactly one post per channel: start well inside
	// a minute.
	if left := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)); left < 25*time.Second {
		time.Sleep(left + time.Second)
	}
	fake := discordtest.New(t)
	s := sqlitetest.Open(t, time.Now)
	importTracks(t, s, trackOf("tr", meeting(t, 1, time.Now().Add(48*time.Hour), "Europe/Istanbul", store.StatusScheduled)))
	guild := guildID(1)
	for i := range 3 {
		saveFollow(t, s, store.Follow{GuildID: guild, ChannelID: channelID(i), Track: "tr", Offsets: []time.Duration{time.Hour}})
	}
	ctx := context.Background()
	if err := s.DisableChannel(ctx, guild, channelID(2), "test: channel lost"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDigest(ctx, store.Digest{GuildID: guild, Schedule: "@every 2s", Timezone: "Europe/Istanbul", UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	start(t, s, newSender(t, fake, via{}), time.Now, schedule.Options{})
	start(t, s, newSender(t, fake, via{}), time.Now, schedule.Options{})

	digests := func(ch string) []discordtest.Message { return messagesIn(fake, ch, "Digest of the coming week") }
	waitFor(t, 10*time.Second, "a digest in each active channel", func() bool {
		return len(digests(channelID(0))) > 0 && len(digests(channelID(1))) > 0
	})
	time.Sleep(5 * time.Second) // both replicas' crons fire again meanwhile
	for i := range 2 {
		got := digests(channelID(i))
		if len(got) != 1 {
			t.Errorf("channel %d got %d digests in one minute; want 1", i, len(got))
			continue
		}
		if len(got[0].Embeds) != 1 || !strings.Contains(got[0].Embeds[0].Title, "Talks tr") || !strings.Contains(got[0].Embeds[0].Description, "Round 1") {
			t.Errorf("digest = %+v; want this week's round of the followed track", got[0].Embeds)
		}
	}
	if n := len(fake.Messages(channelID(2))); n != 0 {
		t.Errorf("the disabled channel got %d messages", n)
	}

	noViolations(t, fake)
}
