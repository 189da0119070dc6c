package shell_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/i18n"
	"talkbot/shell"
	"talkbot/store/sqlite/sqlitetest"
)

// A shell in Ukrainian or Turkish says its own words (help, errors,
// dates, relative times) in that language, passes the language on to the
// commands, and reads upper-case input by the language's case rules.
func TestPipedSessionInItsLanguage(t *testing.T) {
	s := sqlitetest.Bundled(t, func() time.Time { return time.Date(2025, 5, 29, 8, 0, 0, 0, time.UTC) })
	now := func() time.Time { return time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC) }
	cmds := commands.New(s, now, nil)
	script := strings.Join([]string{
		"/TALKS NEXT",
		"/TALKS POSITIONS SIDE:UKRAINE TOPIC:memorandum",
		"/talks round number:9",
		"/talks-admin setup channel:#news",
		"/talks subscribe",
		`/talks search query:"prisoner`,
		"/talks round",
		"/talks frobnicate",
		"/talks next colour:red",
		"/weather",
		"PRESS",
		"HELP",
		"QUİT",
		"/talks about",
	}, "\n")
	for _, lang := range []i18n.Lang{i18n.Ukrainian, i18n.Turkish} {
		t.Run(string(lang), func(t *testing.T) {
			var out bytes.Buffer
			err := newShell(t, cmds, cmds.Definitions(), lang, time.UTC, now).Run(t.Context(), strings.NewReader(script), &out, &prefixWriter{&out, "stderr| "})
			if !errors.Is(err, shell.ErrFailed) {
				t.Errorf("Run = %v; want ErrFailed after failed commands", err)
			}
			path := filepath.Join("testdata", "session."+string(lang)+".txt")
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != string(want) {
				t.Errorf("session differs from %s (go test ./shell -update rewrites it):\n%s", path, out.String())
			}
			if strings.Contains(out.String(), "talkbot?") || strings.Contains(out.String(), "About talkbot") {
				t.Error("the shell went on after QUİT")
			}
		})
	}
}

func TestRelativeTimestampsInTheReadersLanguage(t *testing.T) {
	now := time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		lang i18n.Lang
		at   time.Time
		want string
	}{
		{i18n.Ukrainian, now.Add(3 * 24 * time.Hour), "через 3 дні"},
		{i18n.Ukrainian, now.Add(-5 * time.Hour), "5 годин тому"},
		{i18n.Ukrainian, now.Add(time.Minute), "через 1 хвилину"},
		{i18n.Russian, now.Add(-21 * time.Minute), "21 минуту назад"},
		{i18n.Russian, now.Add(2 * 365 * 24 * time.Hour), "через 2 года"},
		{i18n.Turkish, now.Add(3 * 24 * time.Hour), "3 gün sonra"},
		{i18n.Turkish, now.Add(-2 * time.Hour), "2 saat önce"},
	}
	for _, tc := range cases {
		r := commands.Reply{Content: "<t:" + itoa(tc.at.Unix()) + ":R>"}
		if got := strings.TrimSpace(shell.Render(r, words(t, tc.lang), time.UTC, now)); got != tc.want {
			t.Errorf("%s: Render(%v) = %q; want %q", tc.lang, tc.at, got, tc.want)
		}
	}
	at := itoa(time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC).Unix())
	r := commands.Reply{Content: "<t:" + at + ":F>"}
	if got, want := strings.TrimSpace(shell.Render(r, words(t, i18n.Turkish), time.UTC, now)), "2 Haziran 2025 Pazartesi 10:00 UTC"; got != want {
		t.Errorf("tr: a full timestamp is %q; want %q", got, want)
	}
}

func TestEnvLang(t *testing.T) {
	cases := []struct {
		name string
		vars map[string]string
		want i18n.Lang
	}{
		{"nothing set is English", nil, i18n.English},
		{"LANG names the language", map[string]string{"LANG": "uk_UA.UTF-8"}, i18n.Ukrainian},
		{"LC_MESSAGES wins over LANG", map[string]string{"LANG": "uk_UA.UTF-8", "LC_MESSAGES": "tr_TR.UTF-8"}, i18n.Turkish},
		{"LC_ALL wins over both", map[string]string{"LANG": "uk_UA.UTF-8", "LC_MESSAGES": "tr_TR.UTF-8", "LC_ALL": "ru_RU.UTF-8"}, i18n.Russian},
		{"LC_ALL=C is English", map[string]string{"LANG": "uk_UA.UTF-8", "LC_ALL": "C"}, i18n.English},
		{"a language talkbot lacks is English", map[string]string{"LANG": "de_DE.UTF-8"}, i18n.English},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := shell.EnvLang(func(k string) string { return tc.vars[k] }); got != tc.want {
				t.Errorf("EnvLang = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestParseLangRefusesWhatItDoesNotSpeak(t *testing.T) {
	for _, ok := range []string{"en", "uk", "ru", "tr", "TR"} {
		if _, err := shell.ParseLang(ok); err != nil {
			t.Errorf("ParseLang(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "de", "uk_UA", "english"} {
		_, err := shell.ParseLang(bad)
		if err == nil || !strings.Contains(err.Error(), "--lang") || !strings.Contains(err.Error(), "en, ") {
			t.Errorf("ParseLang(%q) = %v; want an error naming --lang and the choices", bad, err)
		}
	}
}
