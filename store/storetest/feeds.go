package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"talkbot/store"
)

func feedCases() []struct {
	name string
	fn   func(t *testing.T, open Factory)
} {
	return []struct {
		name string
		fn   func(t *testing.T, open Factory)
	}{
		{"feeds are added once per track and URL, listed in order, and removed with their items", testFeedsAddRemove},
		{"due feeds are claimed soonest first, and not while a lease is live", testFeedClaims},
		{"a feed is taken over once its lease ends, and the stale owner's poll is refused", testFeedLease},
		{"concurrent claimers get every feed exactly once", testFeedClaimRace},
		{"a feed's first fetch records its items and announces none; later ones announce only what is new", testFeedAnnounce},
		{"a failed poll counts failures and keeps the items; a 304 keeps the validators", testFeedFailures},
		{"the inbox pages matched unhandled items newest first; an item is handled once", testFeedInbox},
		{"a track's feeds are imported, exported and removed with the file, keeping an editor's new feed", testFeedsImport},
	}
}

// ft is "now" in the feed tests.
var ft = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	feedA = "https://example.org/a.xml"
	feedB = "https://example.org/b.xml"
)

func mustAddFeed(t *testing.T, s store.Store, f store.Feed) {
	t.Helper()
	if f.AddedAt.IsZero() {
		f.AddedAt = ft
	}
	if err := s.AddFeed(t.Context(), f); err != nil {
		t.Fatalf("AddFeed(%s): %v", f.URL, err)
	}
}

func feedURLs(fs []store.Feed) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Track + " " + f.URL
	}
	return out
}

