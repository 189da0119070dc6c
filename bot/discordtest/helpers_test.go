package discordtest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot"
	"talkbot/bot/discordtest"
)

// newSession returns a discordgo session pointed at the fake, not yet open.
func newSession(t *testing.T, fake *discordtest.Server) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot " + fake.Token)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	// The bot's own transport, so the fake is tested the way the bot uses it.
	rb, err := bot.Rebase(fake.APIBase, tr)
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: rb, Timeout: 10 * time.Second}
	s.Identify.Intents = discordgo.IntentGuilds
	return s
}

// openSession opens a session on the fake's gateway and closes it when the
// test ends, before the fake stops.
func openSession(t *testing.T, fake *discordtest.Server) *discordgo.Session {
	t.Helper()
	s := newSession(t, fake)
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { closeSession(s) })
	if err := fake.WaitReady(waitCtx(t, 5*time.Second)); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	return s
}

// closeSession closes s without letting discordgo's heartbeat reconnect it
// (see the package documentation).
func closeSession(s *discordgo.Session) {
	s.Lock()
	s.ShouldReconnectOnError = false
	s.Unlock()
	s.Close()
}

// waitCtx bounds a wait in a test.
func waitCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// receive returns the next value from ch, failing the test after d.
func receive[T any](t *testing.T, ch <-chan T, d time.Duration, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		t.Fatalf("no %s within %v", what, d)
		var zero T
		return zero
	}
}

// apiError returns the JSON error code of a discordgo REST error, or 0.
func apiError(t *testing.T, err error) (status, code int) {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("want a REST error, got %v", err)
	}
	if re.Message != nil {
		code = re.Message.Code
	}
	return re.Response.StatusCode, code
}

// commandInteraction is an INTERACTION_CREATE for a slash command in a
// guild channel.
func commandInteraction(fake *discordtest.Server, id, channelID string) map[string]any {
	const guildID = discordtest.DefaultGuildID
	return map[string]any{
		"id": id, "application_id": fake.ApplicationID, "type": 2, "token": "token-" + id, "version": 1,
		"guild_id": guildID, "channel_id": channelID, "channel": map[string]any{"id": channelID, "type": 0},
		"member": map[string]any{
			"user":  map[string]any{"id": "1180000000000000500", "username": "alice", "discriminator": "0"},
			"roles": []any{}, "permissions": "2147483647", "joined_at": "2024-01-01T00:00:00+00:00",
		},
		"data":   map[string]any{"id": "1180000000000000700", "name": "talks", "type": 1},
		"locale": "en-US", "guild_locale": "en-US", "app_permissions": "2048", "context": 0,
		"entitlements": []any{}, "authorizing_integration_owners": map[string]any{"0": guildID},
	}
}

func assertNoViolations(t *testing.T, fake *discordtest.Server) {
	t.Helper()
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations:\n%s", strings.Join(v, "\n"))
	}
}
