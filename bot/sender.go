package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"talkbot/remind"
	"talkbot/schedule"
)

// Discord error codes the sender acts on.
const (
	codeUnknownChannel     = 10003
	codeUnknownUser        = 10013
	codeMissingAccess      = 50001
	codeCannotDMUser       = 50007
	codeMissingPermissions = 50013
)

// Sender posts the scheduler's messages through the bot's session: same
// REST base, same buckets and 429 handling, same global ceiling.
type Sender struct {
	s   *discordgo.Session
	dms sync.Map // user id -> DM channel id
}

var _ schedule.Sender = (*Sender)(nil)

// NewSender sends through s.
func NewSender(s *discordgo.Session) *Sender { return &Sender{s: s} }

// messageBody is POST /channels/{id}/messages with the nonce fields
// discordgo's MessageSend lacks.
type messageBody struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Nonce           string                            `json:"nonce"`
	EnforceNonce    bool                              `json:"enforce_nonce"`
}

// Send posts m to a channel ("channel:ID") or a user's DMs ("user:ID").
// With enforce_nonce, a repeat after a crash returns the message already
// posted instead of a second one.
func (d *Sender) Send(ctx context.Context, target string, m remind.Message, nonce string) (string, error) {
	kind, id, _ := strings.Cut(target, ":")
	channel := id
	if kind == "user" {
		var err error
		if channel, err = d.dm(ctx, id); err != nil {
			return "", err
		}
	}
	raw, err := d.s.Request(http.MethodPost, discordgo.EndpointChannelMessages(channel),
		messageBody{Content: m.Content, Embeds: embeds(m.Embeds), AllowedMentions: mentionsOf(m.PingRole), Nonce: nonce, EnforceNonce: true},
		discordgo.WithContext(ctx))
	if err != nil {
		return "", classify(err, kind == "user")
	}
	var msg struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil {
		return "", fmt.Errorf("reading the posted message: %w", err)
	}
	return msg.ID, nil
}

// mentionsOf lets a message ping role, if any, and nobody else: stored
// text may hold "@everyone" or another role.
func mentionsOf(role string) *discordgo.MessageAllowedMentions {
	m := noMentions()
	if role != "" {
		m.Roles = []string{role}
	}
	return m
}

// embeds are Discord's form of a message's embeds.
func embeds(es []remind.Embed) []*discordgo.MessageEmbed {
	var out []*discordgo.MessageEmbed
	for _, e := range es {
		de := &discordgo.MessageEmbed{Title: e.Title, Description: e.Description, URL: e.URL, Color: e.Color}
		for _, f := range e.Fields {
			de.Fields = append(de.Fields, &discordgo.MessageEmbedField{Name: f.Name, Value: f.Value, Inline: f.Inline})
		}
		if e.Footer != "" {
			de.Footer = &discordgo.MessageEmbedFooter{Text: e.Footer}
		}
		out = append(out, de)
	}
	return out
}

// dm returns the DM channel with a user, creating it once.
func (d *Sender) dm(ctx context.Context, user string) (string, error) {
	if ch, ok := d.dms.Load(user); ok {
		return ch.(string), nil
	}
	ch, err := d.s.UserChannelCreate(user, discordgo.WithContext(ctx))
	if err != nil {
		return "", classify(err, true)
	}
	d.dms.Store(user, ch.ID)
	return ch.ID, nil
}

// classify turns Discord's refusals for good into GoneError; anything else
// (5xx, time-outs) is returned as is, to be retried. A 404 is a refusal for
// good only when Discord says what is unknown (10003 Unknown Channel, 10013
// Unknown User): a bare 404 comes from a wrong API base or a proxy, and
// taking it for a lost channel would disable every follow at once.
func classify(err error, toUser bool) error {
	status, code, ok := restError(err)
	if !ok {
		return apiError(err)
	}
	switch {
	case code == codeCannotDMUser:
		return &schedule.GoneError{Code: code, Reason: "the user does not accept direct messages from talkbot (Discord error 50007)"}
	case status == http.StatusNotFound && (code == codeUnknownChannel || code == codeUnknownUser):
		what := "the channel no longer exists"
		if toUser {
			what = "the user could not be found"
		}
		return &schedule.GoneError{Code: code, Reason: fmt.Sprintf("%s (Discord %d, code %d)", what, status, code)}
	case status == http.StatusForbidden && (code == codeMissingAccess || code == codeMissingPermissions):
		return &schedule.GoneError{Code: code, Reason: fmt.Sprintf("talkbot may not post there: it needs View Channel, Send Messages and Embed Links (Discord 403, code %d)", code)}
	}
	return err
}

// restError reads the HTTP status and Discord's error code of a refusal;
// ok is false for an error that never got an answer (a time-out, a reset).
func restError(err error) (status, code int, ok bool) {
	var rerr *discordgo.RESTError
	if !errors.As(err, &rerr) || rerr.Response == nil {
		return 0, 0, false
	}
	if rerr.Message != nil {
		code = rerr.Message.Code
	}
	return rerr.Response.StatusCode, code, true
}
