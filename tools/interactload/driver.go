package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// pong is what the endpoint must answer to every PING.
const pong = `{"type":1}`

// drive starts the server child, loads it, and prints the report.
func drive(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	srv, err := startServer(ctx, cfg, pub, stderr)
	if err != nil {
		return err
	}
	defer srv.stop()

	requests, verifyMsg, verifySig := signedPings(priv, srv.addr, cfg.bodies)

	conns := make([]*client, cfg.conns)
	for i := range conns {
		c, err := dial(srv.addr)
		if err != nil {
			return err
		}
		defer c.conn.Close()
		conns[i] = c
	}

	if cfg.warmup > 0 {
		if _, err := load(ctx, conns, requests, cfg.warmup, cfg.maxRequests, false); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	if err := srv.command(cmdStartProfile); err != nil {
		return err
	}
	cpuBefore, err := processCPU(srv.pid())
	if err != nil {
		return err
	}
	res, err := load(ctx, conns, requests, cfg.duration, cfg.maxRequests, true)
	if err != nil {
		return err
	}
	cpuAfter, err := processCPU(srv.pid())
	if err != nil {
		return err
	}
	if err := srv.command(cmdStopProfile); err != nil {
		return err
	}
	if err := srv.stop(); err != nil {
		return fmt.Errorf("server: %w", err)
	}

	// Measured once the server has exited, so that neither it nor the load
	// generator competes with the measurement for the CPU.
	verify := medianVerify(pub, verifyMsg, verifySig, cfg.verifyRuns)

	n := len(res.latencies)
	if n == 0 {
		return errors.New("no request completed")
	}
	slices.Sort(res.latencies)
	cpu := cpuAfter.sub(cpuBefore)
	perRequest := func(d time.Duration) float64 { return micros(d) / float64(n) }
	cpuPerRequest := cpu.total() / time.Duration(n)
	fmt.Fprintf(stdout, "requests         %d over %v on %d connections\n", n, res.elapsed.Round(time.Millisecond), cfg.conns)
	fmt.Fprintf(stdout, "req/s            %.0f\n", float64(n)/res.elapsed.Seconds())
	fmt.Fprintf(stdout, "latency          p50 %v  p99 %v\n", percentile(res.latencies, 50), percentile(res.latencies, 99))
	fmt.Fprintf(stdout, "server CPU       %.1f µs/request (user %.1f + sys %.1f; %v in all)\n",
		perRequest(cpu.total()), perRequest(cpu.user), perRequest(cpu.sys), cpu.total())
	fmt.Fprintf(stdout, "ed25519.Verify   %.1f µs (median of %d batches)\n", micros(verify), cfg.verifyRuns)
	fmt.Fprintf(stdout, "verify share     %.1f %% of server CPU\n", 100*float64(verify)/float64(cpuPerRequest))
	return nil
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// percentile returns the p-th percentile of sorted latencies (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)].Round(time.Microsecond)
}

// server is the child process running the endpoint.
type server struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
	once  sync.Once
	err   error
}

func startServer(ctx context.Context, cfg config, pub ed25519.PublicKey, stderr io.Writer) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-serve", "-pubkey", hex.EncodeToString(pub)}
	if cfg.cpuProfile != "" {
		args = append(args, "-cpuprofile", cfg.cpuProfile)
	}
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, stdin: stdin}
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("reading the server's address: %w", err)
	}
	s.addr = strings.TrimSpace(addr)
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) command(cmd string) error {
	_, err := io.WriteString(s.stdin, cmd+"\n")
	return err
}

// stop closes the server's stdin, which tells it to shut down, and waits.
func (s *server) stop() error {
	s.once.Do(func() {
		s.stdin.Close()
		s.err = s.cmd.Wait()
	})
	return s.err
}

