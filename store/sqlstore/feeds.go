package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"talkbot/store"
)

// Feeds are claimed for a poll as deliveries are claimed for a send (see
// deliveries.go), and a poll's items are recorded in the transaction that
// releases the claim, so an item is announced once whichever process polls
// and however often.

const feedColumns = `track_id, url, title, fetched_title, keywords, added_by, added_at, etag, last_modified,
	next_poll, failures, failing_since, last_error, last_success, first_success, items_seen, owner, lease_ends`

func scanFeed(r *sql.Rows) (store.Feed, error) {
	var (
		f                                                 store.Feed
		fetched, keywords                                 string
		addedAt, nextPoll                                 int64
		failingSince, lastSuccess, firstSuccess, leaseEnd sql.NullInt64
	)
	err := r.Scan(&f.Track, &f.URL, &f.Title, &fetched, &keywords, &f.AddedBy, &addedAt, &f.ETag, &f.LastModified,
		&nextPoll, &f.Failures, &failingSince, &f.LastError, &lastSuccess, &firstSuccess, &f.ItemsSeen, &f.Owner, &leaseEnd)
	if err != nil {
		return f, err
	}
	if f.Title == "" {
		f.Title = fetched
	}
	if f.Keywords, err = decodeList(keywords); err != nil {
		return f, err
	}
	f.AddedAt, f.NextPoll = time.UnixMilli(addedAt).UTC(), time.UnixMilli(nextPoll).UTC()
	f.FailingSince, f.LastSuccess, f.FirstSuccess, f.LeaseEnds = fromMillis(failingSince), fromMillis(lastSuccess), fromMillis(firstSuccess), fromMillis(leaseEnd)
	return f, nil
}

// AddFeed adds a feed to a track, due at its NextPoll or else at once.
func (s *DB) AddFeed(ctx context.Context, f store.Feed) error {
	if f.Track == "" || f.URL == "" || f.AddedAt.IsZero() {
		return fmt.Errorf("adding feed %q to %q: track, URL and time added are required", f.URL, f.Track)
	}
	for _, k := range f.Keywords {
		// The dataset refuses a blank keyword: one stored would make the
		// track's export fail to import.
		if strings.TrimSpace(k) == "" {
			return fmt.Errorf("adding feed %q to %q: a keyword is blank", f.URL, f.Track)
		}
	}
	next := f.NextPoll
	if next.IsZero() {
		next = f.AddedAt
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var exists bool
		if err := s.queryRow(ctx, tx, `SELECT EXISTS (SELECT 1 FROM tracks WHERE id = ?)`, f.Track).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return store.ErrNotFound
		}
		n, err := s.execCount(ctx, tx, `INSERT INTO feeds (track_id, url, seq, title, keywords, added_by, added_at, next_poll)
			VALUES (?, ?, `+fmt.Sprintf(nextSeq, "feeds")+`, ?, ?, ?, ?, ?) ON CONFLICT (track_id, url) DO NOTHING`,
			f.Track, f.URL, f.Track, f.Title, encodeList(f.Keywords), f.AddedBy, f.AddedAt.UnixMilli(), next.UnixMilli())
		if err == nil && n == 0 {
			err = store.ErrExists
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("adding feed %s to track %q: %w", f.URL, f.Track, err)
	}
	return nil
}

// RemoveFeed removes a feed; its items go with it.
func (s *DB) RemoveFeed(ctx context.Context, track, url string) (bool, error) {
	n, err := s.execCount(ctx, s.db, `DELETE FROM feeds WHERE track_id = ? AND url = ?`, track, url)
	if err != nil {
		return false, fmt.Errorf("removing feed %s from track %q: %w", url, track, err)
	}
	return n == 1, nil
}

// FeedsOf lists a track's feeds in order.
func (s *DB) FeedsOf(ctx context.Context, track string) ([]store.Feed, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+feedColumns+` FROM feeds WHERE track_id = ? ORDER BY seq, url`, track)
	out, err := collect(rows, err, scanFeed)
	if err != nil {
		return nil, fmt.Errorf("reading the feeds of %q: %w", track, err)
	}
	return out, nil
}

// AllFeeds lists every feed by track, then in order.
func (s *DB) AllFeeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+feedColumns+` FROM feeds ORDER BY track_id, seq, url`)
	out, err := collect(rows, err, scanFeed)
	if err != nil {
		return nil, fmt.Errorf("reading the feeds: %w", err)
	}
	return out, nil
}

