package schedule_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/commands"
	"talkbot/remind"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/pgtest"
	"talkbot/store/sqlstore"
)

// settle is the settle window of the tests' edits. The clock jumps over it
// (shiftClock), so a slow machine cannot let it run out between two edits
// meant to fold.
const settle = 2 * time.Minute

// shiftClock is real time plus an offset that a test moves forward.
type shiftClock struct {
	mu    sync.Mutex
	shift time.Duration
}

func (c *shiftClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.shift)
}

func (c *shiftClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shift += d
}

// editRenderer is the announcer with a stand-in for edit updates, whose
// rendering is package commands' to test: it says which changes the post
// folds.
type editRenderer struct{ schedule.Renderer }

func (r editRenderer) Update(ctx context.Context, d store.Delivery) (remind.Message, error) {
	if strings.HasPrefix(d.Payload, "edit:") {
		return remind.Message{Content: fmt.Sprintf("Edited %s of %s (%s)", d.Key, d.Track, d.Payload)}, nil
	}
	return r.Renderer.Update(ctx, d)
}

// startEdits runs a scheduler with the edit renderer until the test ends.
func startEdits(t *testing.T, s *sqlstore.DB, send schedule.Sender, now func() time.Time, o schedule.Options) *rig {
	t.Helper()
	return startRendering(t, s, editRenderer{commands.NewAnnouncer(s, now)}, send, now, o)
}

var olena = store.Editor{ID: userID(9), Name: "Olena"}

// editRound saves a round of track "tr" as an editor, on the version the
// caller last saw.
func editRound(t *testing.T, s *sqlstore.DB, r store.Round, base int64, now time.Time) store.Change {
	t.Helper()
	r.Track = "tr"
	ch, err := s.ApplyEdit(t.Context(), store.Edit{Editor: olena, Base: base, Source: "wire", Round: &r, SettleUntil: now.Add(settle)})
	if err != nil {
		t.Fatalf("editing round %d: %v", r.Number, err)
	}
	return ch
}

func version(t *testing.T, s *sqlstore.DB, e store.Entity) int64 {
	t.Helper()
	v, err := s.Version(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// followAll follows track "tr" in channels 0 (round updates, the default),
// 1 (all updates) and 2 (none), and subscribes user 1.
func followAll(t *testing.T, s *sqlstore.DB) {
	t.Helper()
	for i, mode := range []store.UpdatesMode{"", store.UpdatesAll, store.UpdatesNone} {
		saveFollow(t, s, store.Follow{GuildID: guildID(1), ChannelID: channelID(i), Track: "tr", Offsets: []time.Duration{time.Hour}, Updates: mode})
	}
	if err := s.SaveSubscription(t.Context(), store.Subscription{UserID: userID(1), Track: "tr", Offsets: []time.Duration{time.Hour}}); err != nil {
		t.Fatal(err)
	}
}

// noEditUpdateWaits checks that every settled update was finished.
func noEditUpdateWaits(t *testing.T, s *sqlstore.DB, now time.Time) {
	t.Helper()
	if us, err := s.DueEditUpdates(t.Context(), now.Add(24*time.Hour)); err != nil || len(us) > 0 {
		t.Errorf("edit updates still waiting: %+v, %v", us, err)
	}
}

func TestQuickEditsOfARoundPostOneUpdatePerFollower(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			clock := &shiftClock{}
			fake := discordtest.New(t)
			s := e.open(t, clock.now)
			r := meeting(t, 1, clock.now().Add(72*time.Hour), "Europe/Istanbul", store.StatusScheduled)
			importTracks(t, s, trackOf("tr", r))
			followAll(t, s)
			startEdits(t, s, newSender(t, fake, via{}), clock.now, schedule.Options{WatchEvery: 100 * time.Millisecond})

			// A venue fixed twice, then the time moved: three edits
			// inside the window.
			entity := store.RoundEntity("tr", 1)
			base := version(t, s, entity)
			var changes []store.Change
			for _, venue := range []string{"Ankra", "Ankara"} {
				r.Venue = venue
				changes = append(changes, editRound(t, s, r, base, clock.now()))
				base = changes[len(changes)-1].ID
			}
			r.Starts = meeting(t, 1, r.Starts.At.Add(time.Hour), "Europe/Istanbul", store.StatusScheduled).Starts
			changes = append(changes, editRound(t, s, r, base, clock.now()))

			time.Sleep(500 * time.Millisecond) // passes inside the window post nothing
			dm := openDM(t, fake, userID(1))
			for _, ch := range []string{channelID(0), channelID(1), channelID(2), dm} {
				if got := messagesIn(fake, ch, "Edited"); len(got) > 0 {
					t.Fatalf("channel %s was told inside the settle window: %q", ch, got[0].Content)
				}
			}
			clock.advance(settle + time.Second)

			want := fmt.Sprintf("Edited edit:round/tr/1:%d of tr (edit:%d:%d)", changes[2].ID, changes[0].ID, changes[2].ID)
			told := []string{channelID(0), channelID(1), dm}
			waitFor(t, 10*time.Second, "the update posts", func() bool {
				for _, ch := range told {
					if len(messagesIn(fake, ch, "Edited")) == 0 {
						return false
					}
				}
				return true
			})
			time.Sleep(500 * time.Millisecond) // a second post would show by now
			for _, ch := range told {
				got := messagesIn(fake, ch, "Edited")
				if len(got) != 1 || got[0].Content != want {
					t.Errorf("channel %s got %d edit updates (%q); want one: %q", ch, len(got), contents(got), want)
				}
			}
			if got := messagesIn(fake, channelID(2), ""); len(got) > 0 {
				t.Errorf("the channel following with updates:none got %q", got[0].Content)
			}
			// Edits are told of once, as edits: not again as import changes.
			if got := messagesIn(fake, channelID(0), "Update: "); len(got) > 0 {
				t.Errorf("an edit was also posted as an import's round change: %q", got[0].Content)
			}
			noEditUpdateWaits(t, s, clock.now())
			noViolations(t, fake)
		})
	}
}

