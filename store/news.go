package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// News posts: the items a poll found worth announcing become deliveries of
// kind DeliveryNews to every active follow of their track that takes news,
// at most a cap per channel and clock hour; the rest of that hour fold
// into one DeliveryNewsDigest per channel, sent at the hour's end.

// News is the store API of news posts.
type News interface {
	// PlanNews plans the announced feed items not yet planned (up to
	// limit, oldest first) in one transaction: their deliveries are
	// recorded and the items marked planned together, so an item is
	// planned once whatever crashes and however many replicas plan at
	// once. A channel gets at most perHour news posts in the clock hour of
	// now; the others join its digest of that hour. It returns how many
	// items it planned.
	PlanNews(ctx context.Context, now time.Time, perHour, limit int) (int, error)
	// FeedItem reads one item, ErrNotFound when it (or its feed) is gone.
	FeedItem(ctx context.Context, ref ItemRef) (FeedItem, error)
}

// ItemRef names one feed item.
type ItemRef struct {
	Track   string `json:"track"`
	FeedURL string `json:"feed"`
	ID      string `json:"id"`
}

// NewsKey is the delivery key of an item's news posts: a hash keeps it
// short whatever the feed's URL and the item's id.
func NewsKey(r ItemRef) string {
	h := sha256.Sum256([]byte(r.FeedURL + "\x00" + r.ID))
	return "news:" + r.Track + ":" + hex.EncodeToString(h[:12])
}

// NewsDigestKey is the delivery key of a channel's news digest of the
// hour starting at hour.
func NewsDigestKey(channelID string, hour time.Time) string {
	return "news-digest:" + channelID + ":" + strconv.FormatInt(hour.Unix(), 10)
}

// EncodeItemRefs is the payload of a news post (one ref) or a news digest
// (its items, in the order they came).
func EncodeItemRefs(refs []ItemRef) string {
	b, _ := json.Marshal(refs) // strings only: Marshal cannot fail
	return string(b)
}

// DecodeItemRefs reads a payload EncodeItemRefs wrote.
func DecodeItemRefs(payload string) ([]ItemRef, error) {
	var refs []ItemRef
	if err := json.Unmarshal([]byte(payload), &refs); err != nil {
		return nil, fmt.Errorf("reading the items of a news delivery: %w", err)
	}
	return refs, nil
}

// NewsDeadline is how long a news post or digest may wait for Discord
// before it is dropped.
const NewsDeadline = 24 * time.Hour
