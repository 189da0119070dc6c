package store

import (
	"context"
	"time"
)

// Follow is a server channel that gets a track's reminders and update
// posts. A server may follow a track in several channels.
type Follow struct {
	GuildID, ChannelID, Track string
	RoleID                    string          // the role to ping; "" pings nobody
	Offsets                   []time.Duration // how long before each meeting to remind
	Updates                   UpdatesMode     // which changes are posted; "" means UpdatesRounds
	// News says the channel gets the track's news feed items as posts.
	News bool
	// Disabled says why posting stopped (the bot lost access); "" while
	// active. A disabled follow is kept so /talks-admin show can say so.
	Disabled  string
	UpdatedAt time.Time
}

// Subscription is a user who gets a track's reminders by DM.
type Subscription struct {
	UserID, Track string
	Offsets       []time.Duration
	// Paused says why DMs stopped (Discord refused them, 50007); "" while
	// active. Noticed is set once the user has been told.
	Paused  string
	Noticed bool
	// Language is the language tag of the DMs ("uk"): the subscriber's
	// Discord language when they subscribed; "" reads English.
	Language string
}

// Digest is a server's schedule for a digest of the coming week.
type Digest struct {
	GuildID   string
	Schedule  string // cron expression, or @daily / @weekly
	Timezone  string // IANA zone the schedule is read in
	UpdatedAt time.Time
}

// DeliveryKind says what a delivery posts.
type DeliveryKind string

const (
	DeliveryReminder DeliveryKind = "reminder"
	DeliveryUpdate   DeliveryKind = "update"
	DeliveryDigest   DeliveryKind = "digest"
	// DeliveryNews posts one feed item; DeliveryNewsDigest folds a
	// channel's items past the hourly cap into one post at the hour's end.
	DeliveryNews       DeliveryKind = "news"
	DeliveryNewsDigest DeliveryKind = "news-digest"
)

// DeliveryState is where a delivery stands.
type DeliveryState string

const (
	DeliveryPending DeliveryState = "pending"
	DeliveryClaimed DeliveryState = "claimed" // a process is sending it
	DeliverySent    DeliveryState = "sent"
	DeliveryDropped DeliveryState = "dropped" // too late, or no longer wanted
	DeliveryFailed  DeliveryState = "failed"  // the target refused it for good
)

// Delivery is one message to one target. Its (Key, Target) identity is
// recorded before it is sent and marked after, so it is sent once.
type Delivery struct {
	// Key names what is sent, deterministically: a reminder's key holds
	// the track, round, start and offset, so a rescheduled meeting gets new
	// keys and the old ones are dropped.
	Key string
	// Target is where: ChannelTarget or UserTarget.
	Target  string
	Kind    DeliveryKind
	GuildID string // for channel targets
	Track   string
	Round   int
	RoleID  string
	DueAt   time.Time // when to send
	// Deadline is when it stops being worth sending (a reminder's meeting
	// start); zero for none.
	Deadline time.Time
	Payload  string // kind-specific text, e.g. an update's summary

	State     DeliveryState
	Attempts  int
	NextTry   time.Time // a pending delivery waits until then
	Owner     string    // the process holding a claim
	LeaseEnds time.Time // a claim older than this is taken over
	Late      bool
	MessageID string
	SentAt    time.Time
	LastError string
}

// Outcome is how a claimed delivery ended.
type Outcome struct {
	State     DeliveryState // Sent, Dropped, Failed, or Pending to retry
	MessageID string
	At        time.Time
	Late      bool
	NextTry   time.Time // for a retry
	Error     string
}

// ChangeKind is what happened to a round, as followers are told.
type ChangeKind string

const (
	ChangeAdded       ChangeKind = "added"       // a new round
	ChangeRescheduled ChangeKind = "rescheduled" // its start moved
	ChangePostponed   ChangeKind = "postponed"
	ChangeCancelled   ChangeKind = "cancelled"
	ChangeHeld        ChangeKind = "held"
	ChangeStatus      ChangeKind = "status" // another status change, e.g. proposed -> scheduled
)

