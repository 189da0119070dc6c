package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"talkbot/store"
	"talkbot/store/backend"
)

// This file runs the real binary: built once per test, started with
// `talkbot run` as a child process, killed with SIGKILL and started again
// on the same database, so that what survives a crash is what the store
// and Discord hold, not what a goroutine remembers.

// buildTalkbot builds the program into the test's temporary directory
// with the go command on PATH (a link from a warm cache takes a second).
func buildTalkbot(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "talkbot")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// childEnv is the environment of a child process: PATH and vars only, so
// that nothing of the developer's environment (or a .env file, as the
// child runs in an empty directory) leaks in.
func childEnv(vars map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// botProcess is `talkbot run` as a child process, started and killed as
// often as a test likes, with every start's output in one log file.
type botProcess struct {
	t       *testing.T
	bin     string
	dir     string
	env     map[string]string
	logPath string

	starts  int
	cmd     *exec.Cmd
	exited  chan error
	addr    string    // HTTP_ADDR of the running process
	logFrom int64     // where the running process's lines begin in the log
	started time.Time // when the running process answered /healthz
}

func newBotProcess(t *testing.T, bin string, env map[string]string) *botProcess {
	t.Helper()
	dir := t.TempDir()
	p := &botProcess{t: t, bin: bin, dir: dir, env: env, logPath: filepath.Join(dir, "talkbot.log")}
	t.Cleanup(func() {
		if p.cmd != nil {
			p.kill()
		}
	})
	return p
}

// start starts the program and waits until its HTTP server answers.
func (p *botProcess) start() {
	t := p.t
	t.Helper()
	if p.cmd != nil {
		t.Fatal("talkbot run is already running")
	}
	p.starts++
	f, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // the child has its own descriptor
	if st, err := f.Stat(); err == nil {
		p.logFrom = st.Size()
	}
	fmt.Fprintf(f, "=== test: start %d at %s ===\n", p.starts, time.Now().Format(time.RFC3339Nano))
	p.addr = freeAddr(t)
	env := map[string]string{"HTTP_ADDR": p.addr}
	for k, v := range p.env {
		env[k] = v
	}
	cmd := exec.Command(p.bin, "run")
	cmd.Dir = p.dir
	cmd.Env = childEnv(env)
	cmd.Stdout, cmd.Stderr = f, f
	dieWithTest(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting talkbot run: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	p.cmd, p.exited = cmd, exited

	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			p.started = time.Now()
			return
		}
		select {
		case werr := <-exited:
			p.cmd = nil
			t.Fatalf("talkbot run (start %d) exited before serving HTTP: %v\n%s", p.starts, werr, p.logTail())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("talkbot run (start %d) did not serve HTTP within 20 s: %v\n%s", p.starts, err, p.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL: no deferred function, no shutdown,
// whatever it was doing is cut off.
func (p *botProcess) kill() {
	p.t.Helper()
	if p.cmd == nil {
		p.t.Fatal("talkbot run is not running")
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.t.Errorf("SIGKILL: %v", err)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		p.t.Errorf("talkbot run (pid %d) still runs 10 s after SIGKILL", p.cmd.Process.Pid)
	}
	p.cmd = nil
	p.note("killed with SIGKILL")
}

// stop ends the process as a service manager does (SIGTERM) and wants a
// clean exit within 15 s.
func (p *botProcess) stop() {
	p.t.Helper()
	if p.cmd == nil {
		p.t.Fatal("talkbot run is not running")
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Errorf("SIGTERM: %v", err)
	}
	select {
	case err := <-p.exited:
		if err != nil {
			p.t.Errorf("talkbot run exited with %v after SIGTERM\n%s", err, p.logTail())
		}
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
		p.t.Errorf("talkbot run did not stop within 15 s of SIGTERM\n%s", p.logTail())
	}
	p.cmd = nil
	p.note("stopped with SIGTERM")
}

// note writes a line of the test's own into the log, between the
// program's lines.
func (p *botProcess) note(msg string) {
	f, err := os.OpenFile(p.logPath, os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "=== test: %s at %s ===\n", msg, time.Now().Format(time.RFC3339Nano))
}

func (p *botProcess) readLog(from int64) string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	if from > int64(len(b)) {
		from = int64(len(b))
	}
	return string(b[from:])
}

// currentLog is what the running (or last) process wrote.
func (p *botProcess) currentLog() string { return p.readLog(p.logFrom) }

// logTail is the end of the log of every start, for failure messages.
func (p *botProcess) logTail() string {
	const keep = 24 << 10
	all := p.readLog(0)
	if len(all) > keep {
		all = "…" + all[len(all)-keep:]
	}
	return fmt.Sprintf("--- %s (%d starts) ---\n%s", p.logPath, p.starts, all)
}

// waitLog waits until the running process has logged a line holding every
// one of parts, and says whether it did before timeout.
func (p *botProcess) waitLog(timeout time.Duration, parts ...string) bool {
	deadline := time.Now().Add(timeout)
	for {
		sc := bufio.NewScanner(strings.NewReader(p.currentLog()))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if containsAll(sc.Text(), parts) {
				return true
			}
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func containsAll(s string, parts []string) bool {
	for _, part := range parts {
		if !strings.Contains(s, part) {
			return false
		}
	}
	return true
}

// metric reads one sample of the running process's /metrics, by its full
// name with labels, e.g. talkbot_deliveries_total{kind="reminder",result="sent"};
// 0 when the sample is not there (a counter never incremented).
func (p *botProcess) metric(sample string) float64 {
	p.t.Helper()
	resp, err := http.Get("http://" + p.addr + "/metrics")
	if err != nil {
		p.t.Fatalf("/metrics: %v", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				p.t.Fatalf("/metrics: %s: %v", sc.Text(), err)
			}
			return f
		}
	}
	return 0
}

// waitMetric waits until a sample reaches want and returns its last value.
func (p *botProcess) waitMetric(sample string, want float64, timeout time.Duration) float64 {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		v := p.metric(sample)
		if v >= want || time.Now().After(deadline) {
			return v
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// openStoreAt opens the store a DATABASE_URL names, as the program does.
// A SQLite store is opened only while no process runs on it.
func openStoreAt(t *testing.T, databaseURL string) store.Store {
	t.Helper()
	s, err := backend.Open(t.Context(), databaseURL, time.Now)
	if err != nil {
		t.Fatalf("opening %s: %v", databaseURL, err)
	}
	return s
}

// holdingProxy stands between the program and the fake Discord for REST
// (the fake's GET /gateway still sends the gateway to the fake itself). It
// passes every request on; the first request that hold matches is passed
// on too, so Discord acts on it, but its answer is kept from the program
// until release: the program dies not knowing what Discord did.
type holdingProxy struct {
	URL string

	target string
	hold   func(*http.Request) bool
	client *http.Client

	once    sync.Once
	held    chan struct{} // closed once the held request's answer is in
	release chan struct{}
	closeR  sync.Once
}

func newHoldingProxy(t *testing.T, target string, hold func(*http.Request) bool) *holdingProxy {
	t.Helper()
	p := &holdingProxy{target: target, hold: hold, client: &http.Client{},
		held: make(chan struct{}), release: make(chan struct{})}
	srv := httptest.NewServer(p)
	t.Cleanup(func() {
		p.Release()
		srv.Close()
	})
	p.URL = srv.URL
	return p
}

// Release lets the held request's handler go on; the program that sent it
// gets no answer (its connection is closed).
func (p *holdingProxy) Release() { p.closeR.Do(func() { close(p.release) }) }

func (p *holdingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out, err := http.NewRequestWithContext(context.WithoutCancel(r.Context()), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	out.Header.Del("Connection")
	resp, err := p.client.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	holding := false
	if p.hold(r) {
		p.once.Do(func() { holding = true })
	}
	if holding {
		close(p.held)
		<-p.release
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
			}
		}
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)
}
