package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"talkbot/config"
)

// healthcheckTimeout bounds the whole check; an orchestrator runs it every
// few seconds and counts a slow answer as a failure anyway.
const healthcheckTimeout = 5 * time.Second

// healthcheck asks the talkbot running beside it (same HTTP_ADDR) whether
// it is ready, for container healthchecks: the distroless image has no curl
// or wget. It exits 0 when GET /readyz answers 200, else 1 with the reason.
func (e env) healthcheck(ctx context.Context, args []string) error {
	if _, err := e.flags("healthcheck", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := e.config(config.CmdHealthcheck)
	if err != nil {
		return err
	}
	addr := c.HTTPAddr
	url := readyzURL(addr)
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w (is talkbot running with HTTP_ADDR=%s?)", err, addr)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512))
	reason := strings.TrimSpace(string(body))
	if err != nil {
		reason = fmt.Sprintf("reading the answer: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: GET %s answered %s: %s", url, resp.Status, reason)
	}
	fmt.Fprintln(e.stdout, reason)
	return nil
}

// readyzURL is where the server listening on addr answers /readyz from the
// same host: a listener on every interface (":8080", "0.0.0.0:8080",
// "[::]:8080") is reached on the loopback address. addr is HTTP_ADDR as
// config accepted it: host (optional) and a port.
func readyzURL(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz"
}