// RoundChange is a change an import made to a round, recorded in the same
// transaction, for update posts.
type RoundChange struct {
	ID                   int64
	Track                string
	Round                int
	Kind                 ChangeKind
	OldStatus, NewStatus Status
	OldStarts, NewStarts When // OldStarts is zero for an added round
	At                   time.Time
}

// Scheduling is the part of the store the reminder scheduler and the
// set-up commands use. Both engines implement it with Store.
type Scheduling interface {
	SaveFollow(ctx context.Context, f Follow) error
	Follows(ctx context.Context, guildID string) ([]Follow, error)
	// FollowsOf lists the active follows of a track.
	FollowsOf(ctx context.Context, track string) ([]Follow, error)
	// DeleteFollows removes a server's follows of a track ("" for all) and
	// their pending deliveries; it returns how many follows went.
	DeleteFollows(ctx context.Context, guildID, track string) (int, error)
	// DisableChannel marks every follow posting to a channel disabled, and
	// drops its pending deliveries.
	DisableChannel(ctx context.Context, guildID, channelID, reason string) error

	SaveSubscription(ctx context.Context, s Subscription) error
	DeleteSubscription(ctx context.Context, userID, track string) (bool, error)
	Subscriptions(ctx context.Context, userID string) ([]Subscription, error)
	// SubscriptionsOf lists the active subscriptions to a track.
	SubscriptionsOf(ctx context.Context, track string) ([]Subscription, error)
	// PauseSubscriptions pauses every subscription of a user and drops their
	// pending deliveries.
	PauseSubscriptions(ctx context.Context, userID, reason string) error
	MarkPauseNoticed(ctx context.Context, userID string) error

	SaveDigest(ctx context.Context, d Digest) error
	DeleteDigest(ctx context.Context, guildID string) error
	Digests(ctx context.Context) ([]Digest, error)

	// ReplanReminders makes a track's pending reminders exactly want:
	// missing ones are added, pending ones not in want are removed; sent,
	// claimed and dropped ones are left alone. It returns the counts.
	ReplanReminders(ctx context.Context, track string, want []Delivery) (added, removed int, err error)
	// AddDeliveries records deliveries that are not yet recorded.
	AddDeliveries(ctx context.Context, ds []Delivery) (added int, err error)
	// DropExpired marks dropped the pending deliveries whose deadline has
	// passed at now (reminders that fell due while no process ran, for a
	// meeting that has since started) and returns how many, by kind.
	DropExpired(ctx context.Context, now time.Time) (map[DeliveryKind]int, error)
	// NextDue is the earliest instant a pending delivery may go, or a claim
	// expires; ok is false when nothing waits.
	NextDue(ctx context.Context) (at time.Time, ok bool, err error)
	// ClaimDue claims up to limit deliveries due at now (pending ones whose
	// NextTry has come, and claims whose lease ended) for owner, each in
	// exactly one process however many ask at once.
	ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]Delivery, error)
	// FinishDelivery records how a claimed delivery ended, if owner still
	// holds the claim; false when it does not (the lease was taken over).
	FinishDelivery(ctx context.Context, d Delivery, owner string, o Outcome) (bool, error)
	// PendingFor lists the next pending deliveries to a server's channels,
	// soonest first (not its event syncs).
	PendingFor(ctx context.Context, guildID string, limit int) ([]Delivery, error)

	// RoundChanges lists changes with an id above after, oldest first, at
	// most limit of them (all when limit is 0).
	RoundChanges(ctx context.Context, after int64, limit int) ([]RoundChange, error)
	// LastRoundChange is the highest change id, 0 when none.
	LastRoundChange(ctx context.Context) (int64, error)
}

// ChannelPrefix starts a channel target; ChannelTarget and UserTarget name
// the targets of deliveries.
const ChannelPrefix = "channel:"

func ChannelTarget(id string) string { return ChannelPrefix + id }
func UserTarget(id string) string    { return "user:" + id }