func contents(ms []discordtest.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Content)
	}
	return out
}

func TestAnEditUndoneInsideTheWindowPostsNothing(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			clock := &shiftClock{}
			fake := discordtest.New(t)
			s := e.open(t, clock.now)
			importTracks(t, s, trackOf("tr", meeting(t, 1, clock.now().Add(72*time.Hour), "Europe/Istanbul", store.StatusScheduled)))
			followAll(t, s)
			rg := startEdits(t, s, newSender(t, fake, via{}), clock.now, schedule.Options{WatchEvery: 100 * time.Millisecond})

			added := meeting(t, 2, clock.now().Add(96*time.Hour), "Europe/Istanbul", store.StatusProposed)
			added.Track = "tr"
			if _, err := s.ApplyEdit(t.Context(), store.Edit{Editor: olena, New: true, Source: "wire", Round: &added, SettleUntil: clock.now().Add(settle)}); err != nil {
				t.Fatalf("adding round 2: %v", err)
			}
			if _, err := s.Undo(t.Context(), olena, clock.now().Add(settle)); err != nil {
				t.Fatalf("undo: %v", err)
			}
			clock.advance(settle + time.Second)
			waitFor(t, 10*time.Second, "the update to be finished", func() bool {
				us, err := s.DueEditUpdates(t.Context(), clock.now().Add(time.Hour))
				return err == nil && len(us) == 0
			})
			time.Sleep(500 * time.Millisecond) // a post would be under way by now
			for i := range 3 {
				if got := messagesIn(fake, channelID(i), ""); len(got) > 0 {
					t.Errorf("channel %s was told of an undone add: %q", channelID(i), got[0].Content)
				}
			}
			if n := rg.obs.count("update", "sent"); n > 0 {
				t.Errorf("%d updates sent; want none", n)
			}
			ds, err := s.PendingFor(t.Context(), guildID(1), 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if d.Kind != store.DeliveryReminder {
					t.Errorf("a %s is pending: %s to %s", d.Kind, d.Key, d.Target)
				}
			}
		})
	}
}

