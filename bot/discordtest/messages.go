package discordtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Message is a message the bot made: posted in a channel, or an
// interaction's response or follow-up (which Discord shows in the channel
// the interaction came from).
type Message struct {
	ID              string
	ChannelID       string
	Content         string
	Embeds          []*discordgo.MessageEmbed
	AllowedMentions *discordgo.MessageAllowedMentions // nil when the body had none
	Components      json.RawMessage                   // as sent; nil when none
	Flags           int64                             // e.g. 64 for an ephemeral reply
	Nonce           string
	InteractionID   string // set on an interaction's response and follow-ups
	Files           []File
	Raw             json.RawMessage // the body that created it, or last edited it
	At              time.Time
	EditedAt        time.Time // zero unless edited

	embedsRaw json.RawMessage
	nonceRaw  json.RawMessage
	original  bool // an interaction's response rather than a follow-up
}

// Messages returns the messages of a channel, oldest first, as they are now
// (after edits).
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.state.channels[channelID] {
		c := *m
		out = append(out, c)
	}
	return out
}

// messageBody is what the fake reads from a message create or edit.
type messageBody struct {
	Content         *string         `json:"content"`
	Embeds          json.RawMessage `json:"embeds"`
	AllowedMentions json.RawMessage `json:"allowed_mentions"`
	Components      json.RawMessage `json:"components"`
	Flags           *int64          `json:"flags"`
	Nonce           json.RawMessage `json:"nonce"`
	EnforceNonce    bool            `json:"enforce_nonce"`
}

// apply sets what body sets; a field the body leaves out stays as it was,
// as in Discord's edits. The body has passed validation, so an error here
// means the fake reads a valid body wrongly.
func (m *Message) apply(body []byte, files []File) error {
	var b messageBody
	if err := json.Unmarshal(body, &b); err != nil {
		return err
	}
	var errs []error
	if b.Content != nil {
		m.Content = *b.Content
	}
	if b.Embeds != nil {
		m.Embeds, m.embedsRaw = nil, nil
		if !isNull(b.Embeds) {
			m.embedsRaw = b.Embeds
			errs = append(errs, json.Unmarshal(b.Embeds, &m.Embeds))
		}
	}
	if b.AllowedMentions != nil {
		m.AllowedMentions = nil
		if !isNull(b.AllowedMentions) {
			errs = append(errs, json.Unmarshal(b.AllowedMentions, &m.AllowedMentions))
		}
	}
	if b.Components != nil {
		m.Components = nil
		if !isNull(b.Components) {
			m.Components = b.Components
		}
	}
	if b.Flags != nil {
		// Whether a message is ephemeral is fixed when it is made.
		m.Flags = m.Flags&flagEphemeral | *b.Flags&^flagEphemeral
	}
	if len(files) > 0 {
		m.Files = files
	}
	m.Raw = body
	return errors.Join(errs...)
}

func nonceString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if isNull(raw) {
		return ""
	}
	return strings.TrimSpace(string(raw))
}

// addMessageLocked stores m; s.mu must be held.
func (s *Server) addMessageLocked(m *Message) {
	s.state.channels[m.ChannelID] = append(s.state.channels[m.ChannelID], m)
	s.state.byID[m.ID] = m
	s.notifyLocked()
}

// createChannelMessage answers POST /channels/{channel_id}/messages. With
// enforce_nonce, "if another message was created by the same author with
// the same nonce, that message will be returned and no new message will be
// created"; every message here has the same author, the bot.
func (s *Server) createChannelMessage(r *Request) response {
	var b messageBody
	if err := json.Unmarshal(r.Body, &b); err != nil {
		return s.misread(r, err)
	}
	now := time.Now()
	nonce := nonceString(b.Nonce)
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.EnforceNonce && nonce != "" {
		if prev, ok := s.state.nonces[nonce]; ok && now.Sub(prev.At) < nonceWindow {
			return response{status: http.StatusOK, body: s.messageObject(prev)}
		}
	}
	m := &Message{ID: s.idGen.next(), ChannelID: r.Params["channel_id"], Nonce: nonce, nonceRaw: b.Nonce, At: now}
	if err := m.apply(r.Body, r.Files); err != nil {
		return s.misread(r, err)
	}
	s.addMessageLocked(m)
	if b.EnforceNonce && nonce != "" {
		s.state.nonces[nonce] = m
	}
	return response{status: http.StatusOK, body: s.messageObject(m)}
}

// messageObject is Discord's message object for m; s.mu must be held.
func (s *Server) messageObject(m *Message) map[string]any {
	obj := map[string]any{
		"id":               m.ID,
		"channel_id":       m.ChannelID,
		"type":             0,
		"content":          m.Content,
		"author":           s.botUser(),
		"embeds":           json.RawMessage("[]"),
		"attachments":      []any{},
		"mentions":         []any{},
		"mention_roles":    []any{},
		"mention_everyone": false,
		"pinned":           false,
		"tts":              false,
		"timestamp":        discordTime(m.At),
		"edited_timestamp": nil,
		"flags":            m.Flags,
		"components":       json.RawMessage("[]"),
	}
	if m.embedsRaw != nil {
		obj["embeds"] = m.embedsRaw
	}
	if m.Components != nil {
		obj["components"] = m.Components
	}
	if !m.EditedAt.IsZero() {
		obj["edited_timestamp"] = discordTime(m.EditedAt)
	}
	if m.nonceRaw != nil && !isNull(m.nonceRaw) {
		obj["nonce"] = m.nonceRaw
	}
	if m.InteractionID != "" {
		// Interaction responses are sent through the app's webhook.
		obj["webhook_id"] = s.ApplicationID
		obj["application_id"] = s.ApplicationID
		if m.original {
			obj["type"] = 20 // CHAT_INPUT_COMMAND
		}
	}
	var atts []any
	for _, f := range m.Files {
		atts = append(atts, map[string]any{
			"id": s.idGen.next(), "filename": f.Filename, "size": len(f.Data), "content_type": f.ContentType,
			"url": s.URL + "/attachments/" + m.ChannelID + "/" + m.ID + "/" + f.Filename, "proxy_url": "",
		})
	}
	if atts != nil {
		obj["attachments"] = atts
	}
	return obj
}

func discordTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000+00:00")
}

// misread reports a valid body the fake could not read: its own fault, so it
// fails the test rather than blaming the bot.
func (s *Server) misread(r *Request, err error) response {
	s.t.Errorf("discordtest: %s: reading a valid body: %v", r.Route, err)
	return jsonError(http.StatusInternalServerError, 0, "500: discordtest could not read the body")
}
