// Package shell lets a person use talkbot's commands from a terminal, as
// typed in Discord ("/talks round number:1"), with replies as plain text:
// a first try without a Discord application, and a check of a dataset
// before it is deployed.
package shell

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"golang.org/x/term"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"

	"talkbot/commands"
	"talkbot/i18n"
)

// ErrFailed is what a piped session returns when any of its commands
// failed (an unknown command, a bad option, a user error): each was
// reported on the error writer, and scripts get a non-zero exit status.
var ErrFailed = errors.New("a command failed")

// Handler answers requests (commands.Commands).
type Handler interface {
	Handle(ctx context.Context, req commands.Request) (commands.Reply, error)
}

// Shell reads commands and prints replies.
type Shell struct {
	handler Handler
	defs    []*discordgo.ApplicationCommand
	// discordOnly are commands and subcommands ("talks-admin",
	// "talks/subscribe") that the shell names but cannot run: where they
	// work, and why not here.
	discordOnly map[string]string
	loc         *time.Location
	now         func() time.Time
	// lang is the reader's language: the shell's own words, the replies
	// (passed as each request's Locale) and the lower-casing of input.
	lang i18n.Lang
	w    *i18n.Localizer
}

// Commands that exist only for Discord, and the message saying why the
// shell cannot run them. A command usable only in servers gets
// shell.why.server when not listed here.
var discordOnlyReasons = map[string]string{
	"talks-admin":       "shell.why.talks-admin",
	"talks/subscribe":   "shell.why.talks.subscribe",
	"talks/unsubscribe": "shell.why.talks.unsubscribe",
	"talks-edit":        "shell.why.talks-edit",
}

// New builds a shell that speaks lang; loc is the reader's timezone for
// Discord timestamps. The shell is like a DM with the bot that no message
// can reach: commands usable only in servers (/talks-admin) and those that
// send DMs are named but not run.
func New(h Handler, defs []*discordgo.ApplicationCommand, lang i18n.Lang, loc *time.Location, now func() time.Time) (*Shell, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	w := cat.Localizer(lang)
	s := &Shell{handler: h, discordOnly: map[string]string{}, loc: loc, now: now, lang: w.Lang(), w: w}
	for _, d := range defs {
		if d.Contexts != nil && !slices.Contains(*d.Contexts, discordgo.InteractionContextBotDM) {
			s.discordOnly[d.Name] = w.Say("shell.server_only", "Why", w.Say(cmp.Or(discordOnlyReasons[d.Name], "shell.why.server")))
			continue
		}
		if why, ok := discordOnlyReasons[d.Name]; ok {
			s.discordOnly[d.Name] = w.Say("shell.discord_only", "Why", w.Say(why))
			continue
		}
		s.defs = append(s.defs, d)
		for _, o := range d.Options {
			if why, ok := discordOnlyReasons[d.Name+"/"+o.Name]; ok {
				s.discordOnly[d.Name+"/"+o.Name] = w.Say("shell.discord_only", "Why", w.Say(why))
			}
		}
	}
	return s, nil
}

// Lang is the language the shell speaks.
func (s *Shell) Lang() i18n.Lang { return s.lang }

// Run answers each line of in until it ends or a line says quit: replies
// go to out, failures (unknown commands, bad options, user errors, forms
// that only Discord can show) to
// errOut. It returns ErrFailed if any command failed, so that a script
// piping commands in can rely on the exit status.
func (s *Shell) Run(ctx context.Context, in io.Reader, out, errOut io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	next := func() (string, error) {
		if !sc.Scan() {
			return "", cmp.Or(sc.Err(), io.EOF)
		}
		return sc.Text(), nil
	}
	failed, err := s.loop(ctx, next, out, errOut)
	if err != nil {
		return err
	}
	if failed {
		return ErrFailed
	}
	return nil
}

// RunTerminal runs the shell on a terminal with line editing and history
// (arrow keys, Ctrl-A/E/K/U/W; golang.org/x/term): rw is the terminal in
// raw mode, width its columns (0 for 80). History lasts for the session.
// Failures are shown like replies, and the person sees them: it returns
// nil when the session ends (quit, Ctrl-D or Ctrl-C on an empty line).
func (s *Shell) RunTerminal(ctx context.Context, rw io.ReadWriter, width int) error {
	t := term.NewTerminal(rw, "> ")
	if width > 0 {
		if err := t.SetSize(width, 24); err != nil {
			return err
		}
	}
	fmt.Fprintln(t, s.w.Say("shell.welcome")+" "+s.w.Say("shell.intro"))
	_, err := s.loop(ctx, t.ReadLine, t, t)
	fmt.Fprintln(t)
	return err
}

