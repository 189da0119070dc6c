package discordtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file checks the rules Discord documents for request bodies that its
// OpenAPI description does not (or, for message content, states more
// loosely). Each rule cites the documentation's wording in its message.

// Routes whose bodies have rules of their own.
const (
	routeGlobalCommands   = "PUT /applications/{application_id}/commands"
	routeGuildCommands    = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
	routeChannelMessages  = "POST /channels/{channel_id}/messages"
	routeCallback         = "POST /interactions/{interaction_id}/{interaction_token}/callback"
	routeExecuteWebhook   = "POST /webhooks/{webhook_id}/{webhook_token}"
	routeEditOriginal     = "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original"
	routeEditWebhookMsg   = "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
	routeGetGlobalCmds    = "GET /applications/{application_id}/commands"
	routeGetGuildCmds     = "GET /applications/{application_id}/guilds/{guild_id}/commands"
	routeCreateDM         = "POST /users/@me/channels"
	routeGetChannel       = "GET /channels/{channel_id}"
	routeGateway          = "GET /gateway"
	routeGatewayBot       = "GET /gateway/bot"
	routeCurrentUser      = "GET /users/@me"
	routeCurrentApp       = "GET /applications/@me"
	routeCurrentOAuth2App = "GET /oauth2/applications/@me"
)

func ruleIssues(req *Request) []issue {
	switch req.Route {
	case routeGlobalCommands:
		return commandRules(req.Body, false)
	case routeGuildCommands:
		return commandRules(req.Body, true)
	case routeChannelMessages:
		return messageRules(nil, req.Body, len(req.Files) > 0, createChannelMessage)
	case routeExecuteWebhook:
		return messageRules(nil, req.Body, len(req.Files) > 0, createInteractionMessage)
	case routeEditOriginal, routeEditWebhookMsg:
		return messageRules(nil, req.Body, len(req.Files) > 0, editMessage)
	case routeCallback:
		return callbackRules(req.Body, len(req.Files) > 0)
	case routeCreateEvent, routeEditEvent:
		return eventRules(req.Body, req.Route == routeCreateEvent)
	}
	return nil
}

// Message flags a request may set (Discord's "only X, Y and Z can be set").
const (
	flagSuppressEmbeds        = 1 << 2
	flagEphemeral             = 1 << 6
	flagLoading               = 1 << 7
	flagSuppressNotifications = 1 << 12
	flagVoiceMessage          = 1 << 13
	flagComponentsV2          = 1 << 15
)

type messageKind int

const (
	createChannelMessage     messageKind = iota // POST /channels/{id}/messages
	createInteractionMessage                    // callback 4, follow-ups
	editMessage                                 // PATCH of a webhook message, callback 7
)

var allowedFlags = map[messageKind]int64{
	createChannelMessage:     flagSuppressEmbeds | flagSuppressNotifications | flagVoiceMessage | flagComponentsV2,
	createInteractionMessage: flagSuppressEmbeds | flagEphemeral | flagSuppressNotifications | flagVoiceMessage | flagComponentsV2,
	editMessage:              -1, // edits keep what they cannot change; not checked
}

type messageFields struct {
	Content     *string           `json:"content"`
	Embeds      []embedFields     `json:"embeds"`
	StickerIDs  []json.RawMessage `json:"sticker_ids"`
	Components  []json.RawMessage `json:"components"`
	Attachments []json.RawMessage `json:"attachments"`
	Poll        json.RawMessage   `json:"poll"`
	Flags       *int64            `json:"flags"`
}

type embedFields struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Fields      []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
}

