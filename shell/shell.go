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
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"golang.org/x/term"

	"talkbot/commands"
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
}

// Commands that exist only for Discord, and why the shell cannot run them.
// A command usable only in servers gets serverOnly when not listed here.
var discordOnlyReasons = map[string]string{
	"talks-admin":       "it sets up reminders, announcements and digests in a server's channels, which the shell has none of",
	"talks/subscribe":   "reminders come as Discord direct messages, which the shell cannot receive",
	"talks/unsubscribe": "it stops reminders that come as Discord direct messages, which the shell cannot receive",
	"talks-edit":        "editing records which Discord user made each change, and its forms open in Discord",
}

const serverOnly = "it acts on a Discord server, which the shell is not part of"

// New builds a shell; loc is the reader's timezone for Discord timestamps.
// The shell is like a DM with the bot that no message can reach: commands
// usable only in servers (/talks-admin) and those that send DMs are named
// but not run.
func New(h Handler, defs []*discordgo.ApplicationCommand, loc *time.Location, now func() time.Time) *Shell {
	s := &Shell{handler: h, discordOnly: map[string]string{}, loc: loc, now: now}
	for _, d := range defs {
		if d.Contexts != nil && !slices.Contains(*d.Contexts, discordgo.InteractionContextBotDM) {
			s.discordOnly[d.Name] = "works only in a Discord server: " + cmp.Or(discordOnlyReasons[d.Name], serverOnly)
			continue
		}
		if why, ok := discordOnlyReasons[d.Name]; ok {
			s.discordOnly[d.Name] = "works only in Discord: " + why
			continue
		}
		s.defs = append(s.defs, d)
		for _, o := range d.Options {
			if why, ok := discordOnlyReasons[d.Name+"/"+o.Name]; ok {
				s.discordOnly[d.Name+"/"+o.Name] = "works only in Discord: " + why
			}
		}
	}
	return s
}

const intro = `Type a command as in Discord, e.g. /talks next, /talks round number:1,
/talks positions side:ukraine, /talks search query:"prisoner exchange".
"help" lists the commands, "press ID" presses a button, "quit" ends.`

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
	fmt.Fprintln(t, "talkbot shell. "+intro)
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
		case line == "quit" || line == "exit":
			return failed, nil
		case line == "help" || line == "?" || line == "commands":
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
			fail("(only you see this) %s", text(ue.Message, s.loc, s.now()))
			continue
		}
		if err != nil {
			fail("error: %v", err)
			continue
		}
		if reply.Modal != nil {
			// A form has no terminal counterpart; saying so beats
			// pretending the command did something.
			fail("%s", formOnlyInDiscord)
			continue
		}
		fmt.Fprintln(out, Render(reply, s.loc, s.now()))
	}
}

// formOnlyInDiscord is the shell's answer to a reply that opens a form.
const formOnlyInDiscord = "This opens a form in Discord: editing works only there."

const pressUsage = `press needs a button's id, as shown under a reply in [Label: press ID], e.g. press rounds:ru-ua-istanbul:1`

// parse reads "/talks positions side:ukraine topic:memorandum" or
// "press rounds:ru-ua-istanbul:1". An option's value runs until the next
// "name:" of a known option, so values may hold spaces; a space may follow
// the colon, and a value may be quoted ("prisoner exchange").
func (s *Shell) parse(line string) (commands.Request, error) {
	if line == "press" || strings.HasPrefix(line, "press ") {
		id := strings.TrimSpace(strings.TrimPrefix(line, "press"))
		if id == "" {
			return commands.Request{}, errors.New(pressUsage)
		}
		return commands.ComponentRequest(id)
	}
	fields, err := tokens(strings.TrimPrefix(line, "/"))
	if err != nil {
		return commands.Request{}, err
	}
	if len(fields) == 0 {
		return commands.Request{}, fmt.Errorf("type a command, e.g. /talks next")
	}
	if why, ok := s.discordOnly[fields[0]]; ok {
		return commands.Request{}, fmt.Errorf("/%s %s", fields[0], why)
	}
	cmd := s.find(fields[0])
	if cmd == nil {
		return commands.Request{}, fmt.Errorf("unknown command /%s; try: %s (help lists them all)", fields[0], s.names())
	}
	req := commands.Request{Kind: commands.KindCommand, Path: cmd.Name, Options: map[string]string{}, Context: 1}
	opts := cmd.Options
	rest := fields[1:]
	// A subcommand, or a group and its subcommand (/talks-edit round add),
	// extends the path as in FromInteraction.
	for depth := 0; depth < 2 && len(opts) > 0 && isSub(opts[0]); depth++ {
		at := strings.ReplaceAll(req.Path, "/", " ")
		if len(rest) == 0 {
			return req, fmt.Errorf("/%s needs a subcommand: %s", at, subNames(opts))
		}
		var sub *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if o.Name == rest[0] {
				sub = o
			}
		}
		if sub == nil {
			return req, fmt.Errorf("/%s has no subcommand %q: %s", at, rest[0], subNames(opts))
		}
		if why, ok := s.discordOnly[req.Path+"/"+sub.Name]; ok {
			return req, fmt.Errorf("/%s %s %s", at, sub.Name, why)
		}
		req.Path += "/" + sub.Name
		opts, rest = sub.Options, rest[1:]
	}
	known := map[string]bool{}
	for _, o := range opts {
		known[o.Name] = true
	}
	current := ""
	for _, f := range rest {
		if name, value, ok := strings.Cut(f, ":"); ok && known[name] {
			current = name
			req.Options[name] = value
			continue
		}
		if current == "" {
			return req, fmt.Errorf("%q is not an option of /%s; options: %s", f, strings.ReplaceAll(req.Path, "/", " "), optionNames(opts))
		}
		req.Options[current] = strings.TrimPrefix(req.Options[current]+" "+f, " ")
	}
	for name, v := range req.Options {
		req.Options[name] = unquote(v)
	}
	for _, o := range opts {
		if o.Required && req.Options[o.Name] == "" {
			return req, fmt.Errorf("/%s needs %s:…", strings.ReplaceAll(req.Path, "/", " "), o.Name)
		}
	}
	return req, nil
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
		return nil, errors.New(`a quote is not closed: put a " at the end of the value too, e.g. query:"prisoner exchange"`)
	}
	if inToken {
		out = append(out, cur.String())
	}
	return out, nil
}

// unquote drops the double quotes around a whole value.
func unquote(v string) string {
	if len(v) >= 2 && strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) {
		return v[1 : len(v)-1]
	}
	return v
}

func (s *Shell) find(name string) *discordgo.ApplicationCommand {
	for _, d := range s.defs {
		if d.Name == name {
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
	b.WriteString(intro + "\n\n")
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
			if _, ok := s.discordOnly[path+"/"+sub.Name]; ok {
				desc += " (in Discord only)"
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
		fmt.Fprintf(&b, "/%s …\n    %s%s\n", name, strings.ToUpper(why[:1]), why[1:])
	}
	b.WriteString("press ID\n    Press a button shown under a reply, e.g. press rounds:ru-ua-istanbul:1\n")
	b.WriteString("help, ?\n    This list\nquit\n    End the shell (so does Ctrl-D)\n")
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

func optionNames(opts []*discordgo.ApplicationCommandOption) string {
	if len(opts) == 0 {
		return "none"
	}
	var out []string
	for _, o := range opts {
		out = append(out, o.Name+":")
	}
	return strings.Join(out, " ")
}
