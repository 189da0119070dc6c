package commands

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"talkbot/i18n"
	"talkbot/store"
)

// Every form's labels and placeholders fit Discord's limits in every
// language, and so does each title's own wording (formFor cuts what the
// data adds: a party's or person's name, the track's title).
func TestFormsFitDiscordInEveryLanguage(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Langs() {
		w := wordsIn(lang)
		for kind, inputs := range formInputs {
			for _, in := range inputs {
				got := in.inWords(w, kind)
				if lang == i18n.English && (got.Label != in.Label || got.Placeholder != in.Placeholder) {
					t.Errorf("form %s input %s: en.toml says %q / %q, formInputs %q / %q; keep them the same",
						kind, in.ID, got.Label, got.Placeholder, in.Label, in.Placeholder)
				}
				if got.Label == in.ID || got.Label == i18n.Missing {
					t.Errorf("%s: form %s input %s has no label", lang, kind, in.ID)
				}
				if n := utf8.RuneCountInString(got.Label); n > ModalMaxLabel {
					t.Errorf("%s: label %q of form %s is %d characters; Discord takes %d", lang, got.Label, kind, n, ModalMaxLabel)
				}
				if n := utf8.RuneCountInString(got.Placeholder); n > ModalMaxPlaceholder {
					t.Errorf("%s: placeholder %q of form %s is %d characters; Discord takes %d", lang, got.Placeholder, kind, n, ModalMaxPlaceholder)
				}
			}
		}
		for _, title := range []string{
			w.t("form.title.round", "Number", "999"),
			w.t("form.title.new_round"),
			w.t("form.title.position", "Party", "", "Topic", ""),
			w.t("form.title.statement", "Person", ""),
		} {
			if n := utf8.RuneCountInString(title); n > maxModalTitle/2 || strings.Contains(title, i18n.Missing) {
				t.Errorf("%s: form title %q leaves too little of Discord's %d characters to the data", lang, title, maxModalTitle)
			}
		}
	}
}

// A form opened in another language is cut to Discord's limits however
// long the names in it, and keeps its inputs' ids.
func TestFormTitleIsCutInEveryLanguage(t *testing.T) {
	long := strings.Repeat("Ü", 80)
	tr := &trackInfo{Track: store.Track{ID: "t", Title: long}}
	for _, lang := range []i18n.Lang{"uk", "ru", "tr", i18n.English} {
		for _, kind := range []store.EntityKind{store.EntityRound, store.EntityPosition, store.EntityStatement} {
			m := formFor(wordsIn(lang), tr, store.Draft{ID: 1, Kind: kind, Context: map[string]string{ctxSide: long, ctxTopic: long, ctxSpeaker: long}})
			if err := m.Validate(); err != nil {
				t.Errorf("%s %s form: %v", lang, kind, err)
			}
			for i, in := range m.Inputs {
				if in.ID != formInputs[kind][i].ID {
					t.Errorf("%s %s form input %d has id %q; ids stay English", lang, kind, i, in.ID)
				}
			}
		}
	}
}

// The shared admin texts read in English exactly as the constants that
// /talks-admin setup and show still use, and in every language name each
// missing permission.
func TestPostPermissionsInEveryLanguage(t *testing.T) {
	if got := english().grantHint(); got != grantHint {
		t.Errorf("English grant hint %q; want %q", got, grantHint)
	}
	if got, want := strings.Join(english().missingToPost(0), ","), "**View Channel**,**Send Messages**,**Embed Links**"; got != want {
		t.Errorf("English missing permissions %s; want %s", got, want)
	}
	for _, lang := range []i18n.Lang{"uk", "ru", "tr"} {
		w := wordsIn(lang)
		missing := w.missingToPost(0)
		if len(missing) != 3 || slicesContainEnglish(missing) {
			t.Errorf("%s: missing permissions %v", lang, missing)
		}
		if w.missingToPost(discordgo.PermissionAdministrator) != nil {
			t.Errorf("%s: an administrator lacks nothing", lang)
		}
	}
}

func slicesContainEnglish(names []string) bool {
	for _, n := range names {
		if strings.Contains(n, "Channel") || strings.Contains(n, "Messages") || strings.Contains(n, "Links") {
			return true
		}
	}
	return false
}
