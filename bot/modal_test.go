package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/discordtest"
	"talkbot/bot/metrics"
	"talkbot/commands"
)

// roundForm is a form as the round editor opens it.
func roundForm() *commands.Modal {
	return &commands.Modal{CustomID: "edit/round:ru-ua-istanbul:3:v7", Title: "Round 3 · Istanbul", Inputs: []commands.TextInput{
		{ID: "starts", Label: "Starts", Value: "2025-06-02T13:00", Placeholder: "2025-06-02 or 2025-06-02T13:00", Required: true, MaxLength: 40},
		{ID: "venue", Label: "Venue", Value: "Çırağan Palace"},
		{ID: "agenda", Label: "Agenda (one item a line)", Long: true, Value: "prisoners\nceasefire"},
		{ID: "outcomes", Label: "Outcomes (one item a line)", Long: true},
		{ID: "documents", Label: "Documents (one a line)", Long: true},
	}}
}

// wantInputs is roundForm as the fake should record it.
var wantInputs = []discordtest.TextInput{
	{CustomID: "starts", Label: "Starts", Style: 1, Value: "2025-06-02T13:00", Placeholder: "2025-06-02 or 2025-06-02T13:00", Required: true, MaxLength: 40},
	{CustomID: "venue", Label: "Venue", Style: 1, Value: "Çırağan Palace"},
	{CustomID: "agenda", Label: "Agenda (one item a line)", Style: 2, Value: "prisoners\nceasefire"},
	{CustomID: "outcomes", Label: "Outcomes (one item a line)", Style: 2},
	{CustomID: "documents", Label: "Documents (one a line)", Style: 2},
}

// formHandler opens roundForm for the command "talks-edit/round/add" and
// answers every other request with "saved", keeping the requests it got.
type formHandler struct {
	mu   sync.Mutex
	reqs []commands.Request
}

func (h *formHandler) Handle(_ context.Context, req commands.Request) (commands.Reply, error) {
	h.mu.Lock()
	h.reqs = append(h.reqs, req)
	h.mu.Unlock()
	if req.Kind == commands.KindCommand && req.Path == "talks-edit/round/add" {
		return commands.Reply{Modal: roundForm()}, nil
	}
	return commands.Reply{Content: "Saved round 3.", Ephemeral: true}, nil
}

func (h *formHandler) last(t *testing.T) commands.Request {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.reqs) == 0 {
		t.Fatal("the handler got no request")
	}
	return h.reqs[len(h.reqs)-1]
}

// editor is a server editor: a member with a nickname and two roles.
var editor = discordtest.Caller{
	UserID: "800000000000000003", Username: "olena", GlobalName: "Olena K.", Nick: "Olena (editor)",
	GuildID: "800000000000000001", ChannelID: "800000000000000002", Roles: []string{"800000000000000040", "800000000000000041"},
}

// roundAdd is the data of /talks-edit round add source:...
var roundAdd = map[string]any{"id": "1", "name": "talks-edit", "type": 1, "options": []any{
	map[string]any{"type": 2, "name": "round", "options": []any{
		map[string]any{"type": 1, "name": "add", "options": []any{
			map[string]any{"type": 3, "name": "source", "value": "https://example.org/a"},
		}},
	}},
}}

// submitted is what the editor types into the round form.
var submitted = []discordtest.Field{
	{ID: "starts", Value: "2025-06-02T13:00"}, {ID: "venue", Value: "Çırağan Palace"},
	{ID: "agenda", Value: "prisoners\nceasefire"}, {ID: "outcomes", Value: ""}, {ID: "documents", Value: "https://example.org/memo"},
}

// checkSubmit checks that a MODAL_SUBMIT of submitted, by editor, reached
// the handler as a KindModal request.
func checkSubmit(t *testing.T, got commands.Request) {
	t.Helper()
	want := commands.Request{
		Kind: commands.KindModal, Path: "edit/round", Args: []string{"ru-ua-istanbul", "3", "v7"}, Options: map[string]string{},
		Fields: map[string]string{"starts": "2025-06-02T13:00", "venue": "Çırağan Palace", "agenda": "prisoners\nceasefire",
			"outcomes": "", "documents": "https://example.org/memo"},
		GuildID: editor.GuildID, ChannelID: editor.ChannelID, UserID: editor.UserID, UserName: "Olena (editor)",
		MemberRoles: editor.Roles, AppPermissions: 2147483647, Locale: "en-US", GuildLocale: "en-US",
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("the submit reached the handler as\n%s\nwant\n%s", g, w)
	}
}

