package commands_test

import (
	"testing"
	"unicode/utf16"

	"talkbot/commands"
)

func units(s string) int { return len(utf16.Encode([]rune(s))) }

// checkLimits fails when Discord would reject the reply.
func checkLimits(t *testing.T, r commands.Reply) {
	t.Helper()
	if units(r.Content) > 2000 {
		t.Errorf("content is %d characters", units(r.Content))
	}
	if units(r.Notice) > 2000 {
		t.Errorf("notice is %d characters", units(r.Notice))
	}
	if len(r.Embeds) > 10 {
		t.Errorf("%d embeds", len(r.Embeds))
	}
	total := 0
	for _, e := range r.Embeds {
		n := units(e.Title) + units(e.Description)
		if units(e.Title) > 256 || units(e.Description) > 4096 {
			t.Errorf("embed title %d / description %d characters", units(e.Title), units(e.Description))
		}
		if len(e.Fields) > 25 {
			t.Errorf("%d fields", len(e.Fields))
		}
		for _, f := range e.Fields {
			if units(f.Name) > 256 || units(f.Value) > 1024 || f.Name == "" || f.Value == "" {
				t.Errorf("field %q: name %d, value %d characters", f.Name, units(f.Name), units(f.Value))
			}
			n += units(f.Name) + units(f.Value)
		}
		if e.Footer != nil {
			if units(e.Footer.Text) > 2048 {
				t.Errorf("footer %d characters", units(e.Footer.Text))
			}
			n += units(e.Footer.Text)
		}
		total += n
	}
	if total > 6000 {
		t.Errorf("embeds hold %d characters in all; Discord allows 6,000", total)
	}
	if len(r.Choices) > 25 {
		t.Errorf("%d choices", len(r.Choices))
	}
	for _, c := range r.Choices {
		if units(c.Name) < 1 || units(c.Name) > 100 {
			t.Errorf("choice name %q", c.Name)
		}
	}
}
