package commands

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
)

// TestAnnouncementsKeepEveryPartOfTheirEmbeds guards the neutral message:
// a renderer that sets a part of an embed that remind.Embed does not carry
// would see it silently dropped from reminders and update posts.
func TestAnnouncementsKeepEveryPartOfTheirEmbeds(t *testing.T) {
	s := sqlitetest.Bundled(t, func() time.Time { return time.Date(2025, 5, 29, 8, 0, 0, 0, time.UTC) })
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

// readsAndChanges is a store cut down to what the announcer is given.
type readsAndChanges struct {
	Reads
	changes interface {
		RoundChanges(ctx context.Context, after int64, limit int) ([]store.RoundChange, error)
		Change(ctx context.Context, id int64) (store.Change, error)
	}
}

func (r readsAndChanges) RoundChanges(ctx context.Context, after int64, limit int) ([]store.RoundChange, error) {
	return r.changes.RoundChanges(ctx, after, limit)
}

func (r readsAndChanges) Change(ctx context.Context, id int64) (store.Change, error) {
	return r.changes.Change(ctx, id)
}

func (r readsAndChanges) FeedItem(context.Context, store.ItemRef) (store.FeedItem, error) {
	return store.FeedItem{}, store.ErrNotFound
}

// A store that knows no languages: every post is in English.
func (r readsAndChanges) PostLanguage(context.Context, string) (string, error) { return "", nil }

func (r readsAndChanges) Subscriptions(context.Context, string) ([]store.Subscription, error) {
	return nil, nil
}

// TestTheAnnouncerNeedsOnlyReads builds the announcer from the store's
// reads, its changes and the languages of its posts, and a clock, without
// commands or settings.
func TestTheAnnouncerNeedsOnlyReads(t *testing.T) {
	s := sqlitetest.Bundled(t, func() time.Time { return time.Date(2025, 5, 29, 8, 0, 0, 0, time.UTC) })
	a := NewAnnouncer(readsAndChanges{Reads: s, changes: s}, func() time.Time { return time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC) })
	m, err := a.Digest(t.Context(), store.Delivery{Kind: store.DeliveryDigest, Payload: "ru-ua-istanbul"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Content != "Digest of the coming week" || len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Description, "Round 2") || m.PingRole != "" {
		t.Errorf("digest = %+v; want the coming week of the talks, pinging nobody", m)
	}
}

// A post is cut to Discord's limits as a reply is: a digest of more than
// ten followed tracks would otherwise carry embeds Discord refuses.
func TestAnnouncementsFitDiscordsLimits(t *testing.T) {
	var embeds []*discordgo.MessageEmbed
	for range 12 {
		embeds = append(embeds, &discordgo.MessageEmbed{Title: "Track", Description: "Coming up."})
	}
	m := message(strings.Repeat("x", 3000), embeds, "")
	if len(m.Embeds) != maxEmbeds || textLen(m.Content) > maxContent {
		t.Errorf("message has %d embeds and %d characters; want at most %d and %d", len(m.Embeds), textLen(m.Content), maxEmbeds, maxContent)
	}
}
