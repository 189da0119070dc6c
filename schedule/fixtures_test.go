package schedule_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"talkbot/bot"
	"talkbot/bot/discordtest"
	"talkbot/commands"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/sqlstore"
)

const messagesRoute = "POST /channels/{channel_id}/messages"

// Snowflake-shaped ids, distinct per kind.
func guildID(i int) string   { return fmt.Sprintf("810%015d", i) }
func channelID(i int) string { return fmt.Sprintf("820%015d", i) }
func userID(i int) string    { return fmt.Sprintf("830%015d", i) }
func roleID(i int) string    { return fmt.Sprintf("840%015d", i) }

// via says how a sender reaches the fake.
type via struct {
	perSecond int    // the global ceiling (ratelimit.New); default 1,000
	base      string // API base; default the fake's
}

// newSender is the bot's own sender (bot.New, not connected), so the
// scheduler's tests go through the production transport chain: global
// ceiling, base rewrite, connection pool.
func newSender(t testing.TB, fake *discordtest.Server, v via) *bot.Sender {
	t.Helper()
	if v.perSecond == 0 {
		v.perSecond = 1000
	}
	if v.base == "" {
		v.base = fake.APIBase
	}
	b, err := bot.New(bot.Options{Token: fake.Token, APIURL: v.base, RateLimit: v.perSecond, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return b.Sender()
}

// openDM opens the DM channel with a user, as the sender will (the fake
// gives a user the same channel every time), and returns its id.
func openDM(t testing.TB, fake *discordtest.Server, user string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, fake.APIBase+"/users/@me/channels",
		strings.NewReader(`{"recipient_id":"`+user+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bot "+fake.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ch struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil || resp.StatusCode != http.StatusOK || ch.ID == "" {
		t.Fatalf("opening a DM with %s: %s, %v", user, resp.Status, err)
	}
	return ch.ID
}

// observer records what the scheduler reports of each delivery.
type observer struct {
	mu sync.Mutex
	n  map[string]int // "kind result"
}

func newObserver() *observer { return &observer{n: map[string]int{}} }

func (o *observer) ObserveDelivery(kind, result string, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[kind+" "+result]++
}

func (o *observer) count(kind, result string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n[kind+" "+result]
}

func (o *observer) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return fmt.Sprint(o.n)
}

// logBuffer collects a scheduler's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// lines returns the log lines that contain every one of words.
func (l *logBuffer) lines(words ...string) []string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		ok := line != ""
		for _, w := range words {
			ok = ok && strings.Contains(line, w)
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}

// rig is one scheduler process: a store handle, a sender and what it
// reports.
type rig struct {
	sched *schedule.Scheduler
	obs   *observer
	logs  *logBuffer
}

// start builds a scheduler on s with a real renderer and runs it until the
// test ends (before the fake and the store close).
func start(t testing.TB, s *sqlstore.DB, send schedule.Sender, now func() time.Time, o schedule.Options) *rig {
	t.Helper()
	return startOn(t, s, s, send, now, o)
}

// startOn is start with the scheduler reading st (a wrapper of s).
func startOn(t testing.TB, s *sqlstore.DB, st schedule.Store, send schedule.Sender, now func() time.Time, o schedule.Options) *rig {
	t.Helper()
	return startRendering(t, st, commands.NewAnnouncer(s, now), send, now, o)
}

// startRendering is startOn with another renderer.
func startRendering(t testing.TB, st schedule.Store, render schedule.Renderer, send schedule.Sender, now func() time.Time, o schedule.Options) *rig {
	t.Helper()
	r := &rig{obs: newObserver(), logs: &logBuffer{}}
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	r.sched = schedule.New(st, render, now, log, r.obs, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.sched.Run(ctx, send) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if t.Failed() {
			t.Logf("scheduler log:\n%s", r.logs.String())
		}
	})
	return r
}

// trackOf builds a track with one party, one source and rounds.
func trackOf(id string, rounds ...store.Round) store.Track {
	t := store.Track{ID: id, Title: "Talks " + id, Timezone: "Europe/Istanbul",
		Parties: []store.Party{{ID: "north", Name: "North", Role: store.RoleParty}, {ID: "south", Name: "South", Role: store.RoleParty}},
		Sources: []store.Source{{ID: "wire", Publisher: "Wire", Title: "Talks announced", URL: "https://example.org/wire"}},
	}
	for _, r := range rounds {
		r.Track = id
		t.Rounds = append(t.Rounds, r)
	}
	return t
}