// A new position is news only to channels that asked for all updates; a
// round change from an import is not posted where the follow says none.
func TestUpdatesSettingChoosesWhoHears(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			clock := &shiftClock{}
			fake := discordtest.New(t)
			s := e.open(t, clock.now)
			r := meeting(t, 1, clock.now().Add(72*time.Hour), "Europe/Istanbul", store.StatusScheduled)
			importTracks(t, s, trackOf("tr", r))
			followAll(t, s)
			startEdits(t, s, newSender(t, fake, via{}), clock.now, schedule.Options{WatchEvery: 100 * time.Millisecond})

			p := store.Position{Track: "tr", Party: "north", Topic: "ceasefire", Summary: "Wants a ceasefire first", StatedOn: store.DateOf(clock.now()), Sources: []string{"wire"}}
			if _, err := s.ApplyEdit(t.Context(), store.Edit{Editor: olena, New: true, Source: "wire", TrackID: "tr", Position: &p, SettleUntil: clock.now().Add(settle)}); err != nil {
				t.Fatalf("adding a position: %v", err)
			}
			clock.advance(settle + time.Second)
			waitFor(t, 10*time.Second, "the position's post", func() bool { return len(messagesIn(fake, channelID(1), "Edited edit:position/tr/")) == 1 })

			// The file keeps the position, or it would conflict with its add.
			r.Status = store.StatusPostponed
			file := trackOf("tr", r)
			file.Positions = []store.Position{p}
			importTracks(t, s, file)
			waitFor(t, 10*time.Second, "the import's update", func() bool { return len(messagesIn(fake, channelID(0), "Update: ")) == 1 })
			time.Sleep(500 * time.Millisecond)

			dm := openDM(t, fake, userID(1))
			for _, c := range []struct {
				channel           string
				positions, rounds int
			}{{channelID(0), 0, 1}, {channelID(1), 1, 1}, {channelID(2), 0, 0}, {dm, 0, 1}} {
				if got := len(messagesIn(fake, c.channel, "Edited edit:position/")); got != c.positions {
					t.Errorf("channel %s got %d position posts; want %d", c.channel, got, c.positions)
				}
				if got := len(messagesIn(fake, c.channel, "Update: ")); got != c.rounds {
					t.Errorf("channel %s got %d round updates; want %d", c.channel, got, c.rounds)
				}
			}
			noViolations(t, fake)
		})
	}
}

func TestTwoReplicasPostEachEditUpdateOnce(t *testing.T) {
	const channels = 50
	url := pgtest.URL(t)
	clock := &shiftClock{}
	fake := discordtest.New(t)
	setup := pgtest.OpenURL(t, url, clock.now)
	r := meeting(t, 1, clock.now().Add(72*time.Hour), "Europe/Istanbul", store.StatusScheduled)
	importTracks(t, setup, trackOf("tr", r))
	for i := range channels {
		saveFollow(t, setup, store.Follow{GuildID: guildID(i), ChannelID: channelID(i), Track: "tr", Offsets: []time.Duration{time.Hour}})
	}
	var rigs []*rig
	for i := range 2 {
		s := pgtest.OpenURL(t, url, clock.now)
		rigs = append(rigs, startEdits(t, s, newSender(t, fake, via{}), clock.now,
			schedule.Options{Owner: fmt.Sprintf("replica-%d", i), WatchEvery: 50 * time.Millisecond}))
	}
	r.Status = store.StatusHeld
	r.Outcomes = []string{"Prisoner exchange agreed"}
	editRound(t, setup, r, version(t, setup, store.RoundEntity("tr", 1)), clock.now())
	clock.advance(settle + time.Second)

	sent := func() int { return rigs[0].obs.count("update", "sent") + rigs[1].obs.count("update", "sent") }
	waitFor(t, 20*time.Second, "every update", func() bool { return sent() >= channels })
	time.Sleep(time.Second) // anything sent twice would show by now
	byChannel := posts(fake)
	for i := range channels {
		if reqs := byChannel[channelID(i)]; len(reqs) != 1 {
			t.Errorf("channel %s got %d message requests; want 1", channelID(i), len(reqs))
		}
	}
	if n := sent(); n != channels {
		t.Errorf("the replicas report %d updates sent; want %d", n, channels)
	}
	for _, rg := range rigs {
		if ws := rg.logs.lines("level=ERROR"); len(ws) > 0 {
			t.Errorf("a replica logged an error: %s", ws[0])
		}
	}
	noEditUpdateWaits(t, setup, clock.now())
	nothingWaits(t, setup)
}
