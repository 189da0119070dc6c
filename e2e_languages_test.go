package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talkbot/bot/discordtest"
)

// Issue 14 through the real bot and the fake Discord: each reply follows
// the interaction's locale, and channel posts the server's post language.

// embedTitle is the first embed's title of a callback, "" when none.
func embedTitle(cb map[string]any) string {
	data, _ := cb["data"].(map[string]any)
	embeds, _ := data["embeds"].([]any)
	if len(embeds) == 0 {
		return ""
	}
	e, _ := embeds[0].(map[string]any)
	title, _ := e["title"].(string)
	return title
}

func TestRepliesFollowTheInteractionsLanguage(t *testing.T) {
	fake := discordtest.New(t)
	bot := startBot(t, fake, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("no READY: %v\n%s", err, bot.logs.String())
	}
	for _, tc := range []struct{ locale, guildLocale, want string }{
		{"uk", "en-US", "Раунд 2 ("},
		{"ru", "uk", "Раунд 2 ("},
		{"tr", "en-US", "2. tur ("},
		// Not one of talkbot's languages: English, whatever the server's.
		{"pt-BR", "uk", "Round 2 ("},
		{"en-US", "ru", "Round 2 ("},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			in := interaction(fake, 2, "round", "number", 2)
			in["locale"], in["guild_locale"] = tc.locale, tc.guildLocale
			if err := fake.Dispatch("INTERACTION_CREATE", in); err != nil {
				t.Fatal(err)
			}
			if title := embedTitle(callback(t, fake, in)); !strings.HasPrefix(title, tc.want) {
				t.Errorf("/talks round number:2 in %s: title %q; want it to start %q", tc.locale, title, tc.want)
			}
		})
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}

// An admin who reads English sets a server's posts to Russian: the setup
// reply is English, the reminder and the update post in the channel are
// Russian.
func TestAServerWithPostLanguageRuGetsRussianRemindersWhileTheAdminReadsEnglish(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a reminder about 15 s ahead")
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
	setup["locale"], setup["guild_locale"] = "en-US", "uk"
	sub := setup["data"].(map[string]any)["options"].([]any)[0].(map[string]any)
	sub["options"] = append(sub["options"].([]any), map[string]any{"name": "language", "type": 3, "value": "ru"})
	if err := fake.Dispatch("INTERACTION_CREATE", setup); err != nil {
		t.Fatal(err)
	}
	data, _ := callback(t, fake, setup)["data"].(map[string]any)
	if content, _ := data["content"].(string); !strings.Contains(content, "Saved: reminders and update posts") ||
		!strings.Contains(content, "Posts are written in Русский") {
		t.Fatalf("setup reply = %q; want English, naming Russian posts", content)
	}

	// A meeting 75 s ahead, so its 1-minute reminder is due about 15 s
	// after the import.
	start := time.Now().Add(75 * time.Second).Truncate(time.Second)
	if r := talkbot(t, map[string]string{"DATABASE_URL": db}, "", "import", withRound(t, start)); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	due := start.Add(-time.Minute)

	var reminders, updates, others []discordtest.Message
	deadline := due.Add(5 * time.Second)
	for time.Now().Before(deadline) {
		reminders, updates, others = nil, nil, nil
		for _, m := range fake.Messages(channelID) {
			switch {
			case m.InteractionID != "":
				// The setup reply, not a post.
			case strings.Contains(m.Content, "Напоминание: **"):
				reminders = append(reminders, m)
			case strings.Contains(m.Content, "Обновление: "):
				updates = append(updates, m)
			default:
				others = append(others, m)
			}
		}
		if len(reminders) > 0 && len(updates) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(reminders) != 1 || !strings.Contains(reminders[0].Content, "раунд 3 начнётся <t:") {
		t.Fatalf("Russian reminders in the channel: %v; want one for round 3\nother posts: %v\n%s", reminders, others, bot.logs.String())
	}
	if len(updates) != 1 || !strings.Contains(updates[0].Content, "раунд 3") {
		t.Errorf("Russian update posts: %v; want one saying round 3 was added", updates)
	}
	if len(others) > 0 {
		t.Errorf("posts in another language: %v", others)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("requests Discord would reject:\n%s", strings.Join(v, "\n"))
	}
}
