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

// An import's round changes are told in the post's language: every kind,
// in English (as before) and in Ukrainian, Russian and Turkish.
func TestRoundChangesInEachLanguage(t *testing.T) {
	tr := &trackInfo{Track: store.Track{Title: "Istanbul talks"}}
	day := store.When{Date: store.DateOf(time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)), Zone: "Europe/Istanbul"}
	at := store.When{At: time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC), Zone: "Europe/Istanbul"}
	changes := map[store.ChangeKind]store.RoundChange{
		store.ChangeAdded:       {Round: 3, Kind: store.ChangeAdded, NewStatus: store.StatusScheduled, NewStarts: day},
		store.ChangeRescheduled: {Round: 3, Kind: store.ChangeRescheduled, NewStatus: store.StatusScheduled, OldStarts: day, NewStarts: at},
		store.ChangePostponed:   {Round: 3, Kind: store.ChangePostponed, NewStatus: store.StatusPostponed, OldStarts: at},
		store.ChangeCancelled:   {Round: 3, Kind: store.ChangeCancelled, NewStatus: store.StatusCancelled, OldStarts: at},
		store.ChangeHeld:        {Round: 3, Kind: store.ChangeHeld, NewStatus: store.StatusHeld, NewStarts: at},
		store.ChangeStatus:      {Round: 3, Kind: store.ChangeStatus, OldStatus: store.StatusProposed, NewStatus: store.StatusScheduled},
	}
	want := map[string]map[store.ChangeKind]string{
		"en": {
			store.ChangeAdded:       "Round 3 of **Istanbul talks** is scheduled for 2 June 2025 (time not announced).",
			store.ChangeRescheduled: "Round 3 of **Istanbul talks** moved from 2 June 2025 (time not announced) to <t:1748858400:f>.",
			store.ChangePostponed:   "Round 3 of **Istanbul talks**, planned for <t:1748858400:f>, is postponed.",
			store.ChangeCancelled:   "Round 3 of **Istanbul talks**, planned for <t:1748858400:f>, is cancelled.",
			store.ChangeHeld:        "Round 3 of **Istanbul talks** was held (<t:1748858400:f>).",
			store.ChangeStatus:      "Round 3 of **Istanbul talks** is now scheduled (was proposed).",
		},
		"uk": {
			store.ChangeAdded:       "**Istanbul talks**, раунд 3: запланований на 2 червня 2025 (час не оголошено).",
			store.ChangeRescheduled: "**Istanbul talks**, раунд 3: перенесено з 2 червня 2025 (час не оголошено) на <t:1748858400:f>.",
			store.ChangePostponed:   "**Istanbul talks**, раунд 3, запланований на <t:1748858400:f>, відкладено.",
			store.ChangeCancelled:   "**Istanbul talks**, раунд 3, запланований на <t:1748858400:f>, скасовано.",
			store.ChangeHeld:        "**Istanbul talks**, раунд 3 відбувся (<t:1748858400:f>).",
			store.ChangeStatus:      "**Istanbul talks**, раунд 3: тепер запланований (був запропонований).",
		},
		"ru": {
			store.ChangeAdded:  "**Istanbul talks**, раунд 3: запланирован на 2 июня 2025 (время не объявлено).",
			store.ChangeHeld:   "**Istanbul talks**, раунд 3 состоялся (<t:1748858400:f>).",
			store.ChangeStatus: "**Istanbul talks**, раунд 3: теперь запланирован (был предложен).",
		},
		"tr": {
			store.ChangeAdded:     "**Istanbul talks**, 3. tur: 2 Haziran 2025 (saat açıklanmadı) için planlandı.",
			store.ChangePostponed: "**Istanbul talks**, <t:1748858400:f> için planlanan 3. tur ertelendi.",
			store.ChangeStatus:    "**Istanbul talks**, 3. tur: durum planlandı (önceki: önerildi).",
		},
	}
	for lang, kinds := range want {
		w := wordsIn(langOf(lang))
		for kind, text := range kinds {
			if got := w.describeChange(tr, changes[kind]); got != text {
				t.Errorf("%s %s: %q; want %q", lang, kind, got, text)
			}
		}
	}
}