// meeting is a round with an announced start in zone.
func meeting(t testing.TB, n int, start time.Time, zone string, status store.Status) store.Round {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	start = start.Truncate(time.Second)
	return store.Round{Number: n, Status: status, Starts: store.When{Date: store.DateOf(start.In(loc)), At: start.UTC(), Zone: zone},
		Venue: "Geneva", Sources: []string{"wire"}}
}

func importTracks(t testing.TB, s *sqlstore.DB, tracks ...store.Track) {
	t.Helper()
	if _, err := s.Import(context.Background(), tracks); err != nil {
		t.Fatal(err)
	}
}

func saveFollow(t testing.TB, s *sqlstore.DB, f store.Follow) {
	t.Helper()
	if err := s.SaveFollow(context.Background(), f); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds, failing the test after within.
func waitFor(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// messagesIn returns the messages of a channel whose content holds word.
func messagesIn(fake *discordtest.Server, channel, word string) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range fake.Messages(channel) {
		if strings.Contains(m.Content, word) {
			out = append(out, m)
		}
	}
	return out
}

// posts returns the message requests the fake received, by channel.
func posts(fake *discordtest.Server) map[string][]discordtest.Request {
	out := map[string][]discordtest.Request{}
	for _, r := range fake.Requests() {
		if r.Route == messagesRoute {
			out[r.Params["channel_id"]] = append(out[r.Params["channel_id"]], r)
		}
	}
	return out
}

// nonceOf reads the nonce a message request carried.
func nonceOf(t testing.TB, r discordtest.Request) string {
	t.Helper()
	var b struct {
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}
	if err := json.Unmarshal(r.Body, &b); err != nil || b.Nonce == "" || !b.EnforceNonce {
		t.Fatalf("message request %s carries no enforced nonce: %s", r.Path, r.Body)
	}
	return b.Nonce
}

func noViolations(t testing.TB, fake *discordtest.Server) {
	t.Helper()
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}

// nothingWaits checks that no delivery is pending or claimed.
func nothingWaits(t testing.TB, s *sqlstore.DB) {
	t.Helper()
	if at, ok, err := s.NextDue(context.Background()); err != nil || ok {
		t.Errorf("NextDue = %v, %v, %v; want nothing pending or claimed", at, ok, err)
	}
}

// countingStore counts the scheduler's store calls and the follows it
// reads. It wraps every method the scheduler calls.
type countingStore struct {
	schedule.Store
	mu          sync.Mutex
	calls       map[string]int
	followsRead int
}

func newCountingStore(s schedule.Store) *countingStore {
	return &countingStore{Store: s, calls: map[string]int{}}
}

func (c *countingStore) count(method string, follows int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[method]++
	c.followsRead += follows
}

// snapshot returns the calls so far, by method, and the follows read.
func (c *countingStore) snapshot() (map[string]int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.calls))
	total := 0
	for k, v := range c.calls {
		out[k] = v
		total += v
	}
	out["total"] = total
	return out, c.followsRead
}

func (c *countingStore) Tracks(ctx context.Context) ([]store.TrackSummary, error) {
	c.count("Tracks", 0)
	return c.Store.Tracks(ctx)
}

func (c *countingStore) UpcomingRounds(ctx context.Context, track string, after time.Time, limit int) ([]store.Round, error) {
	c.count("UpcomingRounds", 0)
	return c.Store.UpcomingRounds(ctx, track, after, limit)
}

func (c *countingStore) DataVersion(ctx context.Context) (int64, error) {
	c.count("DataVersion", 0)
	return c.Store.DataVersion(ctx)
}

func (c *countingStore) DropExpired(ctx context.Context, now time.Time) (map[store.DeliveryKind]int, error) {
	c.count("DropExpired", 0)
	return c.Store.DropExpired(ctx, now)
}

func (c *countingStore) Follows(ctx context.Context, guildID string) ([]store.Follow, error) {
	fs, err := c.Store.Follows(ctx, guildID)
	c.count("Follows", len(fs))
	return fs, err
}

func (c *countingStore) FollowsOf(ctx context.Context, track string) ([]store.Follow, error) {
	fs, err := c.Store.FollowsOf(ctx, track)
	c.count("FollowsOf", len(fs))
	return fs, err
}

func (c *countingStore) SubscriptionsOf(ctx context.Context, track string) ([]store.Subscription, error) {
	c.count("SubscriptionsOf", 0)
	return c.Store.SubscriptionsOf(ctx, track)
}

