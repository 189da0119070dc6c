package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/metrics"
)

var (
	// ErrAlreadySent is returned by send when the initial response was
	// already sent: Discord accepts one per interaction.
	ErrAlreadySent = errors.New("webhook: initial response already sent")
	// ErrRequestGone is returned by send when the HTTP request it would
	// answer is over: the client went away, or the Answerer had returned
	// without responding and the request was answered with 500.
	ErrRequestGone = errors.New("webhook: the interaction request is no longer open")
)

// dispatch runs the Answerer in its own goroutine, under the base context,
// and returns as soon as the initial response is written: the Answerer
// keeps running for its follow-up work after the HTTP exchange is over.
func (h *handler) dispatch(w http.ResponseWriter, r *http.Request, in *discordgo.Interaction) {
	rp := &reply{w: w, sent: make(chan struct{})}
	returned := make(chan struct{})
	if h.inFlight != nil {
		h.inFlight.Add(1)
	}
	go func() {
		if h.inFlight != nil {
			defer h.inFlight.Done()
		}
		defer close(returned)
		// This goroutine is not under net/http's recovery: a panic here
		// would end the whole process.
		defer func() {
			if v := recover(); v != nil {
				h.log.LogAttrs(h.baseCtx, slog.LevelError, "answering an interaction panicked",
					slog.String("interaction", in.ID), slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			}
		}()
		h.answerer.Answer(h.baseCtx, in, rp.send)
	}()

	clientLeft := false
	select {
	case <-rp.sent:
		h.metrics.ObserveWebhook(metrics.WebhookAnswered)
		return
	case <-returned:
	case <-r.Context().Done():
		// The client (Discord gives up after 3 seconds) is gone; the
		// Answerer's later send must not touch the finished ResponseWriter.
		clientLeft = true
	}
	// send may have run just before Answer returned or the client left;
	// close tells, and keeps any later send off the ResponseWriter.
	if rp.close() {
		h.metrics.ObserveWebhook(metrics.WebhookAnswered)
		return
	}
	h.metrics.ObserveWebhook(metrics.WebhookUnanswered)
	if clientLeft {
		h.log.LogAttrs(r.Context(), slog.LevelWarn, "client left before the interaction was answered",
			slog.String("interaction", in.ID), slog.Int("type", int(in.Type)))
		return
	}
	h.log.LogAttrs(r.Context(), slog.LevelError, "answerer returned without responding",
		slog.String("interaction", in.ID), slog.Int("type", int(in.Type)))
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

// reply is the send function handed to the Answerer: it writes the initial
// response once, and only while ServeHTTP still owns the ResponseWriter.
type reply struct {
	w    http.ResponseWriter
	sent chan struct{} // closed once the response is written

	mu    sync.Mutex
	state replyState
}

type replyState uint8

const (
	replyOpen replyState = iota
	replySent
	replyClosed
)

func (rp *reply) send(resp *discordgo.InteractionResponse) error {
	if resp == nil {
		return errors.New("webhook: nil interaction response")
	}
	// Encoding first means a response that cannot be encoded leaves the
	// request open for a corrected one.
	body, err := json.Marshal(resp)
	if err != nil {
		return fmt.Errorf("encoding interaction response: %w", err)
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	switch rp.state {
	case replySent:
		return ErrAlreadySent
	case replyClosed:
		return ErrRequestGone
	}
	rp.state = replySent
	defer close(rp.sent)
	rp.w.Header().Set("Content-Type", "application/json")
	rp.w.WriteHeader(http.StatusOK)
	if _, err := rp.w.Write(body); err != nil {
		return fmt.Errorf("writing interaction response: %w", err)
	}
	return nil
}

// close takes the ResponseWriter back from send and reports whether the
// response had been sent.
func (rp *reply) close() (sent bool) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.state == replySent {
		return true
	}
	rp.state = replyClosed
	return false
}
