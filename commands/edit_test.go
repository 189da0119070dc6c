package commands_test

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/store"
)

// The people of these tests: a global editor (TALKBOT_EDITORS), a member
// holding server 1's editor role, one holding server 2's, and a member
// with no role.
const (
	globalEditor     = "100"
	serverEditor     = "200"
	otherEditor      = "300"
	member           = "400"
	serverEditorRole = "555"
	otherRole        = "666"
	istanbul         = "ru-ua-istanbul"
)

type editFixture struct {
	t     *testing.T
	s     store.Store
	c     *commands.Commands
	clock *time.Time
}

func newEditFixture(t *testing.T) *editFixture {
	t.Helper()
	f := &editFixture{t: t, s: bundled(t)}
	now := time.Date(2025, 5, 29, 8, 0, 0, 0, time.UTC)
	f.clock = &now
	f.c = commands.New(f.s, func() time.Time { return *f.clock }, nil, commands.WithEditors([]string{globalEditor}), commands.WithSettle(2*time.Minute))
	for guild, role := range map[string]string{"1": serverEditorRole, "2": otherRole} {
		if err := f.s.SaveEditorRole(t.Context(), guild, role); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// as makes req come from user (with their roles, in their server).
func as(user string, req commands.Request) commands.Request {
	req.UserID, req.UserName = user, "user"+user
	req.GuildID, req.MemberRoles = "1", nil
	switch user {
	case serverEditor:
		req.MemberRoles = []string{serverEditorRole}
	case otherEditor:
		req.GuildID, req.MemberRoles = "2", []string{otherRole}
	}
	return req
}

func (f *editFixture) do(req commands.Request) (commands.Reply, error) {
	f.t.Helper()
	return f.c.Handle(f.t.Context(), req)
}

// ok runs req and fails on any error.
func (f *editFixture) ok(req commands.Request) commands.Reply {
	f.t.Helper()
	reply, err := f.do(req)
	if err != nil {
		f.t.Fatalf("%s: %v", req.Path, err)
	}
	return reply
}

// refused runs req and returns the user error's message.
func (f *editFixture) refused(req commands.Request) string {
	f.t.Helper()
	_, err := f.do(req)
	ue, ok := commands.AsUserError(err)
	if !ok {
		f.t.Fatalf("%s by %s: got %v, want a refusal", req.Path, req.UserID, err)
	}
	return ue.Message
}

// submit answers a modal with fields, as Discord sends a MODAL_SUBMIT.
func submit(m *commands.Modal, fields map[string]string) commands.Request {
	parts := strings.Split(m.CustomID, ":")
	return commands.Request{Kind: commands.KindModal, Path: parts[0], Args: parts[1:], Fields: fields, Options: map[string]string{}}
}

// filled is a modal's values by input id.
func filled(m *commands.Modal) map[string]string {
	out := map[string]string{}
	for _, in := range m.Inputs {
		out[in.ID] = in.Value
	}
	return out
}

func (f *editFixture) version(e store.Entity) int64 {
	f.t.Helper()
	v, err := f.s.Version(f.t.Context(), e)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

// localTrack has the server editor start server 1's own track.
func (f *editFixture) localTrack() {
	f.t.Helper()
	f.ok(as(serverEditor, cmd("talks-edit/track/new", "id:local", "title:Local talks", "timezone:Europe/Zurich")))
	f.ok(as(serverEditor, cmd("talks-edit/party/add", "track:local", "id:alpha", "name:Alpha", "role:party")))
	f.ok(as(serverEditor, cmd("talks-edit/person/add", "track:local", "id:ann", "name:Ann", "party:alpha")))
	f.ok(as(serverEditor, cmd("talks-edit/source/add", "track:local", "url:https://example.org/local", "publisher:Example", "title:Local report")))
}

func TestEditRoundThroughTheForm(t *testing.T) {
	f := newEditFixture(t)
	reply := f.ok(as(globalEditor, cmd("talks-edit/round/add", "track:"+istanbul, "source:"+reuters)))
	m := reply.Modal
	if m == nil {
		t.Fatalf("round add answered %+v, want a form", reply)
	}
	var ids []string
	for _, in := range m.Inputs {
		ids = append(ids, in.ID)
	}
	if strings.Join(ids, ",") != "starts,venue,agenda,outcomes,documents" {
		t.Errorf("form inputs %v", ids)
	}
	if len(m.CustomID) > 100 || utf8.RuneCountInString(m.Title) > 45 || !strings.Contains(m.CustomID, "round@0") {
		t.Errorf("form custom id %q (%d), title %q (%d)", m.CustomID, len(m.CustomID), m.Title, len(m.Title))
	}
	golden(t, "edit_round_add_form", m)

	saved := f.ok(as(globalEditor, submit(m, map[string]string{
		"starts": "2025-07-23T19:00", "venue": "Çırağan Palace, Istanbul", "agenda": "Prisoner exchange\nMemorandums",
		"outcomes": "", "documents": "",
	})))
	if !saved.Ephemeral || !strings.Contains(saved.Content, "round 3") || !strings.Contains(saved.Content, "2 minutes") {
		t.Errorf("saved reply %q", saved.Content)
	}
	r, err := f.s.Round(t.Context(), istanbul, 3)
	if err != nil {
		t.Fatal(err)
	}
	if r.Venue != "Çırağan Palace, Istanbul" || len(r.Agenda) != 2 || r.Status != store.StatusProposed ||
		!r.Starts.At.Equal(time.Date(2025, 7, 23, 16, 0, 0, 0, time.UTC)) || strings.Join(r.Sources, ",") != reuters {
		t.Errorf("round 3 saved as %+v", r)
	}
	shown := f.ok(cmd("talks/round", "number:3", "track:"+istanbul))
	if !strings.Contains(embedText(shown), "Reuters") {
		t.Errorf("/talks round 3 does not cite its source: %s", embedText(shown))
	}

	// Edit: the form comes filled with the round as stored.
	edit := f.ok(as(globalEditor, cmd("talks-edit/round/edit", "number:3", "track:"+istanbul, "source:"+reuters))).Modal
	if edit == nil {
		t.Fatal("round edit opened no form")
	}
	values := filled(edit)
	if values["starts"] != "2025-07-23T19:00" || values["agenda"] != "Prisoner exchange\nMemorandums" {
		t.Errorf("edit form filled with %q", values)
	}
	values["venue"] = "Istanbul"
	f.ok(as(globalEditor, submit(edit, values)))
	if r, _ := f.s.Round(t.Context(), istanbul, 3); r.Venue != "Istanbul" {
		t.Errorf("venue after edit = %q", r.Venue)
	}

	// Status only, no form; a pasted URL becomes a new source.
	url := "https://www.aa.com.tr/en/russia-ukraine-war/round-3"
	status := f.ok(as(globalEditor, cmd("talks-edit/round/status", "number:3", "status:scheduled", "source:"+url, "track:"+istanbul)))
	if status.Modal != nil || !strings.Contains(status.Content, "scheduled") {
		t.Errorf("status reply %+v", status)
	}
	r, _ = f.s.Round(t.Context(), istanbul, 3)
	tr, _ := f.s.Track(t.Context(), istanbul)
	var made *store.Source
	for i, s := range tr.Sources {
		if s.URL == url {
			made = &tr.Sources[i]
		}
	}
	if r.Status != store.StatusScheduled || made == nil || made.Publisher != "aa.com.tr" || made.Title != url || !strings.Contains(strings.Join(r.Sources, ","), made.ID) {
		t.Fatalf("after status: round %+v, source %+v", r, made)
	}
	// The new source comes first as the editor types the next source:.
	ac := as(globalEditor, commands.Request{Kind: commands.KindAutocomplete, Path: "talks-edit/round/edit", Focused: "source",
		Options: map[string]string{"track": istanbul, "source": ""}})
	if got := f.ok(ac).Choices; len(got) < 2 || got[0].Value != made.ID {
		t.Errorf("source choices %+v; want the pasted source %s first", got, made.ID)
	}
	// source add with the same URL fills it in, keeping the id.
	f.ok(as(globalEditor, cmd("talks-edit/source/add", "url:"+url, "publisher:Anadolu Agency", "title:Third round set", "published:2025-07-21", "track:"+istanbul)))
	tr, _ = f.s.Track(t.Context(), istanbul)
	for _, s := range tr.Sources {
		if s.URL == url && (s.ID != made.ID || s.Publisher != "Anadolu Agency" || s.Published.String() != "2025-07-21") {
			t.Errorf("source add for a known URL: %+v, want id %s kept and the fields updated", s, made.ID)
		}
	}

	// Undo, newest first: the source's details, then the status.
	undo := f.ok(as(globalEditor, cmd("talks-edit/undo")))
	if !strings.Contains(undo.Content, "source `"+made.ID+"`") {
		t.Errorf("first undo said %q; want the source add undone", undo.Content)
	}
	undo = f.ok(as(globalEditor, cmd("talks-edit/undo")))
	if !strings.Contains(undo.Content, "round 3") {
		t.Errorf("second undo said %q; want round 3's status", undo.Content)
	}
	if r, _ := f.s.Round(t.Context(), istanbul, 3); r.Status != store.StatusProposed || r.Venue != "Istanbul" {
		t.Errorf("after undo: status %s, venue %q; want the status undone and the venue kept", r.Status, r.Venue)
	}
}

func TestEditPositionAndStatementThenUndo(t *testing.T) {
	f := newEditFixture(t)
	ctx := t.Context()
	before, _ := f.s.Positions(ctx, store.PositionQuery{Track: istanbul})

	form := f.ok(as(globalEditor, cmd("talks-edit/position/add", "side:ukraine", "topic:prisoner-exchange", "source:"+reuters, "track:"+istanbul))).Modal
	if form == nil || len(form.Inputs) != 3 || filled(form)["stated_on"] != "2025-05-29" {
		t.Fatalf("position form %+v", form)
	}
	typed := "Ukraine wants all for all @everyone <@&123>"
	f.ok(as(globalEditor, submit(form, map[string]string{"summary": typed, "stated_on": "2025-05-28", "by": "Rustem Umerov"})))
	after, _ := f.s.Positions(ctx, store.PositionQuery{Track: istanbul})
	if len(after) != len(before)+1 {
		t.Fatalf("positions %d -> %d", len(before), len(after))
	}
	var p store.Position
	for _, x := range after {
		if x.Topic == "prisoner-exchange" {
			p = x
		}
	}
	if p.Summary != typed || p.By != "umerov" || p.Party != "ukraine" || p.StatedOn.String() != "2025-05-28" {
		t.Errorf("position saved as %+v; text is stored as typed", p)
	}

	sform := f.ok(as(globalEditor, cmd("talks-edit/statement/add", "speaker:lavrov", "source:"+reuters, "track:"+istanbul))).Modal
	if sform == nil {
		t.Fatal("statement add opened no form")
	}
	f.ok(as(globalEditor, submit(sform, map[string]string{"text": "We are ready.", "said_on": "2025-05-28", "medium": "press conference"})))
	st, _ := f.s.Statements(ctx, store.StatementQuery{Track: istanbul, Person: "lavrov"})
	if st.Total == 0 || st.Items[0].Text != "We are ready." || st.Items[0].Party != "russia" {
		t.Fatalf("statement saved as %+v", st.Items)
	}

	// Undo takes back the statement, then the position.
	f.ok(as(globalEditor, cmd("talks-edit/undo")))
	if st2, _ := f.s.Statements(ctx, store.StatementQuery{Track: istanbul, Person: "lavrov"}); st2.Total != st.Total-1 {
		t.Errorf("statements after undo: %d, want %d", st2.Total, st.Total-1)
	}
	f.ok(as(globalEditor, cmd("talks-edit/undo")))
	if again, _ := f.s.Positions(ctx, store.PositionQuery{Track: istanbul}); len(again) != len(before) {
		t.Errorf("positions after undo: %d, want %d", len(again), len(before))
	}
	if reply := f.ok(as(globalEditor, cmd("talks-edit/undo"))); !strings.Contains(reply.Content, "no change left") {
		t.Errorf("third undo said %q", reply.Content)
	}
}

func TestUndoRefusedAfterSomeoneElsesChange(t *testing.T) {
	f := newEditFixture(t)
	const second = "101"
	f.c = commands.New(f.s, func() time.Time { return *f.clock }, nil, commands.WithEditors([]string{globalEditor, second}))
	f.ok(as(globalEditor, cmd("talks-edit/round/status", "number:2", "status:postponed", "source:"+reuters, "track:"+istanbul)))
	f.ok(as(second, cmd("talks-edit/round/status", "number:2", "status:cancelled", "source:"+reuters, "track:"+istanbul)))
	msg := f.refused(as(globalEditor, cmd("talks-edit/undo")))
	if !strings.Contains(msg, "user101") || !strings.Contains(msg, "round 2") {
		t.Errorf("blocked undo said %q; want who changed it after", msg)
	}
	if r, _ := f.s.Round(t.Context(), istanbul, 2); r.Status != store.StatusCancelled {
		t.Errorf("status = %s; the refused undo changed it", r.Status)
	}
}

func TestStaleSubmitIsRefusedWithWhatChanged(t *testing.T) {
	f := newEditFixture(t)
	const second = "101"
	f.c = commands.New(f.s, func() time.Time { return *f.clock }, nil, commands.WithEditors([]string{globalEditor, second}))
	mine := f.ok(as(globalEditor, cmd("talks-edit/round/edit", "number:1", "source:"+reuters, "track:"+istanbul))).Modal
	theirs := f.ok(as(second, cmd("talks-edit/round/edit", "number:1", "source:"+reuters, "track:"+istanbul))).Modal
	tv := filled(theirs)
	tv["venue"] = "Dolmabahçe Palace"
	f.ok(as(second, submit(theirs, tv)))

	mv := filled(mine)
	mv["venue"] = "Ankara"
	reply := f.ok(as(globalEditor, submit(mine, mv)))
	text := reply.Content + embedText(reply)
	for _, want := range []string{"Not saved", "venue", "Dolmabahçe Palace", "user101", "Ankara", "Edit again"} {
		if !strings.Contains(text+buttons(reply), want) {
			t.Errorf("stale refusal lacks %q:\n%s", want, text)
		}
	}
	if r, _ := f.s.Round(t.Context(), istanbul, 1); r.Venue != "Dolmabahçe Palace" {
		t.Errorf("venue = %q; the stale submit overwrote it", r.Venue)
	}
	// Edit again reopens with what was typed, on the current version: it saves.
	again := f.ok(as(globalEditor, clickFirst(reply)))
	if again.Modal == nil || filled(again.Modal)["venue"] != "Ankara" {
		t.Fatalf("edit again = %+v", again)
	}
	f.ok(as(globalEditor, submit(again.Modal, filled(again.Modal))))
	if r, _ := f.s.Round(t.Context(), istanbul, 1); r.Venue != "Ankara" {
		t.Errorf("venue after a deliberate resubmit = %q", r.Venue)
	}
}

func TestBadInputLosesNothing(t *testing.T) {
	long := strings.Repeat("word ", 300)
	for _, tc := range []struct {
		name, open string
		opts       []string
		fields     map[string]string
		field      string // the label's start
		typed      string
	}{
		{"bad date", "talks-edit/round/add", nil, map[string]string{"starts": "2 June", "venue": "Istanbul", "agenda": "Ceasefire"}, "Starts", "2 June"},
		{"impossible day", "talks-edit/position/add", []string{"side:russia", "topic:ceasefire"}, map[string]string{"summary": "Text", "stated_on": "2025-02-30"}, "Stated on", "2025-02-30"},
		{"by of another side", "talks-edit/position/add", []string{"side:russia", "topic:ceasefire"}, map[string]string{"summary": "Text", "stated_on": "2025-05-28", "by": "umerov"}, "Stated by", "umerov"},
		{"too long", "talks-edit/statement/add", []string{"speaker:lavrov"}, map[string]string{"text": long, "said_on": "2025-05-28"}, "The quote", strings.TrimSpace(long)},
		{"control character", "talks-edit/statement/add", []string{"speaker:lavrov"}, map[string]string{"text": "Hello\u0007", "said_on": "2025-05-28"}, "The quote", "Hello\u0007"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newEditFixture(t)
			v0, _ := f.s.HistoryVersion(t.Context())
			opts := append([]string{"source:" + reuters, "track:" + istanbul}, tc.opts...)
			form := f.ok(as(globalEditor, cmd(tc.open, opts...))).Modal
			reply := f.ok(as(globalEditor, submit(form, tc.fields)))
			if !reply.Ephemeral || !strings.Contains(reply.Content, "Not saved: **"+tc.field) {
				t.Errorf("refusal %q does not name the field %q", reply.Content, tc.field)
			}
			if len(reply.Embeds) == 0 || reply.Embeds[0].Title[:len(tc.field)] != tc.field || !strings.Contains(reply.Embeds[0].Description, tc.typed) {
				t.Errorf("refusal does not give back the typed text in full, refused field first: %+v", reply.Embeds)
			}
			if v1, _ := f.s.HistoryVersion(t.Context()); v1 != v0 {
				t.Errorf("history moved %d -> %d: something was saved", v0, v1)
			}
			again := f.ok(as(globalEditor, clickFirst(reply)))
			if again.Modal == nil {
				t.Fatal("Edit again opened no form")
			}
			for k, v := range tc.fields {
				if filled(again.Modal)[k] != v {
					t.Errorf("Edit again: %s = %q, want %q as typed", k, filled(again.Modal)[k], v)
				}
			}
		})
	}
	t.Run("javascript source", func(t *testing.T) {
		f := newEditFixture(t)
		msg := f.refused(as(globalEditor, cmd("talks-edit/round/add", "source:javascript:alert(1)", "track:"+istanbul)))
		if !strings.Contains(msg, "http") {
			t.Errorf("javascript: source refused with %q", msg)
		}
		msg = f.refused(as(globalEditor, cmd("talks-edit/source/add", "url:javascript:alert(1)", "publisher:x", "title:y", "track:"+istanbul)))
		if !strings.Contains(msg, "url") {
			t.Errorf("source add of javascript: refused with %q", msg)
		}
		msg = f.refused(as(globalEditor, cmd("talks-edit/round/add", "track:"+istanbul, "source:")))
		if !strings.Contains(msg, "needs a source") {
			t.Errorf("no source refused with %q", msg)
		}
	})
}

func TestEditPermissionsOnEveryPath(t *testing.T) {
	f := newEditFixture(t)
	f.localTrack()
	ctx := t.Context()

	type caller struct {
		user, track string
		allowed     bool
	}
	callers := []caller{
		{member, istanbul, false},
		{serverEditor, istanbul, false}, // a server editor on a global track
		{otherEditor, "local", false},   // another server's editor
		{member, "local", false},
		{globalEditor, istanbul, true},
		{globalEditor, "local", true},
		{serverEditor, "local", true},
	}
	for _, cl := range callers {
		name := cl.user + " on " + cl.track
		src := reuters
		if cl.track == "local" {
			src = "https://example.org/local"
		}
		// The command.
		req := as(cl.user, cmd("talks-edit/round/add", "track:"+cl.track, "source:"+src))
		if cl.user == otherEditor {
			// The local track is not even seen in server 2: refused as unknown.
			req.GuildID = "2"
		}
		reply, err := f.do(req)
		if cl.allowed != (err == nil && reply.Modal != nil) {
			t.Errorf("%s: command answered %+v, %v", name, reply, err)
		}
		// Autocomplete.
		ac := req
		ac.Kind, ac.Focused = commands.KindAutocomplete, "source"
		ac.Options = map[string]string{"track": cl.track, "source": ""}
		choices, err := f.do(ac)
		if err != nil || cl.allowed != (len(choices.Choices) > 0) {
			t.Errorf("%s: autocomplete offered %d choices (%v)", name, len(choices.Choices), err)
		}
		// A form opened by this caller (forged into the store when they could
		// not open one) and a button: both checked again.
		id, err := f.s.SaveDraft(ctx, store.Draft{UserID: cl.user, Kind: store.EntityRound,
			Context: map[string]string{"track": cl.track, "source": src}, Created: *f.clock})
		if err != nil {
			t.Fatal(err)
		}
		form := &commands.Modal{CustomID: "edit:" + strconv.FormatInt(id, 10) + ":round@0"}
		sub := as(cl.user, submit(form, map[string]string{"starts": "2025-09-01"}))
		sub.GuildID = req.GuildID
		_, err = f.do(sub)
		if _, refused := commands.AsUserError(err); refused == cl.allowed {
			t.Errorf("%s: submit: %v", name, err)
		}
		btn := as(cl.user, commands.Request{Kind: commands.KindComponent, Path: "editagain", Args: []string{strconv.FormatInt(id, 10)}})
		btn.GuildID = req.GuildID
		_, err = f.do(btn)
		if _, refused := commands.AsUserError(err); refused == cl.allowed {
			t.Errorf("%s: button: %v", name, err)
		}
	}
	// Someone else's form is refused even to an editor.
	id, _ := f.s.SaveDraft(ctx, store.Draft{UserID: globalEditor, Kind: store.EntityRound, Context: map[string]string{"track": "local", "source": "https://example.org/local"}})
	form := &commands.Modal{CustomID: "edit:" + strconv.FormatInt(id, 10) + ":round@0"}
	if msg := f.refused(as(serverEditor, submit(form, map[string]string{"starts": "2025-09-01"}))); !strings.Contains(msg, "another editor") {
		t.Errorf("another's form: %q", msg)
	}
	// Losing the role between opening and submitting: refused.
	rounds, _ := f.s.Rounds(ctx, "local")
	open := f.ok(as(serverEditor, cmd("talks-edit/round/add", "track:local", "source:https://example.org/local"))).Modal
	if err := f.s.SaveEditorRole(ctx, "1", ""); err != nil {
		t.Fatal(err)
	}
	f.refused(as(serverEditor, submit(open, map[string]string{"starts": "2025-09-01"})))
	if after, _ := f.s.Rounds(ctx, "local"); len(after) != len(rounds) {
		t.Errorf("a submit after the role was removed saved a round: %d -> %d", len(rounds), len(after))
	}
}

func TestServerTrackIsSeenOnlyInItsServer(t *testing.T) {
	f := newEditFixture(t)
	f.localTrack()
	if got := f.ok(as(member, cmd("talks/about", "track:local"))); !strings.Contains(embedText(got), "Local talks") {
		t.Errorf("server 1 does not see its track: %s", embedText(got))
	}
	elsewhere := as(member, cmd("talks/about", "track:local"))
	elsewhere.GuildID = "2"
	if _, err := f.do(elsewhere); err == nil {
		t.Error("server 2 sees server 1's track")
	}
	dm := as(member, cmd("talks/about"))
	dm.GuildID, dm.Context = "", 1
	if got := f.ok(dm); strings.Contains(embedText(got), "Local talks") {
		t.Error("a DM lists a server's own track")
	}
}

// embedText is every embed's visible text.
func embedText(r commands.Reply) string {
	var b strings.Builder
	for _, e := range r.Embeds {
		b.WriteString(e.Title + "\n" + e.Description + "\n")
		for _, fl := range e.Fields {
			b.WriteString(fl.Name + "\n" + fl.Value + "\n")
		}
		if e.Footer != nil {
			b.WriteString(e.Footer.Text + "\n")
		}
	}
	return b.String()
}

// clickFirst is the request a click on the reply's first button sends.
func clickFirst(r commands.Reply) commands.Request {
	for _, row := range r.Components {
		if ar, ok := row.(discordgo.ActionsRow); ok {
			for _, c := range ar.Components {
				if b, ok := c.(discordgo.Button); ok {
					req, err := commands.ComponentRequest(b.CustomID)
					if err != nil {
						panic(err)
					}
					return req
				}
			}
		}
	}
	return commands.Request{}
}

// buttons lists the reply's button labels.
func buttons(r commands.Reply) string {
	var out []string
	for _, row := range r.Components {
		if ar, ok := row.(discordgo.ActionsRow); ok {
			for _, c := range ar.Components {
				if b, ok := c.(discordgo.Button); ok {
					out = append(out, b.Label)
				}
			}
		}
	}
	return strings.Join(out, ",")
}

// A server's track is on the web page only when its editor says so; a
// global editor's track in a DM is global, so public changes nothing.
func TestTrackNewPublic(t *testing.T) {
	f := newEditFixture(t)
	reply := f.ok(as(serverEditor, cmd("talks-edit/track/new", "id:open", "title:Open talks", "timezone:Europe/Zurich", "public:true")))
	if !strings.Contains(reply.Content, "the web page and calendar feeds show it to everyone") {
		t.Errorf("track new public:true answered %q", reply.Content)
	}
	f.ok(as(serverEditor, cmd("talks-edit/track/new", "id:closed", "title:Closed talks", "timezone:Europe/Zurich")))
	dm := as(globalEditor, cmd("talks-edit/track/new", "id:shared", "title:Shared talks", "timezone:Europe/Zurich", "public:true"))
	dm.GuildID, dm.Context = "", 1
	f.ok(dm)
	for id, want := range map[string]store.Track{
		"open":   {Guild: "1", Public: true},
		"closed": {Guild: "1"},
		"shared": {},
	} {
		tr, err := f.s.Track(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Guild != want.Guild || tr.Public != want.Public {
			t.Errorf("track %s: guild %q public %v, want guild %q public %v", id, tr.Guild, tr.Public, want.Guild, want.Public)
		}
	}
}
