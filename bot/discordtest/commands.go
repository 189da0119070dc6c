package discordtest

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/bwmarrin/discordgo"
)

// Commands returns the commands the bot registered, global ones for an empty
// guildID, as Discord would return them.
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	data, err := json.Marshal(s.commandList(guildID))
	s.mu.Unlock()
	var out []*discordgo.ApplicationCommand
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	if err != nil {
		s.t.Errorf("discordtest: reading the stored commands: %v", err)
	}
	return out
}

// commandList is the stored set of a scope, never nil; s.mu must be held.
func (s *Server) commandList(guildID string) []map[string]any {
	if cmds := s.state.commands[guildID]; cmds != nil {
		return cmds
	}
	return []map[string]any{}
}

// putCommands answers both bulk overwrites: the set replaces the scope's
// commands, and a command keeps its id when one of the same type and name
// existed, as Discord does.
func (s *Server) putCommands(r *Request) response {
	if r.Params["application_id"] != s.ApplicationID {
		return jsonError(http.StatusForbidden, 50001, "Missing Access")
	}
	guildID := r.Params["guild_id"]
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	var cmds []map[string]any
	if err := dec.Decode(&cmds); err != nil {
		return s.misread(r, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := make([]map[string]any, 0, len(cmds))
	for _, c := range cmds {
		obj := withoutNulls(c).(map[string]any)
		typ := "1"
		if t, ok := obj["type"].(json.Number); ok {
			typ = t.String()
		}
		name, _ := obj["name"].(string)
		key := guildID + "/" + typ + "/" + name
		id := s.state.commandIDs[key]
		if id == "" {
			id = s.idGen.next()
			s.state.commandIDs[key] = id
		}
		obj["id"] = id
		obj["type"] = json.Number(typ)
		obj["application_id"] = s.ApplicationID
		obj["version"] = s.idGen.next()
		if guildID != "" {
			obj["guild_id"] = guildID
		}
		// Discord answers permissions as a decimal string, or null.
		switch p := obj["default_member_permissions"].(type) {
		case json.Number:
			obj["default_member_permissions"] = p.String()
		case nil:
			obj["default_member_permissions"] = nil
		}
		setDefault(obj, "description", "")
		setDefault(obj, "nsfw", false)
		if guildID == "" {
			setDefault(obj, "integration_types", []any{json.Number("0")})
			setDefault(obj, "contexts", nil)
		}
		stored = append(stored, obj)
	}
	s.state.commands[guildID] = stored
	s.notifyLocked()
	return response{status: http.StatusOK, body: stored}
}

func (s *Server) getCommands(r *Request) response {
	if r.Params["application_id"] != s.ApplicationID {
		return jsonError(http.StatusForbidden, 50001, "Missing Access")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return response{status: http.StatusOK, body: s.commandList(r.Params["guild_id"])}
}

func setDefault(obj map[string]any, key string, v any) {
	if _, ok := obj[key]; !ok {
		obj[key] = v
	}
}

// withoutNulls drops null members of objects, as Discord leaves unset
// fields out of what it returns.
func withoutNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range t {
			if e != nil {
				out[k] = withoutNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = withoutNulls(e)
		}
		return out
	}
	return v
}
