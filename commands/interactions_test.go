package commands_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/store"
	"talkbot/store/gen"
	"talkbot/store/sqlite/sqlitetest"
)

func TestAutocomplete(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	cases := []struct {
		name, focused, typed string
		want                 []string // values
	}{
		{"tracks by a word of the title", "track", "istan", []string{"ru-ua-istanbul"}},
		{"sides by name", "side", "uk", []string{"ukraine"}},
		{"sides by a non-ASCII name", "side", "Tü", []string{"turkiye"}},
		{"topics by a part of the slug", "topic", "prep", []string{"meeting-preparation"}},
		{"speakers by surname", "speaker", "umer", []string{"umerov"}},
		{"nothing typed offers all", "side", "", []string{"russia", "turkiye", "ukraine"}},
		{"an unknown option offers nothing", "number", "1", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := commands.Request{Kind: commands.KindAutocomplete, Path: "talks/positions", Focused: tc.focused, Options: map[string]string{tc.focused: tc.typed}}
			reply, err := c.Handle(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			checkLimits(t, reply)
			if reply.Choices == nil {
				t.Fatal("choices are nil; Discord needs a list, even an empty one")
			}
			var got []string
			for _, ch := range reply.Choices {
				got = append(got, ch.Value.(string))
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("choices = %v; want %v", got, tc.want)
			}
		})
	}
	t.Run("an unknown track in the other options offers nothing rather than failing", func(t *testing.T) {
		req := commands.Request{Kind: commands.KindAutocomplete, Path: "talks/positions", Focused: "side", Options: map[string]string{"side": "", "track": "nope"}}
		reply, err := c.Handle(t.Context(), req)
		if err != nil || len(reply.Choices) != 0 {
			t.Errorf("reply = %+v, %v; want no choices and no error", reply.Choices, err)
		}
	})
}