// loop answers lines from next until it returns io.EOF or a line says quit;
// failed reports whether any command failed.
func (s *Shell) loop(ctx context.Context, next func() (string, error), out, errOut io.Writer) (failed bool, err error) {
	fail := func(format string, args ...any) {
		failed = true
		fmt.Fprintf(errOut, format+"\n\n", args...)
	}
	for {
		raw, err := next()
		if errors.Is(err, io.EOF) {
			return failed, nil
		}
		if err != nil {
			return failed, err
		}
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case s.is(line, "quit") || s.is(line, "exit"):
			return failed, nil
		case s.is(line, "help") || line == "?" || s.is(line, "commands"):
			fmt.Fprintln(out, s.help())
			continue
		}
		if ctx.Err() != nil {
			return failed, ctx.Err()
		}
		req, err := s.parse(line)
		if err != nil {
			fail("%v", err)
			continue
		}
		reply, err := s.handler.Handle(ctx, req)
		if ue, ok := commands.AsUserError(err); ok {
			fail("%s", s.w.Say("shell.only_you", "Message", s.text(ue.Message)))
			continue
		}
		if err != nil {
			fail("%s", s.w.Say("shell.error", "Error", err.Error()))
			continue
		}
		if reply.Modal != nil {
			// A form has no terminal counterpart; saying so beats
			// pretending the command did something.
			fail("%s", s.w.Say("shell.form_only"))
			continue
		}
		fmt.Fprintln(out, s.render(reply))
	}
}

// is reports whether typed is the name want (ASCII, lower-case), in any
// case. Typed input is lower-cased by the reader's language, so a Turkish
// "İD" is "id"; but a Turkish keyboard's "I" lower-cases to "ı", and the
// names are English, so the language-neutral mapping is tried as well.
func (s *Shell) is(typed, want string) bool {
	return typed == want || i18n.Lower(s.lang, typed) == want || i18n.Lower(i18n.English, typed) == want
}

// parse reads "/talks positions side:ukraine topic:memorandum" or
// "press rounds:ru-ua-istanbul:1". An option's value runs until the next
// "name:" of a known option, so values may hold spaces; a space may follow
// the colon, and a value may be quoted ("prisoner exchange").
func (s *Shell) parse(line string) (commands.Request, error) {
	if word, rest, _ := strings.Cut(line, " "); s.is(word, "press") {
		id := strings.TrimSpace(rest)
		if id == "" {
			return commands.Request{}, errors.New(s.w.Say("shell.press_usage"))
		}
		req, err := commands.ComponentRequest(id)
		req.Locale = string(s.lang)
		return req, err
	}
	fields, err := tokens(strings.TrimPrefix(line, "/"))
	if err != nil {
		return commands.Request{}, errors.New(s.w.Say("shell.quote_open"))
	}
	if len(fields) == 0 {
		return commands.Request{}, errors.New(s.w.Say("shell.type_command"))
	}
	for name, why := range s.discordOnly {
		if !strings.Contains(name, "/") && s.is(fields[0], name) {
			return commands.Request{}, fmt.Errorf("/%s %s", name, why)
		}
	}
	cmd := s.find(fields[0])
	if cmd == nil {
		return commands.Request{}, errors.New(s.w.Say("shell.unknown_command", "Command", fields[0], "Commands", s.names()))
	}
	// The commands answer in the shell's language, as they answer a
	// Discord user in their locale.
	req := commands.Request{Kind: commands.KindCommand, Path: cmd.Name, Options: map[string]string{}, Context: 1, Locale: string(s.lang)}
	opts := cmd.Options
	rest := fields[1:]
	// A subcommand, or a group and its subcommand (/talks-edit round add),
	// extends the path as in FromInteraction.
	for depth := 0; depth < 2 && len(opts) > 0 && isSub(opts[0]); depth++ {
		at := strings.ReplaceAll(req.Path, "/", " ")
		if len(rest) == 0 {
			return req, errors.New(s.w.Say("shell.needs_subcommand", "Command", at, "Subcommands", subNames(opts)))
		}
		var sub *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if s.is(rest[0], o.Name) {
				sub = o
			}
		}
		if sub == nil {
			return req, errors.New(s.w.Say("shell.no_subcommand", "Command", at, "Typed", strconv.Quote(rest[0]), "Subcommands", subNames(opts)))
		}
		if why, ok := s.discordOnly[req.Path+"/"+sub.Name]; ok {
			return req, fmt.Errorf("/%s %s %s", at, sub.Name, why)
		}
		req.Path += "/" + sub.Name
		opts, rest = sub.Options, rest[1:]
	}
	current := ""
	for _, f := range rest {
		if typed, value, ok := strings.Cut(f, ":"); ok {
			if o := s.option(opts, typed); o != nil {
				current = o.Name
				req.Options[current] = value
				continue
			}
		}
		if current == "" {
			return req, errors.New(s.w.Say("shell.not_an_option", "Typed", strconv.Quote(f), "Command", strings.ReplaceAll(req.Path, "/", " "), "Options", s.optionNames(opts)))
		}
		req.Options[current] = strings.TrimPrefix(req.Options[current]+" "+f, " ")
	}
	for _, o := range opts {
		v, ok := req.Options[o.Name]
		if !ok {
			continue
		}
		req.Options[o.Name] = s.choice(o, unquote(v))
	}
	for _, o := range opts {
		if o.Required && req.Options[o.Name] == "" {
			return req, errors.New(s.w.Say("shell.needs_option", "Command", strings.ReplaceAll(req.Path, "/", " "), "Option", o.Name))
		}
	}
	return req, nil
}

