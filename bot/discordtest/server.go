package discordtest

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// DefaultBasePath is where the REST API is served, after the fake's URL.
	DefaultBasePath = "/api/v10"
	// DefaultGuildID is the guild that channels not otherwise known to the
	// fake belong to.
	DefaultGuildID = "1180000000000000100"

	botToken      = "discordtest-bot-token"
	applicationID = "1180000000000000001"
	botUsername   = "talkbot"
	// heartbeatInterval is the interval sent in HELLO, Discord's: discordgo
	// heartbeats at exactly that interval, no test waits for heartbeats, and
	// a short interval makes a discordgo race likely (see the package
	// documentation).
	heartbeatInterval = 41250 * time.Millisecond
	// nonceWindow is how long an enforced nonce deduplicates messages.
	// Discord documents only "the past few minutes".
	nonceWindow = 5 * time.Minute
)

// defaultLimit is the bucket every route gets unless SetRateLimit says
// otherwise: Discord's global limit, so a well-behaved bot never meets it in
// a test.
var defaultLimit = limitSpec{limit: 50, window: time.Second}

// Server is a running fake Discord. Its exported fields are read-only.
type Server struct {
	URL           string // http://127.0.0.1:PORT
	APIBase       string // URL + base path, e.g. http://127.0.0.1:PORT/api/v10
	Token         string // the bot token, without the "Bot " prefix
	ApplicationID string
	BotUserID     string // Discord gives a bot user the id of its application

	gatewayURL string // ws://127.0.0.1:PORT/gateway, which GET /gateway hands out
	t          testing.TB
	cfg        config
	srv        *httptest.Server
	spec       *spec
	wg         sync.WaitGroup // gateway connections, which httptest does not track once hijacked
	idGen      snowflakes

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced whenever recorded state changes
	closed     bool
	requests   []Request
	violations []string
	injections []*injection
	limits     map[string]limitSpec // by route, set with SetRateLimit
	buckets    map[string]*bucket   // by route and major parameters
	overrides  map[string]func(Request) (int, any)
	state      restState
	gw         gatewayState
}

type config struct {
	interactionDeadline time.Duration
	interactionTokenTTL time.Duration
}

// Option changes a default of New.
type Option func(*config)

// WithInteractionDeadline sets how long after an interaction was created its
// initial callback is accepted (Discord: 3s); later ones get 10062.
func WithInteractionDeadline(d time.Duration) Option {
	return func(c *config) { c.interactionDeadline = d }
}

// WithInteractionTokenLifetime sets how long an interaction token works for
// follow-ups and edits (Discord: 15 minutes).
func WithInteractionTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.interactionTokenTTL = d }
}

// New starts a fake Discord on 127.0.0.1:0. It stops when the test ends; a
// test that opens a discordgo session should register the session's Close
// with t.Cleanup after calling New, so that the session closes first.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{
		interactionDeadline: 3 * time.Second,
		interactionTokenTTL: 15 * time.Minute,
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	sp, err := loadSpec()
	if err != nil {
		t.Fatalf("discordtest: %v", err)
	}
	s := &Server{
		Token:         botToken,
		ApplicationID: applicationID,
		BotUserID:     applicationID,
		t:             t,
		cfg:           cfg,
		spec:          sp,
		changed:       make(chan struct{}),
		limits:        map[string]limitSpec{},
		buckets:       map[string]*bucket{},
		overrides:     map[string]func(Request) (int, any){},
		state:         newRESTState(),
		gw:            newGatewayState(),
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("discordtest: listening: %v", err)
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.Listener.Close()
	s.srv.Listener = l
	s.srv.Start()
	s.URL = s.srv.URL
	s.APIBase = s.URL + DefaultBasePath
	s.gatewayURL = "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway"
	t.Cleanup(s.close)
	return s
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/gateway" || r.URL.Path == "/gateway/":
		// discordgo appends "/" to the URL from GET /gateway before adding
		// its query, so both forms reach the gateway.
		s.serveGateway(w, r)
	case strings.HasPrefix(r.URL.Path, DefaultBasePath+"/"):
		s.serveREST(w, r)
	default:
		writeJSON(w, http.StatusNotFound, nil, notFoundBody)
	}
}