func itemIDs(items []store.FeedItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func claimFeeds(t *testing.T, s store.Store, owner string, at time.Time) []store.Feed {
	t.Helper()
	got, err := s.ClaimFeeds(t.Context(), owner, at, time.Minute, 10)
	if err != nil {
		t.Fatalf("ClaimFeeds(%s): %v", owner, err)
	}
	return got
}

// poll claims feed url of istanbul at at for owner and finishes the poll
// with items, returning the fresh ones.
func poll(t *testing.T, s store.Store, url string, at time.Time, items ...store.FeedItem) []store.FeedItem {
	t.Helper()
	got := claimFeeds(t, s, "poller", at)
	if !slices.ContainsFunc(got, func(f store.Feed) bool { return f.URL == url }) {
		t.Fatalf("at %v the poller claimed %q; want %s", at, feedURLs(got), url)
	}
	var fresh []store.FeedItem
	for _, f := range got {
		r := store.PollResult{Track: f.Track, URL: f.URL, At: at, NextPoll: at.Add(10 * time.Minute)}
		if f.URL == url {
			r.Items, r.ETag = items, "v1"
		} else {
			r.NotModified = true
		}
		fr, err := s.FinishPoll(t.Context(), "poller", r)
		if err != nil {
			t.Fatalf("FinishPoll(%s): %v", f.URL, err)
		}
		if f.URL == url {
			fresh = fr
		}
	}
	return fresh
}

func item(id string, matched bool, published time.Time) store.FeedItem {
	return store.FeedItem{ID: id, Title: "Item " + id, Link: "https://example.org/" + id, Summary: "About " + id,
		Published: published, HasDate: !published.IsZero(), Matched: matched}
}

func testFeedsAddRemove(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	a := store.Feed{Track: istanbul, URL: feedA, Title: "A news", Keywords: []string{"ceasefire", "prisoner exchange"}, AddedBy: ann.ID, AddedAt: ft}
	mustAddFeed(t, s, a)
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedB, AddedBy: bob.ID, NextPoll: ft.Add(time.Hour)})
	mustAddFeed(t, s, store.Feed{Track: "geneva", URL: feedA, AddedBy: ann.ID})

	if err := s.AddFeed(ctx, store.Feed{Track: istanbul, URL: feedA, AddedBy: bob.ID, AddedAt: ft}); !errors.Is(err, store.ErrExists) {
		t.Errorf("adding %s to %s again: err = %v; want ErrExists", feedA, istanbul, err)
	}
	if err := s.AddFeed(ctx, store.Feed{Track: "nope", URL: feedA, AddedBy: bob.ID, AddedAt: ft}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("adding a feed to a missing track: err = %v; want ErrNotFound", err)
	}
	if err := s.AddFeed(ctx, store.Feed{Track: istanbul, AddedAt: ft}); err == nil {
		t.Error("adding a feed without a URL succeeded")
	}
	if err := s.AddFeed(ctx, store.Feed{Track: istanbul, URL: "https://example.org/c.xml", Keywords: []string{"talks", " "}, AddedAt: ft}); err == nil {
		t.Error("adding a feed with a blank keyword succeeded")
	}

	got, err := s.FeedsOf(ctx, istanbul)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Feed{
		{Track: istanbul, URL: feedA, Title: "A news", Keywords: []string{"ceasefire", "prisoner exchange"}, AddedBy: ann.ID, AddedAt: ft, NextPoll: ft},
		{Track: istanbul, URL: feedB, AddedBy: bob.ID, AddedAt: ft, NextPoll: ft.Add(time.Hour)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FeedsOf(%s) =\n%+v\nwant\n%+v", istanbul, got, want)
	}
	all, err := s.AllFeeds(ctx)
	if wantAll := []string{"geneva " + feedA, istanbul + " " + feedA, istanbul + " " + feedB}; err != nil || !reflect.DeepEqual(feedURLs(all), wantAll) {
		t.Errorf("AllFeeds = %q, %v; want %q", feedURLs(all), err, wantAll)
	}

	poll(t, s, feedA, ft, item("1", true, ft.Add(-time.Hour)))
	if ok, err := s.RemoveFeed(ctx, istanbul, feedA); err != nil || !ok {
		t.Fatalf("RemoveFeed = %v, %v; want true", ok, err)
	}
	if ok, err := s.RemoveFeed(ctx, istanbul, feedA); err != nil || ok {
		t.Errorf("RemoveFeed again = %v, %v; want false", ok, err)
	}
	if items, err := s.LatestItems(ctx, istanbul, 10); err != nil || len(items) != 0 {
		t.Errorf("after removing the feed, LatestItems = %q, %v; want its items gone", itemIDs(items), err)
	}
	if got, err := s.FeedsOf(ctx, istanbul); err != nil || len(got) != 1 || got[0].URL != feedB {
		t.Errorf("after removing %s, FeedsOf = %q, %v; want only %s", feedA, feedURLs(got), err, feedB)
	}
	// Added again, it is a new feed: its items are new too.
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedA, AddedBy: ann.ID})
	if got, _ := s.FeedsOf(ctx, istanbul); len(got) != 2 || got[1].URL != feedA || got[1].ItemsSeen != 0 || !got[1].FirstSuccess.IsZero() {
		t.Errorf("a feed added again = %+v; want it last and never fetched", got)
	}
}

func testFeedClaims(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedA, AddedBy: ann.ID, NextPoll: ft.Add(2 * time.Minute)})
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedB, AddedBy: ann.ID, NextPoll: ft.Add(time.Minute)})
	mustAddFeed(t, s, store.Feed{Track: "geneva", URL: feedA, AddedBy: ann.ID, NextPoll: ft.Add(time.Hour)})

	if got := claimFeeds(t, s, "w1", ft); len(got) != 0 {
		t.Errorf("claimed %q before any feed was due", feedURLs(got))
	}
	got := claimFeeds(t, s, "w1", ft.Add(2*time.Minute))
	if want := []string{istanbul + " " + feedB, istanbul + " " + feedA}; !reflect.DeepEqual(feedURLs(got), want) {
		t.Fatalf("claimed %q; want the two due feeds, soonest first: %q", feedURLs(got), want)
	}
	for _, f := range got {
		if f.Owner != "w1" || !f.LeaseEnds.Equal(ft.Add(3*time.Minute)) {
			t.Errorf("claimed %s: owner %q until %v; want w1 until %v", f.URL, f.Owner, f.LeaseEnds, ft.Add(3*time.Minute))
		}
	}
	if got := claimFeeds(t, s, "w2", ft.Add(2*time.Minute)); len(got) != 0 {
		t.Errorf("w2 claimed %q while w1 holds them", feedURLs(got))
	}
	if got, err := s.ClaimFeeds(ctx, "w2", ft.Add(time.Hour), time.Minute, 1); err != nil || len(got) != 1 || got[0].NextPoll != ft.Add(time.Minute) {
		t.Errorf("with a limit of 1 after every lease ended, ClaimFeeds = %q, %v; want only the soonest due", feedURLs(got), err)
	}
	if _, err := s.ClaimFeeds(ctx, "", ft, time.Minute, 10); err == nil {
		t.Error("ClaimFeeds without an owner succeeded")
	}
}

