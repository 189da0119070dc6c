package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"talkbot/bot/discordtest"
	"talkbot/remind"
	"talkbot/store"
)

// The scheduled-event routes, as the fake records them.
const (
	createEventRoute = "POST /guilds/{guild_id}/scheduled-events"
	listEventsRoute  = "GET /guilds/{guild_id}/scheduled-events"
	editEventRoute   = "PATCH /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
	eventsTrack      = "ru-ua-istanbul"
	eventsTitle      = "Russia–Ukraine direct talks in Istanbul"
	// permManageEvents is Manage Events; the other bits are what setup
	// wants in a channel (view, send, embed links), not Administrator.
	permManageEvents = int64(1) << 33
	permChannelOnly  = int64(1<<10 | 1<<11 | 1<<14)
)

// testRound is a round added to the bundled data by roundsFile.
type testRound struct {
	n      int
	status string
	start  time.Time
}

// roundsFile writes the bundled data plus rounds, each in Istanbul with
// no end announced (so its event lasts 3 hours).
func roundsFile(t *testing.T, rounds ...testRound) string {
	t.Helper()
	raw, err := os.ReadFile("data/talks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rounds {
		fmt.Fprintf(&b, "      - number: %d\n        status: %s\n        starts: %s\n        venue: Istanbul\n"+
			"        agenda: [Exchange of memoranda]\n        sources: [reuters-2025-05-28]\n", r.n, r.status, r.start.UTC().Format(time.RFC3339))
	}
	b.WriteString("    positions:")
	out := bytes.Replace(raw, []byte("    positions:"), []byte(b.String()), 1)
	path := filepath.Join(t.TempDir(), "talks.yaml")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func importRounds(t *testing.T, db string, rounds ...testRound) {
	t.Helper()
	if r := talkbot(t, map[string]string{"DATABASE_URL": db}, "", "import", roundsFile(t, rounds...)); r.code != 0 {
		t.Fatalf("import: exit %d: %s", r.code, r.stderr)
	}
}

// adminCommand builds /talks-admin GROUP SUB (group "" for a plain
// subcommand) as Discord delivers it to a member with Manage Server, with
// the bot's permissions appPerms.
func adminCommand(fake *discordtest.Server, appPerms int64, group, sub string, opts ...any) map[string]any {
	in := interaction(fake, 2, sub)
	in["channel_id"] = channelID
	in["member"].(map[string]any)["permissions"] = "32"
	in["app_permissions"] = fmt.Sprint(appPerms)
	options := []any{}
	for i := 0; i+1 < len(opts); i += 2 {
		options = append(options, map[string]any{"name": opts[i], "type": 3, "value": opts[i+1]})
	}
	cmd := map[string]any{"name": sub, "type": 1, "options": options}
	if group != "" {
		cmd = map[string]any{"name": group, "type": 2, "options": []any{cmd}}
	}
	in["data"] = map[string]any{"id": "700000000000000002", "name": "talks-admin", "type": 1, "options": []any{cmd}}
	return in
}

// ask dispatches an interaction and returns the data of the bot's answer,
// which must be ephemeral.
func ask(t *testing.T, fake *discordtest.Server, in map[string]any) map[string]any {
	t.Helper()
	if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	cb := callback(t, fake, in)
	data, _ := cb["data"].(map[string]any)
	if data == nil || data["flags"] != float64(64) {
		t.Fatalf("reply %v is not ephemeral", cb)
	}
	return data
}

// eventsFor returns the events of a guild whose description holds round
// n's marker as a line.
func eventsFor(fake *discordtest.Server, guild string, n int) []discordtest.ScheduledEvent {
	marker := remind.EventMarker(eventsTrack, n)
	var out []discordtest.ScheduledEvent
	for _, e := range fake.Events(guild) {
		if slices.Contains(strings.Split(e.Description, "\n"), marker) {
			out = append(out, e)
		}
	}
	return out
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) || t.Context().Err() != nil {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// requestsOf returns the fake's requests of route in guild.
func requestsOf(fake *discordtest.Server, route, guild string) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range fake.Requests() {
		if r.Route == route && r.Params["guild_id"] == guild {
			out = append(out, r)
		}
	}
	return out
}

// quiet waits until the fake has had no request for three half-seconds in
// a row, at most timeout.
func quiet(t *testing.T, fake *discordtest.Server, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for still := 0; still < 3 && time.Now().Before(deadline); {
		before := len(fake.Requests())
		time.Sleep(500 * time.Millisecond)
		if len(fake.Requests()) == before {
			still++
		} else {
			still = 0
		}
	}
}

// checkEvent checks an event shows round n of the bundled track starting
// at start, as the issue describes it.
func checkEvent(t *testing.T, e discordtest.ScheduledEvent, n int, status string, start time.Time) {
	t.Helper()
	wantName := fmt.Sprintf("Round %d · %s", n, eventsTitle)
	if e.Name != wantName {
		t.Errorf("round %d: name %q; want %q", n, e.Name, wantName)
	}
	if l := len(utf16.Encode([]rune(e.Name))); l > 100 {
		t.Errorf("round %d: name of %d units; Discord allows 100", n, l)
	}
	if e.EntityType != 3 || e.PrivacyLevel != 2 || e.Location != "Istanbul" {
		t.Errorf("round %d: entity_type %d, privacy_level %d, location %q; want 3, 2, Istanbul", n, e.EntityType, e.PrivacyLevel, e.Location)
	}
	if !e.Start.Equal(start) || !e.End.Equal(start.Add(3*time.Hour)) {
		t.Errorf("round %d: %v to %v; want %v to 3 hours later", n, e.Start, e.End, start)
	}
	for _, want := range []string{"Agenda: Exchange of memoranda", "Status: " + status, "shown as 3 hours", "Reuters"} {
		if !strings.Contains(e.Description, want) {
			t.Errorf("round %d: the description does not say %q:\n%s", n, want, e.Description)
		}
	}
}

// handMadeEvent makes an event in the fake as a moderator would, through
// Discord's API and not through talkbot.
func handMadeEvent(t *testing.T, fake *discordtest.Server, guild string) string {
	t.Helper()
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	body, _ := json.Marshal(map[string]any{
		"name": "Community call", "description": "Not about the talks", "privacy_level": 2, "entity_type": 3,
		"entity_metadata": map[string]any{"location": "Online"}, "channel_id": nil,
		"scheduled_start_time": start.Format(time.RFC3339), "scheduled_end_time": start.Add(time.Hour).Format(time.RFC3339),
	})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, fake.APIBase+"/guilds/"+guild+"/scheduled-events", bytes.NewReader(body))
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
	var ev struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ev); err != nil || resp.StatusCode != http.StatusOK || ev.ID == "" {
		t.Fatalf("making an event by hand: status %d, %v", resp.StatusCode, err)
	}
	return ev.ID
}

