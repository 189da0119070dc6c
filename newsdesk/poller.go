// Package newsdesk polls the news feeds of tracks and turns what they bring
// into news posts. A cron job claims the feeds that are due (one process
// polls a feed at a time, as one sends a delivery), fetches each with the
// validators of its last answer (package feeds), records the poll and its
// items in the store, and plans the items worth announcing into news
// deliveries, which leave through the scheduler's one outbox. Nothing here
// knows Discord.
package newsdesk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"talkbot/feeds"
	"talkbot/store"
)

// Store is what the poller reads and records.
type Store interface {
	ClaimFeeds(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]store.Feed, error)
	FinishPoll(ctx context.Context, owner string, r store.PollResult) ([]store.FeedItem, error)
	PlanNews(ctx context.Context, now time.Time, perHour, limit int) (int, error)
}

// Options tune the poller; zero values take the defaults.
type Options struct {
	// Interval is how often each feed is fetched (FEED_POLL; 10 min).
	Interval time.Duration
	// MaxPostsPerHour caps a channel's news posts in a clock hour
	// (FEED_MAX_POSTS_PER_HOUR; 6).
	MaxPostsPerHour int
	// Every is how often the cron job looks for due feeds: a tenth of
	// Interval, from 1 s to 1 min.
	Every time.Duration
	// Lease is how long a claim on a feed lasts (1 min): longer than a
	// fetch may take (feeds.DefaultTimeout), so a live poll keeps it.
	Lease time.Duration
	// Batch is how many feeds one claim takes (32); Workers how many
	// fetches run at once (8).
	Batch, Workers int
	// Owner is this process's claim name (random).
	Owner string
}

// Poller polls due feeds and plans their news.
type Poller struct {
	store  Store
	client *http.Client
	now    func() time.Time
	log    *slog.Logger
	o      Options

	// record lets one poll be recorded at a time: fetches overlap, but a
	// record is a short write transaction, and SQLite has one writer at a
	// time, whose waiters sleep in its busy handler. Taking turns here
	// halves a round of 1,000 unchanged feeds on SQLite and costs nothing
	// on PostgreSQL (docs/benchmarks.md).
	record sync.Mutex
}

