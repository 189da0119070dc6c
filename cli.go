package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"talkbot/bot"
	"talkbot/bot/metrics"
	"talkbot/commands"
	"talkbot/config"
	"talkbot/data"
	"talkbot/dataset"
	"talkbot/schedule"
	"talkbot/shell"
	"talkbot/store"
	"talkbot/store/backend"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

const usage = `talkbot keeps Discord communities current on diplomatic talks.

Usage:
  talkbot [run]          start the bot (loads the bundled data into an empty store)
  talkbot shell          try the commands in a terminal, no Discord needed
  talkbot check FILE     validate a dataset file
  talkbot import FILE|-  import a dataset file (or standard input) into the store
  talkbot export [FILE]  write the store as a dataset file (standard output by default)
  talkbot version        print version and build information
  talkbot healthcheck    exit 0 if the talkbot on HTTP_ADDR is ready (for containers)

Settings come from environment variables (and .env): see README.md.
`

// env bundles what a command needs from the outside world, so the whole
// program runs in tests.
type env struct {
	getenv    func(string) string
	listening func(addr string) // tests learn the HTTP address
	stdin     io.Reader
	stdout    io.Writer
	stderr    io.Writer
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmd := "run"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return e.runBot(ctx, args)
	case "shell":
		return e.shell(ctx, args)
	case "check":
		return e.check(args)
	case "import":
		return e.importFile(ctx, args)
	case "export":
		return e.export(ctx, args)
	case "version", "-version", "--version":
		return e.version(args)
	case "healthcheck":
		return e.healthcheck(ctx, args)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "talkbot: unknown command %q\n\n%s", cmd, usage)
	return reportedError{2}
}

// flags parses a command's arguments and wants exactly between min and max
// positional ones.
func (e env) flags(name string, args []string, minArgs, maxArgs int, argsHelp string) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprintf(e.stderr, "usage: talkbot %s %s\n", name, argsHelp) }
	if err := fs.Parse(args); err != nil {
		return nil, reportedError{2}
	}
	if fs.NArg() < minArgs || fs.NArg() > maxArgs {
		fs.Usage()
		return nil, reportedError{2}
	}
	return fs.Args(), nil
}