func checkViolations(t *testing.T, fake *discordtest.Server) {
	t.Helper()
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}

// forEngine runs f on each engine at once: t.Run from several goroutines,
// as the crash tests do, since the cases mostly wait.
func forEngine(t *testing.T, f func(t *testing.T, db string)) {
	var wg sync.WaitGroup
	for engine, vars := range engines(t) {
		wg.Go(func() {
			t.Run(engine, func(t *testing.T) { f(t, vars(t)["DATABASE_URL"]) })
		})
	}
	wg.Wait()
}

func TestEventsFollowTheRoundsFromEnableToDisable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program against the fake Discord")
	}
	forEngine(t, eventsFromEnableToDisable)
}

// eventsFromEnableToDisable: enable makes one event per coming round; an
// import that moves a round moves its event, one that cancels it cancels
// the event; disable deletes talkbot's events and nothing else.
func eventsFromEnableToDisable(t *testing.T, db string) {
	fake := discordtest.New(t)
	start3 := time.Now().Add(6 * time.Hour).UTC().Truncate(time.Second)
	start4 := time.Now().Add(30 * time.Hour).UTC().Truncate(time.Second)
	importRounds(t, db, testRound{3, "scheduled", start3}, testRound{4, "proposed", start4})
	bot := startBot(t, fake, map[string]string{"DATABASE_URL": db})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	byHand := handMadeEvent(t, fake, guildID)

	reply := ask(t, fake, adminCommand(fake, permChannelOnly|permManageEvents, "events", "enable", "track", eventsTrack))
	if content, _ := reply["content"].(string); !strings.Contains(content, "2 rounds will appear") {
		t.Errorf("enable says %q; want it to announce 2 rounds", content)
	}
	if !waitFor(t, 15*time.Second, func() bool { return len(eventsFor(fake, guildID, 3)) > 0 && len(eventsFor(fake, guildID, 4)) > 0 }) {
		t.Fatalf("no events for rounds 3 and 4 within 15 s of enable: %+v\n%s", fake.Events(guildID), bot.logs.String())
	}
	quiet(t, fake, 10*time.Second)
	ev3, ev4 := eventsFor(fake, guildID, 3), eventsFor(fake, guildID, 4)
	if len(ev3) != 1 || len(ev4) != 1 {
		t.Fatalf("%d events for round 3 and %d for round 4; want one each", len(ev3), len(ev4))
	}
	checkEvent(t, ev3[0], 3, "scheduled", start3)
	checkEvent(t, ev4[0], 4, "proposed", start4)
	if n := len(requestsOf(fake, createEventRoute, guildID)); n != 3 {
		t.Errorf("%d creates (one by hand); want 3", n)
	}

	// An editor moves round 3 by an hour.
	moved := start3.Add(time.Hour)
	importRounds(t, db, testRound{3, "scheduled", moved}, testRound{4, "proposed", start4})
	patchOf := func(id string, says func(body map[string]any) bool) func(discordtest.Request) bool {
		return func(r discordtest.Request) bool {
			var body map[string]any
			return r.Route == editEventRoute && r.Params["guild_scheduled_event_id"] == id && r.Status == http.StatusOK &&
				json.Unmarshal(r.Body, &body) == nil && says(body)
		}
	}
	wctx, wcancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer wcancel()
	if _, err := fake.WaitRequest(wctx, patchOf(ev3[0].ID, func(b map[string]any) bool {
		at, _ := b["scheduled_start_time"].(string)
		parsed, err := time.Parse(time.RFC3339Nano, at)
		return err == nil && parsed.Equal(moved)
	})); err != nil {
		t.Fatalf("no PATCH moving round 3's event to %v: %v\n%s", moved, err, bot.logs.String())
	}
	quiet(t, fake, 10*time.Second)
	if ev := eventsFor(fake, guildID, 3); len(ev) != 1 || ev[0].ID != ev3[0].ID {
		t.Fatalf("round 3's events after the move: %+v; want the same one, %s", ev, ev3[0].ID)
	} else {
		checkEvent(t, ev[0], 3, "scheduled", moved)
	}
	if ev := eventsFor(fake, guildID, 4); len(ev) != 1 || ev[0].Edits != 0 {
		t.Errorf("round 4's events after round 3 moved: %+v; want one, never edited", ev)
	}

	// Round 3 is called off.
	importRounds(t, db, testRound{3, "cancelled", moved}, testRound{4, "proposed", start4})
	wctx, wcancel = context.WithTimeout(t.Context(), 15*time.Second)
	defer wcancel()
	if _, err := fake.WaitRequest(wctx, patchOf(ev3[0].ID, func(b map[string]any) bool { return b["status"] == float64(4) })); err != nil {
		t.Fatalf("no PATCH setting round 3's event to status 4: %v\n%s", err, bot.logs.String())
	}
	quiet(t, fake, 10*time.Second)
	if ev := eventsFor(fake, guildID, 3); len(ev) != 1 || ev[0].ID != ev3[0].ID || ev[0].Status != discordtest.EventCanceled {
		t.Errorf("round 3's events after the cancel: %+v; want %s, status 4", ev, ev3[0].ID)
	}
	if n := len(requestsOf(fake, createEventRoute, guildID)); n != 3 {
		t.Errorf("%d creates after the move and the cancel; want still 3", n)
	}

	ask(t, fake, adminCommand(fake, permChannelOnly|permManageEvents, "events", "disable"))
	if !waitFor(t, 15*time.Second, func() bool { return len(fake.Events(guildID)) == 1 }) {
		t.Fatalf("events left 15 s after disable: %+v; want only the one made by hand\n%s", fake.Events(guildID), bot.logs.String())
	}
	quiet(t, fake, 10*time.Second)
	if left := fake.Events(guildID); len(left) != 1 || left[0].ID != byHand {
		t.Errorf("events after disable: %+v; want only %s, made by hand", left, byHand)
	}
	checkViolations(t, fake)
}

func TestEventsEnableRefusedWithoutManageEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program against the fake Discord")
	}
	forEngine(t, func(t *testing.T, db string) {
		fake := discordtest.New(t)
		importRounds(t, db, testRound{3, "scheduled", time.Now().Add(6 * time.Hour)})
		bot := startBot(t, fake, map[string]string{"DATABASE_URL": db})
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		if err := fake.WaitReady(ctx); err != nil {
			t.Fatal(err)
		}
		reply := ask(t, fake, adminCommand(fake, permChannelOnly, "events", "enable", "track", eventsTrack))
		if content, _ := reply["content"].(string); !strings.Contains(content, "Manage Events") {
			t.Errorf("the refusal %q does not name Manage Events", content)
		}
		show := ask(t, fake, adminCommand(fake, permChannelOnly, "", "show"))
		raw, _ := json.Marshal(show["embeds"])
		var embeds []struct {
			Fields []struct{ Name, Value string } `json:"fields"`
		}
		if err := json.Unmarshal(raw, &embeds); err != nil {
			t.Fatalf("show replied %v: %v", show, err)
		}
		// A server with no settings at all gets a sentence, one with some
		// an embed; either way no Events field may say they are on.
		if content, _ := show["content"].(string); len(embeds) == 0 && !strings.Contains(content, "no reminders") {
			t.Errorf("show replied %v; want the server's settings", show)
		}
		for _, e := range embeds {
			for _, f := range e.Fields {
				if f.Name == "Events" && f.Value != "Off." {
					t.Errorf("show says events are %q after a refused enable; want nothing or Off.", f.Value)
				}
			}
		}
		quiet(t, fake, 5*time.Second)
		for _, r := range fake.Requests() {
			if strings.Contains(r.Route, "scheduled-events") {
				t.Errorf("a request to Discord's events after a refused enable: %s %s\n%s", r.Method, r.Path, bot.logs.String())
			}
		}
		bot.stop()
		s := openStoreAt(t, db)
		defer s.Close()
		if settings, err := s.EventSettings(t.Context(), guildID); err != nil || len(settings) != 0 {
			t.Errorf("event settings saved by a refused enable: %+v, %v", settings, err)
		}
		checkViolations(t, fake)
	})
}

