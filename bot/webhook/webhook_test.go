package webhook

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/metrics"
)

// testNow is the fixed clock every test request is signed at and checked
// against.
func testNow() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// testKey returns a deterministic key pair, so fuzz inputs stay reproducible.
func testKey(t testing.TB, seedByte byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seedByte}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

// signedRequest builds a POST /interactions signed the way Discord signs.
func signedRequest(t testing.TB, priv ed25519.PrivateKey, at time.Time, body []byte) *http.Request {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := ed25519.Sign(priv, append([]byte(ts), body...))
	req := httptest.NewRequest(http.MethodPost, "/interactions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signatureHeader, hex.EncodeToString(sig))
	req.Header.Set(timestampHeader, ts)
	return req
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// answerFunc adapts a function to Answerer, as bot.AnswererFunc does
// (package bot imports this one, so its tests cannot import bot).
type answerFunc func(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error)

func (f answerFunc) Answer(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
	f(ctx, i, send)
}

// recordingAnswerer records every interaction it is given and answers with
// reply (nothing when reply is nil).
type recordingAnswerer struct {
	reply *discordgo.InteractionResponse

	mu    sync.Mutex
	calls []*discordgo.Interaction
}

func (a *recordingAnswerer) Answer(_ context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
	a.mu.Lock()
	a.calls = append(a.calls, i)
	a.mu.Unlock()
	if a.reply != nil {
		if err := send(a.reply); err != nil {
			panic(err) // surfaces as a 500 and a failed test
		}
	}
}

func (a *recordingAnswerer) interactions() []*discordgo.Interaction {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*discordgo.Interaction(nil), a.calls...)
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestSignedPingIsAnsweredWithPong(t *testing.T) {
	pub, priv := testKey(t, 1)
	answerer := &recordingAnswerer{}
	h := New(pub, answerer, WithClock(testNow))

	rec := serve(h, signedRequest(t, priv, testNow(), readTestdata(t, "ping.json")))

	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; body %q", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q, want application/json", got)
	}
	if got := rec.Body.String(); got != `{"type":1}` {
		t.Errorf("body %q, want {\"type\":1}", got)
	}
	if n := len(answerer.interactions()); n != 0 {
		t.Errorf("the Answerer was called %d times for a PING", n)
	}
}

func TestRejectedRequestsNeverReachTheAnswerer(t *testing.T) {
	pub, priv := testKey(t, 1)
	_, otherPriv := testKey(t, 2)
	ping := readTestdata(t, "ping.json")
	command := readTestdata(t, "command.json")
	// A body that would be a valid interaction but for its size.
	oversized := append(bytes.TrimSuffix(command, []byte("}\n")), []byte(`,"padding":"`+strings.Repeat("x", MaxBodyBytes)+`"}`)...)

	tests := []struct {
		name    string
		request func(t *testing.T) *http.Request
		want    int
	}{
		{"a signature over another message is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			req.Header.Set(signatureHeader, hex.EncodeToString(ed25519.Sign(priv, []byte("something else"))))
			return req
		}, http.StatusUnauthorized},
		{"a request signed with another key is unauthorized", func(t *testing.T) *http.Request {
			return signedRequest(t, otherPriv, testNow(), command)
		}, http.StatusUnauthorized},
		{"a body changed after signing is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			tampered := bytes.Replace(command, []byte(`"value":3`), []byte(`"value":4`), 1)
			req.Body = io.NopCloser(bytes.NewReader(tampered))
			return req
		}, http.StatusUnauthorized},
		{"a timestamp changed after signing is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			req.Header.Set(timestampHeader, strconv.FormatInt(testNow().Unix()+1, 10))
			return req
		}, http.StatusUnauthorized},
		{"a timestamp more than five minutes old is unauthorized", func(t *testing.T) *http.Request {
			return signedRequest(t, priv, testNow().Add(-5*time.Minute-time.Second), command)
		}, http.StatusUnauthorized},
		{"a timestamp more than five minutes ahead is unauthorized", func(t *testing.T) *http.Request {
			return signedRequest(t, priv, testNow().Add(5*time.Minute+time.Second), command)
		}, http.StatusUnauthorized},
		{"a request without a signature is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			req.Header.Del(signatureHeader)
			return req
		}, http.StatusUnauthorized},
		{"a request without a timestamp is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			req.Header.Del(timestampHeader)
			return req
		}, http.StatusUnauthorized},
		{"a signature that is not hex is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			req.Header.Set(signatureHeader, strings.Repeat("zz", ed25519.SignatureSize))
			return req
		}, http.StatusUnauthorized},
		{"a signature of the wrong length is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			req.Header.Set(signatureHeader, req.Header.Get(signatureHeader)[:126])
			return req
		}, http.StatusUnauthorized},
		{"a timestamp with a sign is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			req.Header.Set(timestampHeader, "+"+req.Header.Get(timestampHeader))
			return req
		}, http.StatusUnauthorized},
		{"a timestamp padded with zeros is unauthorized", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), command)
			req.Header.Set(timestampHeader, strings.Repeat("0", 20)+req.Header.Get(timestampHeader))
			return req
		}, http.StatusUnauthorized},
		{"a signed body over 1 MiB is too large", func(t *testing.T) *http.Request {
			return signedRequest(t, priv, testNow(), oversized)
		}, http.StatusRequestEntityTooLarge},
		{"a signed body over 1 MiB without Content-Length is too large", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), oversized)
			req.ContentLength = -1
			req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(oversized))) // hides the length
			return req
		}, http.StatusRequestEntityTooLarge},
		{"a signed body that is not JSON is a bad request", func(t *testing.T) *http.Request {
			return signedRequest(t, priv, testNow(), []byte(`{"type":2,`))
		}, http.StatusBadRequest},
		{"a signed body with a malformed data union is a bad request", func(t *testing.T) *http.Request {
			return signedRequest(t, priv, testNow(), []byte(`{"type":2,"data":{"options":"nope"}}`))
		}, http.StatusBadRequest},
		{"a GET is not allowed", func(t *testing.T) *http.Request {
			req := signedRequest(t, priv, testNow(), ping)
			req.Method = http.MethodGet
			return req
		}, http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answerer := &recordingAnswerer{reply: &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource}}
			h := New(pub, answerer, WithClock(testNow))

			rec := serve(h, tc.request(t))

			if rec.Code != tc.want {
				t.Errorf("status %d, want %d", rec.Code, tc.want)
			}
			if n := len(answerer.interactions()); n != 0 {
				t.Errorf("the Answerer was called %d times", n)
			}
		})
	}
}

