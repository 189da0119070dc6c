package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"talkbot/bot/discordtest"
)

// lockedBuffer collects the program's log lines from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// running is the whole program started with `talkbot run` against a fake
// Discord.
type running struct {
	fake *discordtest.Server
	addr string
	logs *lockedBuffer
	stop func() error // cancels (as SIGTERM does) and returns run's error
}

func startBot(t *testing.T, fake *discordtest.Server, extra map[string]string) *running {
	t.Helper()
	vars := map[string]string{
		"DATABASE_URL":    "sqlite:" + filepath.Join(t.TempDir(), "talkbot.db"),
		"DISCORD_TOKEN":   fake.Token,
		"DISCORD_API_URL": fake.APIBase,
		"HTTP_ADDR":       "127.0.0.1:0", // the bot says where it listens
		"LOG_LEVEL":       "debug",
	}
	maps.Copy(vars, extra)
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	listening := make(chan string, 1)
	e := env{getenv: func(k string) string { return vars[k] }, listening: func(a string) { listening <- a },
		stdin: strings.NewReader(""), stdout: logs, stderr: logs}
	go func() { done <- e.runBot(ctx, nil) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				runErr = fmt.Errorf("run did not return within 10 s of cancellation")
			}
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("talkbot run: %v\n%s", err, logs.String())
		}
	})
	var addr string
	select {
	case addr = <-listening:
	case err := <-done:
		t.Fatalf("talkbot run ended early: %v\n%s", err, logs.String())
	case <-time.After(10 * time.Second):
		t.Fatalf("the HTTP server did not come up\n%s", logs.String())
	}
	return &running{fake: fake, addr: addr, logs: logs, stop: stop}
}

var interactionIDs struct {
	mu sync.Mutex
	n  int
}

// interaction builds an INTERACTION_CREATE for /talks SUB with options.
func interaction(fake *discordtest.Server, typ int, sub string, opts ...any) map[string]any {
	interactionIDs.mu.Lock()
	interactionIDs.n++
	n := interactionIDs.n
	interactionIDs.mu.Unlock()
	options := []any{}
	for i := 0; i+1 < len(opts); i += 2 {
		o := map[string]any{"name": opts[i], "value": opts[i+1], "type": 3}
		if _, ok := opts[i+1].(int); ok {
			o["type"] = 4
		}
		options = append(options, o)
	}
	return map[string]any{
		"id": strconv.Itoa(900000000000000000 + n), "application_id": fake.ApplicationID, "type": typ,
		"token": "itoken-" + strconv.Itoa(n), "version": 1, "guild_id": "800000000000000001", "channel_id": "800000000000000002",
		"context": 0, "locale": "en-GB", "app_permissions": "2147483647",
		"member": map[string]any{"user": map[string]any{"id": "800000000000000003", "username": "reader"}, "permissions": "0"},
		"data":   map[string]any{"id": "700000000000000001", "name": "talks", "type": 1, "options": []any{map[string]any{"name": sub, "type": 1, "options": options}}},
	}
}

// callback waits for the bot's callback to interaction in.
func callback(t *testing.T, fake *discordtest.Server, in map[string]any) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	path := fmt.Sprintf("/interactions/%s/%s/callback", in["id"], in["token"])
	req, err := fake.WaitRequest(ctx, func(r discordtest.Request) bool { return r.Path == path })
	if err != nil {
		t.Fatalf("no callback to %s: %v", path, err)
	}
	var body map[string]any
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	return body
}

