package bot

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"talkbot/bot/metrics"
	"talkbot/remind"
)

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// unreachableBot is a bot whose DISCORD_API_URL (returned) nothing answers.
func unreachableBot(t *testing.T) (*Bot, string) {
	t.Helper()
	api := "http://" + closedPort(t) + "/api/v10"
	b, err := New(Options{
		Token: "token", APIURL: api, HTTPAddr: "127.0.0.1:0",
		Ping: func(context.Context) error { return nil },
		Log:  slog.New(slog.DiscardHandler), Metrics: metrics.New(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b, api
}

// A DISCORD_API_URL nothing answers on is named in the error, with the
// variable, rather than the discord.com URL discordgo builds its requests
// from.
func TestAnUnreachableAPIURLIsNamed(t *testing.T) {
	b, api := unreachableBot(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	err := b.Run(ctx)
	if err == nil {
		t.Fatal("Run succeeded against a closed port")
	}
	msg := err.Error()
	for _, want := range []string{api + "/", "DISCORD_API_URL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	for _, unwanted := range []string{"discord.com", "DISCORD_TOKEN"} {
		if strings.Contains(msg, unwanted) {
			t.Errorf("error %q mentions %q; the request went to %s and got no answer", msg, unwanted, api)
		}
	}
}

// A reminder that cannot reach DISCORD_API_URL says where it was sent, not
// the discord.com URL discordgo built.
func TestASendToAnUnreachableAPIURLIsNamed(t *testing.T) {
	b, api := unreachableBot(t)
	_, err := b.Sender().Send(t.Context(), "channel:123456789012345678", remind.Message{Content: "hello"}, "nonce-1")
	if err == nil {
		t.Fatal("Send succeeded against a closed port")
	}
	msg := err.Error()
	if !strings.Contains(msg, api+"/channels/123456789012345678/messages") || !strings.Contains(msg, "DISCORD_API_URL") || strings.Contains(msg, "discord.com") {
		t.Errorf("error %q; want it to name %s and DISCORD_API_URL, not discord.com", msg, api)
	}
}

// A request given up by its own context (a send timeout, shutdown) is not
// blamed on DISCORD_API_URL.
func TestACancelledRequestIsNotCalledUnreachable(t *testing.T) {
	rt, err := Rebase("http://"+closedPort(t)+"/api/v10", http.DefaultTransport)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, discordgoAPI+"gateway", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rt.RoundTrip(req)
	if err == nil || strings.Contains(err.Error(), "DISCORD_API_URL") {
		t.Errorf("error %v; want the cancellation, without the DISCORD_API_URL hint", err)
	}
}