func testFeedLease(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedA, AddedBy: ann.ID})
	if got := claimFeeds(t, s, "w1", ft); len(got) != 1 {
		t.Fatalf("w1 claimed %q; want the feed", feedURLs(got))
	}
	if got := claimFeeds(t, s, "w2", ft.Add(time.Minute-time.Millisecond)); len(got) != 0 {
		t.Fatalf("w2 took over %q before w1's lease ended", feedURLs(got))
	}
	if got := claimFeeds(t, s, "w2", ft.Add(time.Minute)); len(got) != 1 || got[0].Owner != "w2" {
		t.Fatalf("w2 at the end of w1's lease claimed %+v; want the feed", got)
	}
	// w1 comes back too late: nothing it found is recorded.
	stale := store.PollResult{Track: istanbul, URL: feedA, At: ft.Add(time.Minute), NextPoll: ft.Add(time.Hour), ETag: "stale",
		Items: []store.FeedItem{item("late", true, time.Time{})}}
	if fresh, err := s.FinishPoll(ctx, "w1", stale); !errors.Is(err, store.ErrNotClaimed) || fresh != nil {
		t.Fatalf("FinishPoll by w1 after the takeover = %q, %v; want ErrNotClaimed", itemIDs(fresh), err)
	}
	fs, _ := s.FeedsOf(ctx, istanbul)
	if len(fs) != 1 || fs[0].Owner != "w2" || fs[0].ETag != "" || fs[0].ItemsSeen != 0 || !fs[0].LastSuccess.IsZero() {
		t.Fatalf("after w1's stale poll the feed is %+v; want w2's claim and nothing recorded", fs)
	}
	ok := store.PollResult{Track: istanbul, URL: feedA, At: ft.Add(time.Minute), NextPoll: ft.Add(time.Hour), ETag: "v2"}
	if _, err := s.FinishPoll(ctx, "w2", ok); err != nil {
		t.Fatalf("FinishPoll by w2: %v", err)
	}
	if _, err := s.FinishPoll(ctx, "w2", ok); !errors.Is(err, store.ErrNotClaimed) {
		t.Errorf("finishing the same poll twice: err = %v; want ErrNotClaimed", err)
	}
	fs, _ = s.FeedsOf(ctx, istanbul)
	if len(fs) != 1 || fs[0].Owner != "" || !fs[0].LeaseEnds.IsZero() || !fs[0].NextPoll.Equal(ft.Add(time.Hour)) || fs[0].ETag != "v2" {
		t.Errorf("after w2's poll the feed is %+v; want it released, ETag v2, due in an hour", fs)
	}
	if got := claimFeeds(t, s, "w3", ft.Add(time.Hour-time.Millisecond)); len(got) != 0 {
		t.Errorf("claimed %q before its next poll", feedURLs(got))
	}
}

func testFeedClaimRace(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	FeedClaimRace(t, []store.Store{s}, 4)
}