func TestABadBodyIsLoggedWithWhatIsWrongWithIt(t *testing.T) {
	pub, priv := testKey(t, 1)
	tests := []struct {
		name   string
		body   string
		reason string
	}{
		{"a body that is not JSON says so", `{"type":2,`, "body is not JSON"},
		{"a PING that is not JSON says so", `{"type":1`, "body is not JSON"},
		{"JSON with a malformed data union is not an interaction", `{"type":2,"data":{"options":"nope"}}`, "body is not an interaction"},
		// discordgo decodes the absent data as empty input, a SyntaxError.
		{"JSON without its data is not an interaction", `{"type":2}`, "body is not an interaction"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			h := New(pub, &recordingAnswerer{}, WithClock(testNow), WithLogger(log))

			rec := serve(h, signedRequest(t, priv, testNow(), []byte(tc.body)))

			if rec.Code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", rec.Code)
			}
			if want := "reason=" + strconv.Quote(tc.reason); !strings.Contains(logs.String(), want) {
				t.Errorf("logs lack %s:\n%s", want, logs.String())
			}
		})
	}
}

func TestAMalformedPublicKeyRefusesEverythingWithoutPanicking(t *testing.T) {
	_, priv := testKey(t, 1)
	answerer := &recordingAnswerer{}
	h := New(ed25519.PublicKey("short"), answerer, WithClock(testNow))
	if rec := serve(h, signedRequest(t, priv, testNow(), readTestdata(t, "ping.json"))); rec.Code != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", rec.Code)
	}
}

func TestTimestampsAtTheEdgeOfTheWindowAreAccepted(t *testing.T) {
	pub, priv := testKey(t, 1)
	h := New(pub, &recordingAnswerer{}, WithClock(testNow))
	for _, at := range []time.Time{testNow().Add(-MaxClockSkew), testNow().Add(MaxClockSkew)} {
		if rec := serve(h, signedRequest(t, priv, at, readTestdata(t, "ping.json"))); rec.Code != http.StatusOK {
			t.Errorf("signed at now%+v: status %d, want 200", at.Sub(testNow()), rec.Code)
		}
	}
}

func TestSignedCommandIsAnsweredByTheAnswerer(t *testing.T) {
	pub, priv := testKey(t, 1)
	reply := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "Round 3 starts <t:1748779200:R>", Flags: discordgo.MessageFlagsEphemeral},
	}
	answerer := &recordingAnswerer{reply: reply}
	h := New(pub, answerer, WithClock(testNow))

	rec := serve(h, signedRequest(t, priv, testNow(), readTestdata(t, "command.json")))

	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; body %q", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q, want application/json", got)
	}
	want, err := json.Marshal(reply)
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Body.String(); got != string(want) {
		t.Errorf("body\n%s\nwant the Answerer's response\n%s", got, want)
	}

	calls := answerer.interactions()
	if len(calls) != 1 {
		t.Fatalf("the Answerer was called %d times, want once", len(calls))
	}
	in := calls[0]
	if in.Type != discordgo.InteractionApplicationCommand || in.ID != "1250000000000000002" || in.GuildID != "1230000000000000000" {
		t.Errorf("interaction type %v id %q guild %q, not the one sent", in.Type, in.ID, in.GuildID)
	}
	if in.Member == nil || in.Member.User == nil || in.Member.User.ID != "1220000000000000001" {
		t.Errorf("interaction member %+v, want user 1220000000000000001", in.Member)
	}
	data := in.ApplicationCommandData()
	if data.Name != "talks" || len(data.Options) != 1 || data.Options[0].Name != "round" ||
		len(data.Options[0].Options) != 1 || data.Options[0].Options[0].IntValue() != 3 {
		t.Errorf("command data %+v, want /talks round number:3", data)
	}
}

