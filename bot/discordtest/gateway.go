package discordtest

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway opcodes.
const (
	opDispatch                = 0
	opHeartbeat               = 1
	opIdentify                = 2
	opPresenceUpdate          = 3
	opVoiceStateUpdate        = 4
	opResume                  = 6
	opReconnect               = 7
	opRequestGuildMembers     = 8
	opInvalidSession          = 9
	opHello                   = 10
	opHeartbeatACK            = 11
	opRequestSoundboardSounds = 31
)

// privilegedIntents are GUILD_MEMBERS, GUILD_PRESENCES and MESSAGE_CONTENT.
// The fake's app has switched none of them on, as an app must ask Discord
// to, so IDENTIFY asking for one is closed with 4014.
const privilegedIntents = 1<<1 | 1<<8 | 1<<15

// compressAtLeast is the size from which a dispatch is sent compressed to a
// client that asked for payload compression. Discord compresses "some"
// payloads, the large ones; READY is always compressed here so that a
// client's decompression is exercised on every connection.
const compressAtLeast = 1024

// writeTimeout bounds every write to a gateway socket, so that a client that
// stopped reading cannot block the fake.
const writeTimeout = 5 * time.Second

// errNoConnection is returned by the methods that act on the live gateway
// connection when there is none.
var errNoConnection = errors.New("discordtest: no live gateway connection")

// gatewayState is what the gateway remembers; guarded by Server.mu.
type gatewayState struct {
	sessions    map[string]*gwSession
	current     *gwSession // the session Dispatch sends to
	live        *gwConn    // the connection that got READY or RESUMED last
	conns       map[*gwConn]bool
	identifies  []json.RawMessage
	resumes     []json.RawMessage
	connections int
}

func newGatewayState() gatewayState {
	return gatewayState{sessions: map[string]*gwSession{}, conns: map[*gwConn]bool{}}
}

func (g *gatewayState) allConns() []*gwConn {
	var out []*gwConn
	for c := range g.conns {
		out = append(out, c)
	}
	return out
}

// gwSession is a gateway session: its sequence and every dispatch sent in
// it, which a RESUME replays from.
type gwSession struct {
	id     string
	seq    int64
	events []gwEvent
}

type gwEvent struct {
	seq  int64
	name string
	data json.RawMessage
}

// gwConn is one websocket connection.
type gwConn struct {
	ws       *websocket.Conn
	wmu      sync.Mutex // gorilla allows one writer at a time
	version  int        // the v= the client dialled with
	compress bool       // IDENTIFY asked for payload compression
	session  *gwSession // set by IDENTIFY or RESUME; guarded by Server.mu
	beats    int        // heartbeats received; guarded by Server.mu
}

type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

func (c *gwConn) send(op int, d any) error {
	data, err := marshalData(d)
	if err != nil {
		return err
	}
	msg, err := json.Marshal(payload{Op: op, D: data})
	if err != nil {
		return err
	}
	return c.write(websocket.TextMessage, msg)
}

func (c *gwConn) write(kind int, msg []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.ws.WriteMessage(kind, msg)
}

func (c *gwConn) sendDispatch(e gwEvent) error {
	msg, err := json.Marshal(payload{Op: opDispatch, D: e.data, S: &e.seq, T: &e.name})
	if err != nil {
		return err
	}
	if !c.compress || (e.name != "READY" && len(msg) < compressAtLeast) {
		return c.write(websocket.TextMessage, msg)
	}
	// Payload compression: each payload is its own zlib stream, in a binary
	// frame.
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(msg); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return c.write(websocket.BinaryMessage, buf.Bytes())
}

// closeWith ends the connection with a gateway close code.
func (c *gwConn) closeWith(code int, text string) {
	c.wmu.Lock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(writeTimeout))
	c.wmu.Unlock()
	c.ws.Close()
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the client
	}
	c := &gwConn{ws: ws, version: 10}
	if v, err := strconv.Atoi(r.URL.Query().Get("v")); err == nil {
		c.version = v
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.wg.Add(1)
	defer s.wg.Done()
	s.gw.conns[c] = true
	s.gw.connections++
	s.notifyLocked()
	s.mu.Unlock()
	defer s.endConn(c)

	q := r.URL.Query()
	if enc := q.Get("encoding"); enc != "" && enc != "json" {
		c.closeWith(4002, "discordtest speaks only the JSON encoding")
		return
	}
	if q.Get("compress") != "" {
		c.closeWith(4000, "discordtest does not implement transport compression")
		return
	}
	hello := map[string]any{"heartbeat_interval": heartbeatInterval.Milliseconds(), "_trace": []string{"discordtest"}}
	if err := c.send(opHello, hello); err != nil {
		return
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			s.connClosed(c, err)
			return
		}
		if !s.onPayload(c, data) {
			return
		}
	}
}

