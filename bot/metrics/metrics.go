// Package metrics owns talkbot's Prometheus metrics: one registry per
// Metrics value (never the global default one, so tests and several bots in
// one process do not collide), typed methods to record events, and the
// /metrics handler that exposes them.
//
// Every metric follows one pattern: a field on Metrics, created and
// registered in New, recorded through a typed method that does nothing on a
// nil *Metrics. Later metrics (reminders delivered, late, dropped) are one
// more field, one more registration and one more method.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes of an interaction, the outcome label of talkbot_interactions_total.
const (
	OutcomeOK            = "ok"
	OutcomeUserError     = "user_error"
	OutcomeInternalError = "internal_error"
	OutcomePanic         = "panic"
	// OutcomeTooSlow is an autocomplete that missed its budget and was
	// answered with no choices (it cannot be deferred), or a form that
	// came after the deferral (too_slow_deferred): the caller is asked to
	// try again, since a form must be the first response.
	OutcomeTooSlow = "too_slow"
)

// DeferredSuffix follows the outcome of an interaction whose handler ran
// past its budget, so it was deferred and finished later ("ok_deferred").
const DeferredSuffix = "_deferred"

// WebhookResult is what the HTTP interactions endpoint did with one request,
// the result label of talkbot_webhook_requests_total. It is a closed set so
// the endpoint can record a result without a label lookup per request.
type WebhookResult uint8

// The results of the HTTP interactions endpoint.
const (
	WebhookPong             WebhookResult = iota // a signed PING, answered with PONG
	WebhookAnswered                              // the Answerer sent the initial response
	WebhookUnanswered                            // the Answerer returned without responding (500)
	WebhookUnauthorized                          // missing, malformed or wrong signature, or stale timestamp (401)
	WebhookTooLarge                              // body over the limit (413)
	WebhookBadRequest                            // signed, but unreadable or not an interaction (400)
	WebhookMethodNotAllowed                      // not a POST (405)
	webhookResultCount
)

// String returns the label value of r.
func (r WebhookResult) String() string {
	switch r {
	case WebhookPong:
		return "pong"
	case WebhookAnswered:
		return "answered"
	case WebhookUnanswered:
		return "unanswered"
	case WebhookUnauthorized:
		return "unauthorized"
	case WebhookTooLarge:
		return "too_large"
	case WebhookBadRequest:
		return "bad_request"
	case WebhookMethodNotAllowed:
		return "method_not_allowed"
	}
	return "unknown"
}

// Metrics records talkbot's metrics into its own registry.
// A nil *Metrics is valid and records nothing, so code under test can run
// without one.
type Metrics struct {
	registry *prometheus.Registry

	interactions      *prometheus.CounterVec
	handlerSeconds    *prometheus.HistogramVec
	restRequests      *prometheus.CounterVec
	gatewayReconnects prometheus.Counter
	deliveries        *prometheus.CounterVec
	deliveryLateness  *prometheus.HistogramVec
	// webhook holds one counter per result, resolved once in New: the
	// endpoint's hot path then increments an atomic without hashing labels.
	webhook [webhookResultCount]prometheus.Counter
}

// New creates the metrics and registers them, together with the Go runtime
// and process collectors, in a fresh registry.
func New() *Metrics {
	// The handler buckets span a cache hit (100 µs) to well past Discord's
	// 3-second deadline for the first response; 3 is a bucket of its own so
	// the share of answers that came too late can be read off directly.
	handlerBuckets := []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10}
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "talkbot_interactions_total",
			Help: "Interactions answered, by command and outcome.",
		}, []string{"command", "outcome"}),
		handlerSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "talkbot_handler_seconds",
			Help:    "Time spent answering an interaction, by command.",
			Buckets: handlerBuckets,
		}, []string{"command"}),
		restRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "talkbot_rest_requests_total",
			Help: "Discord REST requests made, by templated route and HTTP status (\"error\" when no response arrived).",
		}, []string{"route", "status"}),
		gatewayReconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "talkbot_gateway_reconnects_total",
			Help: "Gateway connections re-established after the first.",
		}),
	}
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talkbot_deliveries_total",
		Help: "Scheduled posts (reminders, updates, digests) by kind and result: sent, late, dropped, refused, retry, error.",
	}, []string{"kind", "result"})
	m.deliveryLateness = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "talkbot_delivery_lateness_seconds",
		Help:    "How long after its due time a scheduled post was sent.",
		Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600},
	}, []string{"kind"})
	webhook := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talkbot_webhook_requests_total",
		Help: "Requests to the HTTP interactions endpoint, by result.",
	}, []string{"result"})
	for r := range webhookResultCount {
		m.webhook[r] = webhook.WithLabelValues(r.String())
	}
	m.registry.MustRegister(
		m.interactions,
		m.handlerSeconds,
		m.restRequests,
		m.gatewayReconnects,
		m.deliveries,
		m.deliveryLateness,
		webhook,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Handler serves the registry in the Prometheus exposition format, for
// GET /metrics. On a nil *Metrics it answers 404: there is nothing to serve.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// ObserveInteraction records one answered interaction: its command, its
// outcome (an Outcome constant, with DeferredSuffix after it if the
// answer was deferred) and how long answering took.
func (m *Metrics) ObserveInteraction(command, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.interactions.WithLabelValues(command, outcome).Inc()
	m.handlerSeconds.WithLabelValues(command).Observe(d.Seconds())
}

// ObserveWebhook records what the HTTP interactions endpoint did with one
// request.
func (m *Metrics) ObserveWebhook(r WebhookResult) {
	if m == nil || r >= webhookResultCount {
		return
	}
	m.webhook[r].Inc()
}

// GatewayReconnected records that the gateway connection was re-established.
func (m *Metrics) GatewayReconnected() {
	if m == nil {
		return
	}
	m.gatewayReconnects.Inc()
}

// ObserveDelivery counts a scheduled post's result; a sent one's lateness
// (time after its due time) goes into the histogram.
func (m *Metrics) ObserveDelivery(kind, result string, lateness time.Duration) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues(kind, result).Inc()
	if result == "sent" || result == "late" {
		m.deliveryLateness.WithLabelValues(kind).Observe(max(lateness, 0).Seconds())
	}
}
