package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"talkbot/store"
)

// defaultLength is how long a round with no announced end is shown to last.
const defaultLength = 3 * time.Hour

func (h *Handler) allCalendars(w http.ResponseWriter, r *http.Request) {
	h.serveCalendar(w, r, "", func(ctx context.Context) ([]store.TrackSummary, error) {
		all, err := h.r.Tracks(ctx)
		if err != nil {
			return nil, err
		}
		var global []store.TrackSummary
		for _, t := range all {
			if t.Published() {
				global = append(global, t)
			}
		}
		return global, nil
	})
}

func (h *Handler) trackCalendar(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || id == "" {
		http.NotFound(w, r)
		return
	}
	h.serveCalendar(w, r, id, func(ctx context.Context) ([]store.TrackSummary, error) {
		t, err := h.r.Track(ctx, id)
		if err != nil {
			return nil, err
		}
		if !t.Published() {
			return nil, store.ErrNotFound
		}
		return []store.TrackSummary{{ID: t.ID, Title: t.Title, Timezone: t.Timezone, Guild: t.Guild, Public: t.Public}}, nil
	})
}

// serveCalendar answers a conditional request from the versions alone, so
// a calendar app polling often costs two indexed reads; otherwise it loads
// the tracks and writes their rounds.
func (h *Handler) serveCalendar(w http.ResponseWriter, r *http.Request, id string,
	load func(context.Context) ([]store.TrackSummary, error)) {
	ctx := r.Context()
	data, err := h.r.DataVersion(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hist, err := h.r.HistoryVersion(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	etag := fmt.Sprintf(`"%d.%d.%s"`, data, hist, url.PathEscape(id))
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	changed, err := h.r.LastChanged(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	changed = changed.UTC().Truncate(time.Second)
	if r.Header.Get("If-None-Match") == "" && !changed.IsZero() {
		if since, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !changed.After(since) {
			w.Header().Set("ETag", etag)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if body, ok := h.cache.get(etag); ok {
		h.writeCalendar(w, r, etag, changed, body)
		return
	}
	tracks, err := load(ctx)
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "no such track", http.StatusNotFound)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body, err := h.calendar(ctx, id, tracks, changed)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.cache.put(etag, body)
	h.writeCalendar(w, r, etag, changed, body)
}

func (h *Handler) writeCalendar(w http.ResponseWriter, r *http.Request, etag string, changed time.Time, body []byte) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("ETag", etag)
	if !changed.IsZero() {
		w.Header().Set("Last-Modified", changed.Format(http.TimeFormat))
	}
	w.Write(body)
}

// etagMatches reads an If-None-Match list ("*" or comma-separated tags,
// weak or strong: a GET compares weakly).
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// calendar writes one VCALENDAR holding every round of tracks.
func (h *Handler) calendar(ctx context.Context, id string, tracks []store.TrackSummary, changed time.Time) ([]byte, error) {
	cal := ics.NewCalendarFor("talkbot")
	cal.SetMethod(ics.MethodPublish)
	name := "talkbot: every track"
	if id != "" && len(tracks) == 1 {
		name = tracks[0].Title
	}
	cal.SetName(name)
	cal.SetXWRCalName(name)
	if h.publicURL != "" {
		cal.SetUrl(h.calendarURL(id))
	}
	for _, t := range tracks {
		if err := h.addTrack(ctx, cal, t, changed); err != nil {
			return nil, fmt.Errorf("calendar of track %s: %w", t.ID, err)
		}
	}
	var b bytes.Buffer
	if err := cal.SerializeTo(&b, ics.WithNewLine("\r\n")); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (h *Handler) calendarURL(id string) string {
	if id == "" {
		return h.publicURL + "/calendar.ics"
	}
	return h.publicURL + "/calendar/" + id + ".ics"
}

func (h *Handler) addTrack(ctx context.Context, cal *ics.Calendar, t store.TrackSummary, changed time.Time) error {
	rounds, err := h.r.Rounds(ctx, t.ID)
	if err != nil {
		return err
	}
	es := make([]store.Entity, len(rounds))
	for i, rd := range rounds {
		es[i] = store.RoundEntity(t.ID, rd.Number)
	}
	latest, err := h.r.LatestChanges(ctx, es)
	if err != nil {
		return err
	}
	// SEQUENCE is a round's change count: one read for every round.
	sequence, err := h.r.ChangeCounts(ctx, es)
	if err != nil {
		return err
	}
	// The track's sources once, not one query a round.
	full, err := h.r.Track(ctx, t.ID)
	if err != nil {
		return err
	}
	byID := make(map[string]store.Source, len(full.Sources))
	for _, s := range full.Sources {
		byID[s.ID] = s
	}
	for i, rd := range rounds {
		if rd.Starts.IsZero() {
			continue // nothing to put in a calendar
		}
		var sources []store.Source // in the round's order; unknown ids left out, as store.Sources does
		for _, id := range rd.Sources {
			if s, ok := byID[id]; ok {
				sources = append(sources, s)
			}
		}
		stamp := changed
		if c, ok := latest[es[i]]; ok {
			stamp = c.At
		}
		if stamp.IsZero() {
			stamp = time.Unix(0, 0)
		}
		h.addRound(cal, t, rd, sequence[es[i]], stamp, sources)
	}
	return nil
}

// UID is a round's stable iCalendar id.
func UID(track string, number int, host string) string {
	return fmt.Sprintf("round-%d.%s@%s", number, track, host)
}

func (h *Handler) addRound(cal *ics.Calendar, t store.TrackSummary, rd store.Round, sequence int, stamp time.Time, sources []store.Source) {
	ev := cal.AddEvent(UID(t.ID, rd.Number, h.host))
	ev.SetSequence(sequence)
	ev.SetDtStampTime(stamp)
	ev.SetLastModifiedAt(stamp)
	ev.SetSummary(fmt.Sprintf("Round %d · %s", rd.Number, t.Title))
	ev.SetStatus(status(rd.Status))
	var notes []string
	switch {
	case rd.Starts.TimeKnown():
		ev.SetStartAt(rd.Starts.At)
		if rd.Ends.TimeKnown() && rd.Ends.At.After(rd.Starts.At) {
			ev.SetEndAt(rd.Ends.At)
		} else {
			ev.SetEndAt(rd.Starts.At.Add(defaultLength))
			notes = append(notes, "No end time was announced: shown as 3 hours.")
		}
	default:
		// A date-only round is a whole day in the calendar, never an invented time.
		start := rd.Starts.Date.In(time.UTC)
		end := rd.Starts.Date.AddDays(1)
		if !rd.Ends.IsZero() && rd.Starts.Date.Before(rd.Ends.Date) {
			end = rd.Ends.Date.AddDays(1)
		}
		ev.SetAllDayStartAt(start)
		ev.SetAllDayEndAt(end.In(time.UTC))
		notes = append(notes, "Time not announced.")
	}
	if rd.Status == store.StatusPostponed {
		notes = append(notes, "Postponed: the new date is not known yet.")
	}
	if rd.Venue != "" {
		ev.SetLocation(rd.Venue)
	}
	ev.SetDescription(description(rd, notes, sources))
	if h.publicURL != "" {
		ev.SetURL(fmt.Sprintf("%s/t/%s/round/%d", h.publicURL, t.ID, rd.Number))
	}
}

func status(s store.Status) ics.ObjectStatus {
	switch s {
	case store.StatusScheduled, store.StatusHeld:
		return ics.ObjectStatusConfirmed
	case store.StatusCancelled:
		return ics.ObjectStatusCancelled
	default: // proposed, postponed
		return ics.ObjectStatusTentative
	}
}

// description is the round's status, agenda and sources as plain text; the
// library escapes and folds it.
func description(rd store.Round, notes []string, sources []store.Source) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Status: %s.\n", rd.Status)
	for _, n := range notes {
		b.WriteString(n + "\n")
	}
	if len(rd.Agenda) > 0 {
		b.WriteString("\nAgenda:\n")
		for _, a := range rd.Agenda {
			b.WriteString("- " + a + "\n")
		}
	}
	if len(rd.Outcomes) > 0 {
		b.WriteString("\nOutcomes:\n")
		for _, o := range rd.Outcomes {
			b.WriteString("- " + o + "\n")
		}
	}
	if len(sources) > 0 {
		b.WriteString("\nSources:\n")
		for _, s := range sources {
			line := "- " + s.Publisher
			if s.Title != "" {
				line += ": " + s.Title
			}
			if s.URL != "" {
				line += " " + s.URL
			}
			b.WriteString(line + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