// The claim statements follow ClaimDue's (see deliveries.go): the due rows
// are picked and claimed in one statement, with FOR UPDATE SKIP LOCKED on
// PostgreSQL so that concurrent claimers never pick the same row, and as
// one atomic UPDATE on SQLite, which has one writer at a time.
const (
	claimableFeeds = `next_poll <= ? AND (lease_ends IS NULL OR lease_ends <= ?)
		ORDER BY next_poll LIMIT ?`
	claimFeedsPostgres = `WITH due AS MATERIALIZED (
		SELECT track_id AS due_track, url AS due_url FROM feeds WHERE ` + claimableFeeds + `
		FOR UPDATE SKIP LOCKED)
	UPDATE feeds SET owner = ?, lease_ends = ?
	FROM due WHERE track_id = due_track AND url = due_url
	RETURNING ` + feedColumns
	claimFeedsSQLite = `UPDATE feeds SET owner = ?, lease_ends = ?
	WHERE (track_id, url) IN (SELECT track_id, url FROM feeds WHERE ` + claimableFeeds + `)
	RETURNING ` + feedColumns
)

// ClaimFeeds claims up to limit due feeds for owner until now+lease,
// soonest due first.
func (s *DB) ClaimFeeds(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]store.Feed, error) {
	if owner == "" || lease <= 0 || limit <= 0 {
		return nil, fmt.Errorf("claiming feeds: owner %q, lease %v and limit %d must be set", owner, lease, limit)
	}
	at, until := now.UnixMilli(), now.Add(lease).UnixMilli()
	var rows *sql.Rows
	var err error
	if s.d.ConcurrentWriters {
		rows, err = s.query(ctx, s.db, claimFeedsPostgres, at, at, limit, owner, until)
	} else {
		rows, err = s.query(ctx, s.db, claimFeedsSQLite, owner, until, at, at, limit)
	}
	out, err := collect(rows, err, scanFeed)
	if err != nil {
		return nil, fmt.Errorf("claiming feeds for %s: %w", owner, err)
	}
	// RETURNING gives no order.
	slices.SortFunc(out, func(a, b store.Feed) int {
		return cmp.Or(a.NextPoll.Compare(b.NextPoll), cmp.Compare(a.Track, b.Track), cmp.Compare(a.URL, b.URL))
	})
	return out, nil
}

// FinishPoll records a poll of a feed owner holds and releases the claim.
func (s *DB) FinishPoll(ctx context.Context, owner string, r store.PollResult) ([]store.FeedItem, error) {
	if owner == "" || r.Track == "" || r.URL == "" || r.At.IsZero() || r.NextPoll.IsZero() {
		return nil, fmt.Errorf("finishing a poll of %s in %q: owner, feed, time and next poll are required", r.URL, r.Track)
	}
	var fresh []store.FeedItem
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// On PostgreSQL the row lock keeps a takeover from slipping in
		// between this check and the writes below.
		lock := ""
		if s.d.ConcurrentWriters {
			lock = " FOR UPDATE"
		}
		var (
			firstSuccess       sql.NullInt64
			title, fetched     string
			etag, lastModified string
		)
		err := s.queryRow(ctx, tx, `SELECT first_success, title, fetched_title, etag, last_modified FROM feeds
			WHERE track_id = ? AND url = ? AND owner = ? AND lease_ends IS NOT NULL`+lock, r.Track, r.URL, owner).
			Scan(&firstSuccess, &title, &fetched, &etag, &lastModified)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotClaimed
		}
		if err != nil {
			return err
		}
		if r.Err != "" {
			return s.exec(ctx, tx, `UPDATE feeds SET failures = failures + 1, failing_since = COALESCE(failing_since, ?),
				last_error = ?, next_poll = ?, owner = '', lease_ends = NULL WHERE track_id = ? AND url = ?`,
				r.At.UnixMilli(), r.Err, r.NextPoll.UnixMilli(), r.Track, r.URL)
		}
		if r.Title != "" {
			fetched = r.Title
		}
		if !r.NotModified || r.ETag != "" {
			etag = r.ETag
		}
		if !r.NotModified || r.LastModified != "" {
			lastModified = r.LastModified
		}
		recorded := 0
		if !r.NotModified {
			feedTitle := title
			if feedTitle == "" {
				feedTitle = fetched
			}
			if fresh, recorded, err = s.recordItems(ctx, tx, r, firstSuccess, feedTitle); err != nil {
				return err
			}
		}
		return s.exec(ctx, tx, `UPDATE feeds SET failures = 0, failing_since = NULL, last_error = '',
				last_success = ?, first_success = COALESCE(first_success, ?), etag = ?, last_modified = ?,
				fetched_title = ?, items_seen = items_seen + ?, next_poll = ?, owner = '', lease_ends = NULL
			WHERE track_id = ? AND url = ?`,
			r.At.UnixMilli(), r.At.UnixMilli(), etag, lastModified, fetched, recorded, r.NextPoll.UnixMilli(), r.Track, r.URL)
	})
	if err != nil {
		return nil, fmt.Errorf("recording a poll of %s in %q: %w", r.URL, r.Track, err)
	}
	return fresh, nil
}

