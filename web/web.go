// Package web is talkbot's edge for the open web: the ICS calendar feeds.
// It reads through a few store methods and knows nothing of Discord.
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
	Sources(ctx context.Context, track string, ids []string) ([]store.Source, error)
	DataVersion(ctx context.Context) (int64, error)
	LastChanged(ctx context.Context) (time.Time, error)
	HistoryVersion(ctx context.Context) (int64, error)
	History(ctx context.Context, q store.HistoryQuery) (store.Page[store.Change], error)
	LatestChanges(ctx context.Context, es []store.Entity) (map[store.Entity]store.Change, error)
}

// Handler serves GET /calendar.ics and GET /calendar/{track}.ics.
type Handler struct {
	r         Reader
	publicURL string // without a trailing slash; "" when not published
	host      string // the UIDs' domain
	log       *slog.Logger
	mux       *http.ServeMux
}

// New returns the web edge. publicURL is the site's public base URL (the
// PUBLIC_URL setting), "" when there is none.
func New(r Reader, publicURL string, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{r: r, publicURL: strings.TrimRight(publicURL, "/"), host: "talkbot", log: log}
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		h.host = u.Hostname()
	}
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET /calendar.ics", h.allCalendars)
	h.mux.HandleFunc("GET /calendar/{file}", h.trackCalendar)
	return h
}

// Routes are the patterns the bot's HTTP server mounts this handler on.
var Routes = []string{"GET /calendar.ics", "GET /calendar/{file}"}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// fail logs an unexpected error once and answers 500 without details.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("web request failed", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
