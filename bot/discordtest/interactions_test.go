package discordtest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/discordtest"
)

// TestWebhookRoutesKnowTheInteractionsToken drives the routes of an
// interaction's token the way a bot with an HTTP interactions endpoint
// would: the interaction arrives elsewhere and is tracked by hand.
func TestWebhookRoutesKnowTheInteractionsToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		respond    bool          // send the initial callback first
		lifetime   time.Duration // of the token; Discord's 15 minutes when zero
		wait       time.Duration // before the follow-up
		token      string        // "" for the interaction's own
		wantStatus int
		wantCode   int
	}{
		{name: "a follow-up after the response is a new message", respond: true, wantStatus: 200},
		{name: "a follow-up before any response is an unknown webhook", wantStatus: 404, wantCode: 10015},
		{name: "an unknown token is an unknown webhook", respond: true, token: "no-such-token", wantStatus: 404, wantCode: 10015},
		{name: "a token past its lifetime is invalid", respond: true, lifetime: 100 * time.Millisecond, wait: 150 * time.Millisecond, wantStatus: 401, wantCode: 50027},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lifetime := tc.lifetime
			if lifetime == 0 {
				lifetime = 15 * time.Minute
			}
			fake := discordtest.New(t, discordtest.WithInteractionTokenLifetime(lifetime))
			s := newSession(t, fake)
			const channel = "1180000000000000210"
			data := commandInteraction(fake, "1180000000000001020", channel)
			if err := fake.TrackInteraction(data); err != nil {
				t.Fatal(err)
			}
			i := &discordgo.Interaction{ID: "1180000000000001020", AppID: fake.ApplicationID, Token: data["token"].(string)}
			if tc.respond {
				if err := s.InteractionRespond(i, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Content: "Round 3: Friday 18:00"},
				}); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(tc.wait)
			if tc.token != "" {
				i.Token = tc.token
			}
			_, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "Reminder set"})
			if tc.wantStatus == 200 {
				if err != nil {
					t.Fatal(err)
				}
				if msgs := fake.Messages(channel); len(msgs) != 2 || msgs[1].Content != "Reminder set" || msgs[1].InteractionID == "" {
					t.Errorf("messages = %+v", msgs)
				}
				return
			}
			if status, code := apiError(t, err); status != tc.wantStatus || code != tc.wantCode {
				t.Errorf("follow-up: %d %d, want %d %d", status, code, tc.wantStatus, tc.wantCode)
			}
		})
	}
}

func TestHandleOverridesTheFakesAnswer(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	fake.Handle("POST /users/@me/channels", func(discordtest.Request) (int, any) {
		return http.StatusForbidden, map[string]any{"message": "Cannot send messages to this user", "code": 50007}
	})
	_, err := s.UserChannelCreate("1180000000000000500")
	if status, code := apiError(t, err); status != 403 || code != 50007 {
		t.Errorf("answer %d %d, want 403 50007", status, code)
	}
	r, err := fake.WaitRequest(waitCtx(t, time.Second), func(r discordtest.Request) bool { return r.Route == "POST /users/@me/channels" })
	if err != nil || r.Status != 403 || r.Params == nil {
		t.Errorf("recorded %+v, %v", r, err)
	}
}
