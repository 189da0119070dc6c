package web_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
	"talkbot/store/sqlstore"
	"talkbot/web"
)

// get serves one request and returns the response.
func get(t *testing.T, h http.Handler, path string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// parse reads a feed with go-ical, a library independent of the writer.
func parse(t *testing.T, res *http.Response) map[string]*ical.Event {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	cal, err := ical.NewDecoder(res.Body).Decode()
	if err != nil {
		t.Fatalf("parsing the feed: %v", err)
	}
	events := map[string]*ical.Event{}
	for _, ev := range cal.Events() {
		uid, err := ev.Props.Text(ical.PropUID)
		if err != nil || uid == "" {
			t.Fatalf("event without UID: %v", err)
		}
		if _, dup := events[uid]; dup {
			t.Fatalf("UID %s twice", uid)
		}
		events[uid] = &ev
	}
	return events
}

func text(t *testing.T, ev *ical.Event, name string) string {
	t.Helper()
	p := ev.Props.Get(name)
	if p == nil {
		return ""
	}
	if name == ical.PropURL {
		return p.Value // a URI, not escaped text
	}
	s, err := p.Text()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func sequence(t *testing.T, ev *ical.Event) int {
	t.Helper()
	n, err := ev.Props.Get(ical.PropSequence).Int()
	if err != nil {
		t.Fatalf("SEQUENCE: %v", err)
	}
	return n
}

func TestBundledFeedHasEveryDatedRoundAtTheStoresTimes(t *testing.T) {
	s := sqlitetest.Bundled(t, time.Now)
	h := web.New(s, "https://talks.example.org", nil)
	tracks, err := s.Tracks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	all := parse(t, get(t, h, "/calendar.ics", nil))
	total := 0
	for _, tr := range tracks {
		events := parse(t, get(t, h, "/calendar/"+tr.ID+".ics", nil))
		rounds, err := s.Rounds(t.Context(), tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, rd := range rounds {
			if rd.Starts.IsZero() {
				continue
			}
			total++
			uid := web.UID(tr.ID, rd.Number, "talks.example.org")
			ev, ok := events[uid]
			if !ok {
				t.Errorf("%s: no event", uid)
				continue
			}
			if _, ok := all[uid]; !ok {
				t.Errorf("%s: not in /calendar.ics", uid)
			}
			checkTimes(t, ev, rd)
			if got, want := text(t, ev, ical.PropURL), "https://talks.example.org/t/"+tr.ID+"/round/"+strconv.Itoa(rd.Number); got != want {
				t.Errorf("%s: URL %q, want %q", uid, got, want)
			}
			if rd.Venue != "" && text(t, ev, ical.PropLocation) != rd.Venue {
				t.Errorf("%s: LOCATION %q, want %q", uid, text(t, ev, ical.PropLocation), rd.Venue)
			}
			if sequence(t, ev) < 1 {
				t.Errorf("%s: SEQUENCE %d, want at least the import's change", uid, sequence(t, ev))
			}
		}
	}
	if total == 0 || len(all) != total {
		t.Errorf("/calendar.ics has %d events, the tracks %d dated rounds", len(all), total)
	}
}

// checkTimes compares an event's start and end with the round's.
func checkTimes(t *testing.T, ev *ical.Event, rd store.Round) {
	t.Helper()
	start, err := ev.DateTimeStart(time.UTC)
	if err != nil {
		t.Fatalf("round %d: DTSTART: %v", rd.Number, err)
	}
	end, err := ev.DateTimeEnd(time.UTC)
	if err != nil {
		t.Fatalf("round %d: DTEND: %v", rd.Number, err)
	}
	desc := text(t, ev, ical.PropDescription)
	if !rd.Starts.TimeKnown() {
		if v := ev.Props.Get(ical.PropDateTimeStart).ValueType(); v != ical.ValueDate {
			t.Errorf("round %d: date-only DTSTART has VALUE %s", rd.Number, v)
		}
		d := rd.Starts.Date
		if !start.Equal(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) || !end.After(start) {
			t.Errorf("round %d: %v–%v, want the day %s", rd.Number, start, end, d)
		}
		if !strings.Contains(desc, "Time not announced") {
			t.Errorf("round %d: DESCRIPTION does not say the time is not announced: %q", rd.Number, desc)
		}
		return
	}
	if !start.Equal(rd.Starts.At) {
		t.Errorf("round %d: DTSTART %v, want %v", rd.Number, start, rd.Starts.At)
	}
	wantEnd := rd.Ends.At
	if !rd.Ends.TimeKnown() {
		wantEnd = rd.Starts.At.Add(3 * time.Hour)
		if !strings.Contains(desc, "3 hours") {
			t.Errorf("round %d: DESCRIPTION does not say the end is assumed: %q", rd.Number, desc)
		}
	}
	if !end.Equal(wantEnd) {
		t.Errorf("round %d: DTEND %v, want %v", rd.Number, end, wantEnd)
	}
}

func day(y int, m time.Month, d int) store.Date { return store.Date{Year: y, Month: m, Day: d} }

// generated is a track in Kyiv, whose clocks go forward on the last Sunday
// of March (2026-03-29), with a round on each side of the change.
func generated(t *testing.T) []store.Track {
	t.Helper()
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	at := func(d store.Date, hour int) store.When {
		return store.When{Date: d, At: time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, kyiv).UTC(), Zone: "Europe/Kyiv"}
	}
	src := []string{"wire"}
	return []store.Track{{
		ID: "kyiv", Title: "Kyiv talks", Timezone: "Europe/Kyiv",
		Parties: []store.Party{{ID: "ua", Name: "Ukraine", Role: store.RoleParty}, {ID: "ru", Name: "Russia", Role: store.RoleParty}},
		Sources: []store.Source{{ID: "wire", Publisher: "Wire", Title: "Talks <set> & \"planned\"", URL: "https://wire.example/1"}},
		Rounds: []store.Round{
			{Number: 1, Status: store.StatusHeld, Starts: at(day(2026, 3, 28), 10), Ends: at(day(2026, 3, 28), 15), Venue: "Kyiv, Ukraine", Agenda: []string{"prisoners; exchange, lists"}, Sources: src},
			{Number: 2, Status: store.StatusScheduled, Starts: at(day(2026, 3, 29), 10), Venue: "Kyiv", Sources: src},
			{Number: 3, Status: store.StatusProposed, Starts: store.When{Date: day(2026, 4, 5), Zone: "Europe/Kyiv"}, Sources: src},
			{Number: 4, Status: store.StatusCancelled, Starts: at(day(2026, 4, 12), 9), Sources: src},
		},
	}, {
		ID: "own", Title: "A server's own track", Timezone: "Europe/Kyiv", Guild: "123456789012345678",
		Sources: []store.Source{{ID: "wire", Publisher: "Wire", URL: "https://wire.example/2"}},
		Rounds:  []store.Round{{Number: 1, Status: store.StatusScheduled, Starts: at(day(2026, 4, 1), 10), Sources: src}},
	}}
}

func TestGeneratedTrackFollowsEditsDSTAndStatuses(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { generatedTrackFollowsEdits(t, e.open(t, time.Now)) })
	}
}