func (c *countingStore) DisableChannel(ctx context.Context, guildID, channelID, reason string) error {
	c.count("DisableChannel", 0)
	return c.Store.DisableChannel(ctx, guildID, channelID, reason)
}

func (c *countingStore) PauseSubscriptions(ctx context.Context, userID, reason string) error {
	c.count("PauseSubscriptions", 0)
	return c.Store.PauseSubscriptions(ctx, userID, reason)
}

func (c *countingStore) EventSettings(ctx context.Context, guildID string) ([]store.EventSetting, error) {
	c.count("EventSettings", 0)
	return c.Store.EventSettings(ctx, guildID)
}

func (c *countingStore) Digests(ctx context.Context) ([]store.Digest, error) {
	c.count("Digests", 0)
	return c.Store.Digests(ctx)
}

func (c *countingStore) ReplanReminders(ctx context.Context, track string, want []store.Delivery) (int, int, error) {
	c.count("ReplanReminders", 0)
	return c.Store.ReplanReminders(ctx, track, want)
}

func (c *countingStore) AddDeliveries(ctx context.Context, ds []store.Delivery) (int, error) {
	c.count("AddDeliveries", 0)
	return c.Store.AddDeliveries(ctx, ds)
}

func (c *countingStore) NextDue(ctx context.Context) (time.Time, bool, error) {
	c.count("NextDue", 0)
	return c.Store.NextDue(ctx)
}

func (c *countingStore) ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]store.Delivery, error) {
	c.count("ClaimDue", 0)
	return c.Store.ClaimDue(ctx, owner, now, lease, limit)
}

func (c *countingStore) FinishDelivery(ctx context.Context, d store.Delivery, owner string, o store.Outcome) (bool, error) {
	c.count("FinishDelivery", 0)
	return c.Store.FinishDelivery(ctx, d, owner, o)
}

func (c *countingStore) RoundChanges(ctx context.Context, after int64, limit int) ([]store.RoundChange, error) {
	c.count("RoundChanges", 0)
	return c.Store.RoundChanges(ctx, after, limit)
}

func (c *countingStore) DueEditUpdates(ctx context.Context, now time.Time) ([]store.EditUpdate, error) {
	c.count("DueEditUpdates", 0)
	return c.Store.DueEditUpdates(ctx, now)
}

func (c *countingStore) LastRoundChange(ctx context.Context) (int64, error) {
	c.count("LastRoundChange", 0)
	return c.Store.LastRoundChange(ctx)
}

// flakyProxy forwards TCP connections to the fake and can be told to drop
// them: "cut" forwards requests but closes the connection instead of
// answering (the fake did the work; the bot never hears), "refuse" closes
// each connection as soon as it is accepted. Setting a mode closes every
// open connection.
type flakyProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	mode   string // "", "cut" or "refuse"
	conns  map[net.Conn]bool
	wg     sync.WaitGroup
}

func newFlakyProxy(t testing.TB, fake *discordtest.Server) *flakyProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(fake.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := &flakyProxy{ln: ln, target: u.Host, conns: map[net.Conn]bool{}}
	p.wg.Go(p.serve)
	t.Cleanup(func() {
		ln.Close()
		p.setMode("")
		p.wg.Wait()
	})
	return p
}

// apiBase is the fake's API base through the proxy.
func (p *flakyProxy) apiBase(fake *discordtest.Server) string {
	u, _ := url.Parse(fake.APIBase)
	u.Host = p.ln.Addr().String()
	return u.String()
}

func (p *flakyProxy) setMode(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = mode
	for c := range p.conns {
		c.Close()
	}
}

func (p *flakyProxy) track(c net.Conn) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode == "refuse" {
		return p.mode, false
	}
	p.conns[c] = true
	return p.mode, true
}

func (p *flakyProxy) forget(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
		c.Close()
	}
}

func (p *flakyProxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		mode, ok := p.track(client)
		if !ok {
			client.Close()
			continue
		}
		p.wg.Go(func() {
			server, err := net.Dial("tcp", p.target)
			if err != nil {
				p.forget(client)
				return
			}
			p.mu.Lock()
			p.conns[server] = true
			p.mu.Unlock()
			defer p.forget(client, server)
			done := make(chan struct{}, 2)
			go func() { io.Copy(server, client); done <- struct{}{} }()
			go func() {
				if mode == "cut" {
					// The fake answers once it has done the work: read the
					// first byte of its answer, then hang up on the bot.
					io.ReadFull(server, make([]byte, 1))
				} else {
					io.Copy(client, server)
				}
				done <- struct{}{}
			}()
			<-done
		})
	}
}
