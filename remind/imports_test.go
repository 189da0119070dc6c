package remind_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestTheSchedulerAndTheCommandsStayApart checks what this package is for:
// the commands do not import the scheduler, and the scheduler knows nothing
// of Discord, however indirectly.
func TestTheSchedulerAndTheCommandsStayApart(t *testing.T) {
	cases := []struct {
		name    string
		pkg     string
		mustNot string
	}{
		{"the scheduler does not import discordgo, even through another package", "talkbot/schedule", "github.com/bwmarrin/discordgo"},
		{"the commands do not import the scheduler", "talkbot/commands", "talkbot/schedule"},
		{"the reminder rules do not import the scheduler", "talkbot/remind", "talkbot/schedule"},
		{"the reminder rules do not import the commands", "talkbot/remind", "talkbot/commands"},
		{"the reminder rules do not import discordgo", "talkbot/remind", "github.com/bwmarrin/discordgo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := goList(t, tc.pkg)
			if len(got) == 0 {
				t.Fatalf("go list found no dependencies of %s", tc.pkg)
			}
			if slices.Contains(got, tc.mustNot) {
				t.Errorf("%s depends on %s; keep what both need in package remind", tc.pkg, tc.mustNot)
			}
		})
	}
}

// goList returns the packages pkg depends on (its tests excluded).
func goList(t *testing.T, pkg string) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to read the import graph: %v", err)
	}
	out, err := exec.CommandContext(t.Context(), gobin, "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}
