package bot

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"golang.org/x/sync/errgroup"

	"talkbot/bot/metrics"
	"talkbot/bot/ratelimit"
	"talkbot/bot/webhook"
)

// Options are what the bot needs to run.
type Options struct {
	Token     string
	PublicKey ed25519.PublicKey // set: HTTP interactions, no gateway
	GuildID   string            // set: register commands in this server only
	APIURL    string            // Discord's REST base, e.g. https://discord.com/api/v10
	HTTPAddr  string
	Commands  []*discordgo.ApplicationCommand
	Handler   Handler
	// Ping reports whether the store is reachable, for /readyz.
	Ping    func(ctx context.Context) error
	Log     *slog.Logger
	Metrics *metrics.Metrics
	// Listening, when set, is told the HTTP server's address once it
	// listens (tests use port 0).
	Listening func(addr string)
	// ShutdownTimeout bounds the graceful stop.
	ShutdownTimeout time.Duration
	// RateLimit is the global ceiling on REST requests a second (default 50).
	RateLimit int
	// Web, when set, serves the public pages, their Atom feeds, their
	// static files and the calendar feeds (webRoutes) on the same HTTP server.
	Web http.Handler
}

// Bot is talkbot on Discord.
type Bot struct {
	o          Options
	session    *discordgo.Session
	dispatcher *Dispatcher
	sender     *Sender
	appID      string
	// background is the work AddBackground was given (the scheduler).
	background []func(ctx context.Context) error

	ready     atomic.Bool // gateway: READY received and not disconnected since
	closing   atomic.Bool
	inflight  sync.WaitGroup
	connected atomic.Int64 // gateway connections made, for the reconnect metric
	register  sync.Once
}

// New builds the bot; Run connects it. The token is checked where the
// configuration is read (talkbot run), before anything is opened.
func New(o Options) (*Bot, error) {
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = 8 * time.Second
	}
	// Fan-outs post from many workers at once: keep their connections
	// (DefaultTransport keeps two idle per host, so most would be new TLS
	// handshakes).
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 64
	rb, err := Rebase(o.APIURL, base)
	if err != nil {
		return nil, err
	}
	s, err := discordgo.New("Bot " + o.Token)
	if err != nil {
		return nil, err
	}
	if o.RateLimit == 0 {
		o.RateLimit = 50
	}
	s.Client = &http.Client{Transport: o.Metrics.RESTTransport(ratelimit.New(rb, o.RateLimit)), Timeout: 20 * time.Second}
	s.Identify.Intents = discordgo.IntentsGuilds // no privileged intents
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.LogLevel = discordgo.LogError
	b := &Bot{o: o, session: s, sender: NewSender(s)}
	b.dispatcher = NewDispatcher(o.Handler, s, o.Log, o.Metrics)
	return b, nil
}

// AddBackground adds work to run once connected, until shutdown. Call it
// before Run.
func (b *Bot) AddBackground(run func(ctx context.Context) error) {
	b.background = append(b.background, run)
}

// Sender posts scheduled messages through the bot's session.
func (b *Bot) Sender() *Sender { return b.sender }

// Run serves until ctx is cancelled, then stops in order: it stops taking
// interactions, lets those in flight finish (within ShutdownTimeout), stops
// the background work and closes the session. It returns once nothing it
// started is left running. The parts (serve, connect, background) run under
// one errgroup: the first to fail stops the others, in the same order.
func (b *Bot) Run(ctx context.Context) error {
	app, err := b.session.Application("@me")
	if err != nil {
		if ue := apiError(err); ue != err {
			return fmt.Errorf("asking Discord who this bot is: %w", ue)
		}
		return fmt.Errorf("asking Discord who this bot is (is DISCORD_TOKEN right?): %w", err)
	}
	b.appID = app.ID

	// Follow-ups (editing deferred replies) outlive the request that
	// started them, but not the process: they are bounded by workCtx.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	srv := b.server(workCtx)
	ln, err := net.Listen("tcp", b.o.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %s: %w", b.o.HTTPAddr, err)
	}
	if b.o.Listening != nil {
		b.o.Listening(ln.Addr().String())
	}

	g, gctx := errgroup.WithContext(ctx)
	connectDone := make(chan struct{})
	var bg sync.WaitGroup
	g.Go(func() error { return b.serve(srv, ln) })
	g.Go(func() error {
		// Every bg.Add happens before connectDone closes, so the shutdown
		// below waits for all the background work it started.
		defer close(connectDone)
		if err := b.connect(workCtx, ln.Addr().String()); err != nil {
			return err
		}
		if gctx.Err() != nil {
			return nil // stopping already: start nothing more
		}
		for _, run := range b.background {
			bg.Add(1)
			g.Go(func() error {
				defer bg.Done()
				return b.runBackground(workCtx, run)
			})
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		return b.shutdown(srv, stopWork, func() {
			<-connectDone // a session being opened is closed only once open
			bg.Wait()
		})
	})
	return g.Wait()
}

// webRoutes are the paths Options.Web answers (web.Routes; a test keeps
// the two lists equal): the calendars, the pages of the published tracks,
// their Atom feeds and the pages' own static files.
var webRoutes = []string{
	"GET /calendar.ics", "GET /calendar/{file}",
	"GET /{$}", "GET /t/{track}", "GET /t/{track}/round/{n}", "GET /t/{track}/updates.atom",
	"GET /static/{file}",
}

// server is the HTTP server: health, readiness, metrics and, with a public
// key, the interactions endpoint. Its requests run under workCtx.
func (b *Bot) server(workCtx context.Context) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", b.readyz)
	mux.Handle("GET /metrics", b.o.Metrics.Handler())
	if b.o.Web != nil {
		for _, pattern := range webRoutes {
			mux.Handle(pattern, b.o.Web)
		}
	}
	if b.o.PublicKey != nil {
		mux.Handle("/interactions", webhook.New(b.o.PublicKey, b.gate(), webhook.WithLogger(b.o.Log),
			webhook.WithMetrics(b.o.Metrics), webhook.WithBaseContext(workCtx), webhook.WithWaitGroup(&b.inflight)))
	}
	return &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return workCtx }}
}

