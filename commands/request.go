// Package commands turns a request (a slash command, an autocomplete, a
// button press) into a reply. It knows the store and Discord's message
// shapes, but nothing about sockets: the bot, the HTTP endpoint and the
// shell all call the same handlers.
package commands

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Kind is what sort of interaction a request came from.
type Kind int

const (
	KindCommand Kind = iota + 1
	KindAutocomplete
	KindComponent
)

// Request is an interaction reduced to what handlers need.
type Request struct {
	Kind Kind
	// Path names the command, "talks/next", or for a component the part of
	// its custom id before the first ':', "rounds".
	Path string
	// Options holds each option's value as typed (integers in decimal).
	Options map[string]string
	// Focused is the option being typed, for autocomplete.
	Focused string
	// Args are the custom id's parts after the path, for components.
	Args []string

	GuildID, ChannelID, UserID string
	// Context is where the command was used: 0 server, 1 bot DM, 2 private channel.
	Context int
	// MemberPermissions is the caller's resolved permissions in the channel
	// (servers only); AppPermissions is the bot's.
	MemberPermissions int64
	AppPermissions    int64
	Locale            string
}

// Option returns an option's value, or "" when it was not given.
func (r Request) Option(name string) string { return r.Options[name] }

// Reply is what a handler answers.
type Reply struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	// Ephemeral replies are seen only by the caller.
	Ephemeral bool
	// Update replaces the message a button is on instead of posting anew.
	Update bool
	// Choices answers an autocomplete.
	Choices []*discordgo.ApplicationCommandOptionChoice
	// Notice is a word for the caller alone about something else (their DM
	// reminders were paused); the edge sends it as an ephemeral follow-up,
	// since the reply itself may be public.
	Notice string `json:",omitempty"`
}

// UserError is a problem the user can fix; its message says how. The edge
// shows it ephemerally.
type UserError struct{ Message string }

func (e *UserError) Error() string { return e.Message }

// userErrorf builds a UserError.
func userErrorf(format string, args ...any) error {
	return &UserError{Message: fmt.Sprintf(format, args...)}
}

// AsUserError reports whether err is (or wraps) a UserError.
func AsUserError(err error) (*UserError, bool) {
	var ue *UserError
	ok := errors.As(err, &ue)
	return ue, ok
}

// maxCustomID is Discord's limit for a component's custom id.
const maxCustomID = 100

// FromInteraction reads a Discord interaction. It never panics, whatever
// the payload holds; an interaction it cannot use is an error.
func FromInteraction(i *discordgo.Interaction) (Request, error) {
	if i == nil {
		return Request{}, errors.New("no interaction")
	}
	r := Request{
		GuildID:        i.GuildID,
		ChannelID:      i.ChannelID,
		Context:        int(i.Context),
		AppPermissions: i.AppPermissions,
		Locale:         string(i.Locale),
		Options:        map[string]string{},
	}
	switch {
	case i.Member != nil && i.Member.User != nil:
		r.UserID = i.Member.User.ID
		r.MemberPermissions = i.Member.Permissions
	case i.User != nil:
		r.UserID = i.User.ID
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return r, errors.New("command interaction without command data")
		}
		r.Kind = KindCommand
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			r.Kind = KindAutocomplete
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
		if len(data.CustomID) > maxCustomID {
			return r, fmt.Errorf("custom id of %d bytes", len(data.CustomID))
		}
		r.Kind = KindComponent
		parts := strings.Split(data.CustomID, ":")
		r.Path, r.Args = parts[0], parts[1:]
	default:
		return r, fmt.Errorf("unsupported interaction type %d", i.Type)
	}
	return r, nil
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
