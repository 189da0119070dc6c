package store

import "context"

// Bundled keeps a store that holds only the bundled data (the dataset
// embedded in the binary) in step with it, and leaves alone a store that
// holds data imported otherwise.
type Bundled interface {
	// SeedBundled imports tracks, the bundled data identified by hash, in
	// one transaction, when the store is empty or has held only bundled
	// data since it was last seeded (no other import changed anything), or
	// when force is set (the user imported the bundled file itself). It
	// records hash and the data version it left, so that a later import
	// marks the store as no longer bundled-only.
	SeedBundled(ctx context.Context, tracks []Track, hash string, force bool) (SeedResult, error)
}

// SeedOutcome says what SeedBundled did.
type SeedOutcome int

const (
	// SeedFilled: the store was empty and now holds the bundled data.
	SeedFilled SeedOutcome = iota + 1
	// SeedUpdated: the store held older bundled data (or force was set),
	// and the import changed something.
	SeedUpdated
	// SeedCurrent: the store already held this bundled data.
	SeedCurrent
	// SeedKept: the store holds other imported data and was left alone.
	SeedKept
)

// SeedResult is what SeedBundled did and what the store held before.
type SeedResult struct {
	Outcome SeedOutcome
	Stats   ImportStats
	// Seeded is the hash of the bundled data that last seeded the store
	// before this call; "" if none ever did.
	Seeded string
}