func TestEveryInteractionTypeReachesTheAnswerer(t *testing.T) {
	pub, priv := testKey(t, 1)
	tests := []struct {
		name string
		file string
		want discordgo.InteractionType
	}{
		{"a button press is decoded as a component", "component.json", discordgo.InteractionMessageComponent},
		{"an autocomplete request is decoded as autocomplete", "autocomplete.json", discordgo.InteractionApplicationCommandAutocomplete},
		{"a modal submission is decoded as a modal", "modal.json", discordgo.InteractionModalSubmit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answerer := &recordingAnswerer{reply: &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}}
			h := New(pub, answerer, WithClock(testNow))
			if rec := serve(h, signedRequest(t, priv, testNow(), readTestdata(t, tc.file))); rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200", rec.Code)
			}
			calls := answerer.interactions()
			if len(calls) != 1 || calls[0].Type != tc.want {
				t.Fatalf("the Answerer got %v, want one interaction of type %v", calls, tc.want)
			}
			if calls[0].Data == nil {
				t.Errorf("interaction data was not decoded")
			}
		})
	}
}

func TestResultsAreCountedInMetrics(t *testing.T) {
	pub, priv := testKey(t, 1)
	m := metrics.New()
	h := New(pub, &recordingAnswerer{reply: &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}},
		WithClock(testNow), WithMetrics(m))
	ping, command := readTestdata(t, "ping.json"), readTestdata(t, "command.json")

	serve(h, signedRequest(t, priv, testNow(), ping))
	serve(h, signedRequest(t, priv, testNow(), ping))
	serve(h, signedRequest(t, priv, testNow(), command))
	serve(h, signedRequest(t, priv, testNow().Add(-time.Hour), ping))
	serve(h, signedRequest(t, priv, testNow(), []byte("not json")))

	rec := serve(m.Handler(), httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, want := range []string{
		`talkbot_webhook_requests_total{result="pong"} 2`,
		`talkbot_webhook_requests_total{result="answered"} 1`,
		`talkbot_webhook_requests_total{result="unauthorized"} 1`,
		`talkbot_webhook_requests_total{result="bad_request"} 1`,
		`talkbot_webhook_requests_total{result="too_large"} 0`,
	} {
		if !strings.Contains(rec.Body.String(), want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// discardWriter is a ResponseWriter that keeps only the last status and
// body, in reused memory, so benchmarks measure the handler rather than a
// recorder and can still check what it answered.
type discardWriter struct {
	header http.Header
	status int
	body   []byte
}

func (d *discardWriter) Header() http.Header { return d.header }
func (d *discardWriter) Write(p []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	d.body = append(d.body, p...)
	return len(p), nil
}
func (d *discardWriter) WriteHeader(status int) { d.status = status }

func (d *discardWriter) reset() {
	clear(d.header)
	d.status = 0
	d.body = d.body[:0]
}

// BenchmarkServePing measures a whole signed PING through the handler; set
// against BenchmarkVerify it shows what the handler adds to the signature
// check (the target is at most a quarter of one Verify).
func BenchmarkServePing(b *testing.B) {
	pub, priv := testKey(b, 1)
	h := New(pub, answerFunc(func(context.Context, *discordgo.Interaction, func(*discordgo.InteractionResponse) error) {}),
		WithClock(testNow), WithMetrics(metrics.New()))
	body := readTestdata(b, "ping.json")
	req := signedRequest(b, priv, testNow(), body)
	var reader bytes.Reader
	req.Body = io.NopCloser(&reader)
	w := &discardWriter{header: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		reader.Reset(body)
		w.reset()
		h.ServeHTTP(w, req)
	}
	// A rejection is cheaper than a PONG: timing one would look like a win.
	if w.status != http.StatusOK || string(w.body) != pongBody {
		b.Fatalf("the last answer was %d %q, not a PONG", w.status, w.body)
	}
}

// BenchmarkVerify is one bare ed25519.Verify of a signed PING, the floor
// under BenchmarkServePing.
func BenchmarkVerify(b *testing.B) {
	pub, priv := testKey(b, 1)
	msg := append([]byte(strconv.FormatInt(testNow().Unix(), 10)), readTestdata(b, "ping.json")...)
	sig := ed25519.Sign(priv, msg)
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("signature does not verify")
		}
	}
}
