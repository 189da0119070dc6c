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
	ids.mu.Lock()
	ids.n++
	n := ids.n
	ids.mu.Unlock()
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
