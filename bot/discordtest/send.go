package discordtest

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Caller is who sends an interaction the fake builds, and where from.
type Caller struct {
	UserID     string // default: 1180000000000000500
	Username   string // default: "alice"
	GlobalName string // display name; "" sends null
	// GuildID set: the interaction comes from a server channel and carries
	// member (with Nick, Roles and Permissions); empty: from a DM with the
	// bot, carrying user.
	GuildID   string
	ChannelID string   // default: 1180000000000000200
	Nick      string   // server nickname; "" sends null
	Roles     []string // role ids in the server
	// Permissions is the member's resolved permissions, a decimal string;
	// default "0".
	Permissions string
	Locale      string // default "en-US"
}

// Field is one text input of a submitted form: its custom id and what was
// typed.
type Field struct{ ID, Value string }

// Interaction builds an interaction of type typ (2 command, 3 component,
// 4 autocomplete, 5 modal submit) from c carrying data, with a fresh id and
// token, as Discord sends it over the gateway and to an HTTP endpoint.
// Send it with Dispatch("INTERACTION_CREATE", ...) or PostInteraction.
func (s *Server) Interaction(c Caller, typ int, data any) map[string]any {
	id := s.idGen.next()
	user := map[string]any{
		"id": cmp.Or(c.UserID, "1180000000000000500"), "username": cmp.Or(c.Username, "alice"),
		"discriminator": "0", "global_name": nilIfEmpty(c.GlobalName), "avatar": nil,
	}
	channel := cmp.Or(c.ChannelID, "1180000000000000200")
	in := map[string]any{
		"id": id, "application_id": s.ApplicationID, "type": typ, "token": "token-" + id, "version": 1,
		"channel_id": channel, "data": data, "locale": cmp.Or(c.Locale, "en-US"),
		"app_permissions": "2147483647", "entitlements": []any{},
	}
	if c.GuildID != "" {
		roles := []any{}
		for _, r := range c.Roles {
			roles = append(roles, r)
		}
		in["guild_id"], in["guild_locale"], in["context"] = c.GuildID, "en-US", 0
		in["channel"] = map[string]any{"id": channel, "type": 0}
		in["member"] = map[string]any{
			"user": user, "nick": nilIfEmpty(c.Nick), "roles": roles,
			"permissions": cmp.Or(c.Permissions, "0"), "joined_at": "2024-01-01T00:00:00+00:00",
		}
		in["authorizing_integration_owners"] = map[string]any{"0": c.GuildID}
	} else {
		in["context"] = 1
		in["channel"] = map[string]any{"id": channel, "type": 1}
		in["user"] = user
		in["authorizing_integration_owners"] = map[string]any{"1": user["id"]}
	}
	return in
}

// ModalSubmit builds a MODAL_SUBMIT (type 5) of the form customID from c:
// one action row per field, in order, as Discord sends a form made of
// action rows.
func (s *Server) ModalSubmit(c Caller, customID string, fields ...Field) map[string]any {
	rows := make([]any, 0, len(fields))
	for _, f := range fields {
		rows = append(rows, map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 4, "custom_id": f.ID, "value": f.Value},
		}})
	}
	return s.Interaction(c, 5, map[string]any{"custom_id": customID, "components": rows})
}

// SubmitModal sends a MODAL_SUBMIT over the gateway and returns it (its
// "id" names the callback to wait for).
func (s *Server) SubmitModal(c Caller, customID string, fields ...Field) (map[string]any, error) {
	in := s.ModalSubmit(c, customID, fields...)
	return in, s.Dispatch("INTERACTION_CREATE", in)
}

// PostModalSubmit sends a MODAL_SUBMIT to the bot's HTTP interactions
// endpoint, as PostInteraction does, and returns it with the bot's answer.
func (s *Server) PostModalSubmit(ctx context.Context, endpoint string, key ed25519.PrivateKey, c Caller, customID string, fields ...Field) (map[string]any, Posted, error) {
	in := s.ModalSubmit(c, customID, fields...)
	p, err := s.PostInteraction(ctx, endpoint, key, in)
	return in, p, err
}

// Posted is the bot's HTTP answer to an interaction the fake posted.
type Posted struct {
	Status int
	Body   []byte
}

// PostInteraction sends interaction in to the bot's HTTP interactions
// endpoint (e.g. "http://127.0.0.1:PORT/interactions"), signed with key
// as Discord signs it, and tracks it for follow-ups. A 200 answer is the
// interaction's initial response: the fake checks it and records it as if
// it had come to the callback route (Request.FromEndpoint set), so forms,
// messages and deadlines work as over the gateway.
func (s *Server) PostInteraction(ctx context.Context, endpoint string, key ed25519.PrivateKey, in any) (Posted, error) {
	raw, err := marshalData(in)
	if err != nil {
		return Posted{}, err
	}
	var ids struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	if err := json.Unmarshal(raw, &ids); err != nil {
		return Posted{}, fmt.Errorf("discordtest: reading the interaction: %w", err)
	}
	if err := s.TrackInteraction(raw); err != nil {
		return Posted{}, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(raw))
	if err != nil {
		return Posted{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), raw...))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Posted{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Posted{}, err
	}
	p := Posted{Status: resp.StatusCode, Body: body}
	if resp.StatusCode == http.StatusOK {
		s.endpointCallback(ids.ID, ids.Token, body, time.Now())
	}
	return p, nil
}

// endpointCallback treats an endpoint's answer as the callback it stands
// for: validated, handled and recorded like one.
func (s *Server) endpointCallback(id, token string, body []byte, answered time.Time) {
	path := "/interactions/" + id + "/" + token + "/callback"
	r := Request{
		Method: http.MethodPost, Path: path, Route: routeCallback,
		Params: map[string]string{"interaction_id": id, "interaction_token": token},
		Header: http.Header{"Content-Type": {"application/json"}}, Body: body,
		// The 3-second deadline counts to when the answer came.
		At: answered, FromEndpoint: true,
	}
	tmpl := "/interactions/{interaction_id}/{interaction_token}/callback"
	issues, invalidJSON := s.validate(&r, tmpl, nil)
	s.addViolations(r.Route, issues)
	var resp response
	switch {
	case invalidJSON:
		resp = jsonError(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	case len(issues) > 0:
		resp = response{status: http.StatusBadRequest, body: issuesBody(issues)}
	default:
		resp = s.interactionCallback(&r)
	}
	r.Status = resp.status
	s.record(r)
}
