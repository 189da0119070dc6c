package commands

import (
	"reflect"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/store/storetest"
)

// TestAnnouncementsKeepEveryPartOfTheirEmbeds guards the neutral message:
// a renderer that sets a part of an embed that remind.Embed does not carry
// would see it silently dropped from reminders and update posts.
func TestAnnouncementsKeepEveryPartOfTheirEmbeds(t *testing.T) {
	s := storetest.Bundled(t, func() time.Time { return time.Date(2025, 5, 29, 8, 0, 0, 0, time.UTC) })
	c := New(s, func() time.Time { return time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC) }, nil)
	var embeds []*discordgo.MessageEmbed
	tracks, err := s.Tracks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range tracks {
		ti, err := c.loadTrack(t.Context(), tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		rounds, err := s.Rounds(t.Context(), tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rounds {
			reply, err := c.roundReply(t.Context(), ti, r, "Coming up")
			if err != nil {
				t.Fatal(err)
			}
			embeds = append(embeds, reply.Embeds...)
		}
	}
	if len(embeds) == 0 {
		t.Fatal("no round rendered")
	}
	for _, e := range embeds {
		kept := plainEmbed(e)
		rest := *e
		rest.Title, rest.Description, rest.URL, rest.Color, rest.Fields, rest.Footer = "", "", "", 0, nil, nil
		if !reflect.ValueOf(rest).IsZero() {
			t.Errorf("embed %q sets a part the announcement drops: %+v", e.Title, rest)
		}
		if e.Footer != nil && e.Footer.IconURL != "" {
			t.Errorf("embed %q has a footer icon the announcement drops", e.Title)
		}
		if kept.Title != e.Title || kept.Description != e.Description || len(kept.Fields) != len(e.Fields) {
			t.Errorf("embed %q lost its text: %+v", e.Title, kept)
		}
	}
}