func generatedTrackFollowsEdits(t *testing.T, s *sqlstore.DB) {
	if _, err := s.ImportWith(t.Context(), generated(t), store.ImportOptions{By: "import test"}); err != nil {
		t.Fatal(err)
	}
	h := web.New(s, "", nil)
	uid := func(n int) string { return web.UID("kyiv", n, "talkbot") }

	first := get(t, h, "/calendar/kyiv.ics", nil)
	etag := first.Header.Get("ETag")
	events := parse(t, first)
	if len(events) != 4 {
		t.Fatalf("%d events, want 4", len(events))
	}
	rounds, err := s.Rounds(t.Context(), "kyiv")
	if err != nil {
		t.Fatal(err)
	}
	for _, rd := range rounds {
		checkTimes(t, events[uid(rd.Number)], rd)
	}
	// 10:00 in Kyiv is 08:00 UTC before the change and 07:00 after it.
	if got, _ := events[uid(1)].DateTimeStart(time.UTC); got.Hour() != 8 {
		t.Errorf("round 1 starts %v, want 08:00 UTC", got)
	}
	if got, _ := events[uid(2)].DateTimeStart(time.UTC); got.Hour() != 7 {
		t.Errorf("round 2 starts %v, want 07:00 UTC", got)
	}
	for n, want := range map[int]ical.EventStatus{1: ical.EventConfirmed, 2: ical.EventConfirmed, 3: ical.EventTentative, 4: ical.EventCancelled} {
		if got, err := events[uid(n)].Status(); err != nil || got != want {
			t.Errorf("round %d: STATUS %q (%v), want %q", n, got, err, want)
		}
	}
	if d := text(t, events[uid(1)], ical.PropDescription); !strings.Contains(d, "prisoners; exchange, lists") || !strings.Contains(d, `Wire: Talks <set> & "planned" https://wire.example/1`) {
		t.Errorf("round 1: DESCRIPTION %q lacks the agenda or the source", d)
	}
	if events[uid(1)].Props.Get(ical.PropURL) != nil {
		t.Error("an event has a URL without PUBLIC_URL")
	}

	if res := get(t, h, "/calendar/kyiv.ics", map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
		t.Errorf("repeat with the ETag: status %d, want 304", res.StatusCode)
	}
	if lm := first.Header.Get("Last-Modified"); lm == "" {
		t.Error("no Last-Modified")
	} else if res := get(t, h, "/calendar/kyiv.ics", map[string]string{"If-Modified-Since": lm}); res.StatusCode != http.StatusNotModified {
		t.Errorf("repeat with If-Modified-Since: status %d, want 304", res.StatusCode)
	}

	// Reschedule round 2 by an edit: same UID, a higher SEQUENCE, the new time.
	r2 := rounds[1]
	base, err := s.Version(t.Context(), store.RoundEntity("kyiv", 2))
	if err != nil {
		t.Fatal(err)
	}
	r2.Starts.At = r2.Starts.At.Add(26 * time.Hour)
	r2.Starts.Date = day(2026, 3, 30)
	if _, err := s.ApplyEdit(t.Context(), store.Edit{Editor: store.Editor{ID: "42", Name: "Olena"}, Base: base, Source: "wire", Round: &r2}); err != nil {
		t.Fatal(err)
	}
	res := get(t, h, "/calendar/kyiv.ics", map[string]string{"If-None-Match": etag})
	if res.StatusCode == http.StatusNotModified {
		t.Fatal("304 after an edit")
	}
	after := parse(t, res)
	if len(after) != 4 {
		t.Fatalf("%d events after the edit, want 4", len(after))
	}
	if a, b := sequence(t, events[uid(2)]), sequence(t, after[uid(2)]); b <= a {
		t.Errorf("round 2: SEQUENCE %d after the edit, was %d", b, a)
	}
	if a, b := sequence(t, events[uid(1)]), sequence(t, after[uid(1)]); b != a {
		t.Errorf("round 1 untouched: SEQUENCE %d, was %d", b, a)
	}
	moved, err := s.Round(t.Context(), "kyiv", 2)
	if err != nil {
		t.Fatal(err)
	}
	checkTimes(t, after[uid(2)], moved)
	if got, _ := after[uid(2)].DateTimeStart(time.UTC); !got.Equal(r2.Starts.At) {
		t.Errorf("round 2 after the edit starts %v, want %v", got, r2.Starts.At)
	}
}

