// Package web is talkbot's edge for the open web: the read-only pages of
// the published tracks, their Atom feeds and the ICS calendar feeds. It
// reads through a few store methods and knows nothing of Discord.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"talkbot/store"
)

// Reader is what the web edge reads from the store.
type Reader interface {
	Tracks(ctx context.Context) ([]store.TrackSummary, error)
	Track(ctx context.Context, id string) (store.Track, error)
	Rounds(ctx context.Context, track string) ([]store.Round, error)
	DataVersion(ctx context.Context) (int64, error)
	LastChanged(ctx context.Context) (time.Time, error)
	HistoryVersion(ctx context.Context) (int64, error)
	History(ctx context.Context, q store.HistoryQuery) (store.Page[store.Change], error)
	LatestChanges(ctx context.Context, es []store.Entity) (map[store.Entity]store.Change, error)
	ChangeCounts(ctx context.Context, es []store.Entity) (map[store.Entity]int, error)
	Round(ctx context.Context, track string, number int) (store.Round, error)
	NextRound(ctx context.Context, track string, after time.Time) (store.Round, error)
	Positions(ctx context.Context, q store.PositionQuery) ([]store.Position, error)
	Statements(ctx context.Context, q store.StatementQuery) (store.Page[store.Statement], error)
}

// Handler serves the pages, the Atom feeds, the static files and the
// calendars (see Routes).
type Handler struct {
	r         Reader
	publicURL string // without a trailing slash; "" when not published
	host      string // the UIDs' domain
	log       *slog.Logger
	now       func() time.Time
	mux       *http.ServeMux
	pages     *pages
	cache     *renderCache
	cacheMax  int
}

// Option changes a default of New.
type Option func(*Handler)

// WithClock sets the clock that decides which meeting is next (default
// time.Now).
func WithClock(now func() time.Time) Option { return func(h *Handler) { h.now = now } }

// WithCache bounds the memory kept for rendered pages, feeds and calendars
// (default 32 MiB); 0 turns the cache off, e.g. to measure rendering.
func WithCache(bytes int) Option { return func(h *Handler) { h.cacheMax = bytes } }

// New returns the web edge. publicURL is the site's public base URL (the
// PUBLIC_URL setting), "" when there is none.
func New(r Reader, publicURL string, log *slog.Logger, opts ...Option) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{r: r, publicURL: strings.TrimRight(publicURL, "/"), host: "talkbot", log: log, now: time.Now, cacheMax: defaultCacheBytes}
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		h.host = u.Hostname()
	}
	for _, o := range opts {
		o(h)
	}
	h.pages = newPages()
	h.cache = newRenderCache(h.cacheMax)
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET /calendar.ics", h.allCalendars)
	h.mux.HandleFunc("GET /calendar/{file}", h.trackCalendar)
	h.mux.HandleFunc("GET /{$}", h.home)
	h.mux.HandleFunc("GET /t/{track}", h.track)
	h.mux.HandleFunc("GET /t/{track}/round/{n}", h.round)
	h.mux.HandleFunc("GET /t/{track}/updates.atom", h.atom)
	h.mux.HandleFunc("GET /static/{file}", h.static)
	return h
}

// Routes are the patterns the bot's HTTP server mounts this handler on.
var Routes = []string{
	"GET /calendar.ics", "GET /calendar/{file}",
	"GET /{$}", "GET /t/{track}", "GET /t/{track}/round/{n}", "GET /t/{track}/updates.atom",
	"GET /static/{file}",
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// fail logs an unexpected error once and answers 500 without details.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("web request failed", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