var feedItemInsertColumns = []string{"track_id", "feed_url", "item_id", "title", "link", "summary", "published",
	"seen_at", "sort_at", "matched", "announce"}

// recordItems records the items of r not recorded before and returns those
// to announce and how many it recorded. An item is announced when it
// matched, the feed had a successful fetch before this one (firstSuccess:
// the first fetch only learns what the feed already holds) and it is not
// dated before that first fetch (an archive entry the feed only now
// shows). An undated new item is news.
func (s *DB) recordItems(ctx context.Context, tx *sql.Tx, r store.PollResult, firstSuccess sql.NullInt64, feedTitle string) ([]store.FeedItem, int, error) {
	// One row per id: a feed that lists an item twice gets the first.
	seen := make(map[string]bool, len(r.Items))
	items := make([]store.FeedItem, 0, len(r.Items))
	for i, it := range r.Items {
		if it.ID == "" {
			return nil, 0, fmt.Errorf("item %d (%.60q) has no id", i, it.Title)
		}
		if !seen[it.ID] {
			seen[it.ID] = true
			items = append(items, it)
		}
	}
	known := map[string]bool{}
	const perStmt = maxParams - 2
	for start := 0; start < len(items); start += perStmt {
		chunk := items[start:min(start+perStmt, len(items))]
		args := make([]any, 0, len(chunk)+2)
		args = append(args, r.Track, r.URL)
		for _, it := range chunk {
			args = append(args, it.ID)
		}
		rows, err := s.query(ctx, tx, `SELECT item_id FROM feed_items WHERE track_id = ? AND feed_url = ? AND item_id IN (`+
			placeholders(len(chunk))+`)`, args...)
		ids, err := collect(rows, err, func(r *sql.Rows) (id string, err error) {
			err = r.Scan(&id)
			return id, err
		})
		if err != nil {
			return nil, 0, fmt.Errorf("reading the items recorded before: %w", err)
		}
		for _, id := range ids {
			known[id] = true
		}
	}
	at := time.UnixMilli(r.At.UnixMilli()).UTC()
	var news, fresh []store.FeedItem
	for _, it := range items {
		if known[it.ID] {
			continue
		}
		it.Track, it.FeedURL, it.FeedTitle, it.SeenAt = r.Track, r.URL, feedTitle, at
		it.HasDate = it.HasDate && !it.Published.IsZero() // a date of nothing is no date
		if it.HasDate {
			it.Published = time.UnixMilli(it.Published.UnixMilli()).UTC()
		} else {
			it.Published = time.Time{}
		}
		it.Announce = it.Matched && firstSuccess.Valid && (!it.HasDate || it.Published.UnixMilli() >= firstSuccess.Int64)
		it.Handled, it.HandledBy, it.SourceID = store.HandledNone, "", ""
		news = append(news, it)
		if it.Announce {
			fresh = append(fresh, it)
		}
	}
	// Only the claim holder writes a feed's items, so none of these can
	// have appeared since they were looked up; the ON CONFLICT is a guard.
	n, err := s.insertRows(ctx, tx, "feed_items", feedItemInsertColumns, " ON CONFLICT (track_id, feed_url, item_id) DO NOTHING", len(news),
		func(args []any, i int) []any {
			it := &news[i]
			sortAt := it.SeenAt
			if it.HasDate {
				sortAt = it.Published
			}
			return append(args, it.Track, it.FeedURL, it.ID, it.Title, it.Link, it.Summary, millisOrNull(publishedOrZero(it)),
				it.SeenAt.UnixMilli(), sortAt.UnixMilli(), it.Matched, it.Announce)
		})
	if err != nil {
		return nil, 0, err
	}
	return fresh, n, nil
}

