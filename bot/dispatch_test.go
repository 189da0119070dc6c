package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/discordtest"
	"talkbot/bot/metrics"
	"talkbot/commands"
)

// handlerFunc adapts a function to Handler.
type handlerFunc func(ctx context.Context, req commands.Request) (commands.Reply, error)

func (f handlerFunc) Handle(ctx context.Context, req commands.Request) (commands.Reply, error) {
	return f(ctx, req)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// harness is a dispatcher whose follow-ups go through a real discordgo
// session to the fake Discord.
func harness(t *testing.T, h Handler, budget time.Duration) (*Dispatcher, *discordtest.Server, *syncBuffer) {
	t.Helper()
	fake := discordtest.New(t)
	rb, err := Rebase(fake.APIBase, http.DefaultTransport)
	if err != nil {
		t.Fatal(err)
	}
	s, err := discordgo.New("Bot " + fake.Token)
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: rb, Timeout: 5 * time.Second}
	logs := &syncBuffer{}
	d := NewDispatcher(h, s, slog.New(slog.NewTextHandler(logs, nil)), metrics.New())
	d.budget = budget
	return d, fake, logs
}

var ids struct {
	mu sync.Mutex
	n  int
}

func command(t *testing.T, fake *discordtest.Server, sub string) *discordgo.Interaction {
	t.Helper()
	n := nextID()
	raw := fmt.Sprintf(`{"id":"9%017d","application_id":%q,"type":2,"token":"tok%d","channel_id":"800000000000000002","guild_id":"800000000000000001",
		"member":{"user":{"id":"3"},"permissions":"0"},"data":{"id":"1","name":"talks","type":1,"options":[{"type":1,"name":%q}]}}`, n, fake.ApplicationID, n, sub)
	var i discordgo.Interaction
	if err := json.Unmarshal([]byte(raw), &i); err != nil {
		t.Fatal(err)
	}
	if err := fake.TrackInteraction(json.RawMessage(raw)); err != nil {
		t.Fatal(err)
	}
	return &i
}

// answer runs Answer and returns the initial response.
func answer(t *testing.T, d *Dispatcher, i *discordgo.Interaction) *discordgo.InteractionResponse {
	t.Helper()
	var got *discordgo.InteractionResponse
	sent := 0
	d.Answer(t.Context(), i, func(r *discordgo.InteractionResponse) error {
		sent++
		got = r
		return nil
	})
	if sent != 1 {
		t.Fatalf("send called %d times; want exactly once", sent)
	}
	return got
}

var refPattern = regexp.MustCompile(`ref ([0-9a-f]{8})`)

func TestAPanicIsAnsweredWithAReference(t *testing.T) {
	d, fake, logs := harness(t, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
		var m map[string]int
		m["boom"]++ // a nil map write panics
		return commands.Reply{}, nil
	}), time.Second)
	resp := answer(t, d, command(t, fake, "next"))
	if resp.Data.Flags != discordgo.MessageFlagsEphemeral {
		t.Errorf("flags = %d; want ephemeral", resp.Data.Flags)
	}
	m := refPattern.FindStringSubmatch(resp.Data.Content)
	if m == nil {
		t.Fatalf("reply %q has no reference id", resp.Data.Content)
	}
	if !strings.Contains(logs.String(), "ref="+m[1]) || !strings.Contains(logs.String(), "panic=true") {
		t.Errorf("the log does not hold ref %s with the panic:\n%s", m[1], logs.String())
	}
}

func TestAUserErrorIsEphemeralAndNotLogged(t *testing.T) {
	d, fake, logs := harness(t, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
		return commands.Reply{}, &commands.UserError{Message: "Try /talks round number:1."}
	}), time.Second)
	resp := answer(t, d, command(t, fake, "round"))
	if resp.Data.Flags != discordgo.MessageFlagsEphemeral || resp.Data.Content != "Try /talks round number:1." {
		t.Errorf("response = %+v", resp.Data)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a user error was logged as an error:\n%s", logs.String())
	}
}

