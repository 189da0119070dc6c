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

// Run serves until ctx is cancelled, then stops taking work, finishes
// what is in flight and closes the session.
func (b *Bot) Run(ctx context.Context) error {
	app, err := b.session.Application("@me")
	if err != nil {
		return fmt.Errorf("asking Discord who this bot is (is DISCORD_TOKEN right?): %w", err)
	}
	b.appID = app.ID

	// Follow-ups (editing deferred replies) outlive the request that
	// started them, but not the process: they are bounded by workCtx.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", b.readyz)
	mux.Handle("GET /metrics", b.o.Metrics.Handler())
	if b.o.PublicKey != nil {
		mux.Handle("/interactions", webhook.New(b.o.PublicKey, b.gate(), webhook.WithLogger(b.o.Log),
			webhook.WithMetrics(b.o.Metrics), webhook.WithBaseContext(workCtx), webhook.WithWaitGroup(&b.inflight)))
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return workCtx }}
	ln, err := net.Listen("tcp", b.o.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %s: %w", b.o.HTTPAddr, err)
	}
	if b.o.Listening != nil {
		b.o.Listening(ln.Addr().String())
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	if b.o.PublicKey != nil {
		// Discord delivers interactions over HTTP only; commands are still
		// registered over REST.
		if err := b.registerCommands(); err != nil {
			srv.Close()
			return err
		}
		b.o.Log.Info("serving HTTP interactions", "addr", ln.Addr().String(), "application", b.appID)
	} else {
		b.session.AddHandler(b.onReady)
		b.session.AddHandler(b.onConnect)
		b.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) { b.ready.Store(false) })
		b.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { b.ready.Store(true) })
		b.session.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) { b.onInteraction(workCtx, s, ic) })
		if err := b.session.Open(); err != nil {
			srv.Close()
			return fmt.Errorf("connecting to the Discord gateway: %w", err)
		}
		b.o.Log.Info("connected to the Discord gateway", "application", b.appID, "http", ln.Addr().String())
	}

	bgCtx, stopBackground := context.WithCancel(workCtx)
	defer stopBackground()
	var bg sync.WaitGroup
	bgErr := make(chan error, len(b.background))
	for _, run := range b.background {
		bg.Go(func() {
			if err := run(bgCtx); err != nil {
				bgErr <- err
			}
		})
	}

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			runErr = fmt.Errorf("HTTP server: %w", err)
		}
	case runErr = <-bgErr:
	}
	stopBackground()
	bg.Wait()
	if err := b.shutdown(srv, stopWork); runErr == nil {
		runErr = err
	}
	return runErr
}

// shutdown stops taking work, lets in-flight interactions finish (within
// the timeout), then closes the gateway session.
func (b *Bot) shutdown(srv *http.Server, stopWork context.CancelFunc) error {
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
	stopWork()
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
		return fmt.Errorf("registering commands: %w", err)
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
