// Package config reads talkbot's settings from environment variables. Each
// variable is declared once, in the options table, with its default, its
// parser and the text the README and .env.example show.
package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"talkbot/store"
	"talkbot/store/backend"
)

// Config is talkbot's settings.
type Config struct {
	Database      backend.Location
	LogLevel      slog.Level
	LogFormat     string // "text" or "json"
	DiscordToken  string
	DiscordAPIURL string
	// PublicKey, when set, selects the HTTP interactions endpoint instead
	// of the gateway.
	PublicKey ed25519.PublicKey
	GuildID   string
	HTTPAddr  string
	// RateLimit is the global ceiling on REST requests a second.
	RateLimit int
	// LateAfter is how long after its due time a reminder is marked late.
	LateAfter time.Duration
	// ClaimLease is how long a replica's claim on a delivery lasts before
	// another process takes it over.
	ClaimLease time.Duration
	// Editors are the Discord user ids that may edit every track.
	Editors []string
	// EditSettle is how long followers wait for further edits of the same
	// entity before one update is posted; 0 posts at once.
	EditSettle time.Duration
	// PublicURL is the public base URL of the HTTP server (no trailing
	// slash), where the calendar feeds are published; "" when they are not.
	PublicURL string
	// FeedPoll is how often each news feed is fetched.
	FeedPoll time.Duration
	// FeedsAllowPrivate lets feed URLs reach loopback and private
	// addresses: for tests with a local feed server, never in production.
	FeedsAllowPrivate bool
	// FeedMaxPostsPerHour caps the news posts a channel gets in an hour;
	// the rest fold into one digest at the hour's end.
	FeedMaxPostsPerHour int
}

// FeedPollForTests is the poll interval below which talkbot warns at start
// that the setting is meant for tests: real publishers would see it as
// hammering.
const FeedPollForTests = time.Minute

// Option is one environment variable.
type Option struct {
	Name    string
	Default string
	Example string // value shown in .env.example (defaults to Default)
	Help    string
	Secret  bool // never logged or echoed back
	// UsedBy lists the subcommands that read the variable: only those
	// validate it, so a Discord-only setting cannot stop the shell.
	UsedBy []string
	set    func(c *Config, v string) error
}

// The subcommands, as UsedBy names them.
const (
	CmdRun    = "run"
	CmdShell  = "shell"
	CmdImport = "import"
	CmdExport = "export"
	// CmdHistory prints the history of changes.
	CmdHistory = "history"
	// CmdHealthcheck asks the running bot's HTTP server whether it is ready.
	CmdHealthcheck = "healthcheck"
)

var (
	// storeCommands open the store.
	storeCommands = []string{CmdRun, CmdShell, CmdImport, CmdExport, CmdHistory}
	// runOnly settings matter only to the bot (talkbot run): Discord, its
	// HTTP server, reminders and logs.
	runOnly = []string{CmdRun}
)

