package commands

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"talkbot/i18n"
)

// A refusal built before its reader is known reads English until Handle
// puts it in the reader's words, arguments (commands, lists, plurals)
// included, and survives wrapping.
func TestSaidErrorIsPutInTheReadersWords(t *testing.T) {
	err := fmt.Errorf("opening the form: %w", sayError("edit.no_round_yet", "Track", "Local talks", "Add", cmdOf("talks-edit/round/add")))
	ue, ok := AsUserError(err)
	if !ok {
		t.Fatalf("%v is not a user error", err)
	}
	if want := "Local talks has no round yet: add one with `/talks-edit round add`."; ue.Message != want {
		t.Errorf("before Handle: %q; want %q", ue.Message, want)
	}
	inWords(err, wordsIn(i18n.Lang("uk")))
	if !strings.Contains(ue.Message, "/переговори-редагування") || strings.Contains(ue.Message, "has no round") {
		t.Errorf("in Ukrainian: %q", ue.Message)
	}
	if !strings.HasPrefix(err.Error(), "opening the form: ") {
		t.Errorf("the wrapped error reads %q", err)
	}
}

func TestPhraseArgumentsAreInTheSameWords(t *testing.T) {
	p := say("edit.saved.announced", "In", durationSay(5*time.Minute), "Undo", cmdOf("talks-edit/undo"))
	for lang, want := range map[i18n.Lang]string{
		i18n.English: "5 minutes",
		"uk":         "5 хвилин",
		"ru":         "5 минут",
		"tr":         "5 dakika",
	} {
		if got := p.in(wordsIn(lang)); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", lang, got, want)
		}
	}
	if got := (sayers{said("a"), said("b"), said("c")}).in(wordsIn("tr")); got != "a, b ve c" {
		t.Errorf("Turkish list = %q", got)
	}
}
