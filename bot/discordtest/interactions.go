package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// interaction is what the fake remembers of an interaction it sent, to
// answer its callback and the webhook routes of its token.
type interaction struct {
	id, token, channelID string
	typ                  int
	componentMessageID   string // the message a component interaction came from
	createdAt            time.Time
	acked                bool
	deferred             bool   // answered with type 5, and not yet edited
	originalID           string // the message @original names
}

// TrackInteraction makes the fake expect callbacks and webhook calls for an
// interaction it did not dispatch itself (one delivered to the bot's HTTP
// endpoint, say), as if Discord had created it now. data is the interaction
// object; id and token are required, channel_id (or channel.id) names the
// channel its messages go to. Interactions sent with
// Dispatch("INTERACTION_CREATE", ...) are tracked already.
func (s *Server) TrackInteraction(data any) error {
	raw, err := marshalData(data)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.trackInteractionLocked(raw, time.Now())
}

func (s *Server) trackInteractionLocked(raw json.RawMessage, now time.Time) error {
	var in struct {
		ID        string `json:"id"`
		Token     string `json:"token"`
		Type      int    `json:"type"`
		ChannelID string `json:"channel_id"`
		GuildID   string `json:"guild_id"`
		Channel   *struct {
			ID string `json:"id"`
		} `json:"channel"`
		Message *struct {
			ID string `json:"id"`
		} `json:"message"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return fmt.Errorf("discordtest: reading the interaction: %w", err)
	}
	if in.ID == "" || in.Token == "" {
		return errors.New("discordtest: an interaction needs an id and a token")
	}
	it := &interaction{id: in.ID, token: in.Token, typ: in.Type, channelID: in.ChannelID, createdAt: now}
	if it.channelID == "" && in.Channel != nil {
		it.channelID = in.Channel.ID
	}
	if in.Message != nil {
		it.componentMessageID = in.Message.ID
	}
	if in.GuildID != "" && it.channelID != "" {
		s.state.channelGuild[it.channelID] = in.GuildID
	}
	s.state.interactions[it.id] = it
	s.state.byToken[it.token] = it
	return nil
}

// interactionCallback answers POST /interactions/{id}/{token}/callback:
// 204 once; 400 40060 for a second callback; 404 10062 for an interaction
// the fake does not know or one past its deadline (Discord: "you must send
// an initial response within 3 seconds of receiving the event").
func (s *Server) interactionCallback(r *Request) response {
	var cb struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &cb); err != nil {
		return s.misread(r, err)
	}
	// Deadlines count to when the request arrived, not to when the fake
	// got round to it.
	now := r.At
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.state.interactions[r.Params["interaction_id"]]
	switch {
	case it == nil || it.token != r.Params["interaction_token"]:
		s.t.Logf("discordtest: callback for interaction %s, which the fake never sent (or with another token)", r.Params["interaction_id"])
		return jsonError(http.StatusNotFound, 10062, "Unknown interaction")
	case it.acked:
		return jsonError(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
	case now.Sub(it.createdAt) > s.cfg.interactionDeadline:
		s.t.Logf("discordtest: callback for interaction %s came %v after it was created; the deadline is %v",
			it.id, now.Sub(it.createdAt).Round(time.Millisecond), s.cfg.interactionDeadline)
		return jsonError(http.StatusNotFound, 10062, "Unknown interaction")
	}
	if cb.Type == 9 { // MODAL
		if refused := s.modalCallbackLocked(r, it, cb.Data, now); refused != nil {
			return *refused
		}
	}
	it.acked = true
	var msg *Message
	switch cb.Type {
	case 4: // CHANNEL_MESSAGE_WITH_SOURCE
		msg = &Message{ID: s.idGen.next(), ChannelID: it.channelID, InteractionID: it.id, At: now, original: true,
			Flags: ephemeralFlag(cb.Data)}
		if err := msg.apply(dataOrEmpty(cb.Data), r.Files); err != nil {
			return s.misread(r, err)
		}
		s.addMessageLocked(msg)
		it.originalID = msg.ID
	case 5: // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "thinking..." until edited
		msg = &Message{ID: s.idGen.next(), ChannelID: it.channelID, InteractionID: it.id, At: now, original: true,
			Flags: ephemeralFlag(cb.Data) | flagLoading, Raw: r.Body}
		s.addMessageLocked(msg)
		it.originalID, it.deferred = msg.ID, true
	case 6: // DEFERRED_UPDATE_MESSAGE: @original is the component's message
		it.originalID = it.componentMessageID
	case 7: // UPDATE_MESSAGE
		it.originalID = it.componentMessageID
		if m := s.state.byID[it.componentMessageID]; m != nil {
			if err := m.apply(dataOrEmpty(cb.Data), r.Files); err != nil {
				return s.misread(r, err)
			}
			m.EditedAt = now
			msg = m
		}
	}
	s.notifyLocked()
	if r.Query["with_response"] == nil || r.Query["with_response"][0] != "true" {
		return response{status: http.StatusNoContent}
	}
	resource := map[string]any{"type": cb.Type}
	if msg != nil {
		resource["message"] = s.messageObject(msg)
	}
	return response{status: http.StatusOK, body: map[string]any{
		"interaction": map[string]any{
			"id": it.id, "type": it.typ, "activity_instance_id": nil,
			"response_message_id": nilIfEmpty(it.originalID), "response_message_loading": cb.Type == 5,
			"response_message_ephemeral": msg != nil && msg.Flags&flagEphemeral != 0,
		},
		"resource": resource,
	}}
}

// ephemeralFlag returns the EPHEMERAL bit of a message body's flags, which
// only a new message takes (see Message.apply).
func ephemeralFlag(body []byte) int64 {
	var b struct {
		Flags int64 `json:"flags"`
	}
	if json.Unmarshal(body, &b) != nil {
		return 0 // absent, null or not an object: no flags
	}
	return b.Flags & flagEphemeral
}

func dataOrEmpty(raw json.RawMessage) []byte {
	if isNull(raw) {
		return []byte("{}")
	}
	return raw
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// webhookInteractionLocked finds the interaction whose token a webhook route
// carries. Interaction tokens "are valid for 15 minutes", and "if the 3
// second deadline is exceeded, the token will be invalidated".
func (s *Server) webhookInteractionLocked(r *Request, now time.Time) (*interaction, *response) {
	it := s.state.byToken[r.Params["webhook_token"]]
	if r.Params["webhook_id"] != s.ApplicationID || it == nil {
		resp := jsonError(http.StatusNotFound, 10015, "Unknown Webhook")
		return nil, &resp
	}
	age := now.Sub(it.createdAt)
	if age > s.cfg.interactionTokenTTL || (!it.acked && age > s.cfg.interactionDeadline) {
		resp := jsonError(http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		return nil, &resp
	}
	return it, nil
}

// createFollowup answers POST /webhooks/{application_id}/{token}: "Functions
// the same as Execute Webhook, but wait is always true", and "when using
// this endpoint directly after responding to an interaction with
// DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, this endpoint will function as Edit
// Original Interaction Response".
func (s *Server) createFollowup(r *Request) response {
	now := r.At
	s.mu.Lock()
	defer s.mu.Unlock()
	it, errResp := s.webhookInteractionLocked(r, now)
	if errResp != nil {
		return *errResp
	}
	if !it.acked {
		// A follow-up needs the initial response first; Discord does not
		// know the interaction's webhook until then.
		return jsonError(http.StatusNotFound, 10015, "Unknown Webhook")
	}
	if it.deferred {
		return s.editLocked(r, it, it.originalID, now)
	}
	m := &Message{ID: s.idGen.next(), ChannelID: it.channelID, InteractionID: it.id, At: now, Flags: ephemeralFlag(r.Body)}
	if err := m.apply(r.Body, r.Files); err != nil {
		return s.misread(r, err)
	}
	s.addMessageLocked(m)
	return response{status: http.StatusOK, body: s.messageObject(m)}
}

// editOriginal answers PATCH /webhooks/{application_id}/{token}/messages/@original.
func (s *Server) editOriginal(r *Request) response {
	now := r.At
	s.mu.Lock()
	defer s.mu.Unlock()
	it, errResp := s.webhookInteractionLocked(r, now)
	if errResp != nil {
		return *errResp
	}
	return s.editLocked(r, it, it.originalID, now)
}

// editFollowup answers PATCH /webhooks/{application_id}/{token}/messages/{message_id}.
func (s *Server) editFollowup(r *Request) response {
	now := r.At
	s.mu.Lock()
	defer s.mu.Unlock()
	it, errResp := s.webhookInteractionLocked(r, now)
	if errResp != nil {
		return *errResp
	}
	return s.editLocked(r, it, r.Params["message_id"], now)
}

func (s *Server) editLocked(r *Request, it *interaction, messageID string, now time.Time) response {
	m := s.state.byID[messageID]
	if m == nil || (m.InteractionID != it.id && messageID != it.componentMessageID) {
		return jsonError(http.StatusNotFound, 10008, "Unknown Message")
	}
	if err := m.apply(r.Body, r.Files); err != nil {
		return s.misread(r, err)
	}
	if messageID == it.originalID {
		it.deferred = false
	}
	m.Flags &^= flagLoading
	m.EditedAt = now
	s.notifyLocked()
	return response{status: http.StatusOK, body: s.messageObject(m)}
}
