package discordtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// restState is what the REST routes remember; guarded by Server.mu.
type restState struct {
	channels     map[string][]*Message // by channel id, oldest first
	byID         map[string]*Message
	nonces       map[string]*Message // enforced nonces
	dms          map[string]string   // DM channel id by recipient id
	dmRecipient  map[string]string   // recipient id by DM channel id
	channelGuild map[string]string   // guild of channels seen in interactions
	commands     map[string][]map[string]any
	commandIDs   map[string]string // by scope/type/name
	interactions map[string]*interaction
	byToken      map[string]*interaction
	modals       []Modal // forms shown, oldest first
	events       eventState
}

func newRESTState() restState {
	return restState{
		channels:     map[string][]*Message{},
		byID:         map[string]*Message{},
		nonces:       map[string]*Message{},
		dms:          map[string]string{},
		dmRecipient:  map[string]string{},
		channelGuild: map[string]string{},
		commands:     map[string][]map[string]any{},
		commandIDs:   map[string]string{},
		interactions: map[string]*interaction{},
		byToken:      map[string]*interaction{},
		events:       newEventState(),
	}
}

// builtin returns the fake's own handler of a route, or nil.
func (s *Server) builtin(route string) handlerFunc {
	switch route {
	case routeGateway:
		return s.getGateway
	case routeGatewayBot:
		return s.getGatewayBot
	case routeCurrentUser:
		return func(*Request) response { return response{status: http.StatusOK, body: s.botUser()} }
	case routeCurrentApp, routeCurrentOAuth2App:
		// discordgo's Application("@me") asks the OAuth2 route.
		return func(*Request) response { return response{status: http.StatusOK, body: s.application()} }
	case routeGlobalCommands, routeGuildCommands:
		return s.putCommands
	case routeGetGlobalCmds, routeGetGuildCmds:
		return s.getCommands
	case routeCallback:
		return s.interactionCallback
	case routeExecuteWebhook:
		return s.createFollowup
	case routeEditOriginal:
		return s.editOriginal
	case routeEditWebhookMsg:
		return s.editFollowup
	case routeChannelMessages:
		return s.createChannelMessage
	case routeCreateDM:
		return s.createDM
	case routeGetChannel:
		return s.getChannel
	case routeListEvents:
		return s.listEvents
	case routeCreateEvent:
		return s.createEvent
	case routeGetEvent:
		return s.getEvent
	case routeEditEvent:
		return s.editEvent
	case routeDeleteEvent:
		return s.deleteEvent
	}
	return nil
}

func (s *Server) getGateway(*Request) response {
	return response{status: http.StatusOK, body: map[string]any{"url": s.gatewayURL}}
}

func (s *Server) getGatewayBot(*Request) response {
	s.mu.Lock()
	identified := len(s.gw.identifies)
	s.mu.Unlock()
	return response{status: http.StatusOK, body: map[string]any{
		"url":    s.gatewayURL,
		"shards": 1,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": max(1000-identified, 0), "reset_after": 86400000, "max_concurrency": 1,
		},
	}}
}

// botUser is the bot's user object.
func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id": s.BotUserID, "username": botUsername, "discriminator": "0", "global_name": nil,
		"avatar": nil, "bot": true, "verified": true, "mfa_enabled": false, "banner": nil,
		"accent_color": nil, "locale": "en-US", "flags": 0, "public_flags": 0, "premium_type": 0,
	}
}

// appFlags are the application's flags: APPLICATION_COMMAND_BADGE, and no
// "limited" gateway intent flag, as for an app that has switched on no
// privileged intent (IDENTIFY asking for one is closed with 4014).
const appFlags = 1 << 23

func (s *Server) application() map[string]any {
	// verify_key stands in for the key of the app's HTTP interactions
	// endpoint; the fake signs nothing with it.
	key := sha256.Sum256([]byte("discordtest verify key " + s.ApplicationID))
	return map[string]any{
		"id": s.ApplicationID, "name": botUsername, "icon": nil, "description": "", "summary": "",
		"type": nil, "bot_public": true, "bot_require_code_grant": false, "verify_key": hex.EncodeToString(key[:]),
		"flags": appFlags, "team": nil, "bot": s.botUser(), "redirect_uris": []any{},
		"interactions_endpoint_url": nil, "approximate_guild_count": 0,
		"integration_types_config": map[string]any{"0": map[string]any{}, "1": map[string]any{}},
	}
}

// createDM answers POST /users/@me/channels; the same recipient always gets
// the same channel, as on Discord.
func (s *Server) createDM(r *Request) response {
	var b struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(r.Body, &b); err != nil {
		return s.misread(r, err)
	}
	if b.RecipientID == "" {
		return response{status: http.StatusBadRequest, body: issuesBody([]issue{{path: []string{"recipient_id"}, code: "BASE_TYPE_REQUIRED", message: "This field is required"}})}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.state.dms[b.RecipientID]
	if id == "" {
		id = s.idGen.next()
		s.state.dms[b.RecipientID] = id
		s.state.dmRecipient[id] = b.RecipientID
	}
	return response{status: http.StatusOK, body: s.channelObjectLocked(id)}
}

// getChannel answers GET /channels/{channel_id}. Every channel exists: a DM
// the bot opened, or else a text channel of the guild an interaction
// placed it in, or of DefaultGuildID.
func (s *Server) getChannel(r *Request) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return response{status: http.StatusOK, body: s.channelObjectLocked(r.Params["channel_id"])}
}

func (s *Server) channelObjectLocked(id string) map[string]any {
	var last any
	if msgs := s.state.channels[id]; len(msgs) > 0 {
		last = msgs[len(msgs)-1].ID
	}
	if recipient, ok := s.state.dmRecipient[id]; ok {
		return map[string]any{
			"id": id, "type": 1, "last_message_id": last, "flags": 0,
			"recipients": []any{map[string]any{
				"id": recipient, "username": "user" + recipient, "discriminator": "0",
				"global_name": nil, "avatar": nil, "public_flags": 0,
			}},
		}
	}
	guild := s.state.channelGuild[id]
	if guild == "" {
		guild = DefaultGuildID
	}
	return map[string]any{
		"id": id, "type": 0, "guild_id": guild, "name": "channel-" + id, "position": 0,
		"permission_overwrites": []any{}, "nsfw": false, "topic": nil, "last_message_id": last,
		"rate_limit_per_user": 0, "parent_id": nil, "flags": 0,
	}
}
