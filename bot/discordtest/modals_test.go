package discordtest_test

import (
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/discordtest"
)

// form is a modal response of n short text inputs named f1, f2, ...
func form(n int) *discordgo.InteractionResponse {
	var rows []discordgo.MessageComponent
	for k := 1; k <= n; k++ {
		id := "f" + string(rune('0'+k))
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{CustomID: id, Label: "Field " + id, Style: discordgo.TextInputShort, Value: "v" + id, Required: k == 1, MaxLength: 100},
		}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: "edit/round:t:1:v2", Title: "Round 1", Components: rows}}
}

// respond tracks in and answers it with resp through discordgo.
func respond(t *testing.T, fake *discordtest.Server, in map[string]any, resp *discordgo.InteractionResponse) error {
	t.Helper()
	if err := fake.TrackInteraction(in); err != nil {
		t.Fatal(err)
	}
	i := &discordgo.Interaction{ID: in["id"].(string), AppID: fake.ApplicationID, Token: in["token"].(string)}
	return newSession(t, fake).InteractionRespond(i, resp)
}

func TestAFormIsCheckedAndRecorded(t *testing.T) {
	t.Parallel()
	editor := discordtest.Caller{GuildID: discordtest.DefaultGuildID, Nick: "Olena", Roles: []string{"1180000000000000900"}}
	tests := []struct {
		name       string
		typ        int // of the interaction answered
		resp       *discordgo.InteractionResponse
		wantStatus int
		violation  string // "" for none
	}{
		{name: "a form of five inputs answering a command is shown", typ: 2, resp: form(5), wantStatus: 204},
		{name: "a form answering a button is shown", typ: 3, resp: form(1), wantStatus: 204},
		{name: "a form of six inputs is refused", typ: 2, resp: form(6), wantStatus: 400, violation: "Must be between 1 and 5"},
		{name: "a form with two inputs of one id is refused", typ: 2, resp: func() *discordgo.InteractionResponse {
			r := form(2)
			r.Data.Components[1].(discordgo.ActionsRow).Components[0] = discordgo.TextInput{CustomID: "f1", Label: "Again", Style: 1}
			return r
		}(), wantStatus: 400, violation: `custom_id "f1" is used twice`},
		{name: "a form without a title is refused by the schema", typ: 2, resp: func() *discordgo.InteractionResponse {
			r := form(1)
			r.Data.Title = ""
			return r
		}(), wantStatus: 400, violation: "/data/title"},
		{name: "a form answering a form's submit is refused", typ: 5, resp: form(1), wantStatus: 400, violation: "cannot answer an interaction of type 5"},
		{name: "a form answering an autocomplete is refused", typ: 4, resp: form(1), wantStatus: 400, violation: "cannot answer an interaction of type 4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			in := fake.Interaction(editor, tc.typ, map[string]any{"custom_id": "x", "components": []any{}})
			err := respond(t, fake, in, tc.resp)
			reqs := fake.Requests()
			if len(reqs) != 1 || reqs[0].Status != tc.wantStatus {
				t.Fatalf("requests %+v (err %v); want one callback answered %d", reqs, err, tc.wantStatus)
			}
			v := fake.Violations()
			if tc.violation == "" {
				if len(v) > 0 {
					t.Errorf("violations: %q", v)
				}
				m := fake.Modals()
				if len(m) != 1 || m[0].InteractionID != in["id"] || m[0].CustomID != "edit/round:t:1:v2" || m[0].Title != "Round 1" {
					t.Fatalf("forms %+v; want the one sent", m)
				}
				if first := m[0].Inputs[0]; first != (discordtest.TextInput{CustomID: "f1", Label: "Field f1", Style: 1, Value: "vf1", Required: true, MaxLength: 100}) {
					t.Errorf("first input %+v", first)
				}
				return
			}
			if len(v) == 0 || !strings.Contains(strings.Join(v, "\n"), tc.violation) {
				t.Errorf("violations %q; want one saying %q", v, tc.violation)
			}
			if len(fake.Modals()) != 0 {
				t.Errorf("a refused form was recorded: %+v", fake.Modals())
			}
		})
	}
}

