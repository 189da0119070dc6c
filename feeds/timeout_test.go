package feeds

import (
	"net/http"
	"testing"
	"time"
)

// The production client (no Timeout given) cuts a request at 10 s: the
// whole request, and each of its stages on their own. Inspected rather
// than waited for; TestFetchTimesOutOnASlowServer shows, with a short
// timeout, that the same settings do cut a slow server.
func TestTheDefaultClientCutsARequestAt10Seconds(t *testing.T) {
	if DefaultTimeout != 10*time.Second {
		t.Fatalf("DefaultTimeout = %v; the issue asks for 10 s", DefaultTimeout)
	}
	for _, o := range []ClientOptions{{}, {Version: "1.0.0", AllowPrivate: true}} {
		c := NewClient(o)
		if c.Timeout != DefaultTimeout {
			t.Errorf("NewClient(%+v).Timeout = %v; want %v", o, c.Timeout, DefaultTimeout)
		}
		ua, ok := c.Transport.(*userAgentTransport)
		if !ok {
			t.Fatalf("the client's transport is %T; want *userAgentTransport", c.Transport)
		}
		tr, ok := ua.base.(*http.Transport)
		if !ok {
			t.Fatalf("the base transport is %T; want *http.Transport", ua.base)
		}
		if tr.ResponseHeaderTimeout != DefaultTimeout || tr.TLSHandshakeTimeout != DefaultTimeout {
			t.Errorf("headers wait %v, TLS handshake %v; want both %v", tr.ResponseHeaderTimeout, tr.TLSHandshakeTimeout, DefaultTimeout)
		}
	}
	if c := NewClient(ClientOptions{Timeout: 3 * time.Second}); c.Timeout != 3*time.Second {
		t.Errorf("a client asked for 3 s has Timeout %v", c.Timeout)
	}
}
