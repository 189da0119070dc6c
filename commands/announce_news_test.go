package commands_test

import (
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
)

// newsItems records feed items in the bundled store, as two polls of a
// feed would, and returns the store and the refs of the items.
func newsItems(t *testing.T, items ...store.FeedItem) (store.Store, []store.ItemRef) {
	t.Helper()
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := sqlitetest.Bundled(t, func() time.Time { return at })
	const track, url = "ru-ua-istanbul", "https://wire.example.org/feed.xml"
	if err := s.AddFeed(t.Context(), store.Feed{Track: track, URL: url, AddedAt: at}); err != nil {
		t.Fatal(err)
	}
	var refs []store.ItemRef
	for i, batch := range [][]store.FeedItem{nil, items} {
		when := at.Add(time.Duration(i) * time.Minute)
		if _, err := s.ClaimFeeds(t.Context(), "test", when, time.Minute, 1); err != nil {
			t.Fatal(err)
		}
		fresh, err := s.FinishPoll(t.Context(), "test", store.PollResult{Track: track, URL: url, Title: "Wire & Ministry",
			Items: batch, At: when, NextPoll: when.Add(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range fresh {
			refs = append(refs, store.ItemRef{Track: track, FeedURL: url, ID: it.ID})
		}
	}
	return s, refs
}

func TestNewsPost(t *testing.T) {
	s, refs := newsItems(t, store.FeedItem{ID: "1", Title: "Round 3 confirmed for 23 July @everyone", Link: "https://wire.example.org/1",
		Summary: "Both delegations confirmed the third round in Istanbul. <@&123> ping attempt.", Published: time.Date(2025, 6, 1, 12, 0, 30, 0, time.UTC), HasDate: true, Matched: true})
	a := commands.NewAnnouncer(s, time.Now)
	m, ok, err := a.News(t.Context(), store.Delivery{Kind: store.DeliveryNews, Payload: store.EncodeItemRefs(refs)})
	if err != nil || !ok {
		t.Fatalf("News: ok %v, %v", ok, err)
	}
	if m.PingRole != "" {
		t.Errorf("a news post pings %q; want nobody", m.PingRole)
	}
	golden(t, "news_post", m)

	// Its feed removed, the item is gone: the post no longer holds.
	if _, err := s.RemoveFeed(t.Context(), refs[0].Track, refs[0].FeedURL); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := a.News(t.Context(), store.Delivery{Kind: store.DeliveryNews, Payload: store.EncodeItemRefs(refs)}); ok || err != nil {
		t.Errorf("News of a removed item: ok %v, %v; want not ok, no error", ok, err)
	}
}

func TestNewsPostOfAnUndatedItemWithoutSummary(t *testing.T) {
	s, refs := newsItems(t, store.FeedItem{ID: "u", Title: "", Link: "", Matched: true})
	m, ok, err := commands.NewAnnouncer(s, time.Now).News(t.Context(), store.Delivery{Kind: store.DeliveryNews, Payload: store.EncodeItemRefs(refs)})
	if err != nil || !ok {
		t.Fatalf("News: ok %v, %v", ok, err)
	}
	golden(t, "news_post_undated", m)
}

func TestNewsDigest(t *testing.T) {
	s, refs := newsItems(t,
		store.FeedItem{ID: "a", Title: "Memorandum [draft] published", Link: "https://wire.example.org/a_(1)", Published: time.Date(2025, 6, 1, 12, 0, 20, 0, time.UTC), HasDate: true, Matched: true},
		store.FeedItem{ID: "b", Title: "Prisoner exchange completed", Link: "https://wire.example.org/b", Matched: true},
		store.FeedItem{ID: "c", Title: "No link here", Published: time.Date(2025, 6, 1, 12, 0, 40, 0, time.UTC), HasDate: true, Matched: true},
	)
	refs = append(refs, store.ItemRef{Track: "ru-ua-istanbul", FeedURL: "https://gone.example.org/", ID: "x"})
	m, ok, err := commands.NewAnnouncer(s, time.Now).NewsDigest(t.Context(), store.Delivery{Kind: store.DeliveryNewsDigest, Payload: store.EncodeItemRefs(refs)})
	if err != nil || !ok {
		t.Fatalf("NewsDigest: ok %v, %v", ok, err)
	}
	if m.PingRole != "" {
		t.Errorf("a news digest pings %q; want nobody", m.PingRole)
	}
	golden(t, "news_digest", m)
}

// A digest of many long titles keeps whole lines within the embed's limit.
func TestNewsDigestKeepsWholeLines(t *testing.T) {
	var items []store.FeedItem
	for i := range 60 {
		items = append(items, store.FeedItem{ID: string(rune('A'+i%26)) + strings.Repeat("x", i), Title: strings.Repeat("Long title ", 12),
			Link: "https://wire.example.org/" + strings.Repeat("p", 40), Matched: true})
	}
	s, refs := newsItems(t, items...)
	m, ok, err := commands.NewAnnouncer(s, time.Now).NewsDigest(t.Context(), store.Delivery{Kind: store.DeliveryNewsDigest, Payload: store.EncodeItemRefs(refs)})
	if err != nil || !ok || len(m.Embeds) != 1 {
		t.Fatalf("NewsDigest: %+v, ok %v, %v", m, ok, err)
	}
	desc := m.Embeds[0].Description
	if !strings.Contains(desc, "more") || len([]rune(desc)) > 4096 {
		t.Errorf("the digest's description is %d characters and says no more: %q", len([]rune(desc)), desc)
	}
	for line := range strings.SplitSeq(desc, "\n") {
		if strings.HasPrefix(line, "• ") && !strings.HasSuffix(line, ") — Wire & Ministry") {
			t.Errorf("a cut line: %q", line)
		}
	}
}