// close stops the server: gateway sockets first, since httptest no longer
// tracks them once upgraded, then the HTTP server.
func (s *Server) close() {
	s.mu.Lock()
	s.closed = true
	conns := s.gw.allConns()
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
	s.srv.Close()
	s.wg.Wait()
}

// notifyLocked wakes every waiter; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond, evaluated under s.mu, holds or ctx ends.
func (s *Server) waitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Request is one REST request as the fake received and answered it.
type Request struct {
	Method string
	Path   string // after the base path, e.g. "/channels/123/messages"
	Query  url.Values
	// Route is the templated route from Discord's OpenAPI description, e.g.
	// "PUT /applications/{application_id}/commands"; empty when the path is
	// not a Discord route.
	Route  string
	Params map[string]string // path parameters by template name
	Header http.Header
	// Body is the JSON body; for multipart/form-data it is the payload_json
	// part, and the files are in Files.
	Body   []byte
	Files  []File
	At     time.Time
	Status int // the status the fake answered
	// FromEndpoint marks an interaction's initial response that the bot
	// gave as the HTTP answer to PostInteraction, recorded as the callback
	// it stands for.
	FromEndpoint bool
	// Dropped marks a request that took effect but whose answer was lost
	// (DropNextReply): Status is what the client saw, 0 for no answer.
	Dropped bool
}

// File is one file part of a multipart/form-data request.
type File struct {
	Field       string // e.g. "files[0]"
	Filename    string
	ContentType string
	Data        []byte
}

// Requests returns every REST request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// WaitRequest returns the first request (received so far or later) for which
// match is true, waiting until one arrives or ctx ends.
func (s *Server) WaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	var found Request
	next := 0
	err := s.waitFor(ctx, func() bool {
		for ; next < len(s.requests); next++ {
			if match(s.requests[next]) {
				found = s.requests[next]
				return true
			}
		}
		return false
	})
	return found, err
}

// Violations returns every way a request broke Discord's OpenAPI description
// or documented rules, one line each, prefixed with the route. A test of
// the bot should end with none.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// Handle overrides the fake's answer for route, e.g.
// "POST /channels/{channel_id}/messages". Authentication, injected failures,
// rate limits and validation still come first; h's body is sent as JSON
// (nil sends none, []byte and json.RawMessage are sent as they are). A
// status of 0 leaves the request to the fake's own handler, so h can script
// some requests of a route (one channel's) and let the rest through; a nil h
// removes the override.
func (s *Server) Handle(route string, h func(r Request) (status int, body any)) {
	s.t.Helper()
	s.mustKnowRoute(route)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.overrides[route] = h
}

// mustKnowRoute fails the test when route names no Discord route, so that a
// typo in a test does not silently never match.
func (s *Server) mustKnowRoute(route string) {
	s.t.Helper()
	method, path, ok := strings.Cut(route, " ")
	if !ok || method != strings.ToUpper(method) || !s.spec.router.knows(path) {
		s.t.Fatalf("discordtest: %q is not a route of Discord's API (want e.g. \"POST /channels/{channel_id}/messages\")", route)
	}
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	s.notifyLocked()
}

func (s *Server) addViolations(route string, issues []issue) {
	if len(issues) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, is := range issues {
		line := route + ": " + is.String()
		s.violations = append(s.violations, line)
		s.t.Logf("discordtest: violation: %s", line)
	}
	s.notifyLocked()
}

// marshalData turns data into JSON, passing []byte and json.RawMessage
// through unchanged.
func marshalData(data any) (json.RawMessage, error) {
	switch d := data.(type) {
	case json.RawMessage:
		return d, nil
	case []byte:
		return d, nil
	}
	return json.Marshal(data)
}