func TestASlowHandlerIsDeferredThenEdited(t *testing.T) {
	release := make(chan struct{})
	d, fake, _ := harness(t, handlerFunc(func(ctx context.Context, req commands.Request) (commands.Reply, error) {
		<-release
		return commands.Reply{Content: "done @everyone"}, nil
	}), 50*time.Millisecond)
	i := command(t, fake, "search")
	var first *discordgo.InteractionResponse
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Answer(t.Context(), i, func(r *discordgo.InteractionResponse) error { first = r; close(release); return nil })
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Answer did not finish")
	}
	if first.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("first response type %d; want 5 (deferred)", first.Type)
	}
	var edit discordtest.Request
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPatch && strings.HasSuffix(r.Path, "/messages/@original") {
			edit = r
		}
	}
	if edit.Body == nil {
		t.Fatal("the deferred reply was never edited")
	}
	var body struct {
		Content         string                            `json:"content"`
		AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(edit.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Content != "done @everyone" || body.AllowedMentions == nil || len(body.AllowedMentions.Parse) != 0 {
		t.Errorf("edit = %s; want the reply with allowed_mentions pinging nobody", edit.Body)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestASlowAutocompleteAnswersWithNoChoices(t *testing.T) {
	d, fake, _ := harness(t, handlerFunc(func(ctx context.Context, req commands.Request) (commands.Reply, error) {
		<-ctx.Done()
		return commands.Reply{}, ctx.Err()
	}), 20*time.Millisecond)
	d.limit = 100 * time.Millisecond
	i := command(t, fake, "positions")
	i.Type = discordgo.InteractionApplicationCommandAutocomplete
	resp := answer(t, d, i)
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || resp.Data.Choices == nil || len(resp.Data.Choices) != 0 {
		t.Errorf("response = %+v; want an empty autocomplete result", resp)
	}
}

func TestANoticeGoesToTheCallerAloneAsAFollowUp(t *testing.T) {
	d, fake, _ := harness(t, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
		return commands.Reply{Content: "the next meeting", Notice: "Your reminders by DM are paused: your DMs are closed to talkbot."}, nil
	}), time.Second)
	i := command(t, fake, "next")
	resp := answer(t, d, i)
	if resp.Data.Content != "the next meeting" || resp.Data.Flags != 0 {
		t.Errorf("the reply itself = %+v; want the public answer", resp.Data)
	}
	var followUp discordtest.Request
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/webhooks/") {
			followUp = r
		}
	}
	var body struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
	}
	if err := json.Unmarshal(followUp.Body, &body); err != nil {
		t.Fatalf("no follow-up was sent (%v)", err)
	}
	if body.Flags != int(discordgo.MessageFlagsEphemeral) || !strings.Contains(body.Content, "paused") {
		t.Errorf("follow-up = %s; want the notice, ephemeral", followUp.Body)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

// outcomeRecorder is an Observer that keeps the outcome labels it is given.
type outcomeRecorder struct {
	mu       sync.Mutex
	outcomes []string
}

func (r *outcomeRecorder) ObserveInteraction(_, outcome string, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcomes = append(r.outcomes, outcome)
}

func TestEachOutcomeIsObservedWithItsLabel(t *testing.T) {
	tests := []struct {
		name         string
		slow         bool // the handler waits until the deferral is sent
		autocomplete bool
		reply        commands.Reply
		err          error
		panic        bool
		want         string
	}{
		{name: "a quick reply is ok", reply: commands.Reply{Content: "hi"}, want: "ok"},
		{name: "a user error is user_error", err: &commands.UserError{Message: "no"}, want: "user_error"},
		{name: "any other error is internal_error", err: errors.New("db down"), want: "internal_error"},
		{name: "a panic is panic", panic: true, want: "panic"},
		{name: "a slow reply is ok_deferred", slow: true, reply: commands.Reply{Content: "late"}, want: "ok_deferred"},
		{name: "a slow error is internal_error_deferred", slow: true, err: errors.New("db down"), want: "internal_error_deferred"},
		{name: "a slow autocomplete is too_slow", slow: true, autocomplete: true, want: "too_slow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sent := make(chan struct{})
			budget := 10 * time.Second
			if tc.slow {
				budget = 10 * time.Millisecond
			}
			d, fake, _ := harness(t, handlerFunc(func(ctx context.Context, _ commands.Request) (commands.Reply, error) {
				if tc.slow {
					select {
					case <-sent:
					case <-ctx.Done(): // a slow autocomplete is never waited for
					}
				}
				if tc.panic {
					panic("boom")
				}
				return tc.reply, tc.err
			}), budget)
			rec := &outcomeRecorder{}
			d.observe = rec
			i := command(t, fake, "next")
			if tc.autocomplete {
				i.Type = discordgo.InteractionApplicationCommandAutocomplete
			}

			d.Answer(t.Context(), i, func(*discordgo.InteractionResponse) error {
				close(sent)
				return nil
			})

			if len(rec.outcomes) != 1 || rec.outcomes[0] != tc.want {
				t.Errorf("observed outcomes %q, want [%q]", rec.outcomes, tc.want)
			}
		})
	}
}

