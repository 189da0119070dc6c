package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// scrape fetches the exposition text from m's handler, the way Prometheus
// does.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("GET /metrics: Content-Type %q, want the text format", ct)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// assertSeries fails unless every want line appears verbatim in the scrape.
func assertSeries(t *testing.T, exposition string, want ...string) {
	t.Helper()
	lines := make(map[string]bool)
	for line := range strings.Lines(exposition) {
		lines[strings.TrimSuffix(line, "\n")] = true
	}
	for _, w := range want {
		if !lines[w] {
			t.Errorf("scrape lacks %q", w)
		}
	}
}

func TestScrapeShowsWhatWasObserved(t *testing.T) {
	m := New()
	m.ObserveInteraction("talks", OutcomeOK, 300*time.Microsecond)
	m.ObserveInteraction("talks", OutcomeOK, 2*time.Millisecond)
	m.ObserveInteraction("talks", OutcomeUserError, 4*time.Second)
	m.ObserveInteraction("remind", OutcomePanic, time.Millisecond)
	m.GatewayReconnected()
	m.GatewayReconnected()
	m.ObserveWebhook(WebhookPong)
	m.ObserveWebhook(WebhookUnauthorized)
	m.ObserveWebhook(WebhookUnauthorized)

	rest := &http.Client{Transport: m.RESTTransport(statusTransport(http.StatusTooManyRequests))}
	for range 3 {
		get(t, rest, "https://discord.com/api/v9/channels/123456789012345678/messages/223456789012345678")
	}

	assertSeries(t, scrape(t, m),
		`talkbot_interactions_total{command="talks",outcome="ok"} 2`,
		`talkbot_interactions_total{command="talks",outcome="user_error"} 1`,
		`talkbot_interactions_total{command="remind",outcome="panic"} 1`,
		`talkbot_handler_seconds_count{command="talks"} 3`,
		`talkbot_handler_seconds_sum{command="talks"} 4.0023`,
		`talkbot_handler_seconds_bucket{command="talks",le="0.0005"} 1`,
		`talkbot_handler_seconds_bucket{command="talks",le="0.0025"} 2`,
		`talkbot_handler_seconds_bucket{command="talks",le="3"} 2`,
		`talkbot_handler_seconds_bucket{command="talks",le="5"} 3`,
		`talkbot_handler_seconds_bucket{command="talks",le="+Inf"} 3`,
		`talkbot_gateway_reconnects_total 2`,
		`talkbot_rest_requests_total{route="/api/v9/channels/{id}/messages/{id}",status="429"} 3`,
		`talkbot_webhook_requests_total{result="pong"} 1`,
		`talkbot_webhook_requests_total{result="unauthorized"} 2`,
		// Results not seen yet are exported as zero, so a rate() over
		// them works from the first scrape.
		`talkbot_webhook_requests_total{result="too_large"} 0`,
		`talkbot_webhook_requests_total{result="answered"} 0`,
		`talkbot_webhook_requests_total{result="bad_request"} 0`,
	)
}

func TestEachMetricsHasItsOwnRegistry(t *testing.T) {
	a, b := New(), New()
	a.GatewayReconnected()
	assertSeries(t, scrape(t, a), `talkbot_gateway_reconnects_total 1`)
	assertSeries(t, scrape(t, b), `talkbot_gateway_reconnects_total 0`)
}

func TestNilMetricsRecordsNothing(t *testing.T) {
	var m *Metrics
	m.ObserveInteraction("talks", OutcomeOK, time.Second)
	m.ObserveWebhook(WebhookPong)
	m.GatewayReconnected()
	next := statusTransport(http.StatusOK)
	if got := m.RESTTransport(next); got != http.RoundTripper(next) {
		t.Errorf("nil Metrics wrapped the transport: %T", got)
	}
}

// statusTransport answers every request with its status, without a network.
type statusTransport int

func (s statusTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: int(s),
		Body:       io.NopCloser(strings.NewReader("")),
		Request:    req,
	}, nil
}

func get(t *testing.T, c *http.Client, url string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