// messageRules checks a message body at prefix (e.g. ["data"] in a
// callback): content up to 2,000 characters (the documentation's limit; the
// description allows 4,000 on POST /channels/{id}/messages), at most 6,000
// characters across all embeds, not empty when creating, and only the flags
// the endpoint lets a bot set.
func messageRules(prefix []string, body []byte, hasFiles bool, k messageKind) []issue {
	var m messageFields
	if json.Unmarshal(body, &m) != nil {
		return nil // the schema check has said what is wrong
	}
	field := func(name string) []string { return at(prefix, name) }
	var out []issue
	if m.Content != nil && utf8.RuneCountInString(*m.Content) > 2000 {
		out = append(out, issue{path: field("content"), code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length."})
	}
	total := 0
	for _, e := range m.Embeds {
		total += runes(e.Title) + runes(e.Description)
		for _, f := range e.Fields {
			total += runes(f.Name) + runes(f.Value)
		}
		if e.Footer != nil {
			total += runes(e.Footer.Text)
		}
		if e.Author != nil {
			total += runes(e.Author.Name)
		}
	}
	if total > 6000 {
		out = append(out, issue{path: field("embeds"), code: "MAX_EMBED_SIZE_EXCEEDED", message: fmt.Sprintf("Embed size exceeds maximum size of 6000 (%d)", total)})
	}
	if k != editMessage && (m.Content == nil || *m.Content == "") && len(m.Embeds) == 0 && len(m.StickerIDs) == 0 &&
		len(m.Components) == 0 && len(m.Attachments) == 0 && isNull(m.Poll) && !hasFiles {
		out = append(out, issue{path: prefix, code: "EMPTY_MESSAGE", message: "Cannot send an empty message", apiCode: 50006})
	}
	if allowed := allowedFlags[k]; m.Flags != nil && allowed >= 0 && *m.Flags&^allowed != 0 {
		out = append(out, issue{path: field("flags"), code: "MESSAGE_FLAGS_INVALID", message: fmt.Sprintf("flags %d include some a bot cannot set here (allowed: %d)", *m.Flags, allowed)})
	}
	return out
}

func callbackRules(body []byte, hasFiles bool) []issue {
	var cb struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &cb) != nil {
		return nil
	}
	switch cb.Type {
	case 4:
		return messageRules([]string{"data"}, cb.Data, hasFiles, createInteractionMessage)
	case 7:
		return messageRules([]string{"data"}, cb.Data, hasFiles, editMessage)
	case 9:
		return modalRules(cb.Data)
	case 5:
		// "If you create a callback with the type
		// DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE the only valid message flag
		// you may use is EPHEMERAL."
		var d struct {
			Flags int64 `json:"flags"`
		}
		if json.Unmarshal(cb.Data, &d) == nil && d.Flags&^flagEphemeral != 0 {
			return []issue{{path: []string{"data", "flags"}, code: "MESSAGE_FLAGS_INVALID", message: "only EPHEMERAL may be set on a deferred response"}}
		}
	}
	return nil
}

func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

func runes(s string) int { return utf8.RuneCountInString(s) }

// commandNamePattern is the documentation's rule for CHAT_INPUT command and
// option names, ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, in Go's
// spelling of the scripts.
var commandNamePattern = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// locales are the keys a localization dictionary may use.
var locales = []string{
	"id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
	"pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko",
}

type commandDef struct {
	Type                     *int              `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations"`
	Description              *string           `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Options                  []optionDef       `json:"options"`
}

type optionDef struct {
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Required                 bool              `json:"required"`
	Autocomplete             bool              `json:"autocomplete"`
	Choices                  []choiceDef       `json:"choices"`
	Options                  []optionDef       `json:"options"`
	ChannelTypes             []int             `json:"channel_types"`
	MinValue                 json.RawMessage   `json:"min_value"`
	MaxValue                 json.RawMessage   `json:"max_value"`
	MinLength                *int              `json:"min_length"`
	MaxLength                *int              `json:"max_length"`
}

type choiceDef struct {
	Name              string            `json:"name"`
	NameLocalizations map[string]string `json:"name_localizations"`
	Value             json.RawMessage   `json:"value"`
}

// Application command types and option types.
const (
	cmdChatInput = 1
	cmdUser      = 2
	cmdMessage   = 3
	cmdEntry     = 4

	optSubcommand = 1
	optGroup      = 2
	optString     = 3
	optInteger    = 4
	optChannel    = 7
	optNumber     = 10
)

// commandLimits is how many commands of each type an app may have globally,
// and per guild.
var commandLimits = []struct {
	typ   int
	name  string
	limit int
}{{cmdChatInput, "CHAT_INPUT", 100}, {cmdUser, "USER", 15}, {cmdMessage, "MESSAGE", 15}, {cmdEntry, "PRIMARY_ENTRY_POINT", 1}}

// commandRules checks a bulk overwrite against the rules of Discord's
// application command documentation.
func commandRules(body []byte, guild bool) []issue {
	var cmds []commandDef
	if json.Unmarshal(body, &cmds) != nil {
		return nil
	}
	var out []issue
	counts := map[int]int{}
	seen := map[string]bool{}
	for i, c := range cmds {
		p := []string{strconv.Itoa(i)}
		typ := cmdChatInput
		if c.Type != nil {
			typ = *c.Type
		}
		counts[typ]++
		// "command names must be unique per application, per type, and
		// within each scope (global and guild)"
		key := strconv.Itoa(typ) + "/" + c.Name
		if seen[key] {
			out = append(out, issue{path: at(p, "name"), code: "APPLICATION_COMMANDS_DUPLICATE_NAME", message: fmt.Sprintf("Application command names must be unique: %q", c.Name)})
		}
		seen[key] = true
		switch typ {
		case cmdChatInput:
			out = append(out, chatCommandRules(p, c)...)
		case cmdUser, cmdMessage:
			out = append(out, contextMenuRules(p, c)...)
		case cmdEntry:
			if guild {
				out = append(out, issue{path: at(p, "type"), code: "APPLICATION_COMMAND_TYPE_INVALID", message: "an app cannot have a PRIMARY_ENTRY_POINT guild command"})
			}
		}
	}
	for _, l := range commandLimits {
		if counts[l.typ] > l.limit {
			out = append(out, issue{code: "APPLICATION_COMMANDS_TOO_MANY", message: fmt.Sprintf("at most %d %s commands (got %d)", l.limit, l.name, counts[l.typ])})
		}
	}
	return out
}

func at(p []string, more ...string) []string { return append(slices.Clone(p), more...) }

func chatCommandRules(p []string, c commandDef) []issue {
	out := nameRules(p, c.Name, c.NameLocalizations)
	desc := ""
	if c.Description != nil {
		desc = *c.Description
	}
	out = append(out, descriptionRules(p, desc, c.DescriptionLocalizations)...)
	out = append(out, optionsRules(at(p, "options"), c.Options, levelCommand)...)
	// "Slash commands can have a maximum of 8000 characters for combined
	// name, description, and value properties for each command, its options
	// (including subcommands and groups), and choices."
	if n := longest(c.Name, c.NameLocalizations) + longest(desc, c.DescriptionLocalizations) + optionsSize(c.Options); n > 8000 {
		out = append(out, issue{path: p, code: "APPLICATION_COMMAND_TOO_LARGE", message: fmt.Sprintf("Command exceeds maximum size (8000): %d", n)})
	}
	return out
}

// contextMenuRules: "USER and MESSAGE commands may be mixed case and can
// include spaces"; their description is an empty string and they take no
// options.
func contextMenuRules(p []string, c commandDef) []issue {
	var out []issue
	if n := runes(c.Name); n < 1 || n > 32 {
		out = append(out, issue{path: at(p, "name"), code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 32 in length."})
	}
	if c.Description != nil && *c.Description != "" {
		out = append(out, issue{path: at(p, "description"), code: "APPLICATION_COMMAND_DESCRIPTION_INVALID", message: "Description must be empty for USER and MESSAGE commands"})
	}
	if len(c.Options) > 0 {
		out = append(out, issue{path: at(p, "options"), code: "APPLICATION_COMMAND_OPTIONS_INVALID", message: "USER and MESSAGE commands take no options"})
	}
	return out
}

// nameRules: "must match ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ ...
// If there is a lowercase variant of any letters used, you must use
// those." Localized names follow the same rules.
func nameRules(p []string, name string, locs map[string]string) []issue {
	var out []issue
	check := func(path []string, n string) {
		if !commandNamePattern.MatchString(n) || strings.ToLower(n) != n {
			out = append(out, issue{path: path, code: "APPLICATION_COMMAND_INVALID_NAME", message: fmt.Sprintf("Command name is invalid: %q", n)})
		}
	}
	check(at(p, "name"), name)
	for _, loc := range sortedKeys(locs) {
		out = append(out, localeRule(at(p, "name_localizations"), loc)...)
		check(at(p, "name_localizations", loc), locs[loc])
	}
	return out
}

// descriptionRules: descriptions of CHAT_INPUT commands and options are
// 1-100 characters, and so are their localizations.
func descriptionRules(p []string, desc string, locs map[string]string) []issue {
	var out []issue
	check := func(path []string, d string) {
		if n := runes(d); n < 1 || n > 100 {
			out = append(out, issue{path: path, code: "BASE_TYPE_BAD_LENGTH", message: fmt.Sprintf("Must be between 1 and 100 in length (got %d).", n)})
		}
	}
	check(at(p, "description"), desc)
	for _, loc := range sortedKeys(locs) {
		out = append(out, localeRule(at(p, "description_localizations"), loc)...)
		check(at(p, "description_localizations", loc), locs[loc])
	}
	return out
}

func localeRule(p []string, loc string) []issue {
	if slices.Contains(locales, loc) {
		return nil
	}
	return []issue{{path: at(p, loc), code: "LOCALE_INVALID", message: fmt.Sprintf("%q is not one of Discord's locales", loc)}}
}

type optionLevel int

const (
	levelCommand    optionLevel = iota // options of the command itself
	levelGroup                         // options of a subcommand group
	levelSubcommand                    // options of a subcommand
)

// optionsRules checks one array of options: at most 25, unique names,
// required before optional, and the only nesting Discord supports, "your
// top level command can contain subcommand groups, and those groups can
// contain subcommands".
func optionsRules(p []string, opts []optionDef, level optionLevel) []issue {
	var out []issue
	if len(opts) > 25 {
		out = append(out, issue{path: p, code: "BASE_TYPE_MAX_LENGTH", message: fmt.Sprintf("Must be 25 or fewer in length (got %d).", len(opts))})
	}
	subs := 0
	for _, o := range opts {
		if o.Type == optSubcommand || o.Type == optGroup {
			subs++
		}
	}
	if subs > 0 && subs < len(opts) {
		out = append(out, issue{path: p, code: "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message: "Sub-command and sub-command group option types are mutually exclusive to all other types"})
	}
	names := map[string]bool{}
	optionalSeen := false
	for i, o := range opts {
		op := at(p, strconv.Itoa(i))
		if names[o.Name] {
			out = append(out, issue{path: at(op, "name"), code: "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME", message: fmt.Sprintf("option names must be unique within an array: %q", o.Name)})
		}
		names[o.Name] = true
		out = append(out, nameRules(op, o.Name, o.NameLocalizations)...)
		out = append(out, descriptionRules(op, o.Description, o.DescriptionLocalizations)...)
		switch o.Type {
		case optGroup:
			if level != levelCommand {
				out = append(out, issue{path: at(op, "type"), code: "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message: "a subcommand group can only be an option of the command itself"})
			}
			out = append(out, optionsRules(at(op, "options"), o.Options, levelGroup)...)
		case optSubcommand:
			if level == levelSubcommand {
				out = append(out, issue{path: at(op, "type"), code: "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message: "a subcommand cannot contain subcommands"})
			}
			out = append(out, optionsRules(at(op, "options"), o.Options, levelSubcommand)...)
		default:
			if level == levelGroup {
				out = append(out, issue{path: at(op, "type"), code: "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message: "a subcommand group can only contain subcommands"})
			}
			// "Required options must be listed before optional options"
			if o.Required && optionalSeen {
				out = append(out, issue{path: at(op, "required"), code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", message: "Required options must be placed before non-required options"})
			}
			optionalSeen = optionalSeen || !o.Required
			out = append(out, valueOptionRules(op, o)...)
		}
	}
	return out
}

// valueOptionRules checks what only some option types may have.
func valueOptionRules(op []string, o optionDef) []issue {
	var out []issue
	add := func(field, msg string) {
		out = append(out, issue{path: at(op, field), code: "APPLICATION_COMMAND_OPTION_INVALID", message: msg})
	}
	choosable := o.Type == optString || o.Type == optInteger || o.Type == optNumber
	if len(o.Choices) > 25 {
		add("choices", fmt.Sprintf("Choices: max 25 (got %d)", len(o.Choices)))
	}
	if len(o.Choices) > 0 && !choosable {
		add("choices", "choices are only for STRING, INTEGER and NUMBER options")
	}
	if o.Autocomplete && len(o.Choices) > 0 {
		add("autocomplete", "autocomplete may not be set to true if choices are present")
	}
	if o.Autocomplete && !choosable {
		add("autocomplete", "autocomplete is only for STRING, INTEGER and NUMBER options")
	}
	if (o.MinLength != nil || o.MaxLength != nil) && o.Type != optString {
		add("min_length", "min_length and max_length are only for STRING options")
	}
	if (!isNull(o.MinValue) || !isNull(o.MaxValue)) && o.Type != optInteger && o.Type != optNumber {
		add("min_value", "min_value and max_value are only for INTEGER and NUMBER options")
	}
	if len(o.ChannelTypes) > 0 && o.Type != optChannel {
		add("channel_types", "channel_types is only for CHANNEL options")
	}
	for i, c := range o.Choices {
		cp := at(op, "choices", strconv.Itoa(i))
		if n := runes(c.Name); n < 1 || n > 100 {
			out = append(out, issue{path: at(cp, "name"), code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length."})
		}
		for _, loc := range sortedKeys(c.NameLocalizations) {
			out = append(out, localeRule(at(cp, "name_localizations"), loc)...)
			if n := runes(c.NameLocalizations[loc]); n < 1 || n > 100 {
				out = append(out, issue{path: at(cp, "name_localizations", loc), code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length."})
			}
		}
		if msg := choiceValueProblem(o.Type, c.Value); msg != "" {
			out = append(out, issue{path: at(cp, "value"), code: "APPLICATION_COMMAND_OPTION_CHOICE_INVALID", message: msg})
		}
	}
	return out
}

// choiceValueProblem: a choice's value is a string of up to 100 characters
// for STRING, an integer between -2^53 and 2^53 for INTEGER, a number for
// NUMBER.
func choiceValueProblem(optType int, raw json.RawMessage) string {
	switch optType {
	case optString:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "the value of a STRING option's choice is a string"
		}
		if runes(s) > 100 {
			return "Must be 100 or fewer in length."
		}
	case optInteger:
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || n > 1<<53 || n < -(1<<53) {
			return "the value of an INTEGER option's choice is an integer between -2^53 and 2^53"
		}
	case optNumber:
		if _, err := strconv.ParseFloat(string(raw), 64); err != nil || strings.HasPrefix(string(raw), `"`) {
			return "the value of a NUMBER option's choice is a number"
		}
	}
	return ""
}

// optionsSize counts options toward the 8,000-character limit: "only the
// longest localization for each field (including the default value) is
// counted".
func optionsSize(opts []optionDef) int {
	n := 0
	for _, o := range opts {
		n += longest(o.Name, o.NameLocalizations) + longest(o.Description, o.DescriptionLocalizations)
		for _, c := range o.Choices {
			n += longest(c.Name, c.NameLocalizations)
			var s string
			if json.Unmarshal(c.Value, &s) == nil {
				n += runes(s)
			} else {
				n += len(c.Value)
			}
		}
		n += optionsSize(o.Options)
	}
	return n
}

func longest(def string, locs map[string]string) int {
	n := runes(def)
	for _, v := range locs {
		n = max(n, runes(v))
	}
	return n
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
