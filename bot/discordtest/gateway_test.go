package discordtest_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"talkbot/bot/discordtest"
)

func TestOpenIdentifiesAndDiscordgoGetsReady(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	ready := make(chan *discordgo.Ready, 1)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { closeSession(s) })

	r := receive(t, ready, 5*time.Second, "READY")
	if r.SessionID == "" || r.User.ID != fake.BotUserID || !r.User.Bot || r.Application.ID != fake.ApplicationID {
		t.Errorf("READY = session %q, user %+v, application %+v", r.SessionID, r.User, r.Application)
	}
	if err := fake.WaitReady(waitCtx(t, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	ids := fake.Identifies()
	if len(ids) != 1 {
		t.Fatalf("%d IDENTIFYs, want 1", len(ids))
	}
	var id struct {
		Token    string `json:"token"`
		Intents  int64  `json:"intents"`
		Compress bool   `json:"compress"`
	}
	if err := json.Unmarshal(ids[0], &id); err != nil {
		t.Fatal(err)
	}
	if id.Token != "Bot "+fake.Token || id.Intents != int64(discordgo.IntentGuilds) {
		t.Errorf("IDENTIFY token %q intents %d, want %q and %d", id.Token, id.Intents, "Bot "+fake.Token, discordgo.IntentGuilds)
	}
	// discordgo asks for payload compression, so READY came zlib-compressed
	// and the handler firing shows discordgo inflated it.
	if !id.Compress {
		t.Errorf("IDENTIFY did not ask for compression; READY went uncompressed")
	}
}

func TestDispatchedInteractionReachesDiscordgoAndCanBeAnsweredOnce(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := openSession(t, fake)
	got := make(chan *discordgo.InteractionCreate, 1)
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })

	const channel = "1180000000000000200"
	if err := fake.Dispatch("INTERACTION_CREATE", commandInteraction(fake, "1180000000000001000", channel)); err != nil {
		t.Fatal(err)
	}
	i := receive(t, got, 5*time.Second, "INTERACTION_CREATE")
	if i.ID != "1180000000000001000" || i.ApplicationCommandData().Name != "talks" || i.Member.User.Username != "alice" {
		t.Fatalf("interaction = %+v", i.Interaction)
	}

	reply := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "Next talk: Friday", Flags: discordgo.MessageFlagsEphemeral},
	}
	if err := s.InteractionRespond(i.Interaction, reply); err != nil {
		t.Fatalf("first callback: %v", err)
	}
	if status, code := apiError(t, s.InteractionRespond(i.Interaction, reply)); status != 400 || code != 40060 {
		t.Errorf("second callback: %d %d, want 400 40060", status, code)
	}
	followup, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "and one more"})
	if err != nil {
		t.Fatalf("follow-up: %v", err)
	}
	msgs := fake.Messages(channel)
	if len(msgs) != 2 || msgs[0].Content != "Next talk: Friday" || msgs[0].Flags&64 == 0 || msgs[1].ID != followup.ID {
		t.Errorf("messages = %+v", msgs)
	}
	assertNoViolations(t, fake)
}

func TestDeferredReplyIsEditedInPlace(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := openSession(t, fake)
	got := make(chan *discordgo.InteractionCreate, 1)
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })
	const channel = "1180000000000000201"
	if err := fake.Dispatch("INTERACTION_CREATE", commandInteraction(fake, "1180000000000001001", channel)); err != nil {
		t.Fatal(err)
	}
	i := receive(t, got, 5*time.Second, "INTERACTION_CREATE")

	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	content := "Loaded 12 rounds"
	if _, err := s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content}); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages(channel)
	if len(msgs) != 1 || msgs[0].Content != content || msgs[0].Flags&128 != 0 || msgs[0].EditedAt.IsZero() {
		t.Errorf("messages = %+v, want the deferred reply edited (no longer loading)", msgs)
	}
	assertNoViolations(t, fake)
}

func TestCallbackAfterTheDeadlineIsUnknownInteraction(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.WithInteractionDeadline(100*time.Millisecond))
	s := openSession(t, fake)
	got := make(chan *discordgo.InteractionCreate, 1)
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })
	if err := fake.Dispatch("INTERACTION_CREATE", commandInteraction(fake, "1180000000000001002", "1180000000000000202")); err != nil {
		t.Fatal(err)
	}
	i := receive(t, got, 5*time.Second, "INTERACTION_CREATE")
	time.Sleep(150 * time.Millisecond)
	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	if status, code := apiError(t, err); status != 404 || code != 10062 {
		t.Errorf("late callback: %d %d, want 404 10062", status, code)
	}
}

func TestDroppedConnectionIsResumedAndMissedEventsReplayed(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := openSession(t, fake)
	got := make(chan string, 4)
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i.ID })
	resumed := make(chan struct{}, 1)
	s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { resumed <- struct{}{} })

	if err := fake.Dispatch("INTERACTION_CREATE", commandInteraction(fake, "1180000000000001010", "1180000000000000203")); err != nil {
		t.Fatal(err)
	}
	receive(t, got, 5*time.Second, "the first interaction")

	if err := fake.DropConnection(); err != nil {
		t.Fatal(err)
	}
	// Sent while the socket is down: only a resume can deliver it.
	if err := fake.Dispatch("INTERACTION_CREATE", commandInteraction(fake, "1180000000000001011", "1180000000000000203")); err != nil {
		t.Fatal(err)
	}
	if id := receive(t, got, 10*time.Second, "the replayed interaction"); id != "1180000000000001011" {
		t.Errorf("replayed interaction %s", id)
	}
	receive(t, resumed, 5*time.Second, "RESUMED")

	resumes := fake.Resumes()
	if len(resumes) != 1 {
		t.Fatalf("%d RESUMEs, want 1", len(resumes))
	}
	var rp struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(resumes[0], &rp); err != nil {
		t.Fatal(err)
	}
	// READY was 1, the first interaction 2.
	if rp.SessionID == "" || rp.Seq != 2 || rp.Token != "Bot "+fake.Token {
		t.Errorf("RESUME = %+v, want seq 2", rp)
	}
	if n := fake.Connections(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("%d IDENTIFYs, want 1 (a resume needs none)", n)
	}
}

func TestReconnectOpcodeLeadsToAResume(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	openSession(t, fake)
	if err := fake.SendReconnect(); err != nil {
		t.Fatal(err)
	}
	if err := fake.WaitReady(waitCtx(t, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if n, c := len(fake.Resumes()), fake.Connections(); n != 1 || c != 2 {
		t.Errorf("%d RESUMEs on %d connections, want 1 on 2", n, c)
	}
}

func TestInvalidSessionMakesDiscordgoIdentifyAgain(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := openSession(t, fake)
	ready := make(chan string, 2)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r.SessionID })
	if err := fake.SendInvalidSession(false); err != nil {
		t.Fatal(err)
	}
	receive(t, ready, 5*time.Second, "a second READY")
	if n := len(fake.Identifies()); n != 2 {
		t.Errorf("%d IDENTIFYs, want 2", n)
	}
}

func TestPrivilegedIntentIsRefused(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	s.ShouldReconnectOnError = false
	s.Identify.Intents = discordgo.IntentGuilds | discordgo.IntentMessageContent
	err := s.Open()
	if err == nil {
		closeSession(s)
		t.Fatal("Open with MESSAGE_CONTENT succeeded; want the gateway closed with 4014")
	}
	// discordgo returns the close of the socket as gorilla/websocket reports it.
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4014 {
		t.Errorf("Open failed with %v; want the gateway closed with 4014 Disallowed intent(s)", err)
	}
}