// eventsGuild is the server of the tests that seed the store themselves.
const (
	eventsGuild   = "840000000000000001"
	eventsChannel = "840000000000000010"
)

// seedEvents has eventsGuild follow the track with events on for every
// followed track, and imports rounds, while no process runs.
func seedEvents(t *testing.T, db string, rounds ...testRound) {
	t.Helper()
	s := openStoreAt(t, db)
	err := s.SaveFollow(t.Context(), store.Follow{GuildID: eventsGuild, ChannelID: eventsChannel, Track: eventsTrack,
		Offsets: []time.Duration{time.Minute}})
	if err == nil {
		err = s.EnableEvents(t.Context(), eventsGuild, "")
	}
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) > 0 {
		importRounds(t, db, rounds...)
	}
}

// recordedEvents checks, with no process running, that the store records
// exactly the fake's event of each round.
func recordedEvents(t *testing.T, fake *discordtest.Server, db string, rounds ...int) {
	t.Helper()
	s := openStoreAt(t, db)
	defer s.Close()
	for _, n := range rounds {
		ev := eventsFor(fake, eventsGuild, n)
		if len(ev) != 1 {
			t.Errorf("round %d has %d events in the fake; want exactly 1", n, len(ev))
			continue
		}
		g, err := s.GuildEvent(t.Context(), eventsGuild, eventsTrack, n)
		if err != nil || g.EventID != ev[0].ID || g.State != store.GuildEventActive {
			t.Errorf("round %d: recorded %+v, %v; want event %s, active", n, g, err, ev[0].ID)
		}
	}
}

func TestEventsExactlyOnceThroughSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the real binary")
	}
	bin := buildTalkbot(t)
	k := crashSettings(t)
	forEngine(t, func(t *testing.T, db string) { eventCreateKilled(t, bin, db, k) })
}

