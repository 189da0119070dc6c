package feeds

import (
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// countingServer counts the requests that reach it: a refused address
// must never be reached at all.
func countingServer(t *testing.T, h http.HandlerFunc) (*atomicServer, string) {
	t.Helper()
	s := &atomicServer{}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	return s, srv.URL
}

type atomicServer struct{ hits atomic.Int32 }

func feedHandler(t *testing.T) http.HandlerFunc {
	return serveFixture(t, "atom.xml", "application/atom+xml")
}

func wantBlocked(t *testing.T, err error, addr string) {
	t.Helper()
	be, ok := errors.AsType[*BlockedAddressError](err)
	if !ok {
		t.Fatalf("err = %v, want a *BlockedAddressError", err)
	}
	if addr != "" && be.Addr != addr {
		t.Errorf("blocked %s, want %s", be.Addr, addr)
	}
	if !strings.Contains(err.Error(), "is not allowed") {
		t.Errorf("error %q does not say the address is not allowed", err)
	}
}

func TestClientRefusesLoopbackWithoutAllowPrivate(t *testing.T) {
	target, base := countingServer(t, feedHandler(t))
	port := base[strings.LastIndex(base, ":")+1:]
	client := NewClient(ClientOptions{})

	t.Run("an IP address", func(t *testing.T) {
		_, err := Fetch(t.Context(), client, base, Conditional{})
		wantBlocked(t, err, "127.0.0.1")
	})
	t.Run("a hostname that resolves to loopback is refused at connect", func(t *testing.T) {
		_, err := Fetch(t.Context(), client, "http://localhost:"+port+"/", Conditional{})
		wantBlocked(t, err, "")
	})
	t.Run("the IPv4-mapped IPv6 form", func(t *testing.T) {
		_, err := Fetch(t.Context(), client, "http://[::ffff:127.0.0.1]:"+port+"/", Conditional{})
		wantBlocked(t, err, "127.0.0.1")
	})
	if n := target.hits.Load(); n != 0 {
		t.Errorf("the refused server was reached %d times", n)
	}

	t.Run("the same server is reached with AllowPrivate", func(t *testing.T) {
		if _, err := Fetch(t.Context(), testClient(t), base, Conditional{}); err != nil {
			t.Fatal(err)
		}
		if target.hits.Load() != 1 {
			t.Errorf("not reached")
		}
	})
}

// publicStandIn is a client that refuses private addresses but treats the
// one server at allowed as if it were on the public internet, so a
// redirect from it to loopback can be tested on loopback.
func publicStandIn(t *testing.T, allowed string) *http.Client {
	t.Helper()
	u, err := url.Parse(allowed)
	if err != nil {
		t.Fatal(err)
	}
	ap := netip.MustParseAddrPort(u.Host)
	c := NewClient(ClientOptions{allowAddr: func(a netip.AddrPort) bool { return a == ap }})
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func TestClientChecksEveryRedirect(t *testing.T) {
	internal, internalURL := countingServer(t, feedHandler(t))
	port := internalURL[strings.LastIndex(internalURL, ":")+1:]
	redirects := map[string]string{
		"/ok":        "/feed",
		"/loopback":  internalURL + "/",
		"/localhost": "http://localhost:" + port + "/",
		"/mapped":    "http://[::ffff:127.0.0.1]:" + port + "/",
		"/ftp":       "ftp://example.org/feed.xml",
		"/file":      "file:///etc/passwd",
	}
	_, publicURL := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if to, ok := redirects[r.URL.Path]; ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		feedHandler(t)(w, r)
	})
	client := publicStandIn(t, publicURL)

	t.Run("a redirect to the stand-in itself is followed", func(t *testing.T) {
		if _, err := Fetch(t.Context(), client, publicURL+"/ok", Conditional{}); err != nil {
			t.Fatal(err)
		}
	})
	for _, path := range []string{"/loopback", "/localhost", "/mapped"} {
		t.Run("a redirect to loopback is refused at connect: "+path, func(t *testing.T) {
			_, err := Fetch(t.Context(), client, publicURL+path, Conditional{})
			wantBlocked(t, err, "")
		})
	}
	for _, path := range []string{"/ftp", "/file"} {
		t.Run("a redirect to another scheme is refused: "+path, func(t *testing.T) {
			_, err := Fetch(t.Context(), client, publicURL+path, Conditional{})
			if _, ok := errors.AsType[*SchemeError](err); !ok {
				t.Fatalf("err = %v, want a *SchemeError", err)
			}
		})
	}
	if n := internal.hits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
}

