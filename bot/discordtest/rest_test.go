package discordtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/discordtest"
)

const routeMessages = "POST /channels/{channel_id}/messages"

func statusesOf(fake *discordtest.Server, route string) []int {
	var out []int
	for _, r := range fake.Requests() {
		if r.Route == route {
			out = append(out, r.Status)
		}
	}
	return out
}

func TestBodiesThatBreakTheSpecOrDiscordsRulesAreViolations(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	messages := discordgo.EndpointChannelMessages("1180000000000000300")
	commands := discordgo.EndpointApplicationGlobalCommands(fake.ApplicationID)
	option := func(typ int, name string, required bool, sub ...any) map[string]any {
		return map[string]any{"type": typ, "name": name, "description": name + " option", "required": required, "options": sub}
	}
	command := func(name string, options ...any) []any {
		return []any{map[string]any{"name": name, "description": "Talk rounds", "options": options}}
	}
	tests := []struct {
		name          string
		method, url   string
		body          any
		wantStatus    int
		wantCode      int
		wantViolation string
	}{
		{"a message whose content is a number", "POST", messages, map[string]any{"content": 5},
			400, 50035, "/content: got number"},
		{"an embed title over 256 characters", "POST", messages, map[string]any{"embeds": []any{map[string]any{"title": strings.Repeat("a", 257)}}},
			400, 50035, "/embeds/0/title: maxLength"},
		{"content over the documented 2,000 characters", "POST", messages, map[string]any{"content": strings.Repeat("a", 2001)},
			400, 50035, "/content: Must be 2000 or fewer"},
		{"an empty message", "POST", messages, map[string]any{"content": ""},
			400, 50006, "Cannot send an empty message"},
		{"embeds over 6,000 characters together", "POST", messages, map[string]any{"embeds": []any{
			map[string]any{"description": strings.Repeat("a", 4000)}, map[string]any{"description": strings.Repeat("b", 2001)}}},
			400, 50035, "MAX_EMBED_SIZE_EXCEEDED"},
		{"a command name with capitals", "PUT", commands, command("Talks"),
			400, 50035, "/0/name: Command name is invalid"},
		{"a required option after an optional one", "PUT", commands, command("talks", option(3, "a", false), option(3, "b", true)),
			400, 50035, "/0/options/1/required: Required options must be placed before"},
		{"a subcommand inside a subcommand", "PUT", commands, command("talks", option(1, "a", false, option(1, "b", false))),
			400, 50035, "/0/options/0/options/0"},
		{"permissions that are no number", "PUT", commands, []any{map[string]any{"name": "talks", "description": "d", "default_member_permissions": "admin"}},
			400, 50035, `/0/default_member_permissions: "admin" is not a decimal integer`},
		{"two commands of one name", "PUT", commands, append(command("talks"), command("talks")...),
			400, 50035, "/1/name: Application command names must be unique"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fake.Violations())
			_, err := s.RequestWithBucketID(tc.method, tc.url, tc.body, tc.url)
			if status, code := apiError(t, err); status != tc.wantStatus || code != tc.wantCode {
				t.Errorf("answer %d code %d, want %d code %d", status, code, tc.wantStatus, tc.wantCode)
			}
			got := fake.Violations()[before:]
			if !slices.ContainsFunc(got, func(v string) bool { return strings.Contains(v, tc.wantViolation) }) {
				t.Errorf("violations %q do not mention %q", got, tc.wantViolation)
			}
		})
	}
}