func TestModalSubmitsCarryTheCallerAndTheFields(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	member := discordtest.Caller{UserID: "1180000000000000501", Username: "olena", GlobalName: "Olena K.", Nick: "Olena (editor)",
		GuildID: discordtest.DefaultGuildID, Roles: []string{"1180000000000000900", "1180000000000000901"}, Permissions: "32"}
	raw, err := json.Marshal(fake.ModalSubmit(member, "edit/round:t:1:v2",
		discordtest.Field{ID: "starts", Value: "2025-06-02"}, discordtest.Field{ID: "agenda", Value: "a\nb"}))
	if err != nil {
		t.Fatal(err)
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(raw, &i); err != nil {
		t.Fatalf("discordgo cannot read the submit: %v\n%s", err, raw)
	}
	data := i.ModalSubmitData()
	if i.Type != discordgo.InteractionModalSubmit || data.CustomID != "edit/round:t:1:v2" || len(data.Components) != 2 {
		t.Fatalf("submit %+v; want type 5 with two rows", i)
	}
	in := data.Components[1].(*discordgo.ActionsRow).Components[0].(*discordgo.TextInput)
	if in.CustomID != "agenda" || in.Value != "a\nb" {
		t.Errorf("second input %+v", in)
	}
	if i.Member == nil || i.Member.Nick != "Olena (editor)" || !slices.Equal(i.Member.Roles, member.Roles) ||
		i.Member.Permissions != 32 || i.Member.User.GlobalName != "Olena K." || i.GuildID != member.GuildID || i.User != nil {
		t.Errorf("member %+v, user %+v, guild %q; want the member as given", i.Member, i.User, i.GuildID)
	}

	dm := fake.ModalSubmit(discordtest.Caller{UserID: "1180000000000000502", Username: "petro"}, "m")
	raw, _ = json.Marshal(dm)
	if err := json.Unmarshal(raw, &i); err != nil {
		t.Fatal(err)
	}
	if i.Member != nil || i.User == nil || i.User.Username != "petro" || i.Context != discordgo.InteractionContextBotDM {
		t.Errorf("a DM submit: member %+v, user %+v, context %d; want the user in a bot DM", i.Member, i.User, i.Context)
	}
}

// An endpoint's HTTP answer is checked and recorded as the callback it
// stands for, and the request reaching it is signed as Discord signs.
func TestPostInteractionSignsAndRecordsTheAnswer(t *testing.T) {
	t.Parallel()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.New(t)
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !discordgo.VerifyInteraction(r, pub) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var in discordgo.Interaction
		if err := json.Unmarshal(body, &in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		resp := form(3)
		if in.Type == discordgo.InteractionModalSubmit {
			resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "Saved.", Flags: discordgo.MessageFlagsEphemeral}}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(endpoint.Close)
	ctx := waitCtx(t, 10*time.Second)
	caller := discordtest.Caller{GuildID: discordtest.DefaultGuildID}

	cmd := fake.Interaction(caller, 2, map[string]any{"id": "1", "name": "talks-edit", "type": 1})
	if p, err := fake.PostInteraction(ctx, endpoint.URL, priv, cmd); err != nil || p.Status != 200 {
		t.Fatalf("posting a command: %+v, %v", p, err)
	}
	m, err := fake.WaitModal(ctx, cmd["id"].(string))
	if err != nil || len(m.Inputs) != 3 {
		t.Fatalf("form %+v, %v; want the endpoint's form of three inputs", m, err)
	}
	submit, p, err := fake.PostModalSubmit(ctx, endpoint.URL, priv, caller, m.CustomID, discordtest.Field{ID: "f1", Value: "typed"})
	if err != nil || p.Status != 200 {
		t.Fatalf("posting a submit: %+v, %v", p, err)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || !reqs[1].FromEndpoint || reqs[1].Params["interaction_id"] != submit["id"] || reqs[1].Status != 204 {
		t.Fatalf("requests %+v; want both answers recorded as callbacks, the second for the submit", reqs)
	}
	// The caller names no channel: the builder's default.
	if msgs := fake.Messages("1180000000000000200"); len(msgs) != 1 || msgs[0].Content != "Saved." || msgs[0].Flags != 64 {
		t.Errorf("messages %+v; want the ephemeral answer to the submit", msgs)
	}
	_, wrong, _ := ed25519.GenerateKey(nil)
	if p, err := fake.PostInteraction(ctx, endpoint.URL, wrong, fake.Interaction(caller, 2, map[string]any{"name": "x"})); err != nil || p.Status != 401 {
		t.Errorf("a wrong key: %+v, %v; want 401 from the endpoint", p, err)
	}
	assertNoViolations(t, fake)
}
