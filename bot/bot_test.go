package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/discordtest"
	"talkbot/bot/metrics"
	"talkbot/commands"
)

func TestReadyzAnswers503UnlessTheBotCanServe(t *testing.T) {
	key, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		pingErr    error
		http       bool // HTTP interactions: no gateway to be ready
		ready      bool // the gateway has READY
		closing    bool
		wantStatus int
		wantBody   string
	}{
		{name: "a ready gateway bot is ready", ready: true, wantStatus: 200, wantBody: "ready"},
		{name: "an HTTP interactions bot needs no gateway", http: true, wantStatus: 200, wantBody: "ready"},
		{name: "an unreachable store is not ready", pingErr: errors.New("connection refused"), ready: true, wantStatus: 503, wantBody: "store unreachable"},
		{name: "a gateway without READY is not ready", wantStatus: 503, wantBody: "gateway not ready"},
		{name: "a bot shutting down is not ready", ready: true, closing: true, wantStatus: 503, wantBody: "shutting down"},
		{name: "an HTTP interactions bot shutting down is not ready", http: true, closing: true, wantStatus: 503, wantBody: "shutting down"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{
				Token: "token", APIURL: "http://127.0.0.1:9/api/v10", // New dials nothing
				Ping: func(context.Context) error { return tc.pingErr },
				Log:  slog.New(slog.DiscardHandler),
			}
			if tc.http {
				o.PublicKey = key
			}
			b, err := New(o)
			if err != nil {
				t.Fatal(err)
			}
			b.ready.Store(tc.ready)
			b.closing.Store(tc.closing)

			w := httptest.NewRecorder()
			b.readyz(w, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/readyz", nil))

			if body := strings.TrimSpace(w.Body.String()); w.Code != tc.wantStatus || body != tc.wantBody {
				t.Errorf("GET /readyz = %d %q; want %d %q", w.Code, body, tc.wantStatus, tc.wantBody)
			}
		})
	}
}

// gatewayInteraction is an interaction as the gateway delivers it.
func gatewayInteraction(fake *discordtest.Server, typ discordgo.InteractionType, sub string) map[string]any {
	n := nextID()
	option := map[string]any{"type": 1, "name": sub}
	if typ == discordgo.InteractionApplicationCommandAutocomplete {
		option["options"] = []any{map[string]any{"type": 3, "name": "side", "value": "uk", "focused": true}}
	}
	return map[string]any{
		"id": fmt.Sprintf("9%017d", n), "application_id": fake.ApplicationID, "type": int(typ), "token": fmt.Sprintf("tok%d", n),
		"version": 1, "channel_id": "800000000000000002", "guild_id": "800000000000000001",
		"member": map[string]any{"user": map[string]any{"id": "3"}, "permissions": "0"},
		"data":   map[string]any{"id": "1", "name": "talks", "type": 1, "options": []any{option}},
	}
}

// callbackBody waits (boundedly) for the callback to interaction in and
// returns its body.
func callbackBody(t *testing.T, fake *discordtest.Server, in map[string]any) *discordgo.InteractionResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	path := fmt.Sprintf("/interactions/%s/%s/callback", in["id"], in["token"])
	r, err := fake.WaitRequest(ctx, func(r discordtest.Request) bool { return r.Path == path })
	if err != nil {
		t.Fatalf("no callback to %s: %v", path, err)
	}
	return decodeResponse(t, r.Body)
}

// decodeResponse reads an interaction response. discordgo cannot decode
// the components of a form (type 9), so a form's data is left nil: the
// fake's Modals hold it.
func decodeResponse(t *testing.T, body []byte) *discordgo.InteractionResponse {
	t.Helper()
	var raw struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	resp := &discordgo.InteractionResponse{Type: raw.Type}
	if raw.Type != discordgo.InteractionResponseModal && len(raw.Data) > 0 {
		if err := json.Unmarshal(raw.Data, &resp.Data); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
	}
	return resp
}

// waitLog waits (boundedly) until the log holds s.
func waitLog(t *testing.T, logs *syncBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q:\n%s", s, logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestInteractionsDuringShutdownAreTurnedAway(t *testing.T) {
	fake := discordtest.New(t)
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	var handled atomic.Int32
	logs := &syncBuffer{}
	b, err := New(Options{
		Token: fake.Token, APIURL: fake.APIBase, HTTPAddr: "127.0.0.1:0",
		Commands: []*discordgo.ApplicationCommand{},
		// The first interaction holds the shutdown open until released.
		Handler: handlerFunc(func(ctx context.Context, _ commands.Request) (commands.Reply, error) {
			handled.Add(1)
			select {
			case started <- struct{}{}:
			default:
			}
			select {
			case <-release:
			case <-ctx.Done():
			}
			return commands.Reply{Content: "the next meeting"}, nil
		}),
		Ping:    func(context.Context) error { return nil },
		Log:     slog.New(slog.NewTextHandler(logs, nil)),
		Metrics: metrics.New(),
	})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(t.Context())
	t.Cleanup(stop)
	runErr := make(chan error, 1)
	go func() { runErr <- b.Run(runCtx) }()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("no READY: %v\n%s", err, logs.String())
	}

	inFlight := gatewayInteraction(fake, discordgo.InteractionApplicationCommand, "next")
	if err := fake.Dispatch("INTERACTION_CREATE", inFlight); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatalf("the handler never ran:\n%s", logs.String())
	}
	stop()
	waitLog(t, logs, "shutting down") // logged once the bot is closing

	t.Run("a command gets the restarting refusal, ephemeral", func(t *testing.T) {
		in := gatewayInteraction(fake, discordgo.InteractionApplicationCommand, "next")
		if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
			t.Fatal(err)
		}
		resp := callbackBody(t, fake, in)
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data == nil ||
			resp.Data.Flags != discordgo.MessageFlagsEphemeral || !strings.Contains(resp.Data.Content, "talkbot is restarting") {
			t.Errorf("callback type %d, data %+v; want an ephemeral \"talkbot is restarting\"", resp.Type, resp.Data)
		}
	})
	t.Run("an autocomplete gets no choices", func(t *testing.T) {
		in := gatewayInteraction(fake, discordgo.InteractionApplicationCommandAutocomplete, "positions")
		if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
			t.Fatal(err)
		}
		resp := callbackBody(t, fake, in)
		if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || resp.Data == nil || len(resp.Data.Choices) != 0 {
			t.Errorf("callback type %d, data %+v; want an empty autocomplete result", resp.Type, resp.Data)
		}
	})
	if n := handled.Load(); n != 1 {
		t.Errorf("the handler ran %d times; want once, for the interaction before the shutdown", n)
	}

	close(release)
	select {
	case err := <-runErr:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return")
	}
	if resp := callbackBody(t, fake, inFlight); resp.Type != discordgo.InteractionResponseChannelMessageWithSource &&
		resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Errorf("the interaction in flight was answered with type %d; want its reply (or its deferral)", resp.Type)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}
