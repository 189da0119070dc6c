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

func (c *Commands) adminEditors(ctx context.Context, req Request) (Reply, error) {
	role := req.Option("role")
	clear := false
	if typed := req.Option("clear"); typed != "" {
		var err error
		if clear, err = strconv.ParseBool(typed); err != nil {
			return Reply{}, sayError("editors.bad_clear", "Example", cmdOf("talks-admin/editors", "clear:true"))
		}
	}
	switch {
	case role != "" && clear:
		return Reply{}, sayError("editors.role_and_clear", "Set", cmdOf("talks-admin/editors", "role:@Editors"), "Clear", cmdOf("talks-admin/editors", "clear:true"))
	case role != "" && !store.IsSnowflake(role):
		return Reply{}, sayError("editors.bad_role", "Example", cmdOf("talks-admin/editors", "role:@Editors"))
	case role != "" && role == req.GuildID:
		// @everyone's id is the server's: every member would be an editor.
		return Reply{}, sayError("editors.everyone")
	}
	current, err := c.settings.EditorRole(ctx, req.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("editor role of %s: %w", req.GuildID, err)
	}
	w := c.words(req)
	global := w.t("editors.global_note")
	edit := w.command("talks-edit")
	var msg string
	switch {
	case clear && current == "":
		msg = w.t("editors.nothing_to_clear") + " " + global
	case clear:
		if err := c.settings.SaveEditorRole(ctx, req.GuildID, ""); err != nil {
			return Reply{}, fmt.Errorf("clearing the editor role of %s: %w", req.GuildID, err)
		}
		msg = w.t("editors.cleared", "Role", current) + " " + global
	case role != "" && role == current:
		msg = w.t("editors.kept", "Role", role, "Edit", edit) + " " + global
	case role != "":
		if err := c.settings.SaveEditorRole(ctx, req.GuildID, role); err != nil {
			return Reply{}, fmt.Errorf("saving the editor role of %s: %w", req.GuildID, err)
		}
		msg = w.t("editors.saved", "Role", role, "Edit", edit) + " " + global
		if current != "" {
			msg += " " + w.t("editors.replaces", "Role", current)
		}
	case current == "":
		msg = w.t("editors.none") + " " + global + " " + w.t("editors.set_hint", "Set", w.command("talks-admin/editors", "role:@Editors"))
	default:
		msg = w.t("editors.shown", "Role", current, "Edit", edit) + " " + global + " " +
			w.t("editors.change_hint", "Set", w.command("talks-admin/editors", "role:"), "Clear", w.command("talks-admin/editors", "clear:true"))
	}
	return Reply{Content: msg, Ephemeral: true}, nil
}
