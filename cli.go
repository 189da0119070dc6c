package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"talkbot/bot"
	"talkbot/bot/metrics"
	"talkbot/commands"
	"talkbot/config"
	"talkbot/data"
	"talkbot/dataset"
	"talkbot/feeds"
	"talkbot/i18n"
	"talkbot/newsdesk"
	"talkbot/schedule"
	"talkbot/shell"
	"talkbot/store"
	"talkbot/store/backend"
	"talkbot/web"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = unsetVersion

const usage = `talkbot keeps Discord communities current on diplomatic talks.

Usage:
  talkbot [run]            start the bot
  talkbot shell [--lang L] try the commands in a terminal, no Discord needed, in
                           language L (en, uk, ru, tr; default: from LANG)
  talkbot check FILE       validate a dataset file
  talkbot import [--force] FILE|-
                           import a dataset file (or standard input) into the store;
                           where it would overwrite newer edits from Discord it
                           lists them and changes nothing, unless --force
  talkbot import -bundled  load the bundled data over what the store holds
  talkbot export [FILE]    write the store as a dataset file (standard output by default)
  talkbot history [--track ID] [--since DATE] [--json]
                           print the history of changes, oldest first, as a log
                           reads (--json: one JSON object a line)
  talkbot version          print version and build information
  talkbot healthcheck      exit 0 if the talkbot on HTTP_ADDR is ready (for containers)

run, shell and export load the bundled data into an empty store, and keep a
store that holds nothing else up to date with it.

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
	case "history":
		return e.history(ctx, args)
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

// config loads the settings the subcommand cmd reads, and only those.
func (e env) config(cmd string) (config.Config, error) {
	c, err := config.LoadFor(cmd, e.getenv)
	if err != nil {
		return c, fmt.Errorf("bad configuration:\n%w", err)
	}
	return c, nil
}

// withStore loads the configuration, opens the store, runs fn and closes
// the store.
func (e env) withStore(ctx context.Context, cmd string, fn func(config.Config, store.Store) error) error {
	c, err := e.config(cmd)
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
	s, err := backend.Open(ctx, c.Database.URL, time.Now)
	if err != nil {
		return nil, fmt.Errorf("opening the store (%s): %w", c.Database, err)
	}
	return s, nil
}

// readDataset reads and checks a dataset file ("-" is standard input). On
// errors it prints them, one per line, and returns a reportedError.
func (e env) readDataset(name string) (dataset.File, error) {
	raw, err := e.readFile(name)
	if err != nil {
		return dataset.File{}, err
	}
	return e.parseDataset(name, raw)
}

// readFile reads a file, or standard input for "-".
func (e env) readFile(name string) ([]byte, error) {
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
	return raw, nil
}

// parseDataset checks a dataset; on errors it prints them, one per line,
// and returns a reportedError. Warnings are printed and do not fail it.
func (e env) parseDataset(name string, raw []byte) (dataset.File, error) {
	// The edge owns the clock: the checker compares round statuses with now.
	f, warnings, err := dataset.CheckFile(name, raw, time.Now())
	for _, w := range warnings {
		fmt.Fprintln(e.stderr, w)
	}
	var errs dataset.Errors
	if errors.As(err, &errs) {
		for _, e2 := range errs {
			fmt.Fprintln(e.stderr, e2)
		}
		return dataset.File{}, reportedError{1}
	}
	return f, err
}

func (e env) check(args []string) error {
	args, err := e.flags("check", args, 1, 1, "FILE")
	if err != nil {
		return err
	}
	f, err := e.readDataset(args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: ok, %s\n", args[0], describe(f.Tracks))
	return nil
}

// parseInterspersed parses flags before and after the positional
// arguments (`import FILE --force` as well as `import --force FILE`),
// which the flag package alone stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func (e env) importFile(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	bundled := fs.Bool("bundled", false, "load the bundled data over what the store holds")
	force := fs.Bool("force", false, "apply the file even where it overwrites newer edits from Discord")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: talkbot import [--force] FILE|-\n       talkbot import -bundled")
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return reportedError{2}
	}
	if *bundled != (len(files) == 0) || len(files) > 1 || *bundled && *force {
		fs.Usage()
		return reportedError{2}
	}
	if *bundled {
		tracks, err := data.Tracks()
		if err != nil {
			return fmt.Errorf("the bundled data is invalid: %w", err)
		}
		return e.withStore(ctx, config.CmdImport, func(c config.Config, s store.Store) error {
			return e.importBundled(ctx, c, s, "the bundled data", tracks)
		})
	}
	name := files[0]
	// Check the whole file before touching the store: a file with any error
	// changes nothing.
	raw, err := e.readFile(name)
	if err != nil {
		return err
	}
	f, err := e.parseDataset(name, raw)
	if err != nil {
		return err
	}
	return e.withStore(ctx, config.CmdImport, func(c config.Config, s store.Store) error {
		if data.IsBundled(raw) {
			// The bundled file itself: the store follows the bundled data
			// again, as if seeded with it.
			return e.importBundled(ctx, c, s, name, f.Tracks)
		}
		o := store.ImportOptions{By: "import " + importName(name), FileVersion: f.Version, Force: *force}
		stats, err := s.ImportWith(ctx, f.Tracks, o)
		var refused *store.ConflictError
		conflicts := stats.Overridden
		if errors.As(err, &refused) {
			conflicts, err = refused.Conflicts, nil
		}
		if err != nil {
			return err
		}
		for _, cf := range conflicts {
			fmt.Fprintln(e.stderr, describeConflict(cf))
		}
		n := plural(len(conflicts), "field")
		switch {
		case refused != nil:
			fmt.Fprintf(e.stderr, "nothing was applied: %s above changed after %s was made; `talkbot import --force %s` applies it anyway\n", n, name, name)
			return reportedError{1}
		case len(conflicts) > 0:
			fmt.Fprintf(e.stdout, "imported %s into %s: %s; overrode %s changed after the file was made (recorded in the history)\n", name, c.Database, describeStats(stats), n)
		default:
			fmt.Fprintf(e.stdout, "imported %s into %s: %s\n", name, c.Database, describeStats(stats))
		}
		return nil
	})
}

// importName is how the history names an imported file: its base name,
// which says enough without the importer's folders.
func importName(name string) string {
	if name == "-" {
		return "(standard input)"
	}
	return filepath.Base(name)
}

// describeConflict is one line for a field an import would overwrite:
//
//	round/istanbul/3 venue: file "Ankara", now "Istanbul" (changed by Olena (123) 2026-12-06 18:00 UTC)
func describeConflict(c store.Conflict) string {
	return fmt.Sprintf("%s %s: file %s, now %s (changed by %s %s)", c.Entity, c.Field,
		quoteCut(c.File, conflictValueMax), quoteCut(c.Current, conflictValueMax), editorName(c.ChangedBy), c.ChangedAt.UTC().Format(timeLayout))
}

// conflictValueMax keeps a conflict on one readable line; the whole value
// is in the history (talkbot history --json).
const conflictValueMax = 60

// timeLayout is how the CLI shows a change's time.
const timeLayout = "2006-01-02 15:04 UTC"

// editorName is "Olena (123)" for a Discord user, "import talks.yaml" for
// an import.
func editorName(ed store.Editor) string {
	if ed.IsImport() {
		return ed.Name
	}
	return fmt.Sprintf("%s (%s)", ed.Name, ed.ID)
}

// quoteCut quotes a value (so that a line break shows as \n and every
// value keeps to its line), cut to limit characters with an ellipsis.
func quoteCut(v string, limit int) string {
	if r := []rune(v); len(r) > limit {
		v = string(r[:limit-1]) + "…"
	}
	return strconv.Quote(v)
}

// importBundled loads the bundled data (tracks, already parsed) over what
// the store holds, so that later builds keep it current.
func (e env) importBundled(ctx context.Context, c config.Config, s store.Store, name string, tracks []store.Track) error {
	res, err := s.SeedBundled(ctx, tracks, data.Hash(), true)
	if err != nil {
		return fmt.Errorf("loading the bundled data: %w", err)
	}
	fmt.Fprintf(e.stdout, "imported %s into %s: %s; later builds update it with their bundled data until another import\n", name, c.Database, describeStats(res.Stats))
	return nil
}

func (e env) export(ctx context.Context, args []string) error {
	args, err := e.flags("export", args, 0, 1, "[FILE]")
	if err != nil {
		return err
	}
	var f dataset.File
	err = e.withStore(ctx, config.CmdExport, func(c config.Config, s store.Store) error {
		if err := seed(ctx, s, c.Database.String(), e.say); err != nil {
			return err
		}
		// The version is read before the data, not in one snapshot with it
		// (Export takes its own, and no SQL lives here). An edit saved in
		// between is in the file but newer than its version, which is
		// harmless: an import conflicts only where it would change a field,
		// and the file holds that edit's value. Read after the data, the
		// version could cover an edit the file lacks, and an import would
		// overwrite it silently.
		if f.Version, err = s.HistoryVersion(ctx); err != nil {
			return fmt.Errorf("reading the history version: %w", err)
		}
		f.Tracks, err = s.Export(ctx)
		return err
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := dataset.WriteFile(&buf, f); err != nil {
		return err
	}
	if len(args) == 0 {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(args[0], buf.Bytes())
}

// writeFileAtomic replaces path only once the whole file is written.
// Errors name path or its folder, never the temporary file.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot write %s: folder %s does not exist", path, dir)
	} else if err == nil && !st.IsDir() {
		return fmt.Errorf("cannot write %s: %s is not a folder", path, dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary file's name means nothing to the user
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
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
	info, _ := debug.ReadBuildInfo() // nil without build info
	stampOf(version, revision, buildDate, info).write(e.stdout)
	return nil
}

// runBot opens the store, loads the bundled data into an empty one, and
// runs the bot until ctx is cancelled (SIGINT/SIGTERM).
func (e env) runBot(ctx context.Context, args []string) error {
	if _, err := e.flags("run", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := e.config(config.CmdRun)
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
	if err := seed(ctx, s, c.Database.String(), logSay(log)); err != nil {
		return err
	}
	log.Info("store ready", "database", c.Database.String())
	m := metrics.New()
	sched := schedule.New(s, commands.NewAnnouncer(s, time.Now), time.Now, log, m, schedule.Options{Lease: c.ClaimLease, LateAfter: c.LateAfter})
	cmds := commands.New(s, time.Now, sched, commands.WithEditors(c.Editors), commands.WithSettle(c.EditSettle),
		commands.WithPublicURL(c.PublicURL), commands.WithFeedCheck(commands.FetchFeed(e.feedClient(c))))
	opts := bot.Options{
		Token: c.DiscordToken, PublicKey: c.PublicKey, GuildID: c.GuildID, APIURL: c.DiscordAPIURL, HTTPAddr: c.HTTPAddr,
		Commands: cmds.Definitions(), Handler: cmds, Ping: s.Ping, Log: log, Metrics: m, Listening: e.listening,
		RateLimit: c.RateLimit, Web: web.New(s, c.PublicURL, log),
	}
	b, err := bot.New(opts)
	if err != nil {
		return err
	}
	b.AddBackground(func(ctx context.Context) error { return sched.Run(ctx, b.Sender()) })
	b.AddBackground(e.newsPoller(c, s, log).Run)
	return b.Run(ctx)
}

// feedClient is the HTTP client for feeds whose URLs editors type: it
// reaches only public addresses unless FEEDS_ALLOW_PRIVATE=true (the
// end-to-end tests' loopback server).
func (e env) feedClient(c config.Config) *http.Client {
	info, _ := debug.ReadBuildInfo() // nil without build info
	return feeds.NewClient(feeds.ClientOptions{
		Version:      stampOf(version, revision, buildDate, info).version,
		Contact:      c.PublicURL,
		AllowPrivate: c.FeedsAllowPrivate,
	})
}

// newsPoller polls the tracks' news feeds; what it plans leaves through
// the scheduler's outbox.
func (e env) newsPoller(c config.Config, s store.Store, log *slog.Logger) *newsdesk.Poller {
	if c.FeedPoll < config.FeedPollForTests {
		log.Warn("FEED_POLL is under a minute: that is meant for tests; publishers may take it for hammering", "feed_poll", c.FeedPoll.String())
	}
	if c.FeedsAllowPrivate {
		log.Warn("FEEDS_ALLOW_PRIVATE=true: feed URLs may reach loopback and private addresses; keep it false outside tests")
	}
	return newsdesk.New(s, e.feedClient(c), time.Now, log, newsdesk.Options{Interval: c.FeedPoll, MaxPostsPerHour: c.FeedMaxPostsPerHour})
}

// shell answers commands typed as in Discord, against the configured
// store (the bundled data by default). On a terminal it edits lines and
// keeps a history; piped, it answers line by line, error replies on
// stderr, and exits 1 if any command failed.
func (e env) shell(ctx context.Context, args []string) error {
	lang, err := e.shellLang(args)
	if err != nil {
		return err
	}
	loc := time.Local
	if tz := e.getenv("TZ"); tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	return e.withStore(ctx, config.CmdShell, func(c config.Config, s store.Store) error {
		if err := seed(ctx, s, c.Database.String(), e.say); err != nil {
			return err
		}
		cmds := commands.New(s, time.Now, nil)
		sh, err := shell.New(cmds, cmds.Definitions(), lang, loc, time.Now)
		if err != nil {
			return err
		}
		if in, out, ok := terminal(e.stdin, e.stdout); ok {
			return runTerminal(ctx, sh, in, out)
		}
		err = sh.Run(ctx, e.stdin, e.stdout, e.stderr)
		if errors.Is(err, shell.ErrFailed) {
			return reportedError{1} // each failure was printed on stderr
		}
		return err
	})
}

// shellLang reads the shell's one flag, --lang, and without it the
// language of the environment (LC_ALL, LC_MESSAGES, LANG).
func (e env) shellLang(args []string) (i18n.Lang, error) {
	fs := flag.NewFlagSet("shell", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	lang := fs.String("lang", "", "the shell's language: en, uk, ru or tr (default: from LC_ALL, LC_MESSAGES or LANG)")
	fs.Usage = func() { fmt.Fprintf(e.stderr, "usage: talkbot shell [--lang en|uk|ru|tr]\n") }
	if err := fs.Parse(args); err != nil {
		return "", reportedError{2}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return "", reportedError{2}
	}
	if *lang == "" {
		return shell.EnvLang(e.getenv), nil
	}
	l, err := shell.ParseLang(*lang)
	if err != nil {
		fmt.Fprintf(e.stderr, "talkbot shell: %v\n", err)
		return "", reportedError{2}
	}
	return l, nil
}

// terminal returns stdin and stdout as files when both are a terminal.
func terminal(stdin io.Reader, stdout io.Writer) (in, out *os.File, ok bool) {
	in, okIn := stdin.(*os.File)
	out, okOut := stdout.(*os.File)
	if !okIn || !okOut || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		return nil, nil, false
	}
	return in, out, true
}

// runTerminal puts the terminal in raw mode, as line editing needs, for
// the length of the session.
func runTerminal(ctx context.Context, sh *shell.Shell, in, out *os.File) error {
	state, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		return fmt.Errorf("setting up the terminal: %w", err)
	}
	defer term.Restore(int(in.Fd()), state)    //nolint:errcheck // nothing more to do if it fails
	width, _, _ := term.GetSize(int(out.Fd())) // 0 when unknown
	return sh.RunTerminal(ctx, struct {
		io.Reader
		io.Writer
	}{in, out}, width)
}

// seed brings the store in step with the bundled data, the same way for
// every subcommand that reads the store (run, shell, export): it fills an
// empty store, updates one that holds only earlier bundled data, and
// leaves alone one that holds imported data, saying so when the bundled
// data changed since. say tells the person (or the log): at Info what
// changed, at Warn what they should act on. import does not seed: what it
// imports is the data the store is meant to hold.
func seed(ctx context.Context, s store.Store, db string, say func(level slog.Level, msg string)) error {
	tracks, err := data.Tracks()
	if err != nil {
		return fmt.Errorf("the bundled data is invalid: %w", err)
	}
	res, err := s.SeedBundled(ctx, tracks, data.Hash(), false)
	if err != nil {
		return fmt.Errorf("loading the bundled data: %w", err)
	}
	switch res.Outcome {
	case store.SeedFilled:
		// What a first start is expected to do: logged, not said.
		say(slog.LevelDebug, fmt.Sprintf("loaded the bundled data into an empty store (%s): %s", db, describeStats(res.Stats)))
	case store.SeedUpdated:
		say(slog.LevelInfo, fmt.Sprintf("updated the bundled data in %s: %s", db, describeStats(res.Stats)))
	case store.SeedKept:
		if res.Seeded == data.Hash() {
			return nil // edited after this very bundled data: nothing is stale
		}
		what := "the bundled data changed since it was loaded"
		if res.Seeded == "" {
			what = "not the bundled data, which is left out"
		}
		say(slog.LevelWarn, fmt.Sprintf("%s holds imported data (%s), so this build's bundled data was not loaded over it. "+
			"To load it: `talkbot export FILE` keeps a copy of what is there, then `talkbot import -bundled`", db, what))
	}
	return nil
}

// say tells the person, on stderr, what is Info or above: a seed's notes
// are not replies, and piped output stays the data alone.
func (e env) say(level slog.Level, msg string) {
	if level >= slog.LevelInfo {
		fmt.Fprintln(e.stderr, "talkbot: "+msg)
	}
}

// logSay logs what seed says.
func logSay(log *slog.Logger) func(slog.Level, string) {
	// An operator reads every note in the log, a first filling included.
	return func(level slog.Level, msg string) { log.Log(context.Background(), max(level, slog.LevelInfo), msg) }
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
	if !s.Wrote() {
		return "nothing changed"
	}
	parts := []string{}
	for _, p := range []struct {
		n    int
		noun string
	}{{s.Tracks, "track"}, {s.Parties, "party"}, {s.People, "person"}, {s.Sources, "source"},
		{s.Rounds, "round"}, {s.Positions, "position"}, {s.Statements, "statement"}, {s.Feeds, "feed"}} {
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