func TestServerOwnedAndUnknownTracksAreNotPublished(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { notPublished(t, e.open(t, time.Now)) })
	}
}

func notPublished(t *testing.T, s *sqlstore.DB) {
	if _, err := s.ImportWith(t.Context(), generated(t), store.ImportOptions{By: "import test"}); err != nil {
		t.Fatal(err)
	}
	h := web.New(s, "", nil)
	all := parse(t, get(t, h, "/calendar.ics", nil))
	for uid := range all {
		if strings.Contains(uid, ".own@") {
			t.Errorf("server-owned round %s in /calendar.ics", uid)
		}
	}
	if len(all) != 4 {
		t.Errorf("%d events in /calendar.ics, want the global track's 4", len(all))
	}
	for _, path := range []string{"/calendar/nope.ics", "/calendar/own.ics", "/calendar/kyiv", "/calendar/.ics"} {
		if res := get(t, h, path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.StatusCode)
		}
	}

	// The server makes its track public: both feeds now carry it.
	tracks := generated(t)
	tracks[1].Public = true
	if _, err := s.ImportWith(t.Context(), tracks, store.ImportOptions{By: "import test"}); err != nil {
		t.Fatal(err)
	}
	if own := parse(t, get(t, h, "/calendar/own.ics", nil)); len(own) != 1 {
		t.Errorf("the public server track's calendar has %d events, want 1", len(own))
	}
	if all := parse(t, get(t, h, "/calendar.ics", nil)); len(all) != 5 {
		t.Errorf("%d events in /calendar.ics after the server made its track public, want 5", len(all))
	}
}
