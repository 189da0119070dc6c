package commands_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
)

// Discord's rules for chat commands (shared/DISCORD.md).
var commandName = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)

func TestDefinitionsFollowDiscordRules(t *testing.T) {
	defs := commands.New(nil, nil, nil).Definitions()
	// Each command carries its own contexts: reading works everywhere,
	// server settings only in servers that installed the bot.
	where := map[string]struct{ contexts, installs string }{
		"talks":       {"[0,1,2]", "[0,1]"},
		"talks-admin": {"[0]", "[0]"},
		"talks-edit":  {"[0,1]", "[0]"},
	}
	if len(defs) != len(where) {
		t.Errorf("%d commands; want %d", len(defs), len(where))
	}
	var check func(path string, opts []*discordgo.ApplicationCommandOption, depth int)
	check = func(path string, opts []*discordgo.ApplicationCommandOption, depth int) {
		if len(opts) > 25 {
			t.Errorf("%s: %d options", path, len(opts))
		}
		optional := false
		names := map[string]bool{}
		for _, o := range opts {
			p := path + " " + o.Name
			if !commandName.MatchString(o.Name) || names[o.Name] {
				t.Errorf("%s: bad or repeated name", p)
			}
			names[o.Name] = true
			if n := len([]rune(o.Description)); n < 1 || n > 100 {
				t.Errorf("%s: description of %d characters", p, n)
			}
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
				if depth > 1 {
					t.Errorf("%s: nested too deep", p)
				}
				check(p, o.Options, depth+1)
			default:
				if (o.Type == discordgo.ApplicationCommandOptionChannel) != (len(o.ChannelTypes) > 0) {
					t.Errorf("%s: channel types %v on an option of type %d", p, o.ChannelTypes, o.Type)
				}
				if o.Required && optional {
					t.Errorf("%s: required after an optional option", p)
				}
				optional = optional || !o.Required
			}
		}
	}
	for _, d := range defs {
		if !commandName.MatchString(d.Name) {
			t.Errorf("command name %q", d.Name)
		}
		want, ok := where[d.Name]
		if !ok {
			t.Errorf("/%s: no contexts expected; add it to this test", d.Name)
		}
		// Server editors are a role, not a permission: our own check is
		// the only one, so Discord must not hide the command.
		if d.Name == "talks-edit" && d.DefaultMemberPermissions != nil {
			t.Errorf("/talks-edit: default_member_permissions %d; want none", *d.DefaultMemberPermissions)
		}
		contexts, _ := json.Marshal(d.Contexts)
		installs, _ := json.Marshal(d.IntegrationTypes)
		if string(contexts) != want.contexts || string(installs) != want.installs {
			t.Errorf("/%s: contexts %s, integration types %s; want %s and %s", d.Name, contexts, installs, want.contexts, want.installs)
		}
		check("/"+d.Name, d.Options, 0)
	}
}