// large opens a store with a generated dataset whose texts are long.
func large(t *testing.T) (store.Store, []store.Track) {
	t.Helper()
	s := sqlitetest.Open(t, time.Now)
	tracks := gen.Tracks(gen.Config{Tracks: 3, RoundsPerTrack: 60, Statements: 900, Positions: 300, Seed: 3, Base: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	// Stretch some texts past every limit.
	long := strings.Repeat("A very long outcome “with quotes” and @everyone in it. ", 200)
	tracks[0].Rounds[0].Outcomes = append(tracks[0].Rounds[0].Outcomes, long, long, long)
	tracks[0].Rounds[0].Agenda = []string{long}
	tracks[0].Statements[0].Text = long
	tracks[0].Positions[0].Summary = long
	if _, err := s.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	return s, tracks
}

func TestRepliesStayWithinDiscordLimits(t *testing.T) {
	s, tracks := large(t)
	c := commands.New(s, at("2026-11-25T00:00:00Z"), nil)
	tr := tracks[0]
	reqs := []commands.Request{
		cmd("talks/next", "track:"+tr.ID), cmd("talks/rounds", "track:"+tr.ID), cmd("talks/round", "number:1", "track:"+tr.ID),
		cmd("talks/positions", "side:"+tr.Positions[0].Party, "track:"+tr.ID), cmd("talks/compare", "topic:"+tr.Positions[0].Topic, "track:"+tr.ID),
		cmd("talks/statements", "track:"+tr.ID), cmd("talks/statements", "speaker:"+tr.Statements[0].By, "track:"+tr.ID),
		cmd("talks/upcoming"), cmd("talks/search", "query:ceasefire", "track:"+tr.ID), cmd("talks/about"),
	}
	for _, req := range reqs {
		t.Run(req.Path+" "+req.Option("side")+req.Option("speaker"), func(t *testing.T) {
			reply, err := c.Handle(t.Context(), req)
			if err != nil {
				t.Fatalf("%s: %v", req.Path, err)
			}
			checkLimits(t, reply)
		})
	}
	t.Run("a long text is cut with a pointer to the rest", func(t *testing.T) {
		reply, err := c.Handle(t.Context(), cmd("talks/round", "number:1", "track:"+tr.ID))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(reply)
		if !strings.Contains(string(b), "… (/talks round number:1)") {
			t.Errorf("no cut text points at /talks round number:1: %s", b[:min(len(b), 600)])
		}
	})
}

func TestPagesFollowTheirButtons(t *testing.T) {
	s, tracks := large(t)
	c := commands.New(s, at("2026-11-25T00:00:00Z"), nil)
	tr := tracks[1]
	first, err := c.Handle(t.Context(), cmd("talks/rounds", "track:"+tr.ID))
	if err != nil {
		t.Fatal(err)
	}
	next := button(t, first, "Next")
	if next.Disabled || button(t, first, "Previous").Disabled == false {
		t.Fatal("on page 1, Next should be enabled and Previous disabled")
	}
	req, err := commands.ComponentRequest(next.CustomID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Handle(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Update {
		t.Error("a page button should update its message in place")
	}
	if !strings.Contains(second.Embeds[0].Description, "**Round 11**") || strings.Contains(second.Embeds[0].Description, "**Round 1** ") {
		t.Errorf("page 2 should start at round 11: %.200s", second.Embeds[0].Description)
	}
	if !strings.Contains(second.Embeds[0].Footer.Text, "Page 2 of 6") {
		t.Errorf("footer = %q", second.Embeds[0].Footer.Text)
	}
	// The statements pager keeps the filter.
	party := tr.Statements[0].Party
	st, err := c.Handle(t.Context(), cmd("talks/statements", "side:"+party, "track:"+tr.ID))
	if err != nil {
		t.Fatal(err)
	}
	id := button(t, st, "Next").CustomID
	if !strings.HasPrefix(id, "statements:"+tr.ID+":"+party+"::1") {
		t.Errorf("statements Next custom id = %q", id)
	}
	stale, err := c.Handle(t.Context(), commands.Request{Kind: commands.KindComponent, Path: "rounds", Args: []string{"gone-track", "1"}})
	if _, ok := commands.AsUserError(err); !ok {
		t.Errorf("a button for a track that is gone: %+v, %v; want a user error", stale, err)
	}
}

// Every list's Next button opens its second page, in place, with the
// same filter; a page past the end shows the last one; a button of the
// wrong shape says it is out of date.
func TestEachListPagesForward(t *testing.T) {
	s, tracks := large(t)
	c := commands.New(s, at("2026-11-25T00:00:00Z"), nil)
	tr := tracks[1]
	press := func(t *testing.T, id string) commands.Reply {
		t.Helper()
		req, err := commands.ComponentRequest(id)
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.Handle(t.Context(), req)
		if err != nil {
			t.Fatalf("pressing %s: %v", id, err)
		}
		if !r.Update {
			t.Errorf("pressing %s did not update the message in place", id)
		}
		return r
	}
	for _, tc := range []struct{ name, path string }{
		{"positions", "talks/positions"},
		{"statements", "talks/statements"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, err := c.Handle(t.Context(), cmd(tc.path, "side:"+tr.Parties[0].ID, "track:"+tr.ID))
			if err != nil {
				t.Fatal(err)
			}
			second := press(t, button(t, first, "Next").CustomID)
			if got := second.Embeds[0].Footer.Text; !strings.Contains(got, "Page 2") {
				t.Errorf("footer after Next = %q; want page 2", got)
			}
			if reflect.DeepEqual(first.Embeds[0].Fields, second.Embeds[0].Fields) && first.Embeds[0].Description == second.Embeds[0].Description {
				t.Error("page 2 shows the same facts as page 1")
			}
			if button(t, second, "Previous").Disabled {
				t.Error("on page 2, Previous should be enabled")
			}
		})
	}
	last := press(t, "rounds:"+tr.ID+":99")
	if got := last.Embeds[0].Footer.Text; !strings.Contains(got, "Page 6 of 6") {
		t.Errorf("a rounds button past the end shows %q; want the last page", got)
	}
	_, err := c.Handle(t.Context(), commands.Request{Kind: commands.KindComponent, Path: "positions", Args: []string{tr.ID, "1"}})
	if ue, ok := commands.AsUserError(err); !ok || !strings.Contains(ue.Message, "/talks positions") {
		t.Errorf("a positions button of the wrong shape: %v; want a user error naming /talks positions", err)
	}
}

func button(t *testing.T, r commands.Reply, label string) discordgo.Button {
	t.Helper()
	for _, row := range r.Components {
		for _, c := range row.(discordgo.ActionsRow).Components {
			if b := c.(discordgo.Button); b.Label == label {
				if len(b.CustomID) > 100 {
					t.Errorf("custom id %q is over 100 characters", b.CustomID)
				}
				return b
			}
		}
	}
	t.Fatalf("no %q button in %+v", label, r.Components)
	return discordgo.Button{}
}
