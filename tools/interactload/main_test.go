package main

import (
	"bufio"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestPercentileIsNearestRank(t *testing.T) {
	sorted := make([]time.Duration, 100)
	for i := range sorted {
		sorted[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name string
		p    int
		want time.Duration
	}{
		{"the median of 1..100 ms is 50 ms", 50, 50 * time.Millisecond},
		{"p99 of 1..100 ms is 99 ms", 99, 99 * time.Millisecond},
		{"p100 is the maximum", 100, 100 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(sorted, tc.p); got != tc.want {
				t.Errorf("percentile(1..100ms, %d) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
	if got := percentile([]time.Duration{7 * time.Millisecond}, 99); got != 7*time.Millisecond {
		t.Errorf("p99 of one sample = %v, want that sample", got)
	}
}

func TestProcessCPUGrowsWithWork(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	before, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("1748779200{\"type\":1}")
	sig := ed25519.Sign(priv, msg)
	// About 50 ms of CPU, five clock ticks.
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
		ed25519.Verify(pub, msg, sig)
	}
	after, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if after.total() <= before.total() {
		t.Errorf("CPU time went from %v to %v over 50 ms of work", before.total(), after.total())
	}
}

// The server mode and the load generator, in one process: every signed
// PING is answered with a PONG, and closing stdin stops the server.
func TestServerAnswersSignedPings(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	served := make(chan error, 1)
	go func() {
		served <- serve(t.Context(), config{publicKey: hex.EncodeToString(pub)}, stdinR, stdoutW)
	}()
	addr, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	addr = strings.TrimSpace(addr)

	requests, _, _ := signedPings(priv, addr, 8)
	conns := make([]*client, 2)
	for i := range conns {
		if conns[i], err = dial(addr); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conns[i].conn.Close() })
	}
	res, err := load(t.Context(), conns, requests, 200*time.Millisecond, 1000, true)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(res.latencies) == 0 {
		t.Fatal("no request completed")
	}

	stdinW.Close()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("server: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop when its stdin closed")
	}
}
