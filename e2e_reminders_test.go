package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talkbot/bot/discordtest"
)

const (
	guildID   = "800000000000000001"
	channelID = "800000000000000010"
	roleID    = "800000000000000020"
)

// adminSetup builds /talks-admin setup as Discord delivers it to a member
// with Manage Server, used in the target channel where the bot may post.
func adminSetup(fake *discordtest.Server, reminders string) map[string]any {
	in := interaction(fake, 2, "setup")
	in["channel_id"] = channelID
	in["member"].(map[string]any)["permissions"] = "32"
	in["app_permissions"] = fmt.Sprint(1<<10 | 1<<11 | 1<<14)
	in["data"] = map[string]any{"id": "700000000000000002", "name": "talks-admin", "type": 1, "options": []any{
		map[string]any{"name": "setup", "type": 1, "options": []any{
			map[string]any{"name": "channel", "type": 7, "value": channelID},
			map[string]any{"name": "role", "type": 8, "value": roleID},
			map[string]any{"name": "reminders", "type": 3, "value": reminders},
			map[string]any{"name": "track", "type": 3, "value": "ru-ua-istanbul"},
		}},
	}}
	return in
}

// withRound writes the bundled data plus round 3 starting at start.
func withRound(t *testing.T, start time.Time) string {
	t.Helper()
	raw, err := os.ReadFile("data/talks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	round := fmt.Sprintf(`      - number: 3
        status: scheduled
        starts: %s
        venue: Istanbul
        agenda: [Exchange of memoranda]
        sources: [reuters-2025-05-28]
    positions:`, start.UTC().Format(time.RFC3339))
	out := bytes.Replace(raw, []byte("    positions:"), []byte(round), 1)
	path := filepath.Join(t.TempDir(), "talks.yaml")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReminderArrivesOnTimeAndPingsOnlyTheRole(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a reminder 30 s ahead")
	}
	fake := discordtest.New(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "talkbot.db")
	bot := startBot(t, fake, map[string]string{"DATABASE_URL": db})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	setup := adminSetup(fake, "1m")
	if err := fake.Dispatch("INTERACTION_CREATE", setup); err != nil {
		t.Fatal(err)
	}
	if cb := callback(t, fake, setup); cb["data"].(map[string]any)["flags"] != float64(64) {
		t.Fatalf("setup reply = %v", cb)
	}

	// An editor imports a new meeting 90 s ahead while the bot runs.
	start := time.Now().Add(90 * time.Second).Truncate(time.Second)
	if r := talkbot(t, map[string]string{"DATABASE_URL": db}, "", "import", withRound(t, start)); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	due := start.Add(-time.Minute)

	var reminders, updates []discordtest.Message
	deadline := due.Add(5 * time.Second)
	for time.Now().Before(deadline) {
		reminders, updates = nil, nil
		for _, m := range fake.Messages(channelID) {
			switch {
			case strings.Contains(m.Content, "Reminder: round 3"):
				reminders = append(reminders, m)
			case strings.Contains(m.Content, "Update: "):
				updates = append(updates, m)
			}
		}
		if len(reminders) > 0 && time.Now().After(due.Add(2*time.Second)) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(reminders) != 1 {
		t.Fatalf("%d reminders in the channel; want exactly 1\n%s", len(reminders), bot.logs.String())
	}
	m := reminders[0]
	if late := m.At.Sub(due); late < 0 || late > time.Second {
		t.Errorf("the reminder arrived %v after its due time; want within 1 s", late)
	}
	if !strings.HasPrefix(m.Content, "<@&"+roleID+"> ") {
		t.Errorf("content %q does not start with the role mention", m.Content)
	}
	am, _ := json.Marshal(m.AllowedMentions)
	var mentions struct {
		Parse []string `json:"parse"`
		Roles []string `json:"roles"`
		Users []string `json:"users"`
	}
	if err := json.Unmarshal(am, &mentions); err != nil || mentions.Parse == nil || len(mentions.Parse) != 0 ||
		len(mentions.Roles) != 1 || mentions.Roles[0] != roleID || len(mentions.Users) != 0 {
		t.Errorf("allowed_mentions = %s; want parse [] and only the role", am)
	}
	if len(updates) != 1 || !strings.Contains(updates[0].Content, "Round 3") {
		t.Errorf("update posts = %v; want one saying round 3 was added", updates)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}