func TestGatewayEndToEnd(t *testing.T) {
	fake := discordtest.New(t)
	bot := startBot(t, fake, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("no READY: %v\n%s", err, bot.logs.String())
	}

	t.Run("IDENTIFY carries the token and the Guilds intent only", func(t *testing.T) {
		ids := fake.Identifies()
		if len(ids) == 0 {
			t.Fatal("no IDENTIFY")
		}
		var id struct {
			Token   string `json:"token"`
			Intents int    `json:"intents"`
		}
		if err := json.Unmarshal(ids[0], &id); err != nil {
			t.Fatal(err)
		}
		if id.Token != "Bot "+fake.Token && id.Token != fake.Token {
			t.Errorf("IDENTIFY token = %q", id.Token)
		}
		if id.Intents != 1 {
			t.Errorf("IDENTIFY intents = %d; want 1 (Guilds only)", id.Intents)
		}
	})

	t.Run("the command tree is bulk-overwritten globally", func(t *testing.T) {
		_, err := fake.WaitRequest(ctx, func(r discordtest.Request) bool {
			return r.Method == http.MethodPut && r.Path == "/applications/"+fake.ApplicationID+"/commands"
		})
		if err != nil {
			t.Fatal(err)
		}
		cmds := fake.Commands("")
		if len(cmds) != 3 || cmds[0].Name != "talks" || cmds[1].Name != "talks-admin" || cmds[2].Name != "talks-edit" {
			t.Fatalf("registered commands = %+v", cmds)
		}
		// Server editors are a role: the check is talkbot's alone.
		if cmds[2].DefaultMemberPermissions != nil {
			t.Errorf("/talks-edit: default_member_permissions %v; want none", *cmds[2].DefaultMemberPermissions)
		}
		if p := cmds[1].DefaultMemberPermissions; p == nil || *p != 32 || cmds[1].Contexts == nil || len(*cmds[1].Contexts) != 1 {
			t.Errorf("/talks-admin: default_member_permissions %v, contexts %v; want 32 and [0]", p, cmds[1].Contexts)
		}
		var subs []string
		for _, o := range cmds[0].Options {
			subs = append(subs, o.Name)
		}
		if got := strings.Join(subs, ","); got != "next,rounds,round,positions,compare,statements,upcoming,search,subscribe,unsubscribe,about,history,calendar,news" {
			t.Errorf("subcommands = %s", got)
		}
		if cmds[0].Contexts == nil || len(*cmds[0].Contexts) != 3 || cmds[0].IntegrationTypes == nil || len(*cmds[0].IntegrationTypes) != 2 {
			t.Errorf("contexts %v, integration types %v; want [0 1 2] and [0 1]", cmds[0].Contexts, cmds[0].IntegrationTypes)
		}
	})

	subcommands := []struct {
		sub   string
		opts  []any
		check func(t *testing.T, cb map[string]any)
	}{
		// The real clock is past round 2's proposed date of 2 June 2025.
		{"next", nil, embedTitled("Round 2 (proposed for Monday 2 June 2025; no later report)")},
		{"rounds", nil, embedTitled("Rounds · ")},
		{"round", []any{"number", 1}, embedTitled("Round 1 · ")},
		{"round", []any{"number", 9}, ephemeralSaying("There is no round 9")},
		{"positions", []any{"side", "ukraine"}, embedTitled("Positions of Ukraine")},
		{"compare", []any{"topic", "memorandum"}, embedTitled("On memorandum")},
		{"statements", []any{"speaker", "lavrov"}, embedTitled("Statements by Sergey Lavrov")},
		{"upcoming", nil, contentSaying("No meeting is scheduled in any of the talks")},
		{"search", []any{"query", "prisoner"}, embedTitled("Search: prisoner")},
		{"about", nil, embedTitled("About talkbot")},
		{"calendar", nil, ephemeralSaying("has not published the calendar")},
		{"news", nil, ephemeralSaying("it follows no news feeds")},
	}
	for _, sc := range subcommands {
		t.Run(fmt.Sprintf("/talks %s %v is answered", sc.sub, sc.opts), func(t *testing.T) {
			in := interaction(fake, 2, sc.sub, sc.opts...)
			if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
				t.Fatal(err)
			}
			cb := callback(t, fake, in)
			data, _ := cb["data"].(map[string]any)
			am, _ := data["allowed_mentions"].(map[string]any)
			if parse, ok := am["parse"].([]any); !ok || len(parse) != 0 {
				t.Errorf("allowed_mentions = %v; want {\"parse\": []}", data["allowed_mentions"])
			}
			sc.check(t, cb)
		})
	}

	t.Run("an autocomplete gets choices", func(t *testing.T) {
		in := interaction(fake, 4, "positions", "side", "uk")
		in["data"].(map[string]any)["options"].([]any)[0].(map[string]any)["options"].([]any)[0].(map[string]any)["focused"] = true
		if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
			t.Fatal(err)
		}
		cb := callback(t, fake, in)
		if cb["type"] != float64(8) || !strings.Contains(fmt.Sprint(cb["data"]), "ukraine") {
			t.Errorf("autocomplete callback = %v", cb)
		}
	})

	t.Run("a dropped connection resumes and missed interactions are answered", func(t *testing.T) {
		if err := fake.DropConnection(); err != nil {
			t.Fatal(err)
		}
		in := interaction(fake, 2, "next")
		if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
			t.Fatal(err)
		}
		callback(t, fake, in)
		if len(fake.Resumes()) == 0 {
			t.Error("the bot reconnected without RESUME")
		}
	})

	t.Run("a 429 is waited out and retried", func(t *testing.T) {
		in := interaction(fake, 2, "about")
		route := "POST /interactions/{interaction_id}/{interaction_token}/callback"
		fake.RateLimitNext(route, 1, 300*time.Millisecond, false)
		if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
			t.Fatal(err)
		}
		callback(t, fake, in) // the first try recorded is the one answered 429
		path := fmt.Sprintf("/interactions/%s/%s/callback", in["id"], in["token"])
		var tries []discordtest.Request
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			tries = tries[:0]
			for _, r := range fake.Requests() {
				if r.Path == path {
					tries = append(tries, r)
				}
			}
			if len(tries) >= 2 && tries[len(tries)-1].Status < 300 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if len(tries) < 2 || tries[0].Status != http.StatusTooManyRequests || tries[1].Status >= 300 {
			t.Fatalf("callback tries: %v; want a 429 then a success", statuses(tries))
		}
		if gap := tries[1].At.Sub(tries[0].At); gap < 250*time.Millisecond {
			t.Errorf("retried after %v; want at least the 300 ms retry_after", gap)
		}
	})

	t.Run("readiness and metrics are served", func(t *testing.T) {
		resp, err := http.Get("http://" + bot.addr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("/readyz = %d", resp.StatusCode)
		}
		resp, err = http.Get("http://" + bot.addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`talkbot_interactions_total{command="talks/next",outcome="ok"}`, "talkbot_handler_seconds", "talkbot_rest_requests_total", "talkbot_gateway_reconnects_total 1"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})

	if err := bot.stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
	if strings.Contains(bot.logs.String(), fake.Token) {
		t.Error("the token appears in the logs")
	}
}

