// Command interactload measures talkbot's HTTP interactions endpoint under
// load: signed PINGs over keep-alive connections on loopback, sent by this
// process to a copy of itself that runs the real webhook handler, so the
// server's CPU time can be read apart from the load generator's.
//
// It reports throughput, latency, the server's CPU time per request, and
// one bare ed25519.Verify of the same message: the endpoint should spend
// most of its CPU verifying signatures, not in its own plumbing.
//
//	go run ./tools/interactload -d 10s -c 16
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "interactload:", err)
		os.Exit(1)
	}
}

// config is every flag of both modes.
type config struct {
	serve      bool
	publicKey  string
	cpuProfile string

	duration    time.Duration
	warmup      time.Duration
	conns       int
	bodies      int
	maxRequests int
	verifyRuns  int
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("interactload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&cfg.serve, "serve", false, "run as the server child (started by the driver itself)")
	fs.StringVar(&cfg.publicKey, "pubkey", "", "server mode: the application public key, hex")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write the server's CPU profile of the measured phase to `file`")
	fs.DurationVar(&cfg.duration, "d", 10*time.Second, "how long to measure")
	fs.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "load before measuring, not counted")
	fs.IntVar(&cfg.conns, "c", 16, "keep-alive connections")
	fs.IntVar(&cfg.bodies, "n", 1024, "distinct pre-signed PING bodies")
	fs.IntVar(&cfg.maxRequests, "max", 5_000_000, "stop measuring after this many requests")
	fs.IntVar(&cfg.verifyRuns, "verify-runs", 401, "timed batches of bare ed25519.Verify (the median is reported)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.serve {
		return serve(ctx, cfg, stdin, stdout)
	}
	switch {
	case cfg.conns < 1:
		return errors.New("-c must be at least 1")
	case cfg.bodies < 1:
		return errors.New("-n must be at least 1")
	case cfg.duration <= 0 || cfg.duration > 10*time.Minute:
		return errors.New("-d must be between 0 and 10m")
	case cfg.warmup < 0 || cfg.warmup > time.Minute:
		return errors.New("-warmup must be between 0 and 1m")
	case cfg.maxRequests < 1:
		return errors.New("-max must be at least 1")
	case cfg.verifyRuns < 1:
		return errors.New("-verify-runs must be at least 1")
	}
	return drive(ctx, cfg, stdout, stderr)
}
