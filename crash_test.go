package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/remind"
	"talkbot/store"
)

// The track, guild, channel and role of the crash tests; round 3 is the
// meeting withRound adds to the bundled data.
const (
	crashTrack   = "ru-ua-istanbul"
	crashRound   = 3
	crashGuild   = "810000000000000001"
	crashChannel = "810000000000000010"
	crashRole    = "810000000000000020"
	messageRoute = "POST /channels/{channel_id}/messages"
	sentLate     = "Sent late"
)

// crashKnobs are the settings the processes run with: a short claim lease
// (REMINDER_CLAIM_LEASE), so a dead process's claims are taken over in
// seconds, and a short late mark (REMINDER_LATE_AFTER).
type crashKnobs struct {
	env       map[string]string
	lease     time.Duration // a dead process's claim is taken over after this
	lateAfter time.Duration // a reminder sent later than this after due is marked late
}

func crashSettings(t *testing.T) crashKnobs {
	t.Helper()
	k := crashKnobs{lease: 2 * time.Second, lateAfter: 5 * time.Second}
	k.env = map[string]string{"REMINDER_CLAIM_LEASE": k.lease.String(), "REMINDER_LATE_AFTER": k.lateAfter.String()}
	return k
}

// crashRun is one meeting with one following channel, and the program
// that reminds it, started and killed by the test.
type crashRun struct {
	t      *testing.T
	fake   *discordtest.Server
	proc   *botProcess
	db     string
	offset time.Duration
	due    time.Time // when the reminder is due
	start  time.Time // when the meeting starts: the reminder's deadline
}

// newCrashRun seeds the store, while no process runs, with a follow of
// the track by crashChannel reminding offset before round 3, which starts
// so that the reminder is due lead from now. via, when set, gives the
// address of Discord's REST API the program uses in front of the fake.
func newCrashRun(t *testing.T, bin, db string, k crashKnobs, offset, lead time.Duration, via func(*discordtest.Server) string) *crashRun {
	t.Helper()
	fake := discordtest.New(t)
	s := openStoreAt(t, db)
	err := s.SaveFollow(t.Context(), store.Follow{GuildID: crashGuild, ChannelID: crashChannel, Track: crashTrack,
		RoleID: crashRole, Offsets: []time.Duration{offset}})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(lead + offset).Truncate(time.Second).Add(time.Second)
	if r := talkbot(t, map[string]string{"DATABASE_URL": db}, "", "import", withRound(t, start)); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	apiURL := fake.APIBase
	if via != nil {
		apiURL = via(fake)
	}
	env := map[string]string{
		"DATABASE_URL": db, "DISCORD_TOKEN": fake.Token, "DISCORD_API_URL": apiURL, "LOG_LEVEL": "debug",
	}
	for k, v := range k.env {
		env[k] = v
	}
	return &crashRun{t: t, fake: fake, proc: newBotProcess(t, bin, env), db: db, offset: offset,
		due: start.Add(-offset), start: start}
}

// startPlanAndKill starts the program and waits until it has planned the
// reminder, then kills it, still before the due time.
func (c *crashRun) startPlanAndKill() {
	c.t.Helper()
	c.proc.start()
	if !c.proc.waitLog(10*time.Second, `msg="planned reminders"`, "track="+crashTrack, "added=1") {
		c.t.Fatalf("the reminder was not planned\n%s", c.proc.logTail())
	}
	c.proc.kill()
	if left := time.Until(c.due); left <= 0 {
		c.t.Fatalf("the set-up was too slow: the process was killed %v after the due time", -left)
	}
}

// sleepUntil waits for an instant, or fails the test if it ends first.
func (c *crashRun) sleepUntil(at time.Time) {
	c.t.Helper()
	select {
	case <-time.After(time.Until(at)):
	case <-c.t.Context().Done():
		c.t.FailNow()
	}
}

