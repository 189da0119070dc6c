package store

import (
	"context"
	"time"
)

// DeliveryEvent is a scheduled-event sync: creating, editing or deleting
// one round's event in a server's Events list. It goes out through the
// same outbox as posts: claimed, leased, finished and retried alike.
const DeliveryEvent DeliveryKind = "event"

// GuildTarget names a server as the target of an event delivery.
func GuildTarget(id string) string { return GuildPrefix + id }

// GuildPrefix starts a server target.
const GuildPrefix = "guild:"

// EventSetting is a server's choice to show rounds in its Events list.
// Track "" stands for every track the server follows; a track's own row
// adds that track (Enabled) or leaves it out of "" (not Enabled).
type EventSetting struct {
	GuildID, Track string
	Enabled        bool
	// Problem says why syncing stopped (the bot lost Manage Events); ""
	// while syncing. It is the server's: every row of the server holds it.
	Problem string
	// LeftOut counts the rounds Discord's limit of 100 events kept out at
	// the last plan; the server's count, on every row of the server.
	LeftOut   int
	UpdatedAt time.Time
}

// GuildEventState is where a round's event stands.
type GuildEventState string

const (
	GuildEventActive    GuildEventState = "active"    // talkbot keeps it in sync
	GuildEventCancelled GuildEventState = "cancelled" // set to status 4
	GuildEventDone      GuildEventState = "done"      // held or past: left to Discord
	// GuildEventGone is an event deleted by hand in Discord: not made again
	// until /talks-admin events enable runs again.
	GuildEventGone GuildEventState = "gone"
)

// GuildEvent is the event talkbot made for one round in one server: at
// most one per (server, track, round).
type GuildEvent struct {
	GuildID, Track string
	Round          int
	EventID        string
	State          GuildEventState
	SpecHash       string // the hash of what the event was last brought to
	Problem        string // why it stopped (deleted by hand); "" otherwise
	UpdatedAt      time.Time
}

// RoundRef names a round of a track.
type RoundRef struct {
	Track string
	Round int
}

// EventPlan is what one re-plan of a server's events decided.
type EventPlan struct {
	GuildID string
	// Want are the event deliveries to go: missing ones are added, a
	// finished one with the same key is made pending again (its spec was
	// sent before, and the event has changed since), pending ones of the
	// server not in Want are removed.
	Want []Delivery
	// Done are rounds whose event is left to Discord from now on.
	Done    []RoundRef
	LeftOut int
}

// Events is the part of the store that keeps servers' scheduled events.
type Events interface {
	// EnableEvents enables a track's events in a server ("" for every
	// followed track), clears the server's problem, and forgets the
	// events of that track ("" all) deleted by hand, so they are made again.
	EnableEvents(ctx context.Context, guildID, track string) error
	// DisableEvents stops a track's events in a server ("" for all of
	// them); it returns whether anything was enabled.
	DisableEvents(ctx context.Context, guildID, track string) (bool, error)
	// EventSettings lists a server's settings by track ("" guild: every
	// server's, by server and track).
	EventSettings(ctx context.Context, guildID string) ([]EventSetting, error)
	// StopEvents records why a server's events can no longer be synced and
	// drops its pending event deliveries.
	StopEvents(ctx context.Context, guildID, problem string) error

	// GuildEvents lists a server's recorded events by track and round.
	GuildEvents(ctx context.Context, guildID string) ([]GuildEvent, error)
	// GuildEvent returns one recorded event, or ErrNotFound.
	GuildEvent(ctx context.Context, guildID, track string, round int) (GuildEvent, error)
	// SaveGuildEvent records or replaces a round's event.
	SaveGuildEvent(ctx context.Context, e GuildEvent) error
	// DeleteGuildEvent forgets a round's event if its id is eventID.
	DeleteGuildEvent(ctx context.Context, guildID, track string, round int, eventID string) error

	// ReplanEvents applies a plan in one transaction; it returns how many
	// deliveries it added (or made pending again) and removed.
	ReplanEvents(ctx context.Context, p EventPlan) (added, removed int, err error)
	// EventInFlight reports whether another delivery of the same server's
	// round, planned before d, is claimed: d waits, so that two syncs of one
	// round never run at once.
	EventInFlight(ctx context.Context, d Delivery) (bool, error)
}
