package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/remind"
	"talkbot/store"
)

// fanOutChannels follow the track, each in its own channel.
const fanOutChannels = 1000

// seedEnv names the variable that replays a fan-out test's kill points.
const seedEnv = "TALKBOT_CRASH_SEED"

func TestFanOutSurvivesRepeatedSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("posts 1,000 reminders through the real binary, killing it three times")
	}
	bin := buildTalkbot(t)
	k := crashSettings(t)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(seedEnv); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("%s=%q: %v", seedEnv, v, err)
		}
	}
	t.Logf("kill points from seed %d (replay with %s=%d)", seed, seedEnv, seed)
	var wg sync.WaitGroup
	for engine, db := range engines(t) {
		wg.Go(func() {
			t.Run(engine, func(t *testing.T) {
				fanOutWithKills(t, bin, db(t)["DATABASE_URL"], k, rand.New(rand.NewPCG(seed, 0x7a1b)))
			})
		})
	}
	wg.Wait()
}

// fanOutWithKills follows the track in fanOutChannels channels, plans a
// reminder due a few seconds after the program starts, kills the program
// at three random points of the fan-out and restarts it each time, and
// wants exactly one reminder in every channel.
func fanOutWithKills(t *testing.T, bin, db string, k crashKnobs, rng *rand.Rand) {
	const (
		guild  = "820000000000000001"
		offset = 10 * time.Minute // far from the meeting: nothing is dropped however slow
		kills  = 3
	)
	channels := make([]string, fanOutChannels)
	s := openStoreAt(t, db)
	for i := range channels {
		channels[i] = strconv.Itoa(830000000000000000 + i)
		if err := s.SaveFollow(t.Context(), store.Follow{GuildID: guild, ChannelID: channels[i], Track: crashTrack, Offsets: []time.Duration{offset}}); err != nil {
			s.Close()
			t.Fatal(err)
		}
	}
	s.Close()
	start := time.Now().Add(offset + 4*time.Second).Truncate(time.Second)
	due := start.Add(-offset)
	if r := talkbot(t, map[string]string{"DATABASE_URL": db}, "", "import", withRound(t, start)); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}

	// Kill when this many channels have their message, as the fake saw it.
	points := map[int]bool{}
	for len(points) < kills {
		points[25+rng.IntN(fanOutChannels-50)] = true
	}
	at := slices.Sorted(func(yield func(int) bool) {
		for p := range points {
			if !yield(p) {
				return
			}
		}
	})
	t.Logf("reminder due at %s; killing at %v of %d channels", due.Format(time.TimeOnly), at, fanOutChannels)

	fake := discordtest.New(t)
	proc := newBotProcess(t, bin, func() map[string]string {
		env := map[string]string{"DATABASE_URL": db, "DISCORD_TOKEN": fake.Token, "DISCORD_API_URL": fake.APIBase, "LOG_LEVEL": "debug"}
		for k, v := range k.env {
			env[k] = v
		}
		return env
	}())

	// posted holds the channels the fake has made a message in, counted
	// from its answered requests (a repeat with the same nonce makes none).
	posted := map[string]bool{}
	waitPosted := func(n int, timeout time.Duration) error {
		ctx, cancel := context.WithTimeout(t.Context(), timeout)
		defer cancel()
		_, err := fake.WaitRequest(ctx, func(r discordtest.Request) bool {
			if r.Route == messageRoute && r.Status == 200 {
				posted[r.Params["channel_id"]] = true
			}
			return len(posted) >= n
		})
		return err
	}

	proc.start()
	began := time.Now()
	for i, n := range at {
		if err := waitPosted(n, 60*time.Second); err != nil {
			t.Fatalf("kill %d: %d channels had their message when waiting for %d: %v\n%s", i+1, len(posted), n, err, proc.logTail())
		}
		proc.kill()
		t.Logf("kill %d at %d channels posted, %v into the fan-out", i+1, len(posted), time.Since(began).Round(time.Millisecond))
		time.Sleep(time.Duration(rng.IntN(500)) * time.Millisecond)
		proc.start()
	}
	lastStart := proc.started
	if err := waitPosted(fanOutChannels, 90*time.Second); err != nil {
		t.Fatalf("%d of %d channels had their message: %v\n%s", len(posted), fanOutChannels, err, proc.logTail())
	}
	t.Logf("every channel posted %v into the fan-out", time.Since(began).Round(time.Millisecond))

	// The last kill's claims are taken over once their lease ends: wait for
	// that, and for the posts to stop, before stopping the program.
	time.Sleep(time.Until(lastStart.Add(k.lease + 2*time.Second)))
	for quiet := 0; quiet < 3; {
		before := len(fake.Requests())
		time.Sleep(500 * time.Millisecond)
		if len(fake.Requests()) == before {
			quiet++
		} else {
			quiet = 0
		}
	}
	proc.stop()

	var wrong []string
	for _, ch := range channels {
		ms := fake.Messages(ch)
		want := remind.NonceFor(remind.ReminderKey(crashTrack, crashRound, start, offset, ""), store.ChannelTarget(ch))
		switch {
		case len(ms) != 1:
			wrong = append(wrong, fmt.Sprintf("channel %s: %d messages", ch, len(ms)))
		case ms[0].Nonce != want || !strings.Contains(ms[0].Content, fmt.Sprintf("Reminder: round %d", crashRound)):
			wrong = append(wrong, fmt.Sprintf("channel %s: nonce %q (want %q), %.60q", ch, ms[0].Nonce, want, ms[0].Content))
		}
	}
	if len(wrong) > 0 {
		t.Errorf("%d of %d channels do not hold exactly one reminder:\n%s", len(wrong), fanOutChannels, strings.Join(wrong[:min(len(wrong), 20)], "\n"))
	}
	posts := 0
	statuses := map[int]int{}
	for _, r := range fake.Requests() {
		if r.Route != messageRoute {
			continue
		}
		posts++
		statuses[r.Status]++
	}
	t.Logf("%d posts for %d channels: %d repeats answered with the first message (statuses %v)", posts, fanOutChannels, posts-fanOutChannels, statuses)

	s = openStoreAt(t, db)
	defer s.Close()
	if next, ok, err := s.NextDue(t.Context()); err != nil {
		t.Error(err)
	} else if ok {
		pending, _ := s.PendingFor(t.Context(), guild, 5)
		t.Errorf("deliveries still wait (next at %v), e.g. %+v", next, pending)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v[:min(len(v), 20)], "\n"))
	}
	if t.Failed() {
		t.Log(proc.logTail())
	}
}