// New builds a poller fetching with client (feeds.NewClient).
func New(s Store, client *http.Client, now func() time.Time, log *slog.Logger, o Options) *Poller {
	if o.Interval <= 0 {
		o.Interval = 10 * time.Minute
	}
	if o.MaxPostsPerHour <= 0 {
		o.MaxPostsPerHour = 6
	}
	if o.Every <= 0 {
		o.Every = min(max(o.Interval/10, time.Second), time.Minute)
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.Batch <= 0 {
		o.Batch = 32
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Owner == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
		o.Owner = hex.EncodeToString(b)
	}
	return &Poller{store: s, client: client, now: now, log: log, o: o}
}

// Run polls on a cron schedule until ctx is cancelled, and returns once the
// round under way has finished. A round that runs past the next tick
// makes that tick skip rather than start a second round beside it.
func (p *Poller) Run(ctx context.Context) error {
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	spec := "@every " + p.o.Every.String()
	if _, err := c.AddFunc(spec, func() {
		if _, err := p.Round(ctx); err != nil && ctx.Err() == nil {
			p.log.Error("polling feeds", "err", err)
		}
	}); err != nil {
		return fmt.Errorf("feed poll schedule %q: %w", spec, err)
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// RoundStats counts what a round did.
type RoundStats struct {
	Polled, Failed, NotModified int
	Planned                     int // items planned into news
}

// Round polls every feed due now, batch by batch, then plans the news
// they brought (and any a crashed process left unplanned).
func (p *Poller) Round(ctx context.Context) (RoundStats, error) {
	var st RoundStats
	for ctx.Err() == nil {
		claimed, err := p.store.ClaimFeeds(ctx, p.o.Owner, p.now(), p.o.Lease, p.o.Batch)
		if err != nil {
			return st, fmt.Errorf("claiming feeds: %w", err)
		}
		p.pollAll(ctx, claimed, &st)
		if len(claimed) < p.o.Batch {
			break
		}
	}
	for ctx.Err() == nil {
		n, err := p.store.PlanNews(ctx, p.now(), p.o.MaxPostsPerHour, 100)
		if err != nil {
			return st, err
		}
		st.Planned += n
		if n < 100 {
			break
		}
	}
	if st.Planned > 0 {
		p.log.Info("planned news posts", "items", st.Planned)
	}
	return st, ctx.Err()
}

func (p *Poller) pollAll(ctx context.Context, fs []store.Feed, st *RoundStats) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		slot = make(chan struct{}, p.o.Workers)
	)
	for _, f := range fs {
		slot <- struct{}{}
		wg.Go(func() {
			defer func() { <-slot }()
			r := p.poll(ctx, f)
			mu.Lock()
			defer mu.Unlock()
			st.Polled++
			switch {
			case r.Err != "":
				st.Failed++
			case r.NotModified:
				st.NotModified++
			}
		})
	}
	wg.Wait()
}

// poll fetches one claimed feed and records the poll. The fetch stops
// before the claim's lease ends, so no other process polls it meanwhile.
func (p *Poller) poll(ctx context.Context, f store.Feed) store.PollResult {
	fetchCtx, cancel := context.WithTimeout(ctx, p.o.Lease*9/10)
	defer cancel()
	res, err := feeds.Fetch(fetchCtx, p.client, f.URL, feeds.Conditional{ETag: f.ETag, LastModified: f.LastModified})
	if err != nil && ctx.Err() != nil {
		// Stopping is not the feed's failure: the claim lapses and the
		// feed is polled again, by this process or another, after it.
		return store.PollResult{Track: f.Track, URL: f.URL, Err: "stopped"}
	}
	now := p.now()
	r := store.PollResult{Track: f.Track, URL: f.URL, At: now}
	if err != nil {
		r.Err = err.Error()
		r.NextPoll = now.Add(p.retryAfter(f, err))
		p.log.Warn("a feed poll failed", "track", f.Track, "feed", f.URL, "failures", f.Failures+1, "next", r.NextPoll, "err", err)
	} else {
		// The store keeps milliseconds: so does the offset, so that a feed's
		// point in the interval is exactly the same every round.
		r.NextPoll = nextRound(now, p.o.Interval, feeds.Offset(f.URL, p.o.Interval).Truncate(time.Millisecond))
		r.NotModified, r.ETag, r.LastModified, r.Title = res.NotModified, res.ETag, res.LastModified, res.Title
		r.Items = make([]store.FeedItem, len(res.Items))
		for i, it := range res.Items {
			r.Items[i] = store.FeedItem{ID: it.ID, Title: it.Title, Link: it.Link, Summary: it.Summary,
				Published: it.Published, HasDate: it.HasDate, Matched: feeds.Match(f.Keywords, it)}
		}
	}
	// Recording outlives a cancelled round: the fetch is done, and
	// dropping it would fetch it again after the lease.
	recCtx, cancelRec := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancelRec()
	p.record.Lock()
	fresh, err := p.store.FinishPoll(recCtx, p.o.Owner, r)
	p.record.Unlock()
	switch {
	case errors.Is(err, store.ErrNotClaimed):
		p.log.Warn("a feed's claim ended before its poll was recorded", "track", f.Track, "feed", f.URL)
	case err != nil:
		p.log.Error("recording a feed poll", "track", f.Track, "feed", f.URL, "err", err)
	case len(fresh) > 0:
		p.log.Info("a feed brought news", "track", f.Track, "feed", f.URL, "items", len(fresh))
	}
	return r
}

// maxRetryAfter bounds what a server's Retry-After can ask: a date years
// ahead would silence a feed for good.
const maxRetryAfter = 24 * time.Hour

// retryAfter is how long a failed feed waits: exponential back-off from
// the interval, or the server's Retry-After (429, 503) when longer.
func (p *Poller) retryAfter(f store.Feed, err error) time.Duration {
	h := fnv.New64a()
	h.Write([]byte(f.Track + "\x00" + f.URL))
	d := feeds.Backoff(p.o.Interval, f.Failures+1, h.Sum64())
	var se *feeds.StatusError
	if errors.As(err, &se) && se.RetryAfter > d {
		d = min(se.RetryAfter, maxRetryAfter)
	}
	return d
}

// nextRound is the first instant after now at offset within an interval
// (counted from the Unix epoch): each feed keeps its own moment of every
// round, so feeds stay spread over the interval however they were added,
// and a late poll does not push the next one later.
func nextRound(now time.Time, interval, offset time.Duration) time.Time {
	t := now.Truncate(interval).Add(offset)
	for !t.After(now) {
		t = t.Add(interval)
	}
	return t
}