// publishedOrZero is an item's date, zero when it has none (so NULL).
func publishedOrZero(it *store.FeedItem) time.Time {
	if !it.HasDate {
		return time.Time{}
	}
	return it.Published
}

const feedItemColumns = `i.track_id, i.feed_url, f.title, f.fetched_title, i.item_id, i.title, i.link, i.summary,
	i.published, i.seen_at, i.matched, i.announce, i.handled, i.handled_by, i.source_id`

const feedItemsFrom = ` FROM feed_items i JOIN feeds f ON f.track_id = i.track_id AND f.url = i.feed_url`

func scanFeedItem(r *sql.Rows) (store.FeedItem, error) {
	var (
		it        store.FeedItem
		fetched   string
		published sql.NullInt64
		seenAt    int64
	)
	err := r.Scan(&it.Track, &it.FeedURL, &it.FeedTitle, &fetched, &it.ID, &it.Title, &it.Link, &it.Summary,
		&published, &seenAt, &it.Matched, &it.Announce, &it.Handled, &it.HandledBy, &it.SourceID)
	if it.FeedTitle == "" {
		it.FeedTitle = fetched
	}
	it.Published, it.HasDate, it.SeenAt = fromMillis(published), published.Valid, time.UnixMilli(seenAt).UTC()
	return it, err
}