func checkForm(t *testing.T, m discordtest.Modal) {
	t.Helper()
	if m.CustomID != "edit/round:ru-ua-istanbul:3:v7" || m.Title != "Round 3 · Istanbul" || !slices.Equal(m.Inputs, wantInputs) {
		t.Errorf("form %q %q with inputs\n%+v\nwant the round form with\n%+v", m.CustomID, m.Title, m.Inputs, wantInputs)
	}
}

func noViolations(t *testing.T, fake *discordtest.Server) {
	t.Helper()
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}

// runBot runs b until the test ends.
func runBot(t *testing.T, b *Bot) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("Run did not return")
		}
	})
}

func TestAFormRoundTripOverTheGateway(t *testing.T) {
	fake := discordtest.New(t)
	h := &formHandler{}
	logs := &syncBuffer{}
	runBot(t, gatewayBot(t, fake, h, logs))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("no READY: %v\n%s", err, logs.String())
	}

	cmd := fake.Interaction(editor, 2, roundAdd)
	if err := fake.Dispatch("INTERACTION_CREATE", cmd); err != nil {
		t.Fatal(err)
	}
	if resp := callbackBody(t, fake, cmd); resp.Type != discordgo.InteractionResponseModal {
		t.Errorf("callback type %d; want 9 (a form)", resp.Type)
	}
	m, err := fake.WaitModal(ctx, cmd["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	checkForm(t, m)
	if got := h.last(t); got.UserName != "Olena (editor)" || !slices.Equal(got.MemberRoles, editor.Roles) {
		t.Errorf("the command came from %q with roles %q; want the editor's nickname and roles", got.UserName, got.MemberRoles)
	}

	submit, err := fake.SubmitModal(editor, m.CustomID, submitted...)
	if err != nil {
		t.Fatal(err)
	}
	resp := callbackBody(t, fake, submit)
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data == nil || resp.Data.Content != "Saved round 3." {
		t.Errorf("the submit was answered with %+v; want the handler's message", resp)
	}
	checkSubmit(t, h.last(t))
	noViolations(t, fake)
}

func TestAFormRoundTripOverHTTPInteractions(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.New(t)
	h := &formHandler{}
	logs := &syncBuffer{}
	listening := make(chan string, 1)
	b, err := New(Options{
		Token: fake.Token, PublicKey: pub, APIURL: fake.APIBase, HTTPAddr: "127.0.0.1:0",
		Commands: []*discordgo.ApplicationCommand{}, Handler: h,
		Ping:      func(context.Context) error { return nil },
		Log:       slog.New(slog.NewTextHandler(logs, nil)),
		Metrics:   metrics.New(),
		Listening: func(addr string) { listening <- addr },
	})
	if err != nil {
		t.Fatal(err)
	}
	runBot(t, b)
	var endpoint string
	select {
	case addr := <-listening:
		endpoint = "http://" + addr + "/interactions"
	case <-time.After(10 * time.Second):
		t.Fatalf("the HTTP server did not come up:\n%s", logs.String())
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	cmd := fake.Interaction(editor, 2, roundAdd)
	posted, err := fake.PostInteraction(ctx, endpoint, priv, cmd)
	if err != nil {
		t.Fatal(err)
	}
	if resp := decodeResponse(t, posted.Body); posted.Status != 200 || resp.Type != discordgo.InteractionResponseModal {
		t.Fatalf("the command was answered %d %s; want a form (type 9)", posted.Status, posted.Body)
	}
	m, err := fake.WaitModal(ctx, cmd["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	checkForm(t, m)

	submit, posted, err := fake.PostModalSubmit(ctx, endpoint, priv, editor, m.CustomID, submitted...)
	if err != nil {
		t.Fatal(err)
	}
	resp := decodeResponse(t, posted.Body)
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource ||
		resp.Data == nil || resp.Data.Content != "Saved round 3." {
		t.Errorf("the submit was answered %d %s; want the handler's message", posted.Status, posted.Body)
	}
	if got := callbackBody(t, fake, submit); got.Type != resp.Type {
		t.Errorf("the fake recorded a callback of type %d; want the endpoint's answer, type %d", got.Type, resp.Type)
	}
	checkSubmit(t, h.last(t))
	noViolations(t, fake)
}

func TestAFormDiscordWouldRejectIsRefused(t *testing.T) {
	tooMany := roundForm()
	tooMany.Inputs = append(tooMany.Inputs, commands.TextInput{ID: "said_on", Label: "Said on"})
	noTitle := roundForm()
	noTitle.Title = ""
	tests := []struct {
		name    string
		kind    discordgo.InteractionType
		form    *commands.Modal
		wantLog string
	}{
		{"a form of six inputs", discordgo.InteractionApplicationCommand, tooMany, "6 inputs"},
		{"a form without a title", discordgo.InteractionApplicationCommand, noTitle, "title of 0 characters"},
		{"a form answering a form's submit", discordgo.InteractionModalSubmit, roundForm(), "cannot answer an interaction of kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, fake, logs := harness(t, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
				return commands.Reply{Modal: tc.form}, nil
			}), 10*time.Second)
			rec := &outcomeRecorder{}
			d.observe = rec
			var i *discordgo.Interaction
			if tc.kind == discordgo.InteractionModalSubmit {
				i = modalSubmit(t, fake, "edit/round:ru-ua-istanbul:3:v7")
			} else {
				i = command(t, fake, "next")
			}

			resp := answerLive(t, t.Context(), d, i, make(chan struct{}))

			if len(resp) != 1 || resp[0].Type != discordgo.InteractionResponseChannelMessageWithSource ||
				resp[0].Data.Flags != discordgo.MessageFlagsEphemeral {
				t.Fatalf("responses %v; want one ephemeral message", types(resp))
			}
			ref := refPattern.FindStringSubmatch(resp[0].Data.Content)
			if ref == nil || !strings.Contains(logs.String(), "ref="+ref[1]) || !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("reply %q; the log does not say, with its reference, %q:\n%s", resp[0].Data.Content, tc.wantLog, logs.String())
			}
			if len(fake.Modals()) != 0 {
				t.Errorf("forms reached Discord: %+v", fake.Modals())
			}
			if len(rec.outcomes) != 1 || rec.outcomes[0] != metrics.OutcomeInternalError {
				t.Errorf("observed outcomes %q; want [internal_error]", rec.outcomes)
			}
			noViolations(t, fake)
		})
	}
}

