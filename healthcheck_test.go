package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"talkbot/bot/discordtest"
)

func TestReadyzURL(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{":8080", "http://127.0.0.1:8080/readyz"},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/readyz"},
		{"[::]:8080", "http://[::1]:8080/readyz"},
		{"127.0.0.1:8081", "http://127.0.0.1:8081/readyz"},
		{"[::1]:8080", "http://[::1]:8080/readyz"},
		{"talkbot:8080", "http://talkbot:8080/readyz"},
	} {
		if got := readyzURL(tc.addr); got != tc.want {
			t.Errorf("readyzURL(%q) = %q; want %q", tc.addr, got, tc.want)
		}
	}
}

// healthcheck exits 0 only on a 200 from /readyz, and otherwise says why.
func TestHealthcheckAnswers(t *testing.T) {
	serve := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/readyz" || r.Method != http.MethodGet {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(status)
			w.Write([]byte(body + "\n"))
		}))
		t.Cleanup(srv.Close)
		_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		return ":" + port // as in the image: every interface, reached on loopback
	}
	for _, tc := range []struct {
		name, addr string
		code       int
		stdout     string
		stderr     []string
	}{
		{"a ready server", serve(200, "ready"), 0, "ready\n", nil},
		{"a server whose store is unreachable", serve(503, "store unreachable"), 1, "", []string{"503", "store unreachable"}},
		{"nothing listening", freeAddr(t), 1, "", []string{"not ready", "/readyz", "HTTP_ADDR="}},
		{"a bad HTTP_ADDR", "8080", 1, "", []string{"HTTP_ADDR", `"8080" is not a listen address`, ":8080"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := talkbot(t, map[string]string{"HTTP_ADDR": tc.addr}, "", "healthcheck")
			if r.code != tc.code || r.stdout != tc.stdout {
				t.Errorf("healthcheck: exit %d, stdout %q; want exit %d, stdout %q (stderr %q)", r.code, r.stdout, tc.code, tc.stdout, r.stderr)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("healthcheck stderr %q; want it to mention %q", r.stderr, want)
				}
			}
		})
	}
	if r := talkbot(t, nil, "", "healthcheck", "extra"); r.code != 2 || !strings.Contains(r.stderr, "usage: talkbot healthcheck") {
		t.Errorf("healthcheck extra: exit %d, stderr %q; want 2 and the usage", r.code, r.stderr)
	}
}

// Against the real program: ready once it runs, not ready once it stopped.
func TestHealthcheckAgainstTheRunningBot(t *testing.T) {
	bot := startBot(t, discordtest.New(t), nil)
	vars := map[string]string{"HTTP_ADDR": bot.addr}
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := talkbot(t, vars, "", "healthcheck")
		if r.code == 0 && r.stdout == "ready\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("healthcheck on a running bot: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := bot.stop(); err != nil {
		t.Fatal(err)
	}
	if r := talkbot(t, vars, "", "healthcheck"); r.code != 1 || !strings.Contains(r.stderr, "not ready") {
		t.Errorf("healthcheck on a stopped bot: exit %d, stderr %q; want 1 and not ready", r.code, r.stderr)
	}
}