// nextID numbers the interactions a test makes, so that no two share a
// token.
func nextID() int {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	ids.n++
	return ids.n
}

// component makes a button press on message messageID and has the fake
// track it.
func component(t *testing.T, fake *discordtest.Server, customID, messageID string) *discordgo.Interaction {
	t.Helper()
	n := nextID()
	raw := fmt.Sprintf(`{"id":"9%017d","application_id":%q,"type":3,"token":"tok%d","channel_id":"800000000000000002","guild_id":"800000000000000001",
		"member":{"user":{"id":"3"},"permissions":"0"},"message":{"id":%q,"channel_id":"800000000000000002"},
		"data":{"custom_id":%q,"component_type":2}}`, n, fake.ApplicationID, n, messageID, customID)
	var i discordgo.Interaction
	if err := json.Unmarshal([]byte(raw), &i); err != nil {
		t.Fatal(err)
	}
	if err := fake.TrackInteraction(json.RawMessage(raw)); err != nil {
		t.Fatal(err)
	}
	return &i
}

// answerLive runs Answer under ctx with a send that posts the response to
// the fake, as the gateway handler does, so that the fake acknowledges the
// interaction and checks the callback. It closes sent after the first
// response (a slow handler waits for it, so it is deferred whatever the
// machine's speed) and returns every response sent.
func answerLive(t *testing.T, ctx context.Context, d *Dispatcher, i *discordgo.Interaction, sent chan<- struct{}) []*discordgo.InteractionResponse {
	t.Helper()
	s := d.rest.(*discordgo.Session)
	var got []*discordgo.InteractionResponse
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Answer(ctx, i, func(r *discordgo.InteractionResponse) error {
			got = append(got, r)
			err := s.InteractionRespond(i, r)
			if len(got) == 1 {
				close(sent)
			}
			return err
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Answer did not return")
	}
	return got
}

// tokenRequests returns the requests made with i's token after its callback:
// edits, deletes and follow-ups of its messages.
func tokenRequests(fake *discordtest.Server, i *discordgo.Interaction) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range fake.Requests() {
		if r.Params["webhook_token"] == i.Token {
			out = append(out, r)
		}
	}
	return out
}

// types lists the types of responses, for failure messages.
func types(rs []*discordgo.InteractionResponse) []discordgo.InteractionResponseType {
	var out []discordgo.InteractionResponseType
	for _, r := range rs {
		out = append(out, r.Type)
	}
	return out
}

// routes lists requests as "METHOD /route status", for failure messages.
func routes(rs []discordtest.Request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s %d", r.Route, r.Status))
	}
	return out
}

const (
	routeDeleteOriginal = "DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original"
	routeEditOriginal   = "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original"
	routeFollowUp       = "POST /webhooks/{webhook_id}/{webhook_token}"
)

// allowDeletingOriginal answers DELETE @original with Discord's 204, which
// the fake does not implement itself.
func allowDeletingOriginal(fake *discordtest.Server) {
	fake.Handle(routeDeleteOriginal, func(discordtest.Request) (int, any) { return http.StatusNoContent, nil })
}

