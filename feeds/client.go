package feeds

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// DefaultTimeout is how long one request (connect, headers and body) may
// take before it is abandoned.
const DefaultTimeout = 10 * time.Second

// MaxRedirects is how many redirects one fetch follows.
const MaxRedirects = 5

// ClientOptions configure NewClient.
type ClientOptions struct {
	// Version is talkbot's version, named in the User-Agent.
	Version string
	// Contact is where a feed's owner can learn what talkbot is: PUBLIC_URL,
	// or the repository's address. Named in the User-Agent.
	Contact string
	// AllowPrivate lets the client reach loopback, private and link-local
	// addresses (FEEDS_ALLOW_PRIVATE=true): for tests and for feeds on the
	// operator's own network, never for a bot open to strangers.
	AllowPrivate bool
	// Timeout caps one request; zero means DefaultTimeout.
	Timeout time.Duration

	// allowAddr, set only by this package's tests, lets one exact address
	// through the check so a loopback server can stand in for a public one.
	allowAddr func(netip.AddrPort) bool
}

// UserAgent is the User-Agent header the client sends, e.g.
// "talkbot/1.4.0 (+https://talkbot.example.org)".
func (o ClientOptions) UserAgent() string {
	version := o.Version
	if version == "" {
		version = "dev"
	}
	if o.Contact == "" {
		return "talkbot/" + version
	}
	return "talkbot/" + version + " (+" + o.Contact + ")"
}

// NewClient returns an HTTP client for fetching feeds whose URLs come from
// users. The address check runs in the dialer's Control hook, on the
// address actually being connected to, for the first request and every
// redirect: checking a hostname's DNS answer before the request would let
// a second, different answer (DNS rebinding) reach an internal address.
// Proxies from the environment are ignored, since a proxy would make the
// connected address the proxy's, not the feed's.
func NewClient(o ClientOptions) *http.Client {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	dialer := &net.Dialer{
		Timeout: timeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			return checkDial(o, network, address)
		},
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Transport: &userAgentTransport{base: transport, userAgent: o.UserAgent()},
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return ErrTooManyRedirects
			}
			return checkScheme(req.URL.Scheme)
		},
	}
}

// userAgentTransport names talkbot on every request, redirects included.
type userAgentTransport struct {
	base      http.RoundTripper
	userAgent string
}

func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", t.userAgent)
	return t.base.RoundTrip(req)
}

func checkDial(o ClientOptions, network, address string) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return fmt.Errorf("feeds: network %q is not allowed", network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("feeds: connecting to %q: %w", address, err)
	}
	if o.AllowPrivate || (o.allowAddr != nil && o.allowAddr(ap)) {
		return nil
	}
	if reason := blockedReason(ap.Addr()); reason != "" {
		return &BlockedAddressError{Addr: ap.Addr().Unmap().String(), Reason: reason}
	}
	return nil
}

// Ranges that are neither loopback, private, link-local, multicast nor
// unspecified by netip's methods, but are not on the public internet either.
var (
	sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10") // CGNAT, RFC 6598
	thisNetwork        = netip.MustParsePrefix("0.0.0.0/8")
	protocolAssignment = netip.MustParsePrefix("192.0.0.0/24")
	benchmarking       = netip.MustParsePrefix("198.18.0.0/15")
	reservedIPv4       = netip.MustParsePrefix("240.0.0.0/4") // with the broadcast address
	nat64              = netip.MustParsePrefix("64:ff9b::/96")
)

// blockedReason says why a feed may not be fetched from addr, or "" when
// it may. IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms
// are judged by the IPv4 address inside them.
func blockedReason(addr netip.Addr) string {
	addr = addr.Unmap()
	if nat64.Contains(addr) {
		b := addr.As16()
		addr = netip.AddrFrom4([4]byte(b[12:]))
	}
	switch {
	case !addr.IsValid():
		return "not an address"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast():
		return "link-local"
	case addr.IsMulticast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	case sharedAddressSpace.Contains(addr):
		return "carrier-grade NAT"
	case thisNetwork.Contains(addr), protocolAssignment.Contains(addr),
		benchmarking.Contains(addr), reservedIPv4.Contains(addr):
		return "reserved"
	}
	return ""
}