// endConn forgets a connection whose read loop has ended.
func (s *Server) endConn(c *gwConn) {
	s.mu.Lock()
	delete(s.gw.conns, c)
	if s.gw.live == c {
		s.gw.live = nil
	}
	s.notifyLocked()
	s.mu.Unlock()
	c.ws.Close()
}

// connClosed handles a client's close: "When you close the connection to
// the gateway with close code 1000 or 1001, your session will be
// invalidated"; any other close, or none, leaves it resumable.
func (s *Server) connClosed(c *gwConn, err error) {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || (ce.Code != websocket.CloseNormalClosure && ce.Code != websocket.CloseGoingAway) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.session != nil {
		s.invalidateLocked(c.session)
	}
}

func (s *Server) invalidateLocked(sess *gwSession) {
	delete(s.gw.sessions, sess.id)
	if s.gw.current == sess {
		s.gw.current = nil
	}
}

// onPayload handles one client payload and tells whether to keep reading.
func (s *Server) onPayload(c *gwConn, data []byte) bool {
	var p payload
	if err := json.Unmarshal(data, &p); err != nil {
		c.closeWith(4002, "Error while decoding payload.")
		return false
	}
	switch p.Op {
	case opHeartbeat:
		s.mu.Lock()
		c.beats++
		s.notifyLocked()
		s.mu.Unlock()
		return c.send(opHeartbeatACK, nil) == nil
	case opIdentify:
		return s.identify(c, p.D)
	case opResume:
		return s.resume(c, p.D)
	case opPresenceUpdate, opVoiceStateUpdate, opRequestGuildMembers, opRequestSoundboardSounds:
		s.mu.Lock()
		authed := c.session != nil
		s.mu.Unlock()
		if !authed {
			c.closeWith(4003, "Not authenticated.")
		}
		return authed
	default:
		c.closeWith(4001, "Unknown opcode.")
		return false
	}
}

