package commands_test

import (
	"fmt"
	"strings"
	"testing"

	"talkbot/commands"
	"talkbot/remind"
	"talkbot/store"
)

// editPost renders the update post for the changes first..last, as the
// scheduler would for a follow pinging role.
func editPost(t *testing.T, a *commands.Announcer, first, last store.Change, role string) remind.Message {
	t.Helper()
	d := store.Delivery{Key: fmt.Sprintf("edit:%d", last.ID), Target: store.ChannelTarget(here), Kind: store.DeliveryUpdate,
		GuildID: guild, Track: track, RoleID: role, Payload: fmt.Sprintf("edit:%d:%d", first.ID, last.ID)}
	m, err := a.Update(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEditUpdatePosts(t *testing.T) {
	s := bundled(t)
	a := commands.NewAnnouncer(s, at("2025-05-30T12:00:00Z"))
	cases := []struct {
		name string
		role string
		make func(t *testing.T) (first, last store.Change)
	}{
		{name: "update_round_scheduled_and_moved", role: pingRole, make: func(t *testing.T) (store.Change, store.Change) {
			// Three quick edits fold into one post: what changed from the
			// first's before to the last's after.
			first := editRound(t, s, jane, 2, func(r *store.Round) { r.Status = store.StatusScheduled })
			editRound(t, s, jane, 2, func(r *store.Round) { r.Starts = startsAt(t, "2025-06-02T13:00") })
			last := editRound(t, s, omar, 2, func(r *store.Round) { r.Venue = "Ankara" })
			return first, last
		}},
		{name: "update_round_added", make: func(t *testing.T) (store.Change, store.Change) {
			r := store.Round{Track: track, Number: 3, Status: store.StatusScheduled, Starts: startsAt(t, "2025-06-20T10:00"),
				Venue: "Geneva", Sources: []string{reuters}}
			ch := applyEdit(t, s, store.Edit{Editor: jane, New: true, Round: &r}, store.RoundEntity(track, 3))
			return ch, ch
		}},
		{name: "update_round_postponed", make: func(t *testing.T) (store.Change, store.Change) {
			ch := editRound(t, s, jane, 3, func(r *store.Round) { r.Status = store.StatusPostponed })
			return ch, ch
		}},
		{name: "update_round_held_with_outcomes", make: func(t *testing.T) (store.Change, store.Change) {
			ch := editRound(t, s, omar, 2, func(r *store.Round) {
				r.Status = store.StatusHeld
				r.Outcomes = []string{"A second exchange of prisoners.", "A memorandum draft from each side."}
				r.Documents = []string{"Russian memorandum"}
			})
			return ch, ch
		}},
		{name: "update_new_position", role: pingRole, make: func(t *testing.T) (store.Change, store.Change) {
			p := store.Position{Track: track, Party: "ukraine", Topic: "ceasefire", StatedOn: mustDate(t, "2025-05-29"), By: "sybiha",
				Summary: "Ready for a full ceasefire of 30 days. @everyone <@&777> should **read** this.", Sources: []string{reuters}}
			ch := applyEdit(t, s, store.Edit{Editor: jane, New: true, TrackID: track, Position: &p},
				store.Entity{Kind: store.EntityPosition, Track: track, Key: store.PositionKey(p)})
			return ch, ch
		}},
		{name: "update_new_statement", make: func(t *testing.T) (store.Change, store.Change) {
			st := store.Statement{Track: track, By: "lavrov", Party: "russia", SaidOn: mustDate(t, "2025-05-29"), Medium: "press conference",
				Text: "We are ready to continue.\nThe date is Monday.", Sources: []string{reuters}}
			ch := applyEdit(t, s, store.Edit{Editor: omar, New: true, TrackID: track, Statement: &st},
				store.Entity{Kind: store.EntityStatement, Track: track, Key: store.StatementKey(st)})
			return ch, ch
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			first, last := tc.make(t)
			m := editPost(t, a, first, last, tc.role)
			golden(t, tc.name, m)
			if m.PingRole != tc.role {
				t.Errorf("post pings %q; want the follow's role %q only", m.PingRole, tc.role)
			}
			if tc.role != "" && !strings.HasPrefix(m.Content, "<@&"+tc.role+"> ") {
				t.Errorf("post %q does not start with the follow's role", m.Content)
			}
			if strings.Contains(m.Content, "@everyone") || strings.Contains(m.Content, "<@&777>") {
				t.Errorf("post content holds a ping someone typed: %q", m.Content)
			}
			var byline bool
			for _, e := range m.Embeds {
				for _, f := range e.Fields {
					byline = byline || f.Name == "Changed by" && f.Value != ""
				}
			}
			if !byline {
				t.Errorf("post does not say who changed it: %+v", m)
			}
		})
	}
}

// A payload that names no history record is an error, not a post.
func TestEditUpdateRefusesBadPayloads(t *testing.T) {
	s := bundled(t)
	a := commands.NewAnnouncer(s, at("2025-05-30T12:00:00Z"))
	for _, payload := range []string{"edit:", "edit:1", "edit:x:2", "edit:3:2", "edit:999998:999999"} {
		_, err := a.Update(t.Context(), store.Delivery{Kind: store.DeliveryUpdate, Track: track, Payload: payload})
		if err == nil {
			t.Errorf("payload %q rendered a post", payload)
		}
	}
}