// checkEphemeralReplacement checks that i's public "thinking" message was
// deleted and the reply sent as an ephemeral follow-up, with content
// matching want, and returns that content. No edit may show it publicly.
func checkEphemeralReplacement(t *testing.T, fake *discordtest.Server, i *discordgo.Interaction, want *regexp.Regexp) string {
	t.Helper()
	reqs := tokenRequests(fake, i)
	if len(reqs) != 2 || reqs[0].Route != routeDeleteOriginal || reqs[1].Route != routeFollowUp {
		t.Fatalf("follow-up requests %q; want the DELETE of @original, then a follow-up POST", routes(reqs))
	}
	for _, r := range reqs {
		if r.Status >= 300 {
			t.Errorf("%s answered %d", r.Route, r.Status)
		}
	}
	var body struct {
		Content         string                            `json:"content"`
		Flags           int                               `json:"flags"`
		AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(reqs[1].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Flags != int(discordgo.MessageFlagsEphemeral) || !want.MatchString(body.Content) {
		t.Errorf("follow-up = %s; want flags 64 and content matching %q", reqs[1].Body, want)
	}
	if body.AllowedMentions == nil || len(body.AllowedMentions.Parse) != 0 {
		t.Errorf("follow-up = %s; want allowed_mentions pinging nobody", reqs[1].Body)
	}
	return body.Content
}

func TestASlowEphemeralReplyReplacesThePublicThinkingMessage(t *testing.T) {
	sent := make(chan struct{})
	d, fake, _ := harness(t, handlerFunc(func(ctx context.Context, req commands.Request) (commands.Reply, error) {
		<-sent
		return commands.Reply{Content: "Only you can see your subscriptions.", Ephemeral: true}, nil
	}), 10*time.Millisecond)
	allowDeletingOriginal(fake)
	i := command(t, fake, "subscribe")

	resp := answerLive(t, t.Context(), d, i, sent)

	if len(resp) != 1 || resp[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("response types %v; want one, of type 5 (deferred)", types(resp))
	}
	checkEphemeralReplacement(t, fake, i, regexp.MustCompile(`^Only you can see your subscriptions\.$`))
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

// pressSlowButton posts a message in channel, presses a page button on it
// whose handler answers with reply and err only after the first response
// went out, and checks that response was a type-6 deferral.
func pressSlowButton(t *testing.T, reply commands.Reply, err error) (*discordtest.Server, *discordgo.Message, *discordgo.Interaction) {
	t.Helper()
	sent := make(chan struct{})
	d, fake, _ := harness(t, handlerFunc(func(ctx context.Context, req commands.Request) (commands.Reply, error) {
		<-sent
		return reply, err
	}), 10*time.Millisecond)
	allowDeletingOriginal(fake)
	page, postErr := d.rest.(*discordgo.Session).ChannelMessageSend(buttonChannel, "Rounds, page 1")
	if postErr != nil {
		t.Fatal(postErr)
	}
	i := component(t, fake, "page/rounds:2", page.ID)
	resp := answerLive(t, t.Context(), d, i, sent)
	if len(resp) != 1 || resp[0].Type != discordgo.InteractionResponseDeferredMessageUpdate {
		t.Fatalf("response types %v; want one, of type 6 (deferred update)", types(resp))
	}
	return fake, page, i
}

const buttonChannel = "800000000000000002"

func TestASlowButtonIsDeferredAsAnUpdateThenEdited(t *testing.T) {
	fake, page, i := pressSlowButton(t, commands.Reply{Content: "Rounds, page 2", Update: true}, nil)
	reqs := tokenRequests(fake, i)
	if len(reqs) != 1 || reqs[0].Route != routeEditOriginal || reqs[0].Status != http.StatusOK {
		t.Fatalf("follow-up requests %q; want one edit of @original, answered 200", routes(reqs))
	}
	msgs := fake.Messages(buttonChannel)
	if len(msgs) != 1 || msgs[0].ID != page.ID || msgs[0].Content != "Rounds, page 2" {
		t.Errorf("messages = %+v; want the button's own message, edited to page 2", msgs)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

// A slow button whose handler fails keeps the message it is on: the
// apology comes as an ephemeral follow-up, and nothing is deleted.
func TestASlowButtonThatFailsKeepsItsMessage(t *testing.T) {
	fake, page, i := pressSlowButton(t, commands.Reply{}, errors.New("the store is down"))
	reqs := tokenRequests(fake, i)
	if len(reqs) != 1 || reqs[0].Route != routeFollowUp {
		t.Fatalf("follow-up requests %q; want only the ephemeral follow-up, no delete of the button's message", routes(reqs))
	}
	msgs := fake.Messages(buttonChannel)
	if len(msgs) == 0 || msgs[0].ID != page.ID || msgs[0].Content != "Rounds, page 1" {
		t.Errorf("messages = %+v; want the button's message kept as it was", msgs)
	}
}

func TestAHandlerPastTheLimitIsAnsweredWithAnApology(t *testing.T) {
	never := make(chan struct{})
	t.Cleanup(func() { close(never) })
	d, fake, logs := harness(t, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
		<-never // ignores its context, as a stuck handler would
		return commands.Reply{Content: "too late"}, nil
	}), 10*time.Millisecond)
	d.limit = 200 * time.Millisecond
	rec := &outcomeRecorder{}
	d.observe = rec
	allowDeletingOriginal(fake)
	i := command(t, fake, "search")

	resp := answerLive(t, t.Context(), d, i, make(chan struct{}))

	if len(resp) != 1 || resp[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("response types %v; want one, of type 5 (deferred)", types(resp))
	}
	content := checkEphemeralReplacement(t, fake, i, regexp.MustCompile(`^Sorry, something went wrong on our side\. .*\(ref [0-9a-f]{8}\)\.$`))
	ref := refPattern.FindStringSubmatch(content)
	if ref == nil || !strings.Contains(logs.String(), "ref="+ref[1]) || !strings.Contains(logs.String(), "handler did not finish") {
		t.Errorf("the log does not say, with the reference of %q, that the handler did not finish:\n%s", content, logs.String())
	}
	// A command past its limit counts as an internal error; too_slow is
	// for an autocomplete, which cannot be deferred.
	if len(rec.outcomes) != 1 || rec.outcomes[0] != metrics.OutcomeInternalError+metrics.DeferredSuffix {
		t.Errorf("observed outcomes %q; want [internal_error_deferred]", rec.outcomes)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

// cancelOnFollowUp ends a context as a request with an interaction's token
// leaves, as a shutdown might, then passes the request on.
type cancelOnFollowUp struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (c cancelOnFollowUp) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/webhooks/") {
		c.cancel()
	}
	return c.next.RoundTrip(r)
}

func TestFollowUpsEndWithTheContextTheyRunUnder(t *testing.T) {
	tests := []struct {
		name  string
		slow  bool // the handler waits until the deferral is sent
		reply commands.Reply
	}{
		{name: "the edit of a deferred reply", slow: true, reply: commands.Reply{Content: "late"}},
		{name: "a deferred ephemeral reply", slow: true, reply: commands.Reply{Content: "late", Ephemeral: true}},
		{name: "the notice after a quick reply", reply: commands.Reply{Content: "now", Notice: "Your reminders are paused."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sent := make(chan struct{})
			budget := 10 * time.Second
			if tc.slow {
				budget = 10 * time.Millisecond
			}
			d, fake, logs := harness(t, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
				if tc.slow {
					<-sent
				}
				return tc.reply, nil
			}), budget)
			allowDeletingOriginal(fake)
			ctx, cancel := context.WithCancel(t.Context())
			t.Cleanup(cancel)
			s := d.rest.(*discordgo.Session)
			s.Client.Transport = cancelOnFollowUp{next: s.Client.Transport, cancel: cancel}
			i := command(t, fake, "search")

			answerLive(t, ctx, d, i, sent)

			if reqs := tokenRequests(fake, i); len(reqs) > 0 {
				t.Errorf("follow-up requests %q reached Discord after the context ended; want none", routes(reqs))
			}
			if !strings.Contains(logs.String(), "context canceled") {
				t.Errorf("the log does not say the follow-up was cancelled:\n%s", logs.String())
			}
		})
	}
}

// privateHandler answers /talks-admin and /talks-edit to their caller
// alone, as commands.Commands does.
type privateFunc func(ctx context.Context, req commands.Request) (commands.Reply, error)

func (f privateFunc) Handle(ctx context.Context, req commands.Request) (commands.Reply, error) {
	return f(ctx, req)
}
func (privateFunc) Private(req commands.Request) bool {
	return strings.HasPrefix(req.Path, "talks-admin/")
}

// A slow private command is deferred as ephemeral and then edited: no
// public "thinking" message ever shows in the channel.
func TestASlowPrivateCommandIsDeferredEphemeral(t *testing.T) {
	sent := make(chan struct{})
	d, fake, _ := harness(t, privateFunc(func(ctx context.Context, req commands.Request) (commands.Reply, error) {
		<-sent
		return commands.Reply{Content: "Saved.", Ephemeral: true}, nil
	}), 10*time.Millisecond)
	n := nextID()
	raw := fmt.Sprintf(`{"id":"9%017d","application_id":%q,"type":2,"token":"tok%d","channel_id":"800000000000000002","guild_id":"800000000000000001",
		"member":{"user":{"id":"3"},"permissions":"32"},"data":{"id":"1","name":"talks-admin","type":1,"options":[{"type":1,"name":"show"}]}}`, n, fake.ApplicationID, n)
	var i discordgo.Interaction
	if err := json.Unmarshal([]byte(raw), &i); err != nil {
		t.Fatal(err)
	}
	if err := fake.TrackInteraction(json.RawMessage(raw)); err != nil {
		t.Fatal(err)
	}

	resp := answerLive(t, t.Context(), d, &i, sent)
	if len(resp) != 1 || resp[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource ||
		resp[0].Data == nil || resp[0].Data.Flags != discordgo.MessageFlagsEphemeral {
		t.Fatalf("responses %+v; want one type-5 deferral with flags 64", resp)
	}
	reqs := tokenRequests(fake, &i)
	if len(reqs) != 1 || reqs[0].Method != http.MethodPatch || !strings.HasSuffix(reqs[0].Path, "/messages/@original") {
		t.Fatalf("follow-up requests %q; want one PATCH of @original (no delete, no public message)", routes(reqs))
	}
	if !strings.Contains(string(reqs[0].Body), `"Saved."`) {
		t.Errorf("edit = %s; want the reply", reqs[0].Body)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}