// Options lists every variable talkbot reads, in the order documented.
func Options() []Option {
	return []Option{
		{
			Name: "DATABASE_URL", UsedBy: storeCommands, Default: "",
			Example: "sqlite:talkbot.db",
			Help:    "Where data lives: empty for talkbot.db in the working directory, sqlite:PATH or file:PATH for SQLite, postgres://USER:PASS@HOST/DB for PostgreSQL (several replicas).",
			set: func(c *Config, v string) (err error) {
				c.Database, err = backend.Parse(v)
				return err
			},
		},
		{
			Name: "DISCORD_TOKEN", UsedBy: runOnly, Default: "", Example: "", Secret: true,
			Help: "The bot token from the Discord developer portal (Bot > Reset Token). Required by talkbot run; never logged.",
			set:  func(c *Config, v string) error { c.DiscordToken = strings.TrimSpace(v); return nil },
		},
		{
			Name: "DISCORD_PUBLIC_KEY", UsedBy: runOnly, Default: "",
			Help: "The application's public key (hex, General Information page). When set, talkbot serves POST /interactions on HTTP_ADDR and opens no gateway connection, so several replicas can sit behind a load balancer.",
			set: func(c *Config, v string) error {
				if v == "" {
					return nil
				}
				b, err := hex.DecodeString(v)
				if err != nil || len(b) != ed25519.PublicKeySize {
					return fmt.Errorf("not a public key: use the 64 hex digits shown as Public Key in the developer portal")
				}
				c.PublicKey = ed25519.PublicKey(b)
				return nil
			},
		},
		{
			Name: "DISCORD_GUILD_ID", UsedBy: runOnly, Default: "",
			Help: "Register the commands in this one server only (they update instantly there): for development. Empty registers them globally.",
			set: func(c *Config, v string) error {
				if v != "" && !store.IsSnowflake(v) {
					return fmt.Errorf("%q is not a server id: use the number from Copy Server ID", v)
				}
				c.GuildID = v
				return nil
			},
		},
		{
			Name: "HTTP_ADDR", UsedBy: []string{CmdRun, CmdHealthcheck}, Default: ":8080",
			Help: "Address of the HTTP server: /interactions (with DISCORD_PUBLIC_KEY), /healthz, /readyz and /metrics.",
			set: func(c *Config, v string) error {
				if err := checkListenAddr(v); err != nil {
					return err
				}
				c.HTTPAddr = v
				return nil
			},
		},
		{
			Name: "DISCORD_RATE_LIMIT", UsedBy: runOnly, Default: "50",
			Help: "Most REST requests a second to Discord (its global limit is 50 per bot): set it lower to leave room for other tools using the same token.",
			set: func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > 50 {
					return fmt.Errorf("%q is not a request rate: use a whole number from 1 to 50", v)
				}
				c.RateLimit = n
				return nil
			},
		},
		{
			Name: "REMINDER_CLAIM_LEASE", UsedBy: runOnly, Default: "30s",
			Help: "How long a process's claim on a due reminder lasts: if it dies while sending, another replica (or the restarted process) takes the reminder over after this. Discord's nonce check keeps the retry from posting twice.",
			set: func(c *Config, v string) (err error) {
				c.ClaimLease, err = parseDuration(v, time.Second, 10*time.Minute, "30s")
				return err
			},
		},
		{
			Name: "REMINDER_LATE_AFTER", UsedBy: runOnly, Default: "10s",
			Help: "A reminder sent this long after its due time (talkbot was down, or Discord was) says it is late.",
			set: func(c *Config, v string) (err error) {
				c.LateAfter, err = parseDuration(v, time.Second, time.Hour, "10s")
				return err
			},
		},
		{
			Name: "TALKBOT_EDITORS", UsedBy: runOnly, Default: "",
			Example: "",
			Help:    "Discord user ids (comma-separated) of the global editors, who may edit every track with /talks-edit. Server editors are a role set with /talks-admin editors instead.",
			set: func(c *Config, v string) (err error) {
				c.Editors, err = parseEditors(v)
				return err
			},
		},
		{
			Name: "EDIT_SETTLE", UsedBy: runOnly, Default: "2m",
			Help: "How long after an edit from Discord followers are told: further edits of the same round, position or statement inside this window fold into one update, and an edit undone inside it posts nothing. 0 posts at once.",
			set: func(c *Config, v string) (err error) {
				c.EditSettle, err = parseDuration(v, 0, 24*time.Hour, "2m")
				return err
			},
		},
		{
			Name: "DISCORD_API_URL", UsedBy: runOnly, Default: "https://discord.com/api/v10",
			Help: "Base URL of every Discord REST call: change it only for a REST proxy or a test fake.",
			set: func(c *Config, v string) error {
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return fmt.Errorf("%q is not an http(s) URL: use e.g. https://discord.com/api/v10", v)
				}
				c.DiscordAPIURL = strings.TrimRight(v, "/")
				return nil
			},
		},
		{
			Name: "PUBLIC_URL", UsedBy: runOnly, Default: "", Example: "",
			Help: "Public base URL of HTTP_ADDR as readers reach it, e.g. https://talks.example.org: /talks calendar gives its web pages (/t/TRACK) and calendar feeds (/calendar.ics, /calendar/TRACK.ics), and the calendar's UIDs and the Atom feeds' ids use its host. Empty: pages and feeds are still served, but not announced.",
			set: func(c *Config, v string) error {
				if v == "" {
					return nil
				}
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
					return fmt.Errorf("%q is not an absolute http(s) URL: use e.g. https://talks.example.org", v)
				}
				c.PublicURL = strings.TrimRight(v, "/")
				return nil
			},
		},
		{
			Name: "FEED_POLL", UsedBy: runOnly, Default: "10m",
			Help: "How often each news feed of a track is fetched (feeds are spread over the interval; a feed that fails waits longer, up to 6 h). At least 10s; under a minute is meant for tests and logs a warning at start.",
			set: func(c *Config, v string) (err error) {
				c.FeedPoll, err = parseDuration(v, 10*time.Second, 24*time.Hour, "10m")
				return err
			},
		},
		{
			Name: "FEEDS_ALLOW_PRIVATE", UsedBy: runOnly, Default: "false",
			Help: "true lets feed URLs reach loopback, private and link-local addresses: only for tests with a local feed server. Feed URLs come from editors on Discord, so keep it false in production.",
			set: func(c *Config, v string) error {
				if v != "true" && v != "false" {
					return fmt.Errorf("%q is not a switch: use true or false", v)
				}
				c.FeedsAllowPrivate = v == "true"
				return nil
			},
		},
		{
			Name: "FEED_MAX_POSTS_PER_HOUR", UsedBy: runOnly, Default: "6",
			Help: "Most news posts a channel gets in one clock hour; further items of that hour fold into one digest message (titles as links) at the hour's end.",
			set: func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > 1000 {
					return fmt.Errorf("%q is not a post count: use a whole number from 1 to 1000", v)
				}
				c.FeedMaxPostsPerHour = n
				return nil
			},
		},
		{
			Name: "LOG_LEVEL", UsedBy: runOnly, Default: "info",
			Help: "How much to log: debug, info, warn or error.",
			set: func(c *Config, v string) error {
				if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
					return fmt.Errorf("%q is not a log level: use debug, info, warn or error", v)
				}
				return nil
			},
		},
		{
			Name: "LOG_FORMAT", UsedBy: runOnly, Default: "text",
			Help: "Log line format: text (key=value) or json.",
			set: func(c *Config, v string) error {
				if v != "text" && v != "json" {
					return fmt.Errorf("%q is not a log format: use text or json", v)
				}
				c.LogFormat = v
				return nil
			},
		},
	}
}

