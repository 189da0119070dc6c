package bot

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
)

// FromInteraction reads a Discord interaction into the plain request the
// handlers take. It never panics, whatever the payload holds; an
// interaction it cannot use is an error.
func FromInteraction(i *discordgo.Interaction) (commands.Request, error) {
	if i == nil {
		return commands.Request{}, errors.New("no interaction")
	}
	r := commands.Request{Options: map[string]string{}}
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return r, errors.New("command interaction without command data")
		}
		r.Kind = commands.KindCommand
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			r.Kind = commands.KindAutocomplete
		}
		r.Path = data.Name
		opts := data.Options
		// Subcommand groups and subcommands extend the path; their own
		// options are the ones that carry values.
		for depth := 0; depth < 2 && len(opts) == 1 && opts[0] != nil &&
			(opts[0].Type == discordgo.ApplicationCommandOptionSubCommand || opts[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup); depth++ {
			r.Path += "/" + opts[0].Name
			opts = opts[0].Options
		}
		for _, o := range opts {
			if o == nil {
				continue
			}
			r.Options[o.Name] = optionString(o.Value)
			if o.Focused {
				r.Focused = o.Name
			}
		}
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return r, errors.New("component interaction without component data")
		}
		c, err := commands.ComponentRequest(data.CustomID)
		if err != nil {
			return r, err
		}
		r = c
	case discordgo.InteractionModalSubmit:
		data, ok := i.Data.(discordgo.ModalSubmitInteractionData)
		if !ok {
			return r, errors.New("modal submit without modal data")
		}
		m, err := commands.ModalRequest(data.CustomID, modalFields(data.Components))
		if err != nil {
			return r, err
		}
		r = m
	default:
		return r, fmt.Errorf("unsupported interaction type %d", i.Type)
	}
	r.GuildID, r.ChannelID = i.GuildID, i.ChannelID
	r.Context = int(i.Context)
	r.AppPermissions = i.AppPermissions
	r.Locale = string(i.Locale)
	// Discord sends guild_locale only in servers: the server's language,
	// which a first /talks-admin setup takes for its channel posts.
	if i.GuildLocale != nil {
		r.GuildLocale = string(*i.GuildLocale)
	}
	switch {
	case i.Member != nil && i.Member.User != nil:
		r.UserID = i.Member.User.ID
		r.MemberPermissions = i.Member.Permissions
		r.UserName = cmp.Or(i.Member.Nick, i.Member.User.GlobalName, i.Member.User.Username)
		r.MemberRoles = i.Member.Roles
	case i.User != nil:
		r.UserID = i.User.ID
		r.UserName = cmp.Or(i.User.GlobalName, i.User.Username)
	}
	return r, nil
}

// modalFields reads a modal's submitted text inputs by custom id. Discord
// sends them in action rows (or, in newer modals, in labels, which
// discordgo v0.29 does not decode: such a submit fails to decode before it
// gets here). Anything else, nil included, is skipped.
func modalFields(rows []discordgo.MessageComponent) map[string]string {
	fields := map[string]string{}
	add := func(c discordgo.MessageComponent) {
		switch in := c.(type) {
		case *discordgo.TextInput:
			if in != nil && in.CustomID != "" {
				fields[in.CustomID] = in.Value
			}
		case discordgo.TextInput:
			if in.CustomID != "" {
				fields[in.CustomID] = in.Value
			}
		}
	}
	for _, row := range rows {
		switch ar := row.(type) {
		case *discordgo.ActionsRow:
			if ar != nil {
				for _, c := range ar.Components {
					add(c)
				}
			}
		case discordgo.ActionsRow:
			for _, c := range ar.Components {
				add(c)
			}
		default:
			add(row) // a text input outside a row, should Discord send one
		}
	}
	return fields
}

// optionString renders an option value as the user typed it. JSON numbers
// arrive as float64; integers print without a fraction.
func optionString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		if v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