// serve serves HTTP on ln until shutdown closes the server.
func (b *Bot) serve(srv *http.Server, ln net.Listener) error {
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("HTTP server: %w", err)
	}
	return nil
}

// connect makes the bot reachable: with a public key, Discord delivers
// interactions over HTTP and only the commands are registered (over REST);
// otherwise it opens the gateway, whose READY registers them.
func (b *Bot) connect(workCtx context.Context, addr string) error {
	if b.o.PublicKey != nil {
		if err := b.registerCommands(); err != nil {
			return err
		}
		b.o.Log.Info("serving HTTP interactions", "addr", addr, "application", b.appID)
		return nil
	}
	b.session.AddHandler(b.onReady)
	b.session.AddHandler(b.onConnect)
	b.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) { b.ready.Store(false) })
	b.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { b.ready.Store(true) })
	b.session.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) { b.onInteraction(workCtx, s, ic) })
	if err := b.session.Open(); err != nil {
		return fmt.Errorf("connecting to the Discord gateway: %w", apiError(err))
	}
	b.o.Log.Info("connected to the Discord gateway", "application", b.appID, "http", addr)
	return nil
}

// runBackground runs one piece of background work under workCtx, which
// shutdown cancels once interactions in flight are done. An error it
// returns after being told to stop is not a failure.
func (b *Bot) runBackground(workCtx context.Context, run func(context.Context) error) error {
	if err := run(workCtx); err != nil && workCtx.Err() == nil {
		return err
	}
	return nil
}

// shutdown stops taking work, lets in-flight interactions finish (within
// the timeout), stops the background work, then closes the gateway session.
func (b *Bot) shutdown(srv *http.Server, stopWork context.CancelFunc, waitBackground func()) error {
	b.closing.Store(true)
	b.o.Log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), b.o.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		b.o.Log.Warn("interactions still running at the shutdown deadline")
	}
	stopWork() // stops the background work too
	waitBackground()
	if b.o.PublicKey == nil {
		// discordgo's Close sleeps a second holding the lock; a heartbeat
		// failing meanwhile would reconnect a closed session unless
		// reconnecting is switched off first.
		b.session.Lock()
		b.session.ShouldReconnectOnError = false
		b.session.Unlock()
		if cerr := b.session.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	return err
}

func (b *Bot) registerCommands() error {
	cmds, err := b.session.ApplicationCommandBulkOverwrite(b.appID, b.o.GuildID, b.o.Commands)
	if err != nil {
		return fmt.Errorf("registering commands: %w", apiError(err))
	}
	where := "globally"
	if b.o.GuildID != "" {
		where = "in server " + b.o.GuildID
	}
	b.o.Log.Info("registered commands", "count", len(cmds), "where", where)
	return nil
}

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	b.ready.Store(true)
	b.register.Do(func() {
		if err := b.registerCommands(); err != nil {
			b.o.Log.Error("command registration failed", "err", err)
		}
	})
}

func (b *Bot) onConnect(_ *discordgo.Session, _ *discordgo.Connect) {
	if b.connected.Add(1) > 1 {
		b.o.Metrics.GatewayReconnected()
	}
}

// onInteraction answers an interaction from the gateway; discordgo calls
// it on a goroutine of its own.
func (b *Bot) onInteraction(ctx context.Context, s *discordgo.Session, ic *discordgo.InteractionCreate) {
	b.gate().Answer(ctx, ic.Interaction, func(resp *discordgo.InteractionResponse) error {
		return s.InteractionRespond(ic.Interaction, resp)
	})
}

// gate wraps the dispatcher: counts work in flight and turns new work away
// while shutting down.
func (b *Bot) gate() AnswererFunc {
	return func(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
		b.inflight.Add(1)
		defer b.inflight.Done()
		if b.closing.Load() {
			if err := send(errorResponse(commandsRequestKind(i), "talkbot is restarting; please try again in a moment.")); err != nil {
				b.o.Log.Warn("turning an interaction away during shutdown failed", "err", err)
			}
			return
		}
		b.dispatcher.Answer(ctx, i, send)
	}
}

func (b *Bot) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := b.o.Ping(ctx); err != nil {
		http.Error(w, "store unreachable", http.StatusServiceUnavailable)
		return
	}
	if b.o.PublicKey == nil && !b.ready.Load() {
		http.Error(w, "gateway not ready", http.StatusServiceUnavailable)
		return
	}
	if b.closing.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}