// messagesBy waits until the channel holds at least n messages or the
// instant passes, and returns them.
func (c *crashRun) messagesBy(n int, until time.Time) []discordtest.Message {
	for {
		ms := c.fake.Messages(crashChannel)
		if len(ms) >= n || time.Now().After(until) {
			return ms
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// nonce is the nonce every try of the reminder must carry.
func (c *crashRun) nonce() string {
	return remind.NonceFor(remind.ReminderKey(crashTrack, crashRound, c.start, c.offset, crashRole), store.ChannelTarget(crashChannel))
}

// oneReminder checks the channel holds exactly one message, the reminder,
// with the deterministic nonce, and returns it.
func (c *crashRun) oneReminder(ms []discordtest.Message) discordtest.Message {
	c.t.Helper()
	if len(ms) != 1 {
		var lines []string
		for _, m := range ms {
			lines = append(lines, fmt.Sprintf("%s %s nonce %q: %.80q", m.ID, m.At.Format(time.RFC3339Nano), m.Nonce, m.Content))
		}
		c.t.Fatalf("%d messages in the channel; want exactly 1 reminder:\n%s\n%s", len(ms), strings.Join(lines, "\n"), c.proc.logTail())
	}
	m := ms[0]
	if !strings.Contains(m.Content, fmt.Sprintf("Reminder: round %d", crashRound)) {
		c.t.Errorf("the message is not the reminder: %q", m.Content)
	}
	if m.Nonce != c.nonce() {
		c.t.Errorf("nonce %q; want the deterministic %q", m.Nonce, c.nonce())
	}
	return m
}

// finish stops the program, checks nothing is left to send, and that the
// fake saw no request Discord would reject.
func (c *crashRun) finish() {
	c.t.Helper()
	if c.proc.cmd != nil {
		c.proc.stop()
	}
	s := openStoreAt(c.t, c.db)
	defer s.Close()
	if at, ok, err := s.NextDue(c.t.Context()); err != nil {
		c.t.Error(err)
	} else if ok {
		pending, _ := s.PendingFor(c.t.Context(), crashGuild, 0)
		c.t.Errorf("a delivery still waits (next at %v); pending: %+v", at, pending)
	}
	if v := c.fake.Violations(); len(v) > 0 {
		c.t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}

func TestReminderSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the real binary around due times")
	}
	bin := buildTalkbot(t)
	k := crashSettings(t)
	cases := []struct {
		name string
		run  func(t *testing.T, bin, db string, k crashKnobs)
	}{
		{"killed before the due time and restarted before it: one reminder, on time", restartBeforeDue},
		{"killed before the due time and restarted soon after it: one reminder, not marked late", restartSoonAfterDue},
		{"killed before the due time and restarted past the late mark, before the meeting: one reminder, marked late", restartLate},
		{"killed before the due time and restarted after the meeting's start: no reminder", restartAfterStart},
		{"killed while Discord answered the post: the restart resends with the same nonce and gets the first message back", killDuringSend},
	}
	// The cases mostly wait for due times, so all of them run at once:
	// t.Run from several goroutines, not t.Parallel, which -parallel (the
	// number of CPUs) would queue.
	var wg sync.WaitGroup
	for engine, db := range engines(t) {
		for _, tc := range cases {
			wg.Go(func() {
				t.Run(engine+"/"+tc.name, func(t *testing.T) { tc.run(t, bin, db(t)["DATABASE_URL"], k) })
			})
		}
	}
	wg.Wait()
}

func restartBeforeDue(t *testing.T, bin, db string, k crashKnobs) {
	c := newCrashRun(t, bin, db, k, 20*time.Second, 6*time.Second, nil)
	c.startPlanAndKill()
	c.proc.start()
	if time.Now().After(c.due) {
		t.Fatalf("the restart came %v after the due time", time.Since(c.due))
	}
	m := c.oneReminder(c.messagesBy(2, c.due.Add(3*time.Second)))
	if late := m.At.Sub(c.due); late < 0 || late > 2*time.Second {
		t.Errorf("the reminder came %v after its due time; want within 2 s", late)
	}
	if strings.Contains(m.Content, sentLate) {
		t.Errorf("an on-time reminder says it is late: %q", m.Content)
	}
	c.finish()
}

// restartSoonAfterDue: a short outage over the due time delays the
// reminder but, within LateAfter, does not mark it late.
func restartSoonAfterDue(t *testing.T, bin, db string, k crashKnobs) {
	c := newCrashRun(t, bin, db, k, 20*time.Second, 6*time.Second, nil)
	c.startPlanAndKill()
	gap := min(3*time.Second, k.lateAfter/2)
	c.sleepUntil(c.due.Add(gap))
	c.proc.start()
	m := c.oneReminder(c.messagesBy(2, time.Now().Add(4*time.Second)))
	if m.At.Before(c.due.Add(gap)) || m.At.Sub(c.proc.started) > 2*time.Second {
		t.Errorf("the reminder came at %v; want within 2 s of the restart at %v", m.At, c.proc.started)
	}
	if strings.Contains(m.Content, sentLate) {
		t.Errorf("a reminder %v late (under the %v late mark) says it is late: %q", m.At.Sub(c.due), k.lateAfter, m.Content)
	}
	c.finish()
}

func restartLate(t *testing.T, bin, db string, k crashKnobs) {
	c := newCrashRun(t, bin, db, k, k.lateAfter+15*time.Second, 6*time.Second, nil)
	c.startPlanAndKill()
	c.sleepUntil(c.due.Add(k.lateAfter + 1500*time.Millisecond))
	c.proc.start()
	m := c.oneReminder(c.messagesBy(2, time.Now().Add(4*time.Second)))
	if !strings.Contains(m.Content, sentLate) {
		t.Errorf("a reminder %v late says nothing of it: %q", m.At.Sub(c.due), m.Content)
	}
	if !m.At.Before(c.start) {
		t.Errorf("the late reminder came at %v, after the meeting's start %v", m.At, c.start)
	}
	if n := c.proc.waitMetric(`talkbot_deliveries_total{kind="reminder",result="late"}`, 1, 3*time.Second); n != 1 {
		t.Errorf("late reminders counted: %v; want 1", n)
	}
	c.finish()
}

// restartAfterStart: nothing is sent for a meeting that has begun. The
// restarted process's first re-plan finds no upcoming meeting and removes
// the pending reminder; a scheduler that claimed it instead would drop it.
func restartAfterStart(t *testing.T, bin, db string, k crashKnobs) {
	c := newCrashRun(t, bin, db, k, 8*time.Second, 6*time.Second, nil)
	c.startPlanAndKill()
	c.sleepUntil(c.start.Add(time.Second))
	c.proc.start()
	removed := c.proc.waitLog(5*time.Second, `msg="planned reminders"`, "track="+crashTrack, "removed=1")
	dropped := c.proc.metric(`talkbot_deliveries_total{kind="reminder",result="dropped"}`)
	switch {
	case removed:
		t.Log("the restarted process removed the pending reminder when it re-planned (no row is kept as dropped)")
	case dropped == 1:
		t.Log("the restarted process claimed the reminder and dropped it")
	default:
		t.Errorf("the reminder was neither removed by the re-plan nor dropped\n%s", c.proc.logTail())
	}
	time.Sleep(time.Second)
	if ms := c.fake.Messages(crashChannel); len(ms) != 0 {
		t.Errorf("%d messages for a meeting that had started: %q", len(ms), ms[0].Content)
	}
	c.finish()
}

// killDuringSend kills the process while its POST is at Discord: Discord
// made the message, the process never learned it. The restarted process
// takes the claim over when its lease ends and posts again with the same
// nonce; Discord (enforce_nonce) answers with the first message.
func killDuringSend(t *testing.T, bin, db string, k crashKnobs) {
	var proxy *holdingProxy
	c := newCrashRun(t, bin, db, k, k.lease+20*time.Second, 6*time.Second, func(fake *discordtest.Server) string {
		proxy = newHoldingProxy(t, fake.URL, func(r *http.Request) bool {
			return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/channels/"+crashChannel+"/messages")
		})
		return proxy.URL + discordtest.DefaultBasePath
	})

	c.proc.start()
	select {
	case <-proxy.held:
	case <-time.After(time.Until(c.due.Add(10 * time.Second))):
		t.Fatalf("no reminder was posted by 10 s after its due time\n%s", c.proc.logTail())
	}
	c.proc.kill()
	proxy.Release()
	if ms := c.fake.Messages(crashChannel); len(ms) != 1 {
		t.Fatalf("%d messages when the first post reached Discord; want 1", len(ms))
	}
	first := c.fake.Messages(crashChannel)[0]

	c.proc.start()
	ctx, cancel := context.WithTimeout(t.Context(), k.lease+15*time.Second)
	defer cancel()
	var posts []discordtest.Request
	_, err := c.fake.WaitRequest(ctx, func(r discordtest.Request) bool {
		if r.Route == messageRoute && r.Params["channel_id"] == crashChannel {
			posts = append(posts, r)
		}
		return len(posts) >= 2
	})
	if err != nil {
		t.Fatalf("the restarted process did not post again within the %v lease and 15 s: %v\n%s", k.lease, err, c.proc.logTail())
	}
	m := c.oneReminder(c.messagesBy(2, time.Now().Add(time.Second)))
	if m.ID != first.ID {
		t.Errorf("the channel's message is %s; want the first one, %s", m.ID, first.ID)
	}
	for i, p := range posts {
		var body struct {
			Nonce        string `json:"nonce"`
			EnforceNonce bool   `json:"enforce_nonce"`
		}
		if err := json.Unmarshal(p.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Nonce != c.nonce() || !body.EnforceNonce || p.Status != http.StatusOK {
			t.Errorf("post %d: nonce %q, enforce_nonce %v, status %d; want %q, true, 200", i+1, body.Nonce, body.EnforceNonce, p.Status, c.nonce())
		}
	}
	if n := c.proc.waitMetric(`talkbot_deliveries_total{kind="reminder",result="sent"}`, 1, 5*time.Second); n != 1 {
		t.Errorf("reminders the restarted process recorded as sent: %v; want 1\n%s", n, c.proc.logTail())
	}
	c.finish()
}
