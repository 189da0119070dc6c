// Package webhook serves Discord's HTTP interactions endpoint: it verifies
// each request's Ed25519 signature before parsing anything in it, answers
// Discord's PINGs itself, and hands every other interaction to an Answerer
// (bot's dispatcher), whose first response becomes the HTTP response.
package webhook

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/metrics"
)

// Answerer answers interactions (bot.AnswererFunc around the dispatcher).
// It is declared here, where it is used: package bot wires this handler
// into its HTTP server, so an import back would be a cycle.
type Answerer interface {
	// Answer calls send exactly once with the initial response, then
	// finishes any follow-up before it returns; ctx bounds the follow-up.
	Answer(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error)
}

const (
	// MaxBodyBytes is the largest request body read. Interactions are a few
	// KiB; the limit only keeps a flood of large bodies from costing memory,
	// and it applies before the signature is checked because checking it
	// needs the whole body.
	MaxBodyBytes = 1 << 20

	// MaxClockSkew is how far X-Signature-Timestamp may be from now, either
	// way, so a captured request cannot be replayed later.
	MaxClockSkew = 5 * time.Minute

	// pongBody is the whole answer to a PING; writing it as a constant keeps
	// the most frequent health check free of encoding work.
	pongBody = `{"type":1}`

	// pooledBufferBytes is the largest body buffer kept for reuse: ordinary
	// interactions fit, and the odd large one does not pin a MiB forever.
	pooledBufferBytes = 64 << 10
)

// Option configures the handler built by New.
type Option func(*handler)

// WithClock sets the clock the signature timestamp is checked against.
func WithClock(now func() time.Time) Option {
	return func(h *handler) { h.now = now }
}

// WithLogger sets the logger; without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(h *handler) { h.log = l }
}

// WithMetrics records every request's result in m.
func WithMetrics(m *metrics.Metrics) Option {
	return func(h *handler) { h.metrics = m }
}

// WithBaseContext sets the context every Answer call runs under. Follow-up
// work outlives the HTTP request, so it cannot use the request's context;
// cancelling ctx (at shutdown) is what bounds it. The default never ends.
func WithBaseContext(ctx context.Context) Option {
	return func(h *handler) { h.baseCtx = ctx }
}

// WithWaitGroup adds one to wg for every Answer call and marks it done when
// the call returns, so that shutdown can wait for follow-up work: stop the
// HTTP server, cancel the base context, then wg.Wait().
func WithWaitGroup(wg *sync.WaitGroup) Option {
	return func(h *handler) { h.inFlight = wg }
}

type handler struct {
	key      ed25519.PublicKey
	answerer Answerer
	now      func() time.Time
	log      *slog.Logger
	metrics  *metrics.Metrics
	baseCtx  context.Context
	inFlight *sync.WaitGroup

	// bodies recycles the buffers that hold timestamp+body, so that a
	// request costs no allocation for its body.
	bodies sync.Pool
}