// option is the option of opts named typed, in any case, or nil.
func (s *Shell) option(opts []*discordgo.ApplicationCommandOption, typed string) *discordgo.ApplicationCommandOption {
	for _, o := range opts {
		if s.is(typed, o.Name) {
			return o
		}
	}
	return nil
}

// choice is the value of one of o's choices that typed names in any case
// ("SIDE:UKRAINE" on a Turkish keyboard), else typed as it is: free text
// is never lower-cased, and a wrong choice is the command's to explain.
func (s *Shell) choice(o *discordgo.ApplicationCommandOption, typed string) string {
	for _, c := range o.Choices {
		if v, ok := c.Value.(string); ok && s.is(typed, v) {
			return v
		}
	}
	return typed
}

// tokens splits a line at spaces outside double quotes, keeping the quotes
// (unquote drops them from a whole value).
func tokens(line string) ([]string, error) {
	var out []string
	var cur strings.Builder
	quoted, inToken := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
			inToken = true
			cur.WriteRune(r)
		case !quoted && (r == ' ' || r == '\t'):
			if inToken {
				out = append(out, cur.String())
				cur.Reset()
				inToken = false
			}
		default:
			inToken = true
			cur.WriteRune(r)
		}
	}
	if quoted {
		return nil, errOpenQuote
	}
	if inToken {
		out = append(out, cur.String())
	}
	return out, nil
}

// errOpenQuote is a value with an opening quote and no closing one; the
// shell explains it in the reader's language.
var errOpenQuote = errors.New("a quote is not closed")

// unquote drops the double quotes around a whole value.
func unquote(v string) string {
	if len(v) >= 2 && strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) {
		return v[1 : len(v)-1]
	}
	return v
}

func (s *Shell) find(name string) *discordgo.ApplicationCommand {
	for _, d := range s.defs {
		if s.is(name, d.Name) {
			return d
		}
	}
	return nil
}

func (s *Shell) names() string {
	var out []string
	for _, d := range s.defs {
		out = append(out, "/"+d.Name)
	}
	return strings.Join(out, ", ")
}

// help is the intro and every command with its usage on one line and what
// it does on the next.
func (s *Shell) help() string {
	var b strings.Builder
	b.WriteString(s.w.Say("shell.intro") + "\n\n")
	var subs func(path string, opts []*discordgo.ApplicationCommandOption)
	subs = func(path string, opts []*discordgo.ApplicationCommandOption) {
		for _, sub := range opts {
			if sub.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
				subs(path+"/"+sub.Name, sub.Options)
				continue
			}
			if sub.Type != discordgo.ApplicationCommandOptionSubCommand {
				continue
			}
			fmt.Fprintf(&b, "/%s %s", strings.ReplaceAll(path, "/", " "), sub.Name)
			for _, o := range sub.Options {
				if o.Required {
					fmt.Fprintf(&b, " %s:…", o.Name)
				} else {
					fmt.Fprintf(&b, " [%s:…]", o.Name)
				}
			}
			desc := sub.Description
			// The descriptions Discord shows this reader, from the same catalog.
			if d, ok := s.w.Lookup("cmd." + strings.ReplaceAll(path, "/", ".") + "." + sub.Name + ".description"); ok && s.lang != i18n.English {
				desc = d
			}
			if _, ok := s.discordOnly[path+"/"+sub.Name]; ok {
				desc += " (" + s.w.Say("shell.help.discord_only") + ")"
			}
			fmt.Fprintf(&b, "\n    %s\n", desc)
		}
	}
	for _, d := range s.defs {
		subs(d.Name, d.Options)
	}
	names := make([]string, 0, len(s.discordOnly))
	for name := range s.discordOnly {
		if !strings.Contains(name, "/") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		why := s.discordOnly[name]
		fmt.Fprintf(&b, "/%s …\n    %s\n", name, capital(s.lang, why))
	}
	fmt.Fprintf(&b, "press ID\n    %s\n", s.w.Say("shell.help.press"))
	fmt.Fprintf(&b, "help, ?\n    %s\nquit\n    %s\n", s.w.Say("shell.help.help"), s.w.Say("shell.help.quit"))
	return b.String()
}

func isSub(o *discordgo.ApplicationCommandOption) bool {
	return o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup
}

func subNames(opts []*discordgo.ApplicationCommandOption) string {
	var out []string
	for _, o := range opts {
		out = append(out, o.Name)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// capital upper-cases the first letter by the language's rules (Turkish
// "iptal" is "İptal").
func capital(l i18n.Lang, s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return cases.Upper(language.Make(string(l))).String(string(r)) + s[size:]
}

func (s *Shell) optionNames(opts []*discordgo.ApplicationCommandOption) string {
	if len(opts) == 0 {
		return s.w.Say("shell.no_options")
	}
	var out []string
	for _, o := range opts {
		out = append(out, o.Name+":")
	}
	return strings.Join(out, " ")
}
