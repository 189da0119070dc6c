package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// News feeds belong to a track. A feed is polled by one process at a time
// (a claim with a lease, like deliveries); what a poll brings is recorded
// item by item, each once, and the items worth telling about come back to
// the poller to post.

// Feed is a news feed (RSS, Atom or JSON Feed) that a track follows, with
// its polling state. In Track.Feeds (import and export) only Track, URL,
// Title and Keywords are set: the rest is the store's, not the file's.
type Feed struct {
	Track string
	URL   string
	// Title is the title an editor or the dataset gave, else what the feed
	// called itself at its last successful fetch. In Track.Feeds it is only
	// the title given.
	Title string
	// Keywords select the items that matter; none means every item does.
	Keywords []string
	AddedBy  string // the Discord user who added it; "" for the dataset file
	AddedAt  time.Time

	// What the last answer said, for a conditional GET.
	ETag         string
	LastModified string
	NextPoll     time.Time // due when NextPoll <= now
	Failures     int       // failed polls in a row
	FailingSince time.Time // the first failure of the current run; zero while healthy
	LastError    string
	LastSuccess  time.Time
	FirstSuccess time.Time // items dated before it are recorded, never announced
	ItemsSeen    int       // items ever recorded

	// A claim: the process polling it and until when. Set by ClaimFeeds.
	Owner     string
	LeaseEnds time.Time
}

// Handled says what an editor did with a feed item.
const (
	HandledNone      = ""
	HandledSource    = "source"    // made into a source of the track
	HandledDismissed = "dismissed" // not worth a source
)

// FeedItem is one item a feed brought, recorded once by (Track, FeedURL,
// ID).
type FeedItem struct {
	Track     string
	FeedURL   string
	FeedTitle string // the feed's Title when the item was read back
	ID        string // the item's GUID or id, else its link, else a hash
	Title     string
	Link      string
	Summary   string
	Published time.Time // zero without a date
	HasDate   bool
	SeenAt    time.Time // when a poll first recorded it
	// Matched says the item matched the feed's keywords (set by the poller,
	// which matches in the search's word forms).
	Matched bool
	// Announce says the item is news to post: matched, not from the feed's
	// first successful fetch and not dated before it. The store decides.
	Announce  bool
	Handled   string // HandledNone, HandledSource or HandledDismissed
	HandledBy string // the editor's user id
	SourceID  string // the source made from it (HandledSource)
}

// PollResult is what one poll of a claimed feed found.
type PollResult struct {
	Track, URL string
	// NotModified: the feed answered 304; Items is ignored.
	NotModified bool
	// The validators of the answer, for the next conditional GET: a full
	// answer's replace the stored ones (none clears them); after a 304, ""
	// keeps the stored one.
	ETag         string
	LastModified string
	Title        string // the feed's own title; "" keeps the stored one
	Items        []FeedItem
	// Err says why the poll failed ("" on success): Items is ignored and the
	// feed counts one more failure.
	Err      string
	NextPoll time.Time
	At       time.Time // when the poll was made
}

// Feeds is the store API of news feeds.
type Feeds interface {
	// AddFeed adds a feed to a track: ErrNotFound for a missing track,
	// ErrExists when the track has that URL already. The feed is due at its
	// NextPoll, or at AddedAt when that is zero.
	AddFeed(ctx context.Context, f Feed) error
	// RemoveFeed removes a feed and its items; false when there was none.
	RemoveFeed(ctx context.Context, track, url string) (bool, error)
	// FeedsOf lists a track's feeds in their order (the file's, then as
	// added).
	FeedsOf(ctx context.Context, track string) ([]Feed, error)
	// AllFeeds lists every feed, by track and then in order.
	AllFeeds(ctx context.Context) ([]Feed, error)

	// ClaimFeeds claims up to limit feeds due at now (NextPoll <= now) that
	// no live lease holds, for owner until now+lease, soonest due first.
	// However many processes ask at once, each feed goes to one of them.
	ClaimFeeds(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]Feed, error)
	// FinishPoll records a poll of a feed owner claimed, in one
	// transaction: the items new by (track, feed, item id) are recorded
	// (an item seen before, even edited, is not new), the poll state is
	// updated and the claim released. It returns the new items to
	// announce. ErrNotClaimed when owner no longer holds the feed.
	FinishPoll(ctx context.Context, owner string, r PollResult) (fresh []FeedItem, err error)

	// Inbox is a page of a track's matched items that no editor has
	// handled, newest first (by date, else by when they were seen).
	Inbox(ctx context.Context, track string, limit, offset int) (Page[FeedItem], error)
	// HandleItem records what an editor did with an item (HandledSource
	// with the source's id, or HandledDismissed): ErrNotFound for a
	// missing item, *HandledError when it was handled already.
	HandleItem(ctx context.Context, track, feedURL, itemID, handled, by, sourceID string) error
	// LatestItems lists a track's matched items, newest first.
	LatestItems(ctx context.Context, track string, limit int) ([]FeedItem, error)
}

// ErrNotClaimed refuses to record a poll for a process whose claim on the
// feed ended (another took it over, or the feed was removed).
var ErrNotClaimed = errors.New("feed not claimed by this owner")

// HandledError refuses to handle an item twice; it says who did first.
type HandledError struct {
	Handled  string // HandledSource or HandledDismissed
	By       string // the editor's user id
	SourceID string
}

func (e *HandledError) Error() string {
	if e.Handled == HandledSource {
		return fmt.Sprintf("already made into source %q by %s", e.SourceID, e.By)
	}
	return fmt.Sprintf("already %s by %s", e.Handled, e.By)
}