// eventCreateKilled kills the process while Discord holds its create: the
// event is made, the process never learns its id. The restarted process
// finds it by its marker instead of making a second.
func eventCreateKilled(t *testing.T, bin, db string, k crashKnobs) {
	seedEvents(t, db, testRound{3, "scheduled", time.Now().Add(6 * time.Hour)}, testRound{4, "proposed", time.Now().Add(30 * time.Hour)})
	fake := discordtest.New(t)
	proxy := newHoldingProxy(t, fake.URL, func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/guilds/"+eventsGuild+"/scheduled-events")
	})
	env := map[string]string{"DATABASE_URL": db, "DISCORD_TOKEN": fake.Token, "DISCORD_API_URL": proxy.URL + discordtest.DefaultBasePath, "LOG_LEVEL": "debug"}
	for name, v := range k.env {
		env[name] = v
	}
	proc := newBotProcess(t, bin, env)
	proc.start()
	select {
	case <-proxy.held:
	case <-time.After(20 * time.Second):
		t.Fatalf("no event was created within 20 s of the start\n%s", proc.logTail())
	}
	proc.kill()
	proxy.Release()
	creates := requestsOf(fake, createEventRoute, eventsGuild)
	if len(creates) == 0 || creates[0].Status != http.StatusOK {
		t.Fatalf("creates when the process was killed: %+v; want the held one made", creates)
	}
	listsBefore := len(requestsOf(fake, listEventsRoute, eventsGuild))

	proc.start()
	if !waitFor(t, k.lease+20*time.Second, func() bool {
		return len(eventsFor(fake, eventsGuild, 3)) > 0 && len(eventsFor(fake, eventsGuild, 4)) > 0 &&
			len(requestsOf(fake, listEventsRoute, eventsGuild)) > listsBefore &&
			proc.metric(`talkbot_deliveries_total{kind="event",result="sent"}`) >= 1
	}) {
		t.Fatalf("the restarted process did not finish the events within the %v lease and 20 s\n%s", k.lease, proc.logTail())
	}
	// The killed process's claims end with their lease: wait for that, and
	// for the requests to stop.
	time.Sleep(time.Until(proc.started.Add(k.lease + time.Second)))
	quiet(t, fake, 15*time.Second)
	proc.stop()

	if n := len(requestsOf(fake, createEventRoute, eventsGuild)); n != 2 {
		t.Errorf("%d creates for 2 rounds; want 2: the restart found the held one by its marker\n%s", n, proc.logTail())
	}
	recordedEvents(t, fake, db, 3, 4)
	checkViolations(t, fake)
}

func TestEventsFromTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two processes of the real binary on one PostgreSQL")
	}
	bin := buildTalkbot(t)
	k := crashSettings(t)
	db := engines(t)["postgres"](t)["DATABASE_URL"]
	seedEvents(t, db)
	fake := discordtest.New(t)
	env := map[string]string{"DATABASE_URL": db, "DISCORD_TOKEN": fake.Token, "DISCORD_API_URL": fake.APIBase, "LOG_LEVEL": "debug"}
	for name, v := range k.env {
		env[name] = v
	}
	// Discord takes 1.5 s over a create (within the 2 s lease): the other
	// replica wakes while the first one's create is under way.
	fake.Handle(createEventRoute, func(discordtest.Request) (int, any) {
		time.Sleep(1500 * time.Millisecond)
		return 0, nil
	})
	procs := []*botProcess{newBotProcess(t, bin, env), newBotProcess(t, bin, env)}
	for _, p := range procs {
		p.start()
	}

	// A new round arrives while both run; each sees the import.
	importRounds(t, db, testRound{3, "scheduled", time.Now().Add(6 * time.Hour)})
	if !waitFor(t, 20*time.Second, func() bool { return len(eventsFor(fake, eventsGuild, 3)) > 0 }) {
		t.Fatalf("no event for the new round within 20 s\n%s\n%s", procs[0].logTail(), procs[1].logTail())
	}
	// Both processes look for imports every 2 s: give each a few looks,
	// and the lease of any claim, before counting.
	time.Sleep(4 * time.Second)
	time.Sleep(k.lease + time.Second)
	quiet(t, fake, 15*time.Second)
	for _, p := range procs {
		p.stop()
	}
	if n := len(requestsOf(fake, createEventRoute, eventsGuild)); n != 1 {
		t.Errorf("%d creates from two replicas; want 1", n)
	}
	recordedEvents(t, fake, db, 3)
	checkViolations(t, fake)
}
