package commands_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/dataset"
	"talkbot/store"
)

// The editors of the history tests; the first name holds what must never
// format or ping.
var (
	jane = store.Editor{ID: "501", Name: "Jane *Editor* @everyone"}
	omar = store.Editor{ID: "502", Name: "Omar"}
)

const reuters = "reuters-2025-05-28"

// applyEdit saves an edit as /talks-edit would, at the entity's current
// version, and returns its history record.
func applyEdit(t *testing.T, s store.Store, e store.Edit, entity store.Entity) store.Change {
	t.Helper()
	base, err := s.Version(t.Context(), entity)
	if err != nil {
		t.Fatal(err)
	}
	e.Base = base
	if e.Source == "" {
		e.Source = reuters
	}
	ch, err := s.ApplyEdit(t.Context(), e)
	if err != nil {
		t.Fatalf("saving %s: %v", entity, err)
	}
	return ch
}

// editRound changes a round of the bundled track as an editor would.
func editRound(t *testing.T, s store.Store, by store.Editor, number int, change func(r *store.Round)) store.Change {
	t.Helper()
	r, err := s.Round(t.Context(), track, number)
	if err != nil {
		t.Fatal(err)
	}
	change(&r)
	return applyEdit(t, s, store.Edit{Editor: by, Round: &r}, store.RoundEntity(track, number))
}

// startsAt reads a start as the round modal takes it.
func startsAt(t *testing.T, s string) store.When {
	t.Helper()
	w, err := dataset.ParseStarts(s, "Europe/Istanbul")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// editedHistory is the bundled data after a few edits from Discord: round
// 2 scheduled with a time and moved to Ankara, a new round 3, a position,
// a statement undone, and a position whose summary tries to ping.
type editedHistory struct {
	round2, round3, position, statement, undo store.Change
}

func makeHistory(t *testing.T, s store.Store) editedHistory {
	t.Helper()
	var h editedHistory
	h.round2 = editRound(t, s, jane, 2, func(r *store.Round) {
		r.Status, r.Venue, r.Starts = store.StatusScheduled, "Ankara", startsAt(t, "2025-06-02T13:00")
	})
	r3 := store.Round{Track: track, Number: 3, Status: store.StatusProposed, Starts: startsAt(t, "2025-06-20"), Venue: "Geneva",
		Agenda: []string{"Ceasefire", "Prisoner exchange"}, Sources: []string{reuters}}
	h.round3 = applyEdit(t, s, store.Edit{Editor: omar, New: true, Round: &r3}, store.RoundEntity(track, 3))
	p := store.Position{Track: track, Party: "ukraine", Topic: "ceasefire", StatedOn: mustDate(t, "2025-05-29"), By: "sybiha",
		Summary: "Ready for a full ceasefire of 30 days. @everyone <@&777> should **read** this.", Sources: []string{reuters}}
	h.position = applyEdit(t, s, store.Edit{Editor: jane, New: true, TrackID: track, Position: &p},
		store.Entity{Kind: store.EntityPosition, Track: track, Key: store.PositionKey(p)})
	st := store.Statement{Track: track, By: "lavrov", Party: "russia", SaidOn: mustDate(t, "2025-05-29"), Medium: "press conference",
		Text: "We are ready to continue.", Sources: []string{reuters}}
	h.statement = applyEdit(t, s, store.Edit{Editor: omar, New: true, TrackID: track, Statement: &st},
		store.Entity{Kind: store.EntityStatement, Track: track, Key: store.StatementKey(st)})
	undo, err := s.Undo(t.Context(), omar, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	h.undo = undo
	return h
}

func mustDate(t *testing.T, s string) store.Date {
	t.Helper()
	d, err := store.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestHistoryReplies(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	// Before any edit: what the bundled import recorded, if anything.
	golden(t, "history_of_the_bundled_data", answer(t, c, cmd("talks/history")))
	makeHistory(t, s)
	cases := []struct {
		name string
		req  commands.Request
	}{
		{"history", cmd("talks/history")},
		{"history_of_round_2", cmd("talks/history", "round:2")},
		{"history_of_a_side", cmd("talks/history", "side:ukraine", "track:"+track)},
		{"history_of_a_round_never_changed", cmd("talks/history", "round:7")},
		{"history_with_a_bad_round", cmd("talks/history", "round:x")},
		{"history_of_an_unknown_side", cmd("talks/history", "side:mars")},
		{"round_2_after_edits", cmd("talks/round", "number:2")},
		{"round_3_added_from_discord", cmd("talks/round", "number:3")},
		{"next_after_edits", cmd("talks/next")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, answer(t, c, tc.req))
		})
	}
}

// The history says who changed what from which source, in words, and
// nothing in it formats or pings.
func TestHistorySaysWhoChangedWhatFromWhere(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	h := makeHistory(t, s)
	reply, err := c.Handle(t.Context(), cmd("talks/history"))
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.Embeds) != 1 {
		t.Fatalf("history has %d embeds; want 1", len(reply.Embeds))
	}
	e := reply.Embeds[0]
	var all []string
	for _, f := range e.Fields {
		all = append(all, f.Name+"\n"+f.Value)
	}
	text := strings.Join(all, "\n\n")
	for _, want := range []string{
		"Round 2\nstatus proposed → scheduled; starts 2025-06-02 → 2025-06-02T13:00; venue Istanbul → Ankara",
		"New round 3\nstatus proposed; starts 2025-06-20; venue Geneva",
		"New position of Ukraine on ceasefire",
		"Undid the addition of statement by Sergey Lavrov",
		"by Jane \\*Editor\\* @\u200beveryone",
		"by Omar",
		"Reuters: Moscow proposes second round of Russia-Ukraine peace talks in Istanbul on Monday (28 May 2025)",
		"<t:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("history lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "@everyone") || strings.Contains(strings.ReplaceAll(text, `\<@&777>`, ""), "<@&777>") {
		t.Errorf("history echoes a ping as typed:\n%s", text)
	}
	// Newest first: the undo heads the list, round 2's edit is below round 3.
	if !strings.HasPrefix(e.Fields[0].Name, "Undid") {
		t.Errorf("first entry is %q; want the undo, the newest change", e.Fields[0].Name)
	}
	if strings.Index(text, "New round 3") > strings.Index(text, "Round 2\n") {
		t.Errorf("round 3's addition is listed after round 2's older edit:\n%s", text)
	}
	if h.undo.Undoes != h.statement.ID {
		t.Errorf("the undo reverted change %d; want the statement's, %d", h.undo.Undoes, h.statement.ID)
	}
}

