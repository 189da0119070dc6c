package ratelimit

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestTheCeilingHoldsAcrossConcurrentRequests(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: New(http.DefaultTransport, 100)}
	start := time.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				resp, err := client.Get(srv.URL + "/api/v10/channels/1/messages")
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	// 80 requests at 100/s with a burst of 10 need at least 0.7 s.
	if took := time.Since(start); took < 650*time.Millisecond {
		t.Errorf("80 requests took %v; the ceiling of 100/s allows no less than 0.7 s", took)
	}
	if n.Load() != 80 {
		t.Errorf("the server saw %d requests; want 80", n.Load())
	}
}

func TestInteractionCallbacksDoNotWait(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: New(http.DefaultTransport, 1)}
	start := time.Now()
	for range 5 {
		resp, err := client.Post(srv.URL+"/api/v10/interactions/1/tok/callback", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("5 callbacks took %v at a ceiling of 1/s (at least 4 s if they waited); callbacks are exempt", took)
	}
}
