package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"talkbot/bot/discordtest"
)

// editorID is the test's global editor, named in TALKBOT_EDITORS.
const editorID = "800000000000000009"

// editInteraction is /talks-edit GROUP SUB with options, from user.
func editInteraction(fake *discordtest.Server, user, group, sub string, opts ...any) map[string]any {
	in := interaction(fake, 2, sub, opts...)
	data := in["data"].(map[string]any)
	data["name"] = "talks-edit"
	inner := data["options"].([]any)[0].(map[string]any)
	data["options"] = []any{map[string]any{"name": group, "type": 2, "options": []any{inner}}}
	in["member"] = map[string]any{"user": map[string]any{"id": user, "username": "olena", "global_name": "Olena"}, "permissions": "0", "roles": []any{}}
	return in
}

// modalSubmit is the MODAL_SUBMIT of the form customID with fields.
func modalSubmit(fake *discordtest.Server, user, customID string, fields map[string]string, order []string) map[string]any {
	in := interaction(fake, 5, "x")
	rows := []any{}
	for _, id := range order {
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": id, "value": fields[id]}}})
	}
	in["data"] = map[string]any{"custom_id": customID, "components": rows}
	in["member"] = map[string]any{"user": map[string]any{"id": user, "username": "olena", "global_name": "Olena"}, "permissions": "0", "roles": []any{}}
	return in
}

func TestEditThroughDiscord(t *testing.T) {
	fake := discordtest.New(t)
	bot := startBot(t, fake, map[string]string{"TALKBOT_EDITORS": editorID})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("no READY: %v\n%s", err, bot.logs.String())
	}

	// A reader who is not an editor is refused, by talkbot itself.
	in := editInteraction(fake, "800000000000000003", "round", "add", "source", "reuters-2025-05-28")
	if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	if cb := callback(t, fake, in); cb["type"] != float64(4) || !strings.Contains(fmt.Sprint(cb["data"]), "TALKBOT_EDITORS") {
		t.Errorf("non-editor got %v", cb)
	}

	// The editor gets the form: type 9 with the five inputs in order.
	in = editInteraction(fake, editorID, "round", "add", "source", "reuters-2025-05-28")
	if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	cb := callback(t, fake, in)
	var form struct {
		Type int `json:"type"`
		Data struct {
			CustomID   string `json:"custom_id"`
			Title      string `json:"title"`
			Components []struct {
				Components []struct {
					Type     int    `json:"type"`
					CustomID string `json:"custom_id"`
				} `json:"components"`
			} `json:"components"`
		} `json:"data"`
	}
	raw, _ := json.Marshal(cb)
	if err := json.Unmarshal(raw, &form); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, row := range form.Data.Components {
		for _, c := range row.Components {
			ids = append(ids, c.CustomID)
		}
	}
	if form.Type != 9 || strings.Join(ids, ",") != "starts,venue,agenda,outcomes,documents" || len(form.Data.CustomID) > 100 {
		t.Fatalf("form callback = %s", raw)
	}

	// Submitting it saves the round.
	order := []string{"starts", "venue", "agenda", "outcomes", "documents"}
	sub := modalSubmit(fake, editorID, form.Data.CustomID, map[string]string{
		"starts": "2025-07-23T19:00", "venue": "Istanbul", "agenda": "Prisoner exchange\nMemorandums @everyone",
	}, order)
	if err := fake.Dispatch("INTERACTION_CREATE", sub); err != nil {
		t.Fatal(err)
	}
	saved := callback(t, fake, sub)
	if !strings.Contains(fmt.Sprint(saved["data"]), "Saved: round 3") {
		t.Fatalf("submit answered %v\n%s", saved, bot.logs.String())
	}

	// /talks round shows it, with its source and who changed it.
	in = interaction(fake, 2, "round", "number", 3)
	if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	shown, _ := json.Marshal(callback(t, fake, in))
	for _, want := range []string{"Round 3", "Reuters", "Olena"} {
		if !strings.Contains(string(shown), want) {
			t.Errorf("/talks round number:3 lacks %q: %s", want, shown)
		}
	}
}
