package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/metrics"
	"talkbot/bot/webhook"
)

// Commands the driver sends the server on its stdin, one a line. End of
// input means stop, so the server never outlives the driver.
const (
	cmdStartProfile = "profile"
	cmdStopProfile  = "stop-profile"
)

// serve runs the endpoint as production wires it: the webhook handler with
// metrics, behind a ServeMux, on a plain net/http server. It prints the
// listening address on stdout and serves until stdin ends.
func serve(ctx context.Context, cfg config, stdin io.Reader, stdout io.Writer) error {
	key, err := hex.DecodeString(cfg.publicKey)
	if err != nil || len(key) != ed25519.PublicKeySize {
		return errors.New("-pubkey must be a hex Ed25519 public key")
	}
	// Deferred in this order so that on return the base context ends
	// first and the wait for follow-up work comes after it.
	var inFlight sync.WaitGroup
	defer inFlight.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	m := metrics.New()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// The same wiring as bot.Run: a ServeMux with /interactions and
	// /metrics on a plain http.Server. Only the Answerer differs, and PINGs
	// never reach it.
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("/interactions", webhook.New(ed25519.PublicKey(key), plainAnswerer{log}, webhook.WithLogger(log),
		webhook.WithMetrics(m), webhook.WithBaseContext(ctx), webhook.WithWaitGroup(&inFlight)))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if _, err := fmt.Fprintln(stdout, ln.Addr()); err != nil {
		return err
	}

	cmds := make(chan string)
	go func() {
		defer close(cmds)
		lines := bufio.NewScanner(stdin)
		for lines.Scan() {
			select {
			case cmds <- lines.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	var prof profile
	defer prof.stop()
	for {
		select {
		case err := <-served:
			return err
		case <-ctx.Done():
			return shutdown(srv)
		case cmd, ok := <-cmds:
			switch {
			case !ok:
				if err := prof.stop(); err != nil {
					return err
				}
				return shutdown(srv)
			case cmd == cmdStartProfile && cfg.cpuProfile != "":
				if err := prof.start(cfg.cpuProfile); err != nil {
					return err
				}
			case cmd == cmdStopProfile:
				if err := prof.stop(); err != nil {
					return err
				}
			}
		}
	}
}

// plainAnswerer answers anything that is not a PING with a short message, so
// a stray request is answered rather than failed.
type plainAnswerer struct{ log *slog.Logger }

func (a plainAnswerer) Answer(_ context.Context, _ *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
	if err := send(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "ok"},
	}); err != nil {
		a.log.Warn("sending a response failed", "error", err)
	}
}

func shutdown(srv *http.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// profile is a CPU profile being written to a file.
type profile struct{ f *os.File }

func (p *profile) start(path string) error {
	if p.f != nil {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	p.f = f
	return nil
}

// stop ends the profile, then closes its file: in the other order the
// profile's last records would be lost.
func (p *profile) stop() error {
	if p.f == nil {
		return nil
	}
	pprof.StopCPUProfile()
	err := p.f.Close()
	p.f = nil
	return err
}
