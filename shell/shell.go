// Package shell lets a person use talkbot's commands from a terminal, as
// typed in Discord ("/talks round number:1"), with replies as plain text:
// a first try without a Discord application, and a check of a dataset
// before it is deployed.
package shell

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
)

// Handler answers requests (commands.Commands).
type Handler interface {
	Handle(ctx context.Context, req commands.Request) (commands.Reply, error)
}

// Shell reads commands and prints replies.
type Shell struct {
	handler Handler
	defs    []*discordgo.ApplicationCommand
	loc     *time.Location
	now     func() time.Time
}

// New builds a shell; loc is the reader's timezone for Discord timestamps.
// The shell is like a DM with the bot: commands only usable in servers
// (/talks-admin) are left out.
func New(h Handler, defs []*discordgo.ApplicationCommand, loc *time.Location, now func() time.Time) *Shell {
	var usable []*discordgo.ApplicationCommand
	for _, d := range defs {
		if d.Contexts == nil || slices.Contains(*d.Contexts, discordgo.InteractionContextBotDM) {
			usable = append(usable, d)
		}
	}
	return &Shell{handler: h, defs: usable, loc: loc, now: now}
}

const help = `Type a command as in Discord, e.g. /talks next, /talks round number:1,
/talks positions side:ukraine, /talks search query:prisoner exchange.
"commands" lists them, "press ID" presses a button, "quit" ends.`

// Run answers each line of in until it ends or the user quits. With
// interactive set it prompts and greets; piped, it only answers.
func (s *Shell) Run(ctx context.Context, in io.Reader, out io.Writer, interactive bool) error {
	if interactive {
		fmt.Fprintln(out, "talkbot shell. "+help)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for {
		if interactive {
			fmt.Fprint(out, "> ")
		}
		if !sc.Scan() {
			if interactive {
				fmt.Fprintln(out)
			}
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case line == "quit" || line == "exit":
			return nil
		case line == "help":
			fmt.Fprintln(out, help)
			continue
		case line == "commands":
			fmt.Fprint(out, s.list())
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		req, err := s.parse(line)
		if err != nil {
			fmt.Fprintf(out, "%v\n\n", err)
			continue
		}
		reply, err := s.handler.Handle(ctx, req)
		if ue, ok := commands.AsUserError(err); ok {
			fmt.Fprintf(out, "(only you see this) %s\n\n", ue.Message)
			continue
		}
		if err != nil {
			fmt.Fprintf(out, "error: %v\n\n", err)
			continue
		}
		fmt.Fprintln(out, Render(reply, s.loc, s.now()))
	}
}

// parse reads "/talks positions side:ukraine topic:memorandum" or
// "press rounds:ru-ua-istanbul:1". An option's value runs until the next
// "name:" of a known option, so values may hold spaces.
func (s *Shell) parse(line string) (commands.Request, error) {
	if id, ok := strings.CutPrefix(line, "press "); ok {
		parts := strings.Split(strings.TrimSpace(id), ":")
		return commands.Request{Kind: commands.KindComponent, Path: parts[0], Args: parts[1:], Options: map[string]string{}}, nil
	}
	fields := strings.Fields(strings.TrimPrefix(line, "/"))
	if len(fields) == 0 {
		return commands.Request{}, fmt.Errorf("type a command, e.g. /talks next")
	}
	cmd := s.find(fields[0])
	if cmd == nil {
		return commands.Request{}, fmt.Errorf("unknown command /%s; try: %s", fields[0], s.names())
	}
	req := commands.Request{Kind: commands.KindCommand, Path: cmd.Name, Options: map[string]string{}, Context: 1}
	opts := cmd.Options
	rest := fields[1:]
	if len(opts) > 0 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		if len(rest) == 0 {
			return req, fmt.Errorf("/%s needs a subcommand: %s", cmd.Name, subNames(cmd))
		}
		var sub *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if o.Name == rest[0] {
				sub = o
			}
		}
		if sub == nil {
			return req, fmt.Errorf("/%s has no subcommand %q: %s", cmd.Name, rest[0], subNames(cmd))
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
		req.Options[current] += " " + f
	}
	for _, o := range opts {
		if o.Required && req.Options[o.Name] == "" {
			return req, fmt.Errorf("/%s needs %s:…", strings.ReplaceAll(req.Path, "/", " "), o.Name)
		}
	}
	return req, nil
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

// list describes every command and its options.
func (s *Shell) list() string {
	var b strings.Builder
	for _, d := range s.defs {
		for _, sub := range d.Options {
			if sub.Type != discordgo.ApplicationCommandOptionSubCommand {
				continue
			}
			fmt.Fprintf(&b, "/%s %s", d.Name, sub.Name)
			for _, o := range sub.Options {
				if o.Required {
					fmt.Fprintf(&b, " %s:…", o.Name)
				} else {
					fmt.Fprintf(&b, " [%s:…]", o.Name)
				}
			}
			fmt.Fprintf(&b, "\n    %s\n", sub.Description)
		}
	}
	return b.String()
}

func subNames(cmd *discordgo.ApplicationCommand) string {
	var out []string
	for _, o := range cmd.Options {
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