// New returns the handler for Discord's interactions endpoint, verifying
// requests with the application's publicKey and answering them with answer.
func New(publicKey ed25519.PublicKey, answer Answerer, opts ...Option) http.Handler {
	h := &handler{
		key:      publicKey,
		answerer: answer,
		now:      time.Now,
		log:      slog.New(slog.DiscardHandler),
		baseCtx:  context.Background(),
	}
	h.bodies.New = func() any {
		b := make([]byte, 0, 4<<10)
		return &b
	}
	for _, opt := range opts {
		opt(h)
	}
	if len(publicKey) != ed25519.PublicKeySize {
		// ed25519.Verify would panic on every request. Refusing them all
		// instead is safe, and loud: Discord will not accept the endpoint.
		h.log.Error("the application public key is not 32 bytes; every interaction request will be refused", "length", len(publicKey))
	}
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, metrics.WebhookMethodNotAllowed, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	// The headers are checked first: they are cheap, and a request without
	// a plausible signature is not worth reading.
	sig, timestamp, reason := h.signatureHeaders(r.Header)
	if reason != "" {
		h.reject(w, r, metrics.WebhookUnauthorized, http.StatusUnauthorized, reason)
		return
	}
	if r.ContentLength > MaxBodyBytes {
		h.reject(w, r, metrics.WebhookTooLarge, http.StatusRequestEntityTooLarge, "body too large")
		return
	}

	buf := h.bodies.Get().(*[]byte)
	defer h.recycle(buf)
	// The signed message is timestamp+body; reading the body right after
	// the timestamp in one buffer gives the message without a copy.
	msg, tooLarge, err := readBody(r.Body, append((*buf)[:0], timestamp...), r.ContentLength, MaxBodyBytes)
	*buf = msg
	switch {
	case tooLarge:
		h.reject(w, r, metrics.WebhookTooLarge, http.StatusRequestEntityTooLarge, "body too large")
		return
	case err != nil:
		h.reject(w, r, metrics.WebhookBadRequest, http.StatusBadRequest, "reading body failed")
		return
	}
	if len(h.key) != ed25519.PublicKeySize || !ed25519.Verify(h.key, msg, sig[:]) {
		h.reject(w, r, metrics.WebhookUnauthorized, http.StatusUnauthorized, "signature does not verify")
		return
	}

	body := msg[len(timestamp):]
	// A PING needs nothing but its type, so it skips the full decode, which
	// would cost more than everything else here except the signature.
	// isPing does not check syntax, so json.Valid confirms its yes; every
	// other body is checked by Unmarshal, which validates before decoding.
	if isPing(body) && json.Valid(body) {
		h.pong(w, r)
		return
	}
	in := new(discordgo.Interaction)
	if err := json.Unmarshal(body, in); err != nil {
		// Not errors.As(err, new(*json.SyntaxError)): discordgo decodes a
		// missing "data" as empty input, which is a SyntaxError too.
		reason := "body is not an interaction"
		if !json.Valid(body) {
			reason = "body is not JSON"
		}
		h.reject(w, r, metrics.WebhookBadRequest, http.StatusBadRequest, reason)
		return
	}
	if in.Type == discordgo.InteractionPing {
		h.pong(w, r) // a PING in a form isPing leaves to encoding/json
		return
	}
	h.dispatch(w, r, in)
}

func (h *handler) pong(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if _, err := io.WriteString(w, pongBody); err != nil {
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "writing PONG failed", slog.String("error", err.Error()))
	}
	h.metrics.ObserveWebhook(metrics.WebhookPong)
}

// reject answers a request that is not handed to the Answerer. The reason is
// logged; the body never is, since a rejected body is untrusted input.
func (h *handler) reject(w http.ResponseWriter, r *http.Request, result metrics.WebhookResult, status int, reason string) {
	h.metrics.ObserveWebhook(result)
	h.log.LogAttrs(r.Context(), slog.LevelDebug, "interaction request rejected",
		slog.Int("status", status), slog.String("reason", reason), slog.String("remote", r.RemoteAddr))
	http.Error(w, http.StatusText(status), status)
}

func (h *handler) recycle(buf *[]byte) {
	if cap(*buf) > pooledBufferBytes {
		return
	}
	*buf = (*buf)[:0]
	h.bodies.Put(buf)
}

// readBody appends r's content to buf, reading at most limit+1 bytes so that
// a body over limit is detected without being read. contentLength, when
// known, sizes buf once up front.
func readBody(r io.Reader, buf []byte, contentLength int64, limit int) (_ []byte, tooLarge bool, _ error) {
	start := len(buf)
	if contentLength > 0 && contentLength <= int64(limit) {
		// +1 leaves room for the read that reports EOF.
		buf = slices.Grow(buf, int(contentLength)+1)
	}
	end := start + limit + 1
	for {
		if len(buf) == end {
			return buf, true, nil
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), end)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, len(buf) == end, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
}
