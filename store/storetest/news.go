package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"talkbot/store"
)

func newsCases() []struct {
	name string
	fn   func(t *testing.T, open Factory)
} {
	return []struct {
		name string
		fn   func(t *testing.T, open Factory)
	}{
		{"a follow keeps whether it takes news", testFollowNews},
		{"fresh items are planned once as news posts to the channels with news on", testPlanNews},
		{"past the hourly cap a channel's items fold into one digest at the hour's end", testPlanNewsCap},
	}
}

// newsStore is a store with feed A of istanbul polled twice: the second
// poll brings the items ids, all fresh.
func newsStore(t *testing.T, open Factory, follows []store.Follow, ids ...string) store.Store {
	t.Helper()
	s, _ := openWith(t, open, fixture())
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedA, Title: "Wire"})
	saveFollows(t, s, follows...)
	poll(t, s, feedA, ft, item("archive", true, ft.Add(-time.Hour)))
	var items []store.FeedItem
	for i, id := range ids {
		items = append(items, item(id, true, ft.Add(time.Duration(i+1)*time.Minute)))
	}
	if fresh := poll(t, s, feedA, ft.Add(10*time.Minute), items...); len(fresh) != len(ids) {
		t.Fatalf("the second poll announced %q; want %q", itemIDs(fresh), ids)
	}
	return s
}

func planNews(t *testing.T, s store.Store, at time.Time, perHour int) int {
	t.Helper()
	n, err := s.PlanNews(t.Context(), at, perHour, 100)
	if err != nil {
		t.Fatalf("PlanNews: %v", err)
	}
	return n
}

// newsDeliveries lists what is pending to a server's channels, by kind,
// target and key, with each news item's id.
func newsDeliveries(t *testing.T, s store.Store, guild string) []string {
	t.Helper()
	ds, err := s.PendingFor(t.Context(), guild, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		refs, err := store.DecodeItemRefs(d.Payload)
		if err != nil {
			t.Fatalf("delivery %s: %v", d.Key, err)
		}
		var ids []string
		for _, r := range refs {
			ids = append(ids, r.ID)
		}
		out = append(out, fmt.Sprintf("%s %s %v", d.Kind, d.Target, ids))
	}
	slices.Sort(out)
	return out
}

func testFollowNews(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	on := store.Follow{GuildID: "g1", ChannelID: "c1", Track: "ta", News: true, Updates: store.UpdatesRounds, UpdatedAt: t0}
	off := store.Follow{GuildID: "g1", ChannelID: "c2", Track: "ta", Updates: store.UpdatesRounds, UpdatedAt: t0}
	saveFollows(t, s, on, off)
	got, err := s.Follows(t.Context(), "g1")
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Follow{on, off}; !reflect.DeepEqual(got, want) {
		t.Errorf("Follows = %+v; want %+v", got, want)
	}
	on.News = false
	saveFollows(t, s, on)
	if got, _ := s.Follows(t.Context(), "g1"); len(got) != 2 || got[0].News {
		t.Errorf("after news off, Follows = %+v; want c1 without news", got)
	}
}

func testPlanNews(t *testing.T, open Factory) {
	follows := []store.Follow{
		{GuildID: "g1", ChannelID: "c1", Track: istanbul, News: true},
		{GuildID: "g1", ChannelID: "c2", Track: istanbul},                          // news off
		{GuildID: "g2", ChannelID: "c3", Track: istanbul, News: true, RoleID: "r"}, // pings nobody all the same
		{GuildID: "g2", ChannelID: "c4", Track: "other", News: true},
	}
	s := newsStore(t, open, follows, "n1")
	at := ft.Add(11 * time.Minute)
	if n := planNews(t, s, at, 6); n != 1 {
		t.Errorf("PlanNews planned %d items; want 1", n)
	}
	if got, want := newsDeliveries(t, s, "g1"), []string{"news channel:c1 [n1]"}; !reflect.DeepEqual(got, want) {
		t.Errorf("g1's deliveries = %q; want %q", got, want)
	}
	ds, err := s.PendingFor(t.Context(), "g2", 10)
	if err != nil || len(ds) != 1 {
		t.Fatalf("g2's deliveries = %+v, %v; want one news post to c3", ds, err)
	}
	d := ds[0]
	ref := store.ItemRef{Track: istanbul, FeedURL: feedA, ID: "n1"}
	want := store.Delivery{Key: store.NewsKey(ref), Target: "channel:c3", Kind: store.DeliveryNews, GuildID: "g2", Track: istanbul,
		DueAt: at, Deadline: at.Add(store.NewsDeadline), Payload: store.EncodeItemRefs([]store.ItemRef{ref}),
		State: store.DeliveryPending, NextTry: at}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("the news post is\n%+v\nwant\n%+v", d, want)
	}
	// Planned once: again, or by another process, nothing more.
	if n := planNews(t, s, at.Add(time.Minute), 6); n != 0 {
		t.Errorf("planning again planned %d items; want 0", n)
	}
	if got := newsDeliveries(t, s, "g1"); len(got) != 1 {
		t.Errorf("after planning again g1's deliveries = %q; want the one post", got)
	}
	// The item reads back with its feed's title.
	it, err := s.FeedItem(t.Context(), ref)
	if err != nil || it.Title != "Item n1" || it.FeedTitle != "Wire" || !it.HasDate {
		t.Errorf("FeedItem = %+v, %v; want n1 of Wire", it, err)
	}
	if _, err := s.FeedItem(t.Context(), store.ItemRef{Track: istanbul, FeedURL: feedA, ID: "missing"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FeedItem(missing) error %v; want ErrNotFound", err)
	}
}