// A form makes no message a follow-up could follow: a notice waits.
func TestANoticeIsNotSentAfterAForm(t *testing.T) {
	d, fake, _ := harness(t, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
		return commands.Reply{Modal: roundForm(), Notice: "Your reminders by DM are paused."}, nil
	}), 10*time.Second)
	i := command(t, fake, "round")

	resp := answerLive(t, t.Context(), d, i, make(chan struct{}))

	if len(resp) != 1 || resp[0].Type != discordgo.InteractionResponseModal {
		t.Fatalf("responses %v; want one form", types(resp))
	}
	if reqs := tokenRequests(fake, i); len(reqs) != 0 {
		t.Errorf("requests after the form %q; want none", routes(reqs))
	}
	if m := fake.Modals(); len(m) != 1 {
		t.Errorf("forms %+v; want the one sent", m)
	}
	noViolations(t, fake)
}

// A form cannot follow a deferral: one that comes after it becomes an
// ephemeral "try again", and nothing is left showing "thinking".
func TestAFormAfterTheDeferralAsksToTryAgain(t *testing.T) {
	sent := make(chan struct{})
	d, fake, _ := harness(t, handlerFunc(func(context.Context, commands.Request) (commands.Reply, error) {
		<-sent
		return commands.Reply{Modal: roundForm(), Notice: "Your reminders by DM are paused."}, nil
	}), 10*time.Millisecond)
	rec := &outcomeRecorder{}
	d.observe = rec
	allowDeletingOriginal(fake)
	i := command(t, fake, "round")

	resp := answerLive(t, t.Context(), d, i, sent)

	if len(resp) != 1 || resp[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("responses %v; want one, the deferral", types(resp))
	}
	checkEphemeralReplacement(t, fake, i, regexp.MustCompile(`^`+regexp.QuoteMeta(modalTooLate)+`$`))
	if len(fake.Modals()) != 0 {
		t.Errorf("forms reached Discord: %+v", fake.Modals())
	}
	if len(rec.outcomes) != 1 || rec.outcomes[0] != metrics.OutcomeTooSlow+metrics.DeferredSuffix {
		t.Errorf("observed outcomes %q; want [too_slow_deferred]", rec.outcomes)
	}
	noViolations(t, fake)
}

// modalSubmit makes a MODAL_SUBMIT of the form customID and has the fake
// track it.
func modalSubmit(t *testing.T, fake *discordtest.Server, customID string) *discordgo.Interaction {
	t.Helper()
	raw, err := json.Marshal(fake.ModalSubmit(editor, customID, submitted...))
	if err != nil {
		t.Fatal(err)
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(raw, &i); err != nil {
		t.Fatal(err)
	}
	if err := fake.TrackInteraction(json.RawMessage(raw)); err != nil {
		t.Fatal(err)
	}
	return &i
}
