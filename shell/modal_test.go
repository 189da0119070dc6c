package shell_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/i18n"
	"talkbot/shell"
)

// editHandler opens a form for "talks-form/round/add" and answers anything
// else with the path it was asked, so a test sees how a line was read.
type editHandler struct{ paths []string }

func (h *editHandler) Handle(_ context.Context, req commands.Request) (commands.Reply, error) {
	h.paths = append(h.paths, req.Path+" "+req.Option("source"))
	if req.Path == "talks-form/round/add" {
		return commands.Reply{Modal: &commands.Modal{CustomID: "edit/round:t:new", Title: "New round",
			Inputs: []commands.TextInput{{ID: "starts", Label: "Starts"}}}}, nil
	}
	return commands.Reply{Content: "Undone."}, nil
}

// editDefs is a command with a subcommand group beside a subcommand, as
// /talks-form has.
var editDefs = []*discordgo.ApplicationCommand{{
	Name: "talks-form", Description: "Edit the talks",
	Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: "round", Description: "Rounds", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Record a round", Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "source", Description: "Where it was said", Required: true},
			}},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "edit", Description: "Fix a round"},
		}},
		{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "undo", Description: "Undo your last change"},
	},
}}

func runEdit(t *testing.T, script string) (h *editHandler, out, errOut string, err error) {
	t.Helper()
	h = &editHandler{}
	var o, e bytes.Buffer
	now := func() time.Time { return time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC) }
	err = newShell(t, h, editDefs, i18n.English, time.UTC, now).Run(t.Context(), strings.NewReader(script), &o, &e)
	return h, o.String(), e.String(), err
}

func TestAFormIsNamedAsDiscordOnlyAndFails(t *testing.T) {
	h, out, errOut, err := runEdit(t, "/talks-form round add source:https://example.org/a")
	if !errors.Is(err, shell.ErrFailed) {
		t.Errorf("Run = %v; want ErrFailed: the form was not filled", err)
	}
	if out != "" || strings.TrimSpace(errOut) != "This opens a form in Discord: editing works only there." {
		t.Errorf("out %q, errors %q; want one line saying the form opens only in Discord", out, errOut)
	}
	if len(h.paths) != 1 || h.paths[0] != "talks-form/round/add https://example.org/a" {
		t.Errorf("the handler was asked %q; want the group's subcommand with its option", h.paths)
	}
}

func TestSubcommandGroupsAreRead(t *testing.T) {
	tests := []struct {
		name, line, wantOut, wantErr string
	}{
		{"a subcommand beside groups runs", "/talks-form undo", "Undone.", ""},
		{"a group without its subcommand names them", "/talks-form round", "", "/talks-form round needs a subcommand: add, edit"},
		{"an unknown subcommand of a group names the known ones", "/talks-form round drop", "", `/talks-form round has no subcommand "drop": add, edit`},
		{"a command without a group names the groups and subcommands", "/talks-form", "", "/talks-form needs a subcommand: round, undo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, out, errOut, _ := runEdit(t, tc.line)
			if strings.TrimSpace(out) != tc.wantOut || strings.TrimSpace(errOut) != tc.wantErr {
				t.Errorf("out %q, errors %q; want %q, %q", out, errOut, tc.wantOut, tc.wantErr)
			}
		})
	}
	_, out, _, _ := runEdit(t, "help")
	if !strings.Contains(out, "/talks-form round add source:…\n    Record a round\n") || !strings.Contains(out, "/talks-form undo\n") {
		t.Errorf("help does not list the group's subcommands:\n%s", out)
	}
}
