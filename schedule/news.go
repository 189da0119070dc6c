package schedule

import (
	"context"

	"talkbot/remind"
	"talkbot/store"
)

// News posts are planned by the feed poller (package newsdesk) as
// deliveries like any other, so they leave through this one outbox: its
// claims, nonces, rate limits and retries.

// NewsRenderer writes news posts (commands.Announcer).
type NewsRenderer interface {
	// News renders one feed item; ok is false when the item is gone.
	News(ctx context.Context, d store.Delivery) (m remind.Message, ok bool, err error)
	// NewsDigest renders a channel's items past the hourly cap; ok is
	// false when none of them is left.
	NewsDigest(ctx context.Context, d store.Delivery) (m remind.Message, ok bool, err error)
}
