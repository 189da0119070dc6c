package webhook

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/bwmarrin/discordgo"
)

// waitFor fails the test if ch is not closed within a generous bound, so a
// bug shows as a failure rather than a hung test run.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting until %s", what)
	}
}

type ctxKey struct{}

func TestFollowUpWorkOutlivesTheRequest(t *testing.T) {
	// A bubble, so that "Wait has not returned" is checked once every
	// goroutine is blocked rather than after a guessed delay.
	synctest.Test(t, func(t *testing.T) {
		pub, priv := testKey(t, 1)
		base, cancelBase := context.WithCancel(context.WithValue(t.Context(), ctxKey{}, "base"))
		t.Cleanup(cancelBase)

		sent := make(chan struct{})
		release := make(chan struct{})
		t.Cleanup(func() {
			select {
			case <-release:
			default:
				close(release) // a failure must not leave the Answerer blocked
			}
		})
		finished := make(chan struct{})
		var followUpCtxValue any
		var followUpErr error
		answerer := answerFunc(func(ctx context.Context, _ *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
			defer close(finished)
			if err := send(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
				t.Errorf("send: %v", err)
			}
			close(sent)
			// The follow-up: edit the deferred reply once the slow work is done,
			// or give up when the bot shuts down.
			<-release
			<-ctx.Done()
			followUpCtxValue, followUpErr = ctx.Value(ctxKey{}), ctx.Err()
		})
		var inFlight sync.WaitGroup
		h := New(pub, answerer, WithClock(testNow), WithBaseContext(base), WithWaitGroup(&inFlight))

		rec := serve(h, signedRequest(t, priv, testNow(), readTestdata(t, "command.json")))

		if rec.Code != http.StatusOK || rec.Body.String() != `{"type":5}` {
			t.Fatalf("response %d %q, want 200 with the deferral", rec.Code, rec.Body)
		}
		select {
		case <-finished:
			t.Fatal("the Answerer had finished before ServeHTTP returned; follow-up work must run after the response")
		default:
		}
		waitFor(t, sent, "the response was sent")

		waited := make(chan struct{})
		go func() {
			inFlight.Wait()
			close(waited)
		}()
		synctest.Wait()
		select {
		case <-waited:
			t.Fatal("the wait group's Wait returned while the follow-up was still running")
		default:
		}

		close(release)
		cancelBase()
		waitFor(t, finished, "the follow-up observed the base context ending")
		waitFor(t, waited, "the wait group's Wait returned after the follow-up")
		if followUpCtxValue != "base" {
			t.Errorf("the follow-up ran under a context without the base context's value (%v)", followUpCtxValue)
		}
		if !errors.Is(followUpErr, context.Canceled) {
			t.Errorf("follow-up context error %v, want context.Canceled from the base context", followUpErr)
		}
	})
}

func TestSendingTwiceFails(t *testing.T) {
	pub, priv := testKey(t, 1)
	secondErr := make(chan error, 1)
	h := New(pub, answerFunc(func(_ context.Context, _ *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
		if err := send(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
			t.Errorf("first send: %v", err)
		}
		secondErr <- send(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource})
	}), WithClock(testNow))

	rec := serve(h, signedRequest(t, priv, testNow(), readTestdata(t, "command.json")))

	if rec.Code != http.StatusOK || rec.Body.String() != `{"type":5}` {
		t.Errorf("response %d %q, want the first response only", rec.Code, rec.Body)
	}
	if err := <-secondErr; !errors.Is(err, ErrAlreadySent) {
		t.Errorf("second send returned %v, want ErrAlreadySent", err)
	}
}

func TestAnAnswererThatDoesNotRespondGets500(t *testing.T) {
	tests := []struct {
		name     string
		answerer answerFunc
	}{
		{"an Answerer that returns without sending yields 500", func(context.Context, *discordgo.Interaction, func(*discordgo.InteractionResponse) error) {}},
		{"an Answerer that panics yields 500 and the process survives", func(context.Context, *discordgo.Interaction, func(*discordgo.InteractionResponse) error) {
			panic("boom")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pub, priv := testKey(t, 1)
			h := New(pub, tc.answerer, WithClock(testNow))
			if rec := serve(h, signedRequest(t, priv, testNow(), readTestdata(t, "command.json"))); rec.Code != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", rec.Code)
			}
		})
	}
}

func TestAResponseThatCannotBeEncodedLeavesTheRequestOpen(t *testing.T) {
	pub, priv := testKey(t, 1)
	errs := make(chan error, 2)
	h := New(pub, answerFunc(func(_ context.Context, _ *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
		errs <- send(nil)
		errs <- send(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	}), WithClock(testNow))

	rec := serve(h, signedRequest(t, priv, testNow(), readTestdata(t, "command.json")))

	if err := <-errs; err == nil {
		t.Error("send(nil) succeeded")
	}
	if err := <-errs; err != nil {
		t.Errorf("send after a failed send: %v", err)
	}
	if rec.Code != http.StatusOK || rec.Body.String() != `{"type":5}` {
		t.Errorf("response %d %q, want the second, valid response", rec.Code, rec.Body)
	}
}

func TestAClientThatLeavesDoesNotHoldTheHandler(t *testing.T) {
	pub, priv := testKey(t, 1)
	called := make(chan struct{})
	release := make(chan struct{})
	lateSend := make(chan error, 1)
	answerer := answerFunc(func(_ context.Context, _ *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
		close(called)
		<-release
		lateSend <- send(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	})
	h := New(pub, answerer, WithClock(testNow))
	returned := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})

	signed := signedRequest(t, priv, testNow(), readTestdata(t, "command.json"))
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, bytes.NewReader(readTestdata(t, "command.json")))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = signed.Header
	clientDone := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		clientDone <- err
	}()

	waitFor(t, called, "the Answerer was called")
	cancel()
	if err := <-clientDone; err == nil {
		t.Error("the cancelled request got a response")
	}
	waitFor(t, returned, "ServeHTTP returned after the client left")

	close(release)
	if err := <-lateSend; !errors.Is(err, ErrRequestGone) {
		t.Errorf("send after the client left returned %v, want ErrRequestGone", err)
	}
}