func TestInvalidFormBodyNamesTheField(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	url := discordgo.EndpointChannelMessages("1180000000000000300")
	_, err := s.RequestWithBucketID("POST", url, map[string]any{"content": "hi", "embeds": []any{map[string]any{"title": 1}}}, url)
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("want a REST error, got %v", err)
	}
	var body struct {
		Code   int `json:"code"`
		Errors struct {
			Embeds map[string]struct {
				Title struct {
					Errors []struct{ Code, Message string } `json:"_errors"`
				} `json:"title"`
			} `json:"embeds"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(re.ResponseBody, &body); err != nil {
		t.Fatal(err)
	}
	if body.Code != 50035 || len(body.Errors.Embeds["0"].Title.Errors) != 1 {
		t.Errorf("body = %s", re.ResponseBody)
	}
}

func TestValidBulkOverwritePassesAndKeepsIDs(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	manageServer := int64(discordgo.PermissionManageGuild)
	one := 1.0
	cmds := []*discordgo.ApplicationCommand{
		{
			Name:                     "talks",
			Description:              "Talk rounds",
			NameLocalizations:        &map[discordgo.Locale]string{discordgo.Ukrainian: "доповіді"},
			DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.Ukrainian: "Раунди доповідей"},
			Contexts:                 &[]discordgo.InteractionContextType{0, 1, 2},
			IntegrationTypes:         &[]discordgo.ApplicationIntegrationType{0, 1},
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "next", Description: "Show the next round"},
				{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: "round", Description: "One round", Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "show", Description: "Show a round", Options: []*discordgo.ApplicationCommandOption{
						{Type: discordgo.ApplicationCommandOptionInteger, Name: "number", Description: "Round number", Required: true, MinValue: &one},
						{Type: discordgo.ApplicationCommandOptionString, Name: "track", Description: "Track", Choices: []*discordgo.ApplicationCommandOptionChoice{
							{Name: "Main", Value: "main"}, {Name: "Lightning", Value: "lightning"},
						}},
						{Type: discordgo.ApplicationCommandOptionString, Name: "speaker", Description: "Speaker", Autocomplete: true},
					}},
				}},
			},
		},
		{Name: "talks-admin", Description: "Manage talk rounds", DefaultMemberPermissions: &manageServer},
		{Type: discordgo.UserApplicationCommand, Name: "Show talks"},
	}
	first, err := s.ApplicationCommandBulkOverwrite(fake.ApplicationID, "", cmds)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 3 || first[0].ID == "" || first[0].ApplicationID != fake.ApplicationID ||
		first[1].DefaultMemberPermissions == nil || *first[1].DefaultMemberPermissions != manageServer {
		t.Fatalf("overwrite answered %+v", first)
	}
	again, err := s.ApplicationCommandBulkOverwrite(fake.ApplicationID, "", cmds)
	if err != nil {
		t.Fatal(err)
	}
	listed, err := s.ApplicationCommands(fake.ApplicationID, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if again[i].ID != first[i].ID || listed[i].ID != first[i].ID {
			t.Errorf("command %q: ids %s, %s, %s; want one id kept across overwrites", first[i].Name, first[i].ID, again[i].ID, listed[i].ID)
		}
	}
	guild, err := s.ApplicationCommandBulkOverwrite(fake.ApplicationID, discordtest.DefaultGuildID, cmds[:1])
	if err != nil {
		t.Fatal(err)
	}
	if guild[0].GuildID != discordtest.DefaultGuildID || len(fake.Commands(discordtest.DefaultGuildID)) != 1 || len(fake.Commands("")) != 3 {
		t.Errorf("guild overwrite = %+v", guild[0])
	}
	assertNoViolations(t, fake)
}

func TestRateLimitedRequestIsRetriedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	for _, global := range []bool{false, true} {
		name := "route limit"
		if global {
			name = "global limit"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			s := newSession(t, fake)
			const wait = 300 * time.Millisecond
			fake.RateLimitNext(routeMessages, 1, wait, global)
			start := time.Now()
			if _, err := s.ChannelMessageSend("1180000000000000300", "hello"); err != nil {
				t.Fatal(err)
			}
			if elapsed := time.Since(start); elapsed < wait {
				t.Errorf("discordgo retried after %v, before retry_after %v", elapsed, wait)
			}
			if got := statusesOf(fake, routeMessages); !slices.Equal(got, []int{429, 200}) {
				t.Errorf("statuses %v, want [429 200]", got)
			}
		})
	}
}

func TestBucketHeadersMakeDiscordgoWaitInsteadOf429(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	const window = 500 * time.Millisecond
	fake.SetRateLimit(routeMessages, 2, window)
	start := time.Now()
	for i := range 3 {
		if _, err := s.ChannelMessageSend("1180000000000000300", "hello"); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if elapsed := time.Since(start); elapsed < window-50*time.Millisecond {
		t.Errorf("three messages in %v; the third should have waited for the %v window", elapsed, window)
	}
	if got := statusesOf(fake, routeMessages); !slices.Equal(got, []int{200, 200, 200}) {
		t.Errorf("statuses %v, want discordgo to wait rather than meet a 429", got)
	}
}

func TestBadGatewayIsRetriedAndServerErrorIsNot(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	fake.FailNext(routeMessages, 2, http.StatusBadGateway, nil)
	if _, err := s.ChannelMessageSend("1180000000000000300", "hello"); err != nil {
		t.Fatalf("after two 502s: %v", err)
	}
	fake.FailNext(routeMessages, 1, http.StatusInternalServerError, nil)
	_, err := s.ChannelMessageSend("1180000000000000300", "hello")
	if status, _ := apiError(t, err); status != 500 {
		t.Errorf("status %d, want 500", status)
	}
	if got := statusesOf(fake, routeMessages); !slices.Equal(got, []int{502, 502, 200, 500}) {
		t.Errorf("statuses %v, want [502 502 200 500]", got)
	}
}

func TestEnforcedNonceReturnsTheSameMessage(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	const channel = "1180000000000000301"
	url := discordgo.EndpointChannelMessages(channel)
	send := func(body map[string]any) string {
		t.Helper()
		raw, err := s.RequestWithBucketID("POST", url, body, url)
		if err != nil {
			t.Fatal(err)
		}
		var m discordgo.Message
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	reminder := map[string]any{
		"content": "Round 3 starts <t:1767225600:R>", "nonce": "round3-1h", "enforce_nonce": true,
		"allowed_mentions": map[string]any{"parse": []string{}},
	}
	first, second := send(reminder), send(reminder)
	if first != second {
		t.Errorf("ids %s and %s; want the repeat to return the first message", first, second)
	}
	reminder["enforce_nonce"] = false
	if third := send(reminder); third == first {
		t.Errorf("without enforce_nonce the repeat returned the first message")
	}
	msgs := fake.Messages(channel)
	if len(msgs) != 2 || msgs[0].Nonce != "round3-1h" || msgs[0].AllowedMentions == nil || msgs[0].AllowedMentions.Parse == nil {
		t.Errorf("messages = %+v", msgs)
	}
	assertNoViolations(t, fake)
}

func TestEveryAnswerCarriesRateLimitHeadersAndAWrongTokenIs401(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	tests := []struct {
		name, path, auth string
		want             int
	}{
		{"the bot token", "/users/@me", "Bot " + fake.Token, 200},
		{"no token", "/users/@me", "", 401},
		{"a token without Bot", "/users/@me", fake.Token, 401},
		{"a path that is no Discord route", "/no/such/route", "Bot " + fake.Token, 404},
		{"a route the spec has but the fake does not implement", "/guilds/1/roles", "Bot " + fake.Token, 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), "GET", fake.APIBase+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
			for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Bucket"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("no %s header", h)
				}
			}
		})
	}
}

func TestDiscordgoReadsUserApplicationChannelsAndDMs(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := newSession(t, fake)
	me, err := s.User("@me")
	if err != nil || me.ID != fake.BotUserID || !me.Bot {
		t.Errorf("User(@me) = %+v, %v", me, err)
	}
	app, err := s.Application("@me")
	if err != nil || app.ID != fake.ApplicationID {
		t.Errorf("Application(@me) = %+v, %v", app, err)
	}
	dm, err := s.UserChannelCreate("1180000000000000500")
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.UserChannelCreate("1180000000000000500")
	if err != nil || again.ID != dm.ID {
		t.Errorf("second DM channel %v, %v; want %s", again, err, dm.ID)
	}
	ch, err := s.Channel(dm.ID)
	if err != nil || ch.Type != discordgo.ChannelTypeDM || ch.Recipients[0].ID != "1180000000000000500" {
		t.Errorf("Channel(DM) = %+v, %v", ch, err)
	}
	if _, err := s.ChannelMessageSend(dm.ID, "Your round starts soon"); err != nil {
		t.Fatal(err)
	}
	if msgs := fake.Messages(dm.ID); len(msgs) != 1 {
		t.Errorf("DM messages = %+v", msgs)
	}
	assertNoViolations(t, fake)
}