func testPlanNewsCap(t *testing.T, open Factory) {
	follows := []store.Follow{{GuildID: "g1", ChannelID: "c1", Track: istanbul, News: true}}
	s := newsStore(t, open, follows, "a", "b", "c", "d")
	at := ft.Add(11 * time.Minute) // 12:11; the hour ends at 13:00
	planNews(t, s, at, 2)
	want := []string{"news channel:c1 [a]", "news channel:c1 [b]", "news-digest channel:c1 [c d]"}
	if got := newsDeliveries(t, s, "g1"); !reflect.DeepEqual(got, want) {
		t.Fatalf("with a cap of 2, deliveries = %q; want %q", got, want)
	}
	ds, _ := s.PendingFor(t.Context(), "g1", 10)
	for _, d := range ds {
		if d.Kind == store.DeliveryNewsDigest && !d.DueAt.Equal(time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)) {
			t.Errorf("the digest is due at %v; want the hour's end", d.DueAt)
		}
	}
	// Later in the hour a new item joins the same digest.
	if fresh := poll(t, s, feedA, ft.Add(20*time.Minute), item("e", true, ft.Add(15*time.Minute))); len(fresh) != 1 {
		t.Fatalf("the third poll announced %q; want e", itemIDs(fresh))
	}
	planNews(t, s, ft.Add(21*time.Minute), 2)
	want = []string{"news channel:c1 [a]", "news channel:c1 [b]", "news-digest channel:c1 [c d e]"}
	if got := newsDeliveries(t, s, "g1"); !reflect.DeepEqual(got, want) {
		t.Errorf("later in the hour, deliveries = %q; want %q", got, want)
	}
	// The next hour starts a new count.
	if fresh := poll(t, s, feedA, ft.Add(70*time.Minute), item("f", true, ft.Add(65*time.Minute))); len(fresh) != 1 {
		t.Fatalf("the fourth poll announced %q; want f", itemIDs(fresh))
	}
	planNews(t, s, ft.Add(71*time.Minute), 2)
	want = []string{"news channel:c1 [a]", "news channel:c1 [b]", "news channel:c1 [f]", "news-digest channel:c1 [c d e]"}
	if got := newsDeliveries(t, s, "g1"); !reflect.DeepEqual(got, want) {
		t.Errorf("in the next hour, deliveries = %q; want %q", got, want)
	}
}

// NewsPlanRace plans news from several stores on one database at once:
// however the planners interleave, each channel gets perHour posts and one
// digest with the rest, every item once.
func NewsPlanRace(t *testing.T, stores []store.Store) {
	s := stores[0]
	if _, err := s.Import(t.Context(), fixture()); err != nil {
		t.Fatal(err)
	}
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedA, Title: "Wire"})
	saveFollows(t, s, store.Follow{GuildID: "g1", ChannelID: "c1", Track: istanbul, News: true})
	poll(t, s, feedA, ft)
	var items []store.FeedItem
	for i := range 20 {
		items = append(items, item(fmt.Sprint("i", i), true, ft.Add(time.Minute)))
	}
	if fresh := poll(t, s, feedA, ft.Add(10*time.Minute), items...); len(fresh) != 20 {
		t.Fatalf("announced %d items; want 20", len(fresh))
	}
	var wg sync.WaitGroup
	for _, st := range stores {
		wg.Go(func() {
			// Small batches, so that planners take turns.
			for {
				n, err := st.PlanNews(t.Context(), ft.Add(11*time.Minute), 3, 2)
				if err != nil {
					t.Errorf("PlanNews: %v", err)
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	ds, err := s.PendingFor(t.Context(), "g1", 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	posts, digests := 0, 0
	for _, d := range ds {
		refs, _ := store.DecodeItemRefs(d.Payload)
		for _, r := range refs {
			seen[r.ID]++
		}
		if d.Kind == store.DeliveryNews {
			posts++
		} else {
			digests++
		}
	}
	if posts != 3 || digests != 1 || len(seen) != 20 {
		t.Errorf("%d posts, %d digests, %d items; want 3 posts and one digest holding the other 17", posts, digests, len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("item %s planned %d times", id, n)
		}
	}
}