func TestFetchRefusesSchemesOtherThanHTTP(t *testing.T) {
	for _, u := range []string{"ftp://example.org/feed.xml", "file:///etc/passwd", "gopher://example.org/1", "javascript:alert(1)", "example.org/feed.xml"} {
		_, err := Fetch(t.Context(), NewClient(ClientOptions{}), u, Conditional{})
		se, ok := errors.AsType[*SchemeError](err)
		if !ok {
			t.Errorf("%s: err = %v, want a *SchemeError", u, err)
			continue
		}
		if !strings.Contains(se.Error(), "http:// and https://") {
			t.Errorf("%s: %q does not say what would work", u, se)
		}
	}
	if _, err := Fetch(t.Context(), NewClient(ClientOptions{}), "http:///feed", Conditional{}); err == nil {
		t.Errorf("a URL without a host was fetched")
	}
}

func TestClientFollowsAtMostFiveRedirects(t *testing.T) {
	_, base := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		if err != nil || n == 0 {
			feedHandler(t)(w, r)
			return
		}
		http.Redirect(w, r, "/r/"+strconv.Itoa(n-1), http.StatusFound)
	})
	client := testClient(t)
	if _, err := Fetch(t.Context(), client, base+"/r/5", Conditional{}); err != nil {
		t.Errorf("5 redirects: %v", err)
	}
	_, err := Fetch(t.Context(), client, base+"/r/6", Conditional{})
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("6 redirects: err = %v, want ErrTooManyRedirects", err)
	}
}

func TestClientIgnoresProxiesFromTheEnvironment(t *testing.T) {
	// A proxy would be the address connected to, so the check at connect
	// time would judge the proxy instead of the feed's host.
	c := NewClient(ClientOptions{})
	tr, ok := c.Transport.(*userAgentTransport)
	if !ok {
		t.Fatalf("transport is %T", c.Transport)
	}
	if base, ok := tr.base.(*http.Transport); !ok || base.Proxy != nil {
		t.Errorf("the transport uses a proxy function")
	}
}

func TestBlockedReason(t *testing.T) {
	blocked := map[string]string{
		"127.0.0.1":         "loopback",
		"127.255.0.9":       "loopback",
		"::1":               "loopback",
		"10.0.0.1":          "private",
		"172.16.5.4":        "private",
		"172.31.255.255":    "private",
		"192.168.1.1":       "private",
		"fc00::1":           "private",
		"fd12:3456::1":      "private",
		"169.254.169.254":   "link-local",
		"fe80::1":           "link-local",
		"224.0.0.1":         "multicast",
		"239.255.255.250":   "multicast",
		"ff02::1":           "multicast",
		"0.0.0.0":           "unspecified",
		"::":                "unspecified",
		"100.64.0.1":        "carrier-grade NAT",
		"100.127.255.254":   "carrier-grade NAT",
		"::ffff:10.0.0.1":   "private",
		"::ffff:127.0.0.1":  "loopback",
		"::ffff:100.64.0.1": "carrier-grade NAT",
		"64:ff9b::a00:1":    "private", // NAT64 of 10.0.0.1
		"0.1.2.3":           "reserved",
		"198.18.0.1":        "reserved",
		"255.255.255.255":   "reserved",
	}
	for addr, want := range blocked {
		if got := blockedReason(netip.MustParseAddr(addr)); got != want {
			t.Errorf("%s: %q, want %q", addr, got, want)
		}
	}
	for _, addr := range []string{"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.32.0.1", "2606:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8"} {
		if got := blockedReason(netip.MustParseAddr(addr)); got != "" {
			t.Errorf("%s is public, got %q", addr, got)
		}
	}
}

func TestCheckDial(t *testing.T) {
	if err := checkDial(ClientOptions{AllowPrivate: true}, "tcp", "127.0.0.1:80"); err != nil {
		t.Errorf("AllowPrivate: %v", err)
	}
	if err := checkDial(ClientOptions{}, "tcp6", "[2606:4700::1111]:443"); err != nil {
		t.Errorf("a public address: %v", err)
	}
	if err := checkDial(ClientOptions{AllowPrivate: true}, "udp", "8.8.8.8:53"); err == nil {
		t.Errorf("udp was allowed")
	}
	if err := checkDial(ClientOptions{}, "tcp", "nonsense"); err == nil {
		t.Errorf("an unreadable address was allowed")
	}
}

func TestUserAgent(t *testing.T) {
	tests := []struct {
		o    ClientOptions
		want string
	}{
		{ClientOptions{Version: "v1.4.0", Contact: "https://talkbot.example.org"}, "talkbot/v1.4.0 (+https://talkbot.example.org)"},
		{ClientOptions{Version: "v1.4.0"}, "talkbot/v1.4.0"},
		{ClientOptions{}, "talkbot/dev"},
	}
	for _, tc := range tests {
		if got := tc.o.UserAgent(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.o, got, tc.want)
		}
	}
}