// Load reads every option through getenv. An unset or empty variable takes
// its default. All bad values are reported together, each naming its
// variable; a secret's value is never echoed.
func Load(getenv func(string) string) (Config, error) {
	return load(getenv, func(Option) bool { return true })
}

// LoadFor reads only the options the subcommand uses (see Option.UsedBy):
// the others keep their zero values, and a bad value in one of them is
// not an error, so `talkbot shell` runs whatever the Discord settings say.
func LoadFor(command string, getenv func(string) string) (Config, error) {
	return load(getenv, func(o Option) bool { return slices.Contains(o.UsedBy, command) })
}

func load(getenv func(string) string, used func(Option) bool) (Config, error) {
	var c Config
	var errs []error
	for _, o := range Options() {
		if !used(o) {
			continue
		}
		v := strings.TrimSpace(getenv(o.Name))
		if v == "" {
			v = o.Default
		}
		if err := o.set(&c, v); err != nil {
			if o.Secret {
				err = errors.New("invalid value")
			}
			errs = append(errs, fmt.Errorf("%s: %w", o.Name, err))
		}
	}
	return c, errors.Join(errs...)
}

// checkListenAddr accepts HOST:PORT or :PORT with a numeric port from 0
// (any free port) to 65535, as net.Listen would take it.
func checkListenAddr(v string) error {
	const use = "use e.g. :8080 or 127.0.0.1:8080"
	_, port, err := net.SplitHostPort(v)
	if err != nil || port == "" {
		return fmt.Errorf("%q is not a listen address: %s", v, use)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port: use a port from 1 to 65535 (or 0 for any free one), e.g. :8080 or 127.0.0.1:8080", v)
	}
	return nil
}

// parseEditors reads a comma list of Discord user ids. Blank items (a
// trailing comma) are skipped and repeats kept once; a bad item is named
// by its place, as a long list is hard to scan for it.
func parseEditors(v string) ([]string, error) {
	var ids []string
	for i, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		switch {
		case item == "" || slices.Contains(ids, item):
		case !store.IsSnowflake(item):
			return nil, fmt.Errorf("item %d, %q, is not a Discord user id: use the numbers from Copy User ID (Developer Mode), separated by commas", i+1, item)
		default:
			ids = append(ids, item)
		}
	}
	return ids, nil
}

// parseDuration reads a Go duration between lo and hi.
func parseDuration(v string, lo, hi time.Duration, example string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("%q is not a duration from %v to %v: use e.g. %s", v, lo, hi, example)
	}
	return d, nil
}