func (s *Server) identify(c *gwConn, d json.RawMessage) bool {
	var id struct {
		Token    string  `json:"token"`
		Intents  *int64  `json:"intents"`
		Compress bool    `json:"compress"`
		Shard    *[2]int `json:"shard"`
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.identifies = append(s.gw.identifies, bytes.Clone(d))
	s.notifyLocked()
	if err := json.Unmarshal(d, &id); err != nil {
		c.closeWith(4002, "Error while decoding payload.")
		return false
	}
	// Discord takes the token with or without "Bot "; discordgo sends it
	// with.
	if strings.TrimPrefix(id.Token, "Bot ") != botToken {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	if c.session != nil {
		c.closeWith(4005, "Already authenticated.")
		return false
	}
	if id.Intents == nil || *id.Intents < 0 {
		c.closeWith(4013, "Invalid intent(s).")
		return false
	}
	if *id.Intents&privilegedIntents != 0 {
		c.closeWith(4014, "Disallowed intent(s).")
		return false
	}
	if sh := id.Shard; sh != nil && (sh[1] < 1 || sh[0] < 0 || sh[0] >= sh[1]) {
		c.closeWith(4010, "Invalid shard.")
		return false
	}
	sess := &gwSession{id: randomHex()}
	s.gw.sessions[sess.id] = sess
	s.gw.current = sess
	c.session, c.compress = sess, id.Compress
	ready := map[string]any{
		"v":                       c.version,
		"user":                    s.botUser(),
		"guilds":                  []any{},
		"session_id":              sess.id,
		"session_type":            "normal",
		"resume_gateway_url":      s.gatewayURL,
		"application":             map[string]any{"id": s.ApplicationID, "flags": appFlags},
		"private_channels":        []any{},
		"relationships":           []any{},
		"presences":               []any{},
		"guild_join_requests":     []any{},
		"geo_ordered_rtc_regions": []any{},
		"_trace":                  []string{"discordtest"},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	if err := s.dispatchLocked(sess, c, "READY", ready); err != nil {
		return false
	}
	s.gw.live = c
	return true
}

func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var rp struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.resumes = append(s.gw.resumes, bytes.Clone(d))
	s.notifyLocked()
	if err := json.Unmarshal(d, &rp); err != nil {
		c.closeWith(4002, "Error while decoding payload.")
		return false
	}
	if strings.TrimPrefix(rp.Token, "Bot ") != botToken {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	if c.session != nil {
		c.closeWith(4005, "Already authenticated.")
		return false
	}
	sess := s.gw.sessions[rp.SessionID]
	if sess == nil {
		// "It's possible your app won't reconnect in time to Resume, in
		// which case it will receive an Invalid Session (opcode 9) event."
		return c.send(opInvalidSession, false) == nil
	}
	if rp.Seq > sess.seq {
		c.closeWith(4007, "Invalid seq.")
		return false
	}
	if old := s.gw.live; old != nil && old != c {
		old.ws.Close() // a resumed session lives on one connection
	}
	c.session = sess
	s.gw.current = sess
	// "the Gateway will send the missed events in order, finishing with a
	// Resumed event"
	for _, e := range sess.events {
		if e.seq > rp.Seq && e.name != "READY" && e.name != "RESUMED" {
			if err := c.sendDispatch(e); err != nil {
				return false
			}
		}
	}
	// RESUMED carries a sequence number, as on Discord; discordgo stores the
	// s of every dispatch, so a null one would reset it to 0.
	if err := s.dispatchLocked(sess, c, "RESUMED", map[string]any{"_trace": []string{"discordtest"}}); err != nil {
		return false
	}
	s.gw.live = c
	return true
}

// dispatchLocked numbers an event in sess, logs it for resumes, and sends it
// on c when c is not nil. s.mu must be held, which also keeps the events of
// a session in sequence order on the wire.
func (s *Server) dispatchLocked(sess *gwSession, c *gwConn, name string, data any) error {
	raw, err := marshalData(data)
	if err != nil {
		return err
	}
	sess.seq++
	e := gwEvent{seq: sess.seq, name: name, data: raw}
	sess.events = append(sess.events, e)
	s.notifyLocked()
	if c == nil {
		return nil
	}
	return c.sendDispatch(e)
}

func randomHex() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// WaitReady blocks until a gateway connection is live and settled: the
// client has identified and been sent READY, or resumed and been sent
// RESUMED, and has heartbeated on it since. discordgo heartbeats as soon as
// Open returns; a RECONNECT or a drop before that first heartbeat makes
// discordgo v0.29 close its new connection again and resume twice, so tests
// should WaitReady before disturbing the gateway.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.waitFor(ctx, func() bool { return s.gw.live != nil && s.gw.live.beats > 0 })
}

// Dispatch sends an event (op 0, the session's next sequence number) to the
// live connection, e.g. Dispatch("INTERACTION_CREATE", interaction). While
// the connection is down the event waits in the session's log, and the
// client gets it when it resumes. An INTERACTION_CREATE is also tracked, so
// its callback and webhook routes work (see TrackInteraction). It fails when
// no session exists: none identified yet, or the last was invalidated.
func (s *Server) Dispatch(event string, data any) error {
	raw, err := marshalData(data)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.gw.current
	if sess == nil {
		return errors.New("discordtest: no gateway session to dispatch to")
	}
	if event == "INTERACTION_CREATE" {
		if err := s.trackInteractionLocked(raw, time.Now()); err != nil {
			return err
		}
	}
	var c *gwConn
	if s.gw.live != nil && s.gw.live.session == sess {
		c = s.gw.live
	}
	if err := s.dispatchLocked(sess, c, event, raw); err != nil {
		// The event is in the session's log: a resume will deliver it.
		s.t.Logf("discordtest: sending %s: %v", event, err)
	}
	return nil
}

// DropConnection closes the live gateway connection's socket abruptly, with
// no close frame, as a network failure would. The session stays resumable,
// so the client should reconnect and RESUME.
func (s *Server) DropConnection() error {
	s.mu.Lock()
	c := s.gw.live
	s.gw.live = nil
	s.notifyLocked()
	s.mu.Unlock()
	if c == nil {
		return errNoConnection
	}
	return c.ws.Close()
}

// SendReconnect sends op 7 RECONNECT on the live connection; the client
// should reconnect and resume. Dispatches until then wait for the resume.
func (s *Server) SendReconnect() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.gw.live
	if c == nil {
		return errNoConnection
	}
	s.gw.live = nil
	s.notifyLocked()
	return c.send(opReconnect, nil)
}

// SendInvalidSession sends op 9 INVALID_SESSION with d = resumable on the
// live connection. A session that is not resumable is forgotten: the client
// has to IDENTIFY again (discordgo does so on the same connection, which the
// fake allows), and Dispatch fails until it has.
func (s *Server) SendInvalidSession(resumable bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.gw.live
	if c == nil {
		return errNoConnection
	}
	if !resumable {
		s.invalidateLocked(c.session)
	}
	c.session = nil
	s.gw.live = nil
	s.notifyLocked()
	return c.send(opInvalidSession, resumable)
}

// Identifies returns the d of every IDENTIFY received, oldest first.
func (s *Server) Identifies() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.gw.identifies...)
}

// Resumes returns the d of every RESUME received, oldest first.
func (s *Server) Resumes() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.gw.resumes...)
}

// Connections returns how many gateway connections the fake has accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.connections
}