// signedPings builds n raw HTTP requests, each a PING with its own id,
// signed now, and returns one signed message for the bare Verify figure.
func signedPings(priv ed25519.PrivateKey, addr string, n int) (requests [][]byte, msg, sig []byte) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	requests = make([][]byte, n)
	for i := range requests {
		// The shape of Discord's own PING.
		body := fmt.Sprintf(`{"application_id":"1240000000000000000","entitlements":[],"id":"%d","token":"aW50ZXJhY3Rpb246%016d","type":1,"user":{"avatar":"c6a831b4b2e4d1e1a6b9c4f9b5d6e7f8","avatar_decoration_data":null,"discriminator":"0","global_name":"Discord","id":"643945264868098049","public_flags":1,"system":true,"username":"discord"},"version":1}`,
			1250000000000000000+i, i)
		msg = append([]byte(ts), body...)
		sig = ed25519.Sign(priv, msg)
		var b bytes.Buffer
		fmt.Fprintf(&b, "POST /interactions HTTP/1.1\r\nHost: %s\r\nUser-Agent: Discord-Interactions/1.0 (+https://discord.com)\r\nContent-Type: application/json\r\nContent-Length: %d\r\nX-Signature-Ed25519: %x\r\nX-Signature-Timestamp: %s\r\n\r\n%s",
			addr, len(body), sig, ts, body)
		requests[i] = b.Bytes()
	}
	return requests, msg, sig
}

// client is one keep-alive connection. Requests are written raw and
// responses parsed by net/http, which keeps the generator cheap and leaves
// the CPU to the server.
type client struct {
	conn net.Conn
	r    *bufio.Reader
}

func dial(addr string) (*client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &client{conn: conn, r: bufio.NewReader(conn)}, nil
}

// ping sends one signed PING and checks that the answer is a PONG. buf
// receives the body; it is larger than any correct answer.
func (c *client) ping(req, buf []byte) error {
	if _, err := c.conn.Write(req); err != nil {
		return err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// Reading to EOF also leaves the connection ready for the next request.
	n, err := io.ReadFull(resp.Body, buf)
	switch {
	case err == nil:
		return fmt.Errorf("response body longer than %d bytes", len(buf))
	case !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		return err
	case resp.StatusCode != http.StatusOK || string(buf[:n]) != pong:
		return fmt.Errorf("answer %d %q, want 200 %s", resp.StatusCode, buf[:n], pong)
	}
	return nil
}

type loadResult struct {
	latencies []time.Duration
	elapsed   time.Duration
}

// load runs every connection for d (or until maxRequests in total),
// recording each request's latency when record is set.
func load(ctx context.Context, conns []*client, requests [][]byte, d time.Duration, maxRequests int, record bool) (loadResult, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		issued    atomic.Int64
		wg        sync.WaitGroup
		mu        sync.Mutex
		firstErr  error
		latencies = make([][]time.Duration, len(conns))
	)
	// fail keeps the first error and stops every connection: figures from
	// a run with failed requests mean nothing.
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	start := time.Now()
	for w, c := range conns {
		wg.Go(func() {
			// A server that stops answering must not hang the driver.
			if err := c.conn.SetDeadline(start.Add(d + 5*time.Second)); err != nil {
				fail(err)
				return
			}
			var lat []time.Duration
			if record {
				lat = make([]time.Duration, 0, 1<<14)
			}
			buf := make([]byte, 64)
			// Each connection walks the bodies from its own offset, so
			// concurrent requests carry different bodies.
			for i := w * len(requests) / len(conns); ctx.Err() == nil && issued.Add(1) <= int64(maxRequests); i++ {
				t0 := time.Now()
				if err := c.ping(requests[i%len(requests)], buf); err != nil {
					fail(err)
					return
				}
				if record {
					lat = append(lat, time.Since(t0))
				}
			}
			latencies[w] = lat
		})
	}
	wg.Wait()
	return loadResult{elapsed: time.Since(start), latencies: slices.Concat(latencies...)}, firstErr
}
