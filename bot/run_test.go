package bot

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/discordtest"
	"talkbot/bot/metrics"
	"talkbot/commands"
)

// events is an ordered record of what happened, safe for concurrent use.
type events struct {
	mu   sync.Mutex
	list []string
}

func (e *events) add(s string) { e.mu.Lock(); defer e.mu.Unlock(); e.list = append(e.list, s) }
func (e *events) all() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.list)
}

// sessionOpen reports whether the gateway session is still connected.
func sessionOpen(b *Bot) bool {
	b.session.RLock()
	defer b.session.RUnlock()
	return b.session.DataReady
}

// gatewayBot is a gateway bot on the fake Discord whose handler is h.
func gatewayBot(t *testing.T, fake *discordtest.Server, h Handler, logs *syncBuffer) *Bot {
	t.Helper()
	b, err := New(Options{
		Token: fake.Token, APIURL: fake.APIBase, HTTPAddr: "127.0.0.1:0",
		Commands: []*discordgo.ApplicationCommand{},
		Handler:  h,
		Ping:     func(context.Context) error { return nil },
		Log:      slog.New(slog.NewTextHandler(logs, nil)),
		Metrics:  metrics.New(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Cancelling Run's context stops its parts in order: interactions in
// flight finish while the background work still runs, then the background
// stops while the session is still open, then the session closes, all
// before Run returns.
func TestRunStopsItsPartsInOrder(t *testing.T) {
	fake := discordtest.New(t)
	var ev events
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	logs := &syncBuffer{}
	var b *Bot
	b = gatewayBot(t, fake, handlerFunc(func(ctx context.Context, _ commands.Request) (commands.Reply, error) {
		started <- struct{}{}
		<-release
		ev.add("interaction finished")
		return commands.Reply{Content: "the next meeting"}, nil
	}), logs)
	bgRunning := make(chan struct{})
	b.AddBackground(func(ctx context.Context) error {
		close(bgRunning)
		<-ctx.Done()
		if sessionOpen(b) {
			ev.add("background stopped, session open")
		} else {
			ev.add("background stopped, session closed")
		}
		return ctx.Err()
	})
	runCtx, stop := context.WithCancel(t.Context())
	t.Cleanup(stop)
	runErr := make(chan error, 1)
	go func() { runErr <- b.Run(runCtx) }()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("no READY: %v\n%s", err, logs.String())
	}
	select {
	case <-bgRunning:
	case <-ctx.Done():
		t.Fatal("the background work never started")
	}
	if err := fake.Dispatch("INTERACTION_CREATE", gatewayInteraction(fake, discordgo.InteractionApplicationCommand, "next")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatalf("the handler never ran:\n%s", logs.String())
	}

	stop()
	waitLog(t, logs, "shutting down")
	time.Sleep(50 * time.Millisecond) // room for a wrong order to show
	ev.add("interaction released")
	close(release)
	select {
	case err := <-runErr:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return")
	}
	want := []string{"interaction released", "interaction finished", "background stopped, session open"}
	if got := ev.all(); !slices.Equal(got, want) {
		t.Errorf("events %q; want %q", got, want)
	}
	if sessionOpen(b) {
		t.Error("the session is still open after Run returned")
	}
}

// A part that fails stops the others, and Run returns its error.
func TestABackgroundFailureStopsTheBot(t *testing.T) {
	fake := discordtest.New(t)
	logs := &syncBuffer{}
	b := gatewayBot(t, fake, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
		return commands.Reply{}, nil
	}), logs)
	boom := errors.New("the scheduler lost its store")
	b.AddBackground(func(context.Context) error { return boom })
	stopped := make(chan struct{})
	b.AddBackground(func(ctx context.Context) error { <-ctx.Done(); close(stopped); return nil })
	runErr := make(chan error, 1)
	go func() { runErr <- b.Run(t.Context()) }()
	select {
	case err := <-runErr:
		if !errors.Is(err, boom) {
			t.Errorf("Run: %v; want the background's error", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("Run did not return after a background failure:\n%s", logs.String())
	}
	select {
	case <-stopped:
	default:
		t.Error("Run returned while other background work was still running")
	}
	if sessionOpen(b) {
		t.Error("the session is still open after Run returned")
	}
}