// Inbox pages a track's matched, unhandled items, newest first.
func (s *DB) Inbox(ctx context.Context, track string, limit, offset int) (store.Page[store.FeedItem], error) {
	var page store.Page[store.FeedItem]
	if limit <= 0 || offset < 0 {
		return page, fmt.Errorf("reading the inbox of %q: limit %d and offset %d must be positive", track, limit, offset)
	}
	// The conditions repeat feed_items_inbox's predicate word for word, so
	// that both engines use the index.
	const inbox = ` WHERE i.track_id = ? AND matched AND handled = ''`
	rows, err := s.query(ctx, s.db, `SELECT `+feedItemColumns+feedItemsFrom+inbox+`
		ORDER BY i.sort_at DESC, i.feed_url, i.item_id LIMIT ? OFFSET ?`, track, limit, offset)
	items, err := collect(rows, err, scanFeedItem)
	if err == nil {
		err = s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM feed_items i`+inbox, track).Scan(&page.Total)
	}
	if err != nil {
		return page, fmt.Errorf("reading the inbox of %q: %w", track, err)
	}
	page.Items = items
	return page, nil
}

// HandleItem records what an editor did with an item, once.
func (s *DB) HandleItem(ctx context.Context, track, feedURL, itemID, handled, by, sourceID string) error {
	switch {
	case handled != store.HandledSource && handled != store.HandledDismissed:
		return fmt.Errorf("handling item %q: %q is not a way to handle an item", itemID, handled)
	case by == "":
		return fmt.Errorf("handling item %q: who handled it is required", itemID)
	case (handled == store.HandledSource) != (sourceID != ""):
		return fmt.Errorf("handling item %q: a source id goes with %q, and only with it", itemID, store.HandledSource)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n, err := s.execCount(ctx, tx, `UPDATE feed_items SET handled = ?, handled_by = ?, source_id = ?
			WHERE track_id = ? AND feed_url = ? AND item_id = ? AND handled = ''`, handled, by, sourceID, track, feedURL, itemID)
		if err != nil || n == 1 {
			return err
		}
		var he store.HandledError
		err = s.queryRow(ctx, tx, `SELECT handled, handled_by, source_id FROM feed_items
			WHERE track_id = ? AND feed_url = ? AND item_id = ?`, track, feedURL, itemID).Scan(&he.Handled, &he.By, &he.SourceID)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		return &he
	})
	if err != nil {
		return fmt.Errorf("handling item %q of %s: %w", itemID, feedURL, err)
	}
	return nil
}

// LatestItems lists a track's matched items, newest first.
func (s *DB) LatestItems(ctx context.Context, track string, limit int) ([]store.FeedItem, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("reading the latest items of %q: limit %d must be positive", track, limit)
	}
	rows, err := s.query(ctx, s.db, `SELECT `+feedItemColumns+feedItemsFrom+` WHERE i.track_id = ? AND matched
		ORDER BY i.sort_at DESC, i.feed_url, i.item_id LIMIT ?`, track, limit)
	items, err := collect(rows, err, scanFeedItem)
	if err != nil {
		return nil, fmt.Errorf("reading the latest items of %q: %w", track, err)
	}
	return items, nil
}

// trackFeeds reads a track's feeds as the dataset holds them.
func (s *DB) trackFeeds(ctx context.Context, q querier, track string) ([]store.Feed, error) {
	rows, err := s.query(ctx, q, `SELECT url, title, keywords FROM feeds WHERE track_id = ? ORDER BY seq, url`, track)
	return collect(rows, err, func(r *sql.Rows) (store.Feed, error) {
		f := store.Feed{Track: track}
		var keywords string
		if err := r.Scan(&f.URL, &f.Title, &keywords); err != nil {
			return f, err
		}
		var err error
		f.Keywords, err = decodeList(keywords)
		return f, err
	})
}

// storedFeed is what an import compares a file's feed with.
type storedFeed struct {
	seq      int
	title    string
	keywords string
	addedBy  string
	inFile   bool
}

// importFeeds makes a track's feeds the file's: new ones are added (due at
// once), changed titles, keywords and places written, and those the file
// no longer lists removed with their items. A feed an editor added from
// Discord that no imported file has listed yet is kept: the file may have
// been made before it was added. Poll state is never touched.
func (s *DB) importFeeds(ctx context.Context, w *trackWriter, t *store.Track, stats *store.ImportStats) error {
	rows, err := s.query(ctx, w.tx, `SELECT url, seq, title, keywords, added_by, in_file FROM feeds WHERE track_id = ? ORDER BY seq, url`, t.ID)
	type row struct {
		url string
		storedFeed
	}
	stored, err := collect(rows, err, func(r *sql.Rows) (f row, err error) {
		err = r.Scan(&f.url, &f.seq, &f.title, &f.keywords, &f.addedBy, &f.inFile)
		return f, err
	})
	if err != nil {
		return fmt.Errorf("reading feeds: %w", err)
	}
	have := make(map[string]storedFeed, len(stored))
	for _, f := range stored {
		have[f.url] = f.storedFeed
	}
	now := s.now().UnixMilli()
	listed := make(map[string]bool, len(t.Feeds))
	for i, f := range t.Feeds {
		listed[f.URL] = true
		keywords := encodeList(f.Keywords)
		old, ok := have[f.URL]
		switch {
		case !ok:
			err = s.exec(ctx, w.tx, `INSERT INTO feeds (track_id, url, seq, title, keywords, added_at, in_file, next_poll)
				VALUES (?, ?, ?, ?, ?, ?, TRUE, ?)`, t.ID, f.URL, i, f.Title, keywords, now, now)
		case old.seq != i || old.title != f.Title || old.keywords != keywords || !old.inFile:
			err = s.exec(ctx, w.tx, `UPDATE feeds SET seq = ?, title = ?, keywords = ?, in_file = TRUE
				WHERE track_id = ? AND url = ?`, i, f.Title, keywords, t.ID, f.URL)
		default:
			continue
		}
		if err != nil {
			return fmt.Errorf("writing feed %s: %w", f.URL, err)
		}
		// Being listed for the first time changes nothing a reader sees.
		if !ok || old.seq != i || old.title != f.Title || old.keywords != keywords {
			stats.Feeds++
			w.changed = true
		}
	}
	kept := len(t.Feeds)
	for _, f := range stored {
		switch {
		case listed[f.url]:
		case f.addedBy != "" && !f.inFile:
			if f.seq != kept { // after the file's, in their order
				if err := s.exec(ctx, w.tx, `UPDATE feeds SET seq = ? WHERE track_id = ? AND url = ?`, kept, t.ID, f.url); err != nil {
					return fmt.Errorf("placing feed %s: %w", f.url, err)
				}
			}
			kept++
		default:
			if err := s.exec(ctx, w.tx, `DELETE FROM feeds WHERE track_id = ? AND url = ?`, t.ID, f.url); err != nil {
				return fmt.Errorf("removing feed %s: %w", f.url, err)
			}
			stats.Feeds++
			w.changed = true
		}
	}
	return nil
}