// "last changed" names the latest change of the round itself, and a round
// with no record of a change says nothing.
func TestRoundsSayWhenTheyLastChanged(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	lastChanged := func(number string) string {
		t.Helper()
		reply, err := c.Handle(t.Context(), cmd("talks/round", "number:"+number))
		if err != nil {
			t.Fatal(err)
		}
		fs := reply.Embeds[0].Fields
		if f := fs[len(fs)-1]; f.Name == "Last changed" {
			return f.Value
		}
		return ""
	}
	imported := lastChanged("1") // whatever the bundled import recorded
	editRound(t, s, jane, 2, func(r *store.Round) { r.Venue = "Ankara" })
	ch := editRound(t, s, omar, 2, func(r *store.Round) { r.Venue = "Antalya" })
	want := "<t:" + strconv.FormatInt(ch.At.Unix(), 10) + ":R> by Omar (/talks history round:2)"
	if got := lastChanged("2"); got != want {
		t.Errorf("round 2 last changed = %q; want %q", got, want)
	}
	if got := lastChanged("1"); got != imported {
		t.Errorf("an edit of round 2 changed round 1's line from %q to %q", imported, got)
	}
}

// The page buttons of /talks history carry the track, round and side, and
// show the next page of the same list.
func TestHistoryPages(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	for i := range 12 {
		editRound(t, s, jane, 2, func(r *store.Round) { r.Venue = "Venue " + strconv.Itoa(i) })
	}
	first, err := c.Handle(t.Context(), cmd("talks/history", "round:2"))
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Components) == 0 {
		t.Fatalf("12 changes of round 2 came with no page buttons")
	}
	req, err := commands.ComponentRequest("history:" + track + ":2::1")
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Handle(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Update || len(second.Embeds) != 1 || !strings.HasPrefix(second.Embeds[0].Footer.Text, "Page 2 of ") {
		t.Fatalf("page button reply = %+v; want page 2 in place", second)
	}
	for _, f := range second.Embeds[0].Fields {
		if f.Name != "Round 2" && !strings.Contains(f.Name, "round 2") {
			t.Errorf("page 2 of round 2's history lists %q", f.Name)
		}
	}
	golden(t, "history_page_2", outcome{Reply: &second})
}

// BenchmarkTalksHistory answers /talks history on a track with 10,000
// history records (the target: p99 under 5 ms on SQLite).
func BenchmarkTalksHistory(b *testing.B) {
	s := bundled(b)
	r, err := s.Round(b.Context(), track, 2)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 10_000 {
		base, err := s.Version(b.Context(), store.RoundEntity(track, 2))
		if err != nil {
			b.Fatal(err)
		}
		r.Venue = "Venue " + strconv.Itoa(i)
		if _, err := s.ApplyEdit(b.Context(), store.Edit{Editor: jane, Base: base, Source: reuters, Round: &r}); err != nil {
			b.Fatal(err)
		}
	}
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	for name, req := range map[string]commands.Request{
		"track":   cmd("talks/history", "track:"+track),
		"round_2": cmd("talks/history", "track:"+track, "round:2"), // every record is round 2's
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := c.Handle(b.Context(), req); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}