func (e env) logger(c config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

func (e env) config() (config.Config, error) {
	c, err := config.Load(e.getenv)
	if err != nil {
		return c, fmt.Errorf("bad configuration:\n%w", err)
	}
	return c, nil
}

// withStore loads the configuration, opens the store, runs fn and closes
// the store.
func (e env) withStore(ctx context.Context, fn func(config.Config, store.Store) error) error {
	c, err := e.config()
	if err != nil {
		return err
	}
	s, err := e.openStore(ctx, c)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(c, s)
}

func (e env) openStore(ctx context.Context, c config.Config) (store.Store, error) {
	s, err := backend.Open(ctx, c.Database, time.Now)
	if err != nil {
		return nil, fmt.Errorf("opening the store (%s): %w", c.Database, err)
	}
	return s, nil
}

// readDataset reads and checks a dataset file ("-" is standard input). On
// errors it prints them, one per line, and returns a reportedError.
func (e env) readDataset(name string) ([]store.Track, error) {
	var raw []byte
	var err error
	if name == "-" {
		raw, err = io.ReadAll(e.stdin)
	} else {
		raw, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	tracks, err := dataset.Parse(name, raw)
	var errs dataset.Errors
	if errors.As(err, &errs) {
		for _, e2 := range errs {
			fmt.Fprintln(e.stderr, e2)
		}
		return nil, reportedError{1}
	}
	return tracks, err
}

func (e env) check(args []string) error {
	args, err := e.flags("check", args, 1, 1, "FILE")
	if err != nil {
		return err
	}
	tracks, err := e.readDataset(args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: ok, %s\n", args[0], describe(tracks))
	return nil
}

func (e env) importFile(ctx context.Context, args []string) error {
	args, err := e.flags("import", args, 1, 1, "FILE|-")
	if err != nil {
		return err
	}
	// Check the whole file before touching the store: a file with any error
	// changes nothing.
	tracks, err := e.readDataset(args[0])
	if err != nil {
		return err
	}
	return e.withStore(ctx, func(c config.Config, s store.Store) error {
		stats, err := s.Import(ctx, tracks)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "imported %s into %s: %s\n", args[0], c.Database, describeStats(stats))
		return nil
	})
}

func (e env) export(ctx context.Context, args []string) error {
	args, err := e.flags("export", args, 0, 1, "[FILE]")
	if err != nil {
		return err
	}
	var tracks []store.Track
	err = e.withStore(ctx, func(_ config.Config, s store.Store) error {
		tracks, err = s.Export(ctx)
		return err
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := dataset.Write(&buf, tracks); err != nil {
		return err
	}
	if len(args) == 0 {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(args[0], buf.Bytes())
}

// writeFileAtomic replaces path only once the whole file is written.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op after the rename
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// version prints the module version, VCS revision and date: those set at
// build time with -ldflags, else the ones the Go toolchain recorded.
func (e env) version(args []string) error {
	if _, err := e.flags("version", args, 0, 0, ""); err != nil {
		return err
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	stampOf(version, revision, buildDate, info).write(e.stdout)
	return nil
}

// runBot opens the store, loads the bundled data into an empty one, and
// runs the bot until ctx is cancelled (SIGINT/SIGTERM).
func (e env) runBot(ctx context.Context, args []string) error {
	if _, err := e.flags("run", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := e.config()
	if err != nil {
		return err
	}
	if c.DiscordToken == "" {
		return errors.New("DISCORD_TOKEN is not set: create a bot in the Discord developer portal and set its token (see README), or try `talkbot shell`, which needs no Discord application")
	}
	log := e.logger(c)
	s, err := e.openStore(ctx, c)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := seed(ctx, s, log); err != nil {
		return err
	}
	log.Info("store ready", "database", c.Database.String())
	cmds := commands.New(s, time.Now)
	m := metrics.New()
	opts := bot.Options{
		Token: c.DiscordToken, PublicKey: c.PublicKey, GuildID: c.GuildID, APIURL: c.DiscordAPIURL, HTTPAddr: c.HTTPAddr,
		Commands: cmds.Definitions(), Handler: cmds, Ping: s.Ping, Log: log, Metrics: m, Listening: e.listening,
		RateLimit: c.RateLimit,
	}
	b, err := bot.New(opts)
	if err != nil {
		return err
	}
	sched := schedule.New(s, commands.NewAnnouncer(cmds, s), b.Sender(), time.Now, log, m, schedule.Options{Lease: c.ClaimLease, LateAfter: c.LateAfter})
	cmds.SetPlanner(sched)
	b.AddBackground(sched.Run)
	return b.Run(ctx)
}

// shell answers commands typed as in Discord, against the configured
// store (the bundled data by default).
func (e env) shell(ctx context.Context, args []string) error {
	if _, err := e.flags("shell", args, 0, 0, ""); err != nil {
		return err
	}
	loc := time.Local
	if tz := e.getenv("TZ"); tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	return e.withStore(ctx, func(_ config.Config, s store.Store) error {
		if err := seed(ctx, s, slog.New(slog.DiscardHandler)); err != nil {
			return err
		}
		cmds := commands.New(s, time.Now)
		return shell.New(cmds, cmds.Definitions(), loc, time.Now).Run(ctx, e.stdin, e.stdout, isTerminal(e.stdin))
	})
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// seed loads the bundled data into an empty store.
func seed(ctx context.Context, s store.Store, log *slog.Logger) error {
	empty, err := s.Empty(ctx)
	if err != nil || !empty {
		return err
	}
	tracks, err := data.Tracks()
	if err != nil {
		return fmt.Errorf("the bundled data is invalid: %w", err)
	}
	stats, err := s.Import(ctx, tracks)
	if err != nil {
		return fmt.Errorf("loading the bundled data: %w", err)
	}
	log.Info("loaded the bundled data into an empty store", "tracks", stats.Tracks, "rounds", stats.Rounds)
	return nil
}

func describe(tracks []store.Track) string {
	var rounds, positions, statements int
	for _, t := range tracks {
		rounds += len(t.Rounds)
		positions += len(t.Positions)
		statements += len(t.Statements)
	}
	return fmt.Sprintf("%s, %s, %s, %s", plural(len(tracks), "track"), plural(rounds, "round"),
		plural(positions, "position"), plural(statements, "statement"))
}

func describeStats(s store.ImportStats) string {
	if s == (store.ImportStats{}) {
		return "nothing changed"
	}
	parts := []string{}
	for _, p := range []struct {
		n    int
		noun string
	}{{s.Tracks, "track"}, {s.Parties, "party"}, {s.People, "person"}, {s.Sources, "source"},
		{s.Rounds, "round"}, {s.Positions, "position"}, {s.Statements, "statement"}} {
		if p.n > 0 {
			parts = append(parts, plural(p.n, p.noun))
		}
	}
	return "wrote " + strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	switch noun {
	case "party":
		return fmt.Sprintf("%d parties", n)
	case "person":
		return fmt.Sprintf("%d people", n)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