func statuses(rs []discordtest.Request) []int {
	var out []int
	for _, r := range rs {
		out = append(out, r.Status)
	}
	return out
}

func embedTitled(prefix string) func(t *testing.T, cb map[string]any) {
	return func(t *testing.T, cb map[string]any) {
		t.Helper()
		if cb["type"] != float64(4) {
			t.Fatalf("callback type = %v; want 4", cb["type"])
		}
		embeds, _ := cb["data"].(map[string]any)["embeds"].([]any)
		if len(embeds) == 0 {
			t.Fatalf("no embeds in %v", cb)
		}
		if title, _ := embeds[0].(map[string]any)["title"].(string); !strings.HasPrefix(title, prefix) {
			t.Errorf("embed title = %q; want it to start with %q", title, prefix)
		}
	}
}

func contentSaying(text string) func(t *testing.T, cb map[string]any) {
	return func(t *testing.T, cb map[string]any) {
		t.Helper()
		if data := cb["data"].(map[string]any); !strings.Contains(fmt.Sprint(data["content"]), text) {
			t.Errorf("callback = %v; want a message saying %q", cb, text)
		}
	}
}

func ephemeralSaying(text string) func(t *testing.T, cb map[string]any) {
	return func(t *testing.T, cb map[string]any) {
		t.Helper()
		data := cb["data"].(map[string]any)
		if data["flags"] != float64(64) || !strings.Contains(fmt.Sprint(data["content"]), text) {
			t.Errorf("callback = %v; want an ephemeral message saying %q", cb, text)
		}
	}
}

func TestHTTPInteractionsEndToEnd(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.New(t)
	bot := startBot(t, fake, map[string]string{"DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "DISCORD_GUILD_ID": "800000000000000001",
		"PUBLIC_URL": "https://talks.example.org"})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := fake.WaitRequest(ctx, func(r discordtest.Request) bool {
		return r.Method == http.MethodPut && r.Path == "/applications/"+fake.ApplicationID+"/guilds/800000000000000001/commands"
	}); err != nil {
		t.Fatalf("commands were not registered in the guild: %v", err)
	}
	post := func(body []byte, key ed25519.PrivateKey) *http.Response {
		t.Helper()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+bot.addr+"/interactions", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	t.Run("a signed PING gets a PONG", func(t *testing.T) {
		resp := post([]byte(`{"type":1}`), priv)
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || strings.TrimSpace(b.String()) != `{"type":1}` {
			t.Errorf("PING: %d %s", resp.StatusCode, b.String())
		}
	})
	t.Run("a wrong key gets 401", func(t *testing.T) {
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		resp := post([]byte(`{"type":1}`), other)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d; want 401", resp.StatusCode)
		}
	})
	t.Run("a signed command gets the same reply as over the gateway", func(t *testing.T) {
		in := interaction(fake, 2, "round", "number", 1)
		if err := fake.TrackInteraction(in); err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(in)
		resp := post(body, priv)
		defer resp.Body.Close()
		var cb map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&cb); err != nil {
			t.Fatal(err)
		}
		embedTitled("Round 1 · ")(t, cb)
	})
	t.Run("the calendar feeds are served beside /interactions", func(t *testing.T) {
		for path, want := range map[string]int{"/calendar.ics": 200, "/calendar/ru-ua-istanbul.ics": 200, "/calendar/geneva.ics": 404} {
			resp, err := http.Get("http://" + bot.addr + path)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("GET %s: status %d; want %d", path, resp.StatusCode, want)
			}
			if want == 200 && !strings.Contains(b.String(), "UID:round-1.ru-ua-istanbul@talks.example.org") {
				t.Errorf("GET %s: no event for round 1:\n%s", path, b.String())
			}
		}
	})
	if fake.Connections() != 0 {
		t.Errorf("%d gateway connections in HTTP mode; want none", fake.Connections())
	}
	if err := bot.stop(); err != nil {
		t.Fatal(err)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}