// FeedClaimRace adds 200 due feeds to the track ru-ua-istanbul (which the
// stores must hold) through the first store, then runs workers goroutines
// on each store, each its own owner, that claim 10 at a time and finish
// each poll with one item until nothing is due. It fails unless every feed
// was claimed once and every item recorded once. Stores opened separately
// on one database stand for replicas.
func FeedClaimRace(t *testing.T, stores []store.Store, workers int) {
	t.Helper()
	const total, limit = 200, 10
	for i := range total {
		f := store.Feed{Track: istanbul, URL: fmt.Sprintf("https://example.org/%03d.xml", i), AddedBy: ann.ID,
			AddedAt: ft, NextPoll: ft.Add(-time.Duration(i) * time.Second)}
		if err := stores[0].AddFeed(t.Context(), f); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var (
		mu     sync.Mutex
		counts = map[string]int{}
		wg     sync.WaitGroup
		errs   = make(chan error, len(stores)*workers)
	)
	for si, s := range stores {
		for w := range workers {
			owner := fmt.Sprintf("store%d-worker%d", si, w)
			wg.Go(func() {
				for range total {
					got, err := s.ClaimFeeds(ctx, owner, ft, time.Hour, limit)
					if err != nil {
						errs <- fmt.Errorf("%s: %w", owner, err)
						return
					}
					if len(got) == 0 {
						return
					}
					for _, f := range got {
						mu.Lock()
						counts[f.URL]++
						mu.Unlock()
						// A first fetch and a second in one go: the second
						// poll's item is news.
						r := store.PollResult{Track: f.Track, URL: f.URL, At: ft, NextPoll: ft.Add(time.Hour),
							Items: []store.FeedItem{item("only", true, time.Time{})}}
						if _, err := s.FinishPoll(ctx, owner, r); err != nil {
							errs <- fmt.Errorf("%s finishing its own claim: %w", owner, err)
							return
						}
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(counts) != total {
		t.Errorf("%d distinct feeds claimed; want %d", len(counts), total)
	}
	for url, n := range counts {
		if n != 1 {
			t.Errorf("%s was claimed %d times", url, n)
		}
	}
	fs, err := stores[0].FeedsOf(t.Context(), istanbul)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.ItemsSeen != 1 || f.Owner != "" || !f.LastSuccess.Equal(ft) {
			t.Errorf("after the race %s has %d items, owner %q, last success %v; want 1 item, released, polled at %v", f.URL, f.ItemsSeen, f.Owner, f.LastSuccess, ft)
		}
	}
}

func testFeedAnnounce(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedA, Title: "Given title", AddedBy: ann.ID})

	// The first fetch: an archive, every item recorded, none announced.
	first := []store.FeedItem{item("old", true, ft.Add(-48*time.Hour)), item("undated", true, time.Time{}), item("future", true, ft.Add(time.Hour))}
	if fresh := poll(t, s, feedA, ft, first...); len(fresh) != 0 {
		t.Errorf("the first fetch announced %q; want nothing", itemIDs(fresh))
	}
	fs, _ := s.FeedsOf(ctx, istanbul)
	if len(fs) != 1 || fs[0].ItemsSeen != 3 || !fs[0].FirstSuccess.Equal(ft) || !fs[0].LastSuccess.Equal(ft) || fs[0].ETag != "v1" {
		t.Fatalf("after the first fetch the feed is %+v; want 3 items seen, first and last success %v, ETag v1", fs, ft)
	}

	// The second: the same items again (one edited), and new ones.
	t1 := ft.Add(10 * time.Minute)
	edited := item("old", true, ft.Add(-48*time.Hour))
	edited.Title = "Edited title"
	second := append([]store.FeedItem{edited, item("undated", true, time.Time{}), item("future", true, ft.Add(time.Hour))},
		item("new-dated", true, ft.Add(5*time.Minute)),
		item("new-undated", true, time.Time{}),
		item("backdated", true, ft.Add(-time.Minute)), // older than the first fetch: an archive entry shown late
		item("at-first-fetch", true, ft),
		item("unmatched", false, ft.Add(5*time.Minute)),
		item("new-dated", true, ft.Add(6*time.Minute)), // listed twice: the first counts
	)
	fresh := poll(t, s, feedA, t1, second...)
	if want := []string{"new-dated", "new-undated", "at-first-fetch"}; !reflect.DeepEqual(itemIDs(fresh), want) {
		t.Fatalf("the second fetch announced %q; want %q", itemIDs(fresh), want)
	}
	got := fresh[0]
	wantItem := store.FeedItem{Track: istanbul, FeedURL: feedA, FeedTitle: "Given title", ID: "new-dated", Title: "Item new-dated",
		Link: "https://example.org/new-dated", Summary: "About new-dated", Published: ft.Add(5 * time.Minute), HasDate: true,
		SeenAt: t1, Matched: true, Announce: true}
	if !reflect.DeepEqual(got, wantItem) {
		t.Errorf("the fresh item is\n%+v\nwant\n%+v", got, wantItem)
	}
	if fresh[1].HasDate || !fresh[1].Published.IsZero() {
		t.Errorf("an undated item came back with a date: %+v", fresh[1])
	}
	// The third: nothing new, nothing announced, not even after a restart
	// (the store is all there is).
	if fresh := poll(t, s, feedA, t1.Add(10*time.Minute), second...); len(fresh) != 0 {
		t.Errorf("the same items again announced %q; want nothing", itemIDs(fresh))
	}
	fs, _ = s.FeedsOf(ctx, istanbul)
	if len(fs) != 1 || fs[0].ItemsSeen != 8 || !fs[0].FirstSuccess.Equal(ft) || !fs[0].LastSuccess.Equal(t1.Add(10*time.Minute)) {
		t.Errorf("after three fetches the feed is %+v; want 8 items seen, first success %v", fs, ft)
	}
	// The edited item kept its first title.
	latest, err := s.LatestItems(ctx, istanbul, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range latest {
		if it.ID == "old" && it.Title != "Item old" {
			t.Errorf("an edited item was rewritten: %+v", it)
		}
		if it.ID == "unmatched" {
			t.Errorf("LatestItems lists an unmatched item: %+v", it)
		}
	}
	if n := len(latest); n != 7 {
		t.Errorf("LatestItems = %q; want the 7 matched items", itemIDs(latest))
	}
}

func testFeedFailures(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedA, AddedBy: ann.ID})
	finish := func(at time.Time, r store.PollResult) []store.FeedItem {
		t.Helper()
		if got := claimFeeds(t, s, "w", at); len(got) != 1 {
			t.Fatalf("at %v claimed %q; want the feed", at, feedURLs(got))
		}
		r.Track, r.URL, r.At, r.NextPoll = istanbul, feedA, at, at.Add(time.Minute)
		fresh, err := s.FinishPoll(ctx, "w", r)
		if err != nil {
			t.Fatal(err)
		}
		return fresh
	}
	feed := func() store.Feed {
		t.Helper()
		fs, err := s.FeedsOf(ctx, istanbul)
		if err != nil || len(fs) != 1 {
			t.Fatalf("FeedsOf = %+v, %v", fs, err)
		}
		return fs[0]
	}
	finish(ft, store.PollResult{Err: "503 Service Unavailable", Items: []store.FeedItem{item("ignored", true, time.Time{})}})
	f := feed()
	if f.Failures != 1 || !f.FailingSince.Equal(ft) || f.LastError != "503 Service Unavailable" || f.ItemsSeen != 0 || !f.FirstSuccess.IsZero() {
		t.Fatalf("after one failure the feed is %+v; want 1 failure since %v, the error, no items", f, ft)
	}
	finish(ft.Add(time.Minute), store.PollResult{Err: "timeout"})
	if f := feed(); f.Failures != 2 || !f.FailingSince.Equal(ft) || f.LastError != "timeout" {
		t.Fatalf("after two failures the feed is %+v; want 2 failures, still since %v", f, ft)
	}
	t2 := ft.Add(2 * time.Minute)
	finish(t2, store.PollResult{ETag: `"e1"`, LastModified: "Sun, 01 Jun 2025 12:00:00 GMT", Title: "Feed's own",
		Items: []store.FeedItem{item("a", true, time.Time{})}})
	f = feed()
	if f.Failures != 0 || !f.FailingSince.IsZero() || f.LastError != "" || !f.FirstSuccess.Equal(t2) || f.ETag != `"e1"` || f.Title != "Feed's own" || f.ItemsSeen != 1 {
		t.Fatalf("after a success the feed is %+v; want healthy, first success %v, the validators and the feed's title", f, t2)
	}
	// A 304 records a success and keeps the validators.
	t3 := t2.Add(time.Minute)
	if fresh := finish(t3, store.PollResult{NotModified: true}); len(fresh) != 0 {
		t.Errorf("a 304 announced %q", itemIDs(fresh))
	}
	f = feed()
	if f.ETag != `"e1"` || f.LastModified != "Sun, 01 Jun 2025 12:00:00 GMT" || !f.LastSuccess.Equal(t3) || !f.FirstSuccess.Equal(t2) || f.Title != "Feed's own" {
		t.Errorf("after a 304 the feed is %+v; want the validators kept and last success %v", f, t3)
	}
	// A failure after successes keeps the items and the first success.
	finish(t3.Add(time.Minute), store.PollResult{Err: "404 Not Found"})
	if f := feed(); f.ItemsSeen != 1 || !f.FirstSuccess.Equal(t2) || !f.LastSuccess.Equal(t3) || f.Failures != 1 || f.ETag != `"e1"` {
		t.Errorf("after a later failure the feed is %+v", f)
	}
	// A full answer without validators clears them: the next GET is plain.
	finish(t3.Add(2*time.Minute), store.PollResult{})
	if f := feed(); f.ETag != "" || f.LastModified != "" || f.Title != "Feed's own" || f.Failures != 0 {
		t.Errorf("after an answer without validators the feed is %+v; want them cleared and its title kept", f)
	}
}

func testFeedInbox(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedA, AddedBy: ann.ID})
	mustAddFeed(t, s, store.Feed{Track: istanbul, URL: feedB, Title: "B", AddedBy: ann.ID})
	poll(t, s, feedA, ft, item("a-old", true, ft.Add(-time.Hour)), item("a-skip", false, ft.Add(-time.Minute)))
	t1 := ft.Add(time.Hour)
	poll(t, s, feedB, t1, item("b-new", true, ft.Add(30*time.Minute)), item("b-undated", true, time.Time{}))

	page := func(limit, offset int) ([]string, int) {
		t.Helper()
		p, err := s.Inbox(ctx, istanbul, limit, offset)
		if err != nil {
			t.Fatal(err)
		}
		return itemIDs(p.Items), p.Total
	}
	// Newest first: by date, else by when the item was seen (t1).
	if ids, total := page(2, 0); total != 3 || !reflect.DeepEqual(ids, []string{"b-undated", "b-new"}) {
		t.Errorf("inbox page 1 = %q of %d; want [b-undated b-new] of 3", ids, total)
	}
	if ids, total := page(2, 2); total != 3 || !reflect.DeepEqual(ids, []string{"a-old"}) {
		t.Errorf("inbox page 2 = %q of %d; want [a-old] of 3", ids, total)
	}
	if p, err := s.Inbox(ctx, "geneva", 10, 0); err != nil || p.Total != 0 || len(p.Items) != 0 {
		t.Errorf("another track's inbox = %+v, %v; want empty", p, err)
	}

	if err := s.HandleItem(ctx, istanbul, feedB, "b-new", store.HandledSource, ann.ID, "example-b-new"); err != nil {
		t.Fatalf("HandleItem: %v", err)
	}
	err := s.HandleItem(ctx, istanbul, feedB, "b-new", store.HandledDismissed, bob.ID, "")
	var he *store.HandledError
	if !errors.As(err, &he) || he.By != ann.ID || he.Handled != store.HandledSource || he.SourceID != "example-b-new" {
		t.Fatalf("handling an item again: err = %v; want a HandledError naming %s and the source", err, ann.ID)
	}
	if err := s.HandleItem(ctx, istanbul, feedA, "a-old", store.HandledDismissed, bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.HandleItem(ctx, istanbul, feedA, "missing", store.HandledDismissed, bob.ID, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("handling a missing item: err = %v; want ErrNotFound", err)
	}
	for _, bad := range []struct{ handled, source string }{{"read", ""}, {store.HandledSource, ""}, {store.HandledDismissed, "s"}} {
		if err := s.HandleItem(ctx, istanbul, feedB, "b-undated", bad.handled, bob.ID, bad.source); err == nil || errors.As(err, &he) {
			t.Errorf("HandleItem(%q, source %q) = %v; want refused as a bad call", bad.handled, bad.source, err)
		}
	}
	if ids, total := page(10, 0); total != 1 || !reflect.DeepEqual(ids, []string{"b-undated"}) {
		t.Errorf("inbox after handling two = %q of %d; want [b-undated] of 1", ids, total)
	}
	latest, err := s.LatestItems(ctx, istanbul, 2)
	if err != nil || !reflect.DeepEqual(itemIDs(latest), []string{"b-undated", "b-new"}) {
		t.Fatalf("LatestItems(2) = %q, %v; want handled items too, newest first", itemIDs(latest), err)
	}
	if it := latest[1]; it.Handled != store.HandledSource || it.HandledBy != ann.ID || it.SourceID != "example-b-new" || it.FeedTitle != "B" {
		t.Errorf("a handled item reads back as %+v", it)
	}
}

func testFeedsImport(t *testing.T, open Factory) {
	withFeeds := func(feeds ...store.Feed) []store.Track {
		tracks := fixture()
		for i := range tracks {
			if tracks[i].ID == istanbul {
				tracks[i].Feeds = feeds
			}
		}
		return tracks
	}
	a := store.Feed{Track: istanbul, URL: feedA, Title: "A", Keywords: []string{"ceasefire", "prisoner exchange"}}
	b := store.Feed{Track: istanbul, URL: feedB}
	s, c := openWith(t, open, withFeeds(a, b))
	ctx := t.Context()
	sameTracks(t, export(t, s), byID(withFeeds(a, b)), "the export of an import with feeds")
	fs, _ := s.FeedsOf(ctx, istanbul)
	if len(fs) != 2 || fs[0].AddedBy != "" || !fs[0].AddedAt.Equal(c.now()) || !fs[0].NextPoll.Equal(c.now()) {
		t.Fatalf("imported feeds = %+v; want from the file, added and due at %v", fs, c.now())
	}

	// Poll state is the store's: a re-import leaves it alone.
	c.set(c.now().Add(time.Hour))
	poll(t, s, feedA, c.now(), item("1", true, time.Time{}))
	stats, err := s.Import(ctx, withFeeds(a, b))
	if err != nil || stats.Wrote() {
		t.Fatalf("the same file again wrote %+v, %v; want nothing", stats, err)
	}
	if fs, _ := s.FeedsOf(ctx, istanbul); fs[0].ItemsSeen != 1 || fs[0].ETag != "v1" {
		t.Errorf("a re-import changed the poll state: %+v", fs[0])
	}

	// An editor adds a feed from Discord; a file made before it leaves it
	// out, and keeps it.
	editors := store.Feed{Track: istanbul, URL: "https://example.org/editor.xml", AddedBy: ann.ID, AddedAt: c.now()}
	mustAddFeed(t, s, editors)
	a.Keywords = []string{"ceasefire"}
	version := dataVersion(t, s)
	stats, err = s.Import(ctx, withFeeds(b, a))
	if err != nil || stats.Feeds != 2 {
		t.Fatalf("reordering and changing the file's feeds: stats %+v, %v; want 2 feeds written", stats, err)
	}
	if v := dataVersion(t, s); v != version+1 {
		t.Errorf("DataVersion after a feed change = %d; want %d", v, version+1)
	}
	editors.AddedBy, editors.AddedAt = "", time.Time{} // as Track.Feeds holds it
	sameTracks(t, export(t, s), byID(withFeeds(b, a, editors)), "the export after the editor's feed")
	if fs, _ := s.FeedsOf(ctx, istanbul); len(fs) != 3 || fs[1].ItemsSeen != 1 || fs[2].AddedBy != ann.ID {
		t.Errorf("feeds after the import = %+v; want a's items kept and the editor's feed last", fs)
	}

	// Once a file has listed it, a file without it removes it, with its
	// items; so does a file without a.
	if _, err := s.Import(ctx, withFeeds(b, a, editors)); err != nil {
		t.Fatal(err)
	}
	stats, err = s.Import(ctx, withFeeds(b))
	if err != nil || stats.Feeds != 2 {
		t.Fatalf("removing two feeds: stats %+v, %v; want 2 feeds written", stats, err)
	}
	sameTracks(t, export(t, s), byID(withFeeds(b)), "the export after removing feeds")
	if items, _ := s.LatestItems(ctx, istanbul, 10); len(items) != 0 {
		t.Errorf("a removed feed's items are still listed: %q", itemIDs(items))
	}
	if _, err := s.Import(ctx, withFeeds()); err != nil {
		t.Fatal(err)
	}
	if fs, err := s.FeedsOf(ctx, istanbul); err != nil || len(fs) != 0 {
		t.Errorf("a file with no feeds left %q, %v", feedURLs(fs), err)
	}
}
