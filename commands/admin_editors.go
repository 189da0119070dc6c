package commands

import (
	"context"
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

func (c *Commands) editorsSub() subcommand {
	return subcommand{name: "editors", description: "Which role may edit this server's own talks with /talks-edit",
		options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionRole, Name: "role", Description: "The editors' role (leave out to see the one set)"},
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: "clear", Description: "Remove the editor role: only global editors may edit"},
		}, handle: adminOnly(c.adminEditors)}
}

// globalEditorsNote says where the other editors come from.
const globalEditorsNote = "Global editors, who may edit every track, are set by talkbot's operator (TALKBOT_EDITORS)."

func (c *Commands) adminEditors(ctx context.Context, req Request) (Reply, error) {
	role := req.Option("role")
	clear := false
	if typed := req.Option("clear"); typed != "" {
		var err error
		if clear, err = strconv.ParseBool(typed); err != nil {
			return Reply{}, userErrorf("clear takes true or false, e.g. `/talks-admin editors clear:true`.")
		}
	}
	switch {
	case role != "" && clear:
		return Reply{}, userErrorf("Give either a role to set or clear:true to remove it, not both. " +
			"`/talks-admin editors role:@Editors` sets it; `/talks-admin editors clear:true` removes it.")
	case role != "" && !store.IsSnowflake(role):
		return Reply{}, userErrorf("Pick the role from the list as you type, e.g. `/talks-admin editors role:@Editors`.")
	case role != "" && role == req.GuildID:
		// @everyone's id is the server's: every member would be an editor.
		return Reply{}, userErrorf("The editor role cannot be @everyone: every member could then change this server's talks. Pick a role for the people you trust to edit.")
	}
	current, err := c.settings.EditorRole(ctx, req.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("editor role of %s: %w", req.GuildID, err)
	}
	var msg string
	switch {
	case clear && current == "":
		msg = "This server has no editor role, so there is nothing to remove. " + globalEditorsNote
	case clear:
		if err := c.settings.SaveEditorRole(ctx, req.GuildID, ""); err != nil {
			return Reply{}, fmt.Errorf("clearing the editor role of %s: %w", req.GuildID, err)
		}
		msg = fmt.Sprintf("Removed: members with <@&%s> may no longer edit this server's talks. %s", current, globalEditorsNote)
	case role != "" && role == current:
		msg = fmt.Sprintf("<@&%s> is already the editor role; it is kept. Its members may edit this server's own talks with /talks-edit. %s", role, globalEditorsNote)
	case role != "":
		if err := c.settings.SaveEditorRole(ctx, req.GuildID, role); err != nil {
			return Reply{}, fmt.Errorf("saving the editor role of %s: %w", req.GuildID, err)
		}
		msg = fmt.Sprintf("Saved: members with <@&%s> may edit this server's own talks with /talks-edit (not the global talks). %s", role, globalEditorsNote)
		if current != "" {
			msg += fmt.Sprintf(" It replaces <@&%s>.", current)
		}
	case current == "":
		msg = "This server has no editor role: only global editors may edit. " + globalEditorsNote +
			" Set one with `/talks-admin editors role:@Editors`."
	default:
		msg = fmt.Sprintf("Editor role: <@&%s>. Its members may edit this server's own talks with /talks-edit. %s "+
			"Change it with `/talks-admin editors role:`, remove it with `/talks-admin editors clear:true`.", current, globalEditorsNote)
	}
	return Reply{Content: msg, Ephemeral: true}, nil
}
