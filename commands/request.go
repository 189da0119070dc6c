// Package commands turns a request (a slash command, an autocomplete, a
// button press) into a reply. It knows the store and Discord's message
// shapes, but nothing about sockets: the bot, the HTTP endpoint and the
// shell all call the same handlers.
package commands

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Kind is what sort of interaction a request came from.
type Kind int

const (
	KindCommand Kind = iota + 1
	KindAutocomplete
	KindComponent
	// KindModal is a modal's submit: Path and Args come from the modal's
	// custom id as for a component, Fields from its text inputs.
	KindModal
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
	// Fields are a modal's text inputs as typed, by custom id.
	Fields map[string]string

	GuildID, ChannelID, UserID string
	// UserName is how the caller is shown (server nickname, else display
	// name, else username), for the history.
	UserName string
	// MemberRoles are the caller's role ids in the server (servers only).
	MemberRoles []string
	// Context is where the command was used: 0 server, 1 bot DM, 2 private channel.
	Context int
	// MemberPermissions is the caller's resolved permissions in the channel
	// (servers only); AppPermissions is the bot's.
	MemberPermissions int64
	AppPermissions    int64
	// Locale is the caller's language in Discord ("uk"); GuildLocale the
	// server's (servers only), for the language of its channel posts.
	Locale      string
	GuildLocale string
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
	// Modal, when set, is shown instead of a message (response type 9);
	// the other fields are then unused.
	Modal *Modal `json:",omitempty"`
}

// Modal is a form of up to 5 text inputs (Discord's limits: a title of
// 45 characters, a custom id of 100, 4,000 characters an input).
type Modal struct {
	CustomID string
	Title    string
	Inputs   []TextInput
}

// TextInput is one field of a modal.
type TextInput struct {
	ID          string // custom id: names the field in Request.Fields
	Label       string // up to 45 characters
	Long        bool   // paragraph style, several lines
	Value       string // prefilled text
	Placeholder string // up to 100 characters
	Required    bool
	MaxLength   int // 0: Discord's 4,000
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

// ComponentRequest is the request a component's custom id stands for: its
// path is the part before the first ':', its args the parts after. The
// edge fills in who pressed it and where.
func ComponentRequest(customID string) (Request, error) {
	return customIDRequest(KindComponent, customID)
}

// ModalRequest is the request a modal's submit stands for: path and args
// from the modal's custom id, as for a component, and fields its text
// inputs by custom id (never nil).
func ModalRequest(customID string, fields map[string]string) (Request, error) {
	r, err := customIDRequest(KindModal, customID)
	if err != nil {
		return r, err
	}
	if fields == nil {
		fields = map[string]string{}
	}
	r.Fields = fields
	return r, nil
}

func customIDRequest(kind Kind, customID string) (Request, error) {
	if len(customID) > maxCustomID {
		return Request{}, fmt.Errorf("custom id of %d bytes; Discord allows %d", len(customID), maxCustomID)
	}
	parts := strings.Split(customID, ":")
	return Request{Kind: kind, Path: parts[0], Args: parts[1:], Options: map[string]string{}}, nil
}

// Discord's limits on a modal (shared/DISCORD.md), for handlers that build
// one and for Validate.
const (
	ModalMaxInputs      = 5
	ModalMaxTitle       = 45
	ModalMaxLabel       = 45
	ModalMaxValue       = 4000
	ModalMaxPlaceholder = 100
)

// Validate reports the first way m breaks Discord's limits: Discord would
// refuse the whole response, and the user would see only "The application
// did not respond". Custom ids count bytes, so that one that passes here
// also passes ComponentRequest and ModalRequest when it comes back; the
// texts count characters.
func (m *Modal) Validate() error {
	if m == nil {
		return errors.New("modal: none")
	}
	if m.CustomID == "" || len(m.CustomID) > maxCustomID {
		return fmt.Errorf("modal: custom id of %d bytes; Discord allows 1 to %d", len(m.CustomID), maxCustomID)
	}
	if n := utf8.RuneCountInString(m.Title); n == 0 || n > ModalMaxTitle {
		return fmt.Errorf("modal %q: title of %d characters; Discord allows 1 to %d", m.CustomID, n, ModalMaxTitle)
	}
	if len(m.Inputs) == 0 || len(m.Inputs) > ModalMaxInputs {
		return fmt.Errorf("modal %q: %d inputs; Discord allows 1 to %d", m.CustomID, len(m.Inputs), ModalMaxInputs)
	}
	seen := map[string]bool{}
	for i, in := range m.Inputs {
		// A duplicate id would make one field shadow the other in
		// Request.Fields.
		switch {
		case in.ID == "" || len(in.ID) > maxCustomID:
			return fmt.Errorf("modal %q: input %d: custom id of %d bytes; Discord allows 1 to %d", m.CustomID, i+1, len(in.ID), maxCustomID)
		case seen[in.ID]:
			return fmt.Errorf("modal %q: input id %q is used twice", m.CustomID, in.ID)
		}
		seen[in.ID] = true
		if n := utf8.RuneCountInString(in.Label); n == 0 || n > ModalMaxLabel {
			return fmt.Errorf("modal %q: input %q: label of %d characters; Discord allows 1 to %d", m.CustomID, in.ID, n, ModalMaxLabel)
		}
		if n := utf8.RuneCountInString(in.Value); n > ModalMaxValue {
			return fmt.Errorf("modal %q: input %q: value of %d characters; Discord allows %d", m.CustomID, in.ID, n, ModalMaxValue)
		}
		if n := utf8.RuneCountInString(in.Placeholder); n > ModalMaxPlaceholder {
			return fmt.Errorf("modal %q: input %q: placeholder of %d characters; Discord allows %d", m.CustomID, in.ID, n, ModalMaxPlaceholder)
		}
		if in.MaxLength < 0 || in.MaxLength > ModalMaxValue {
			return fmt.Errorf("modal %q: input %q: max length %d; Discord allows 1 to %d (0: no limit of ours)", m.CustomID, in.ID, in.MaxLength, ModalMaxValue)
		}
	}
	return nil
}
