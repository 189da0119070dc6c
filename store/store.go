package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a looked-up track or round does not exist.
var ErrNotFound = errors.New("not found")

// Store is the persistence API the bot and the CLI use. Both engines
// (store/sqlite and store/postgres) implement it and pass store/storetest.
type Store interface {
	Scheduling
	Bundled
	Editing
	Feeds
	Events
	News
	Languages

	// Import upserts tracks by their stable ids (track id; party, person and
	// source ids; round number within the track) in one transaction. A
	// track's positions and statements have no ids, so the imported list
	// replaces the stored one for that track. Feeds are matched by URL;
	// those the file leaves out are removed, unless an editor added one
	// from Discord and no imported file has listed it yet.
	Import(ctx context.Context, tracks []Track) (ImportStats, error)
	// Export returns every track in full, in a stable order.
	Export(ctx context.Context) ([]Track, error)
	// Empty reports whether the store holds no track.
	Empty(ctx context.Context) (bool, error)

	// Tracks lists every track's summary, ordered by id.
	Tracks(ctx context.Context) ([]TrackSummary, error)
	// Track returns one track's header, parties, people and sources (not
	// its rounds, positions or statements).
	Track(ctx context.Context, id string) (Track, error)
	// Publishers lists every source's publisher once, by name.
	Publishers(ctx context.Context) ([]string, error)
	// Sources returns the named sources of a track, in the order asked;
	// unknown ids are left out.
	Sources(ctx context.Context, track string, ids []string) ([]Source, error)

	// NextRound returns the first pending round (proposed or scheduled)
	// that is still ahead at after: an exact start at or after it, or a
	// date-only start whose day has not ended. track "" means any track.
	NextRound(ctx context.Context, track string, after time.Time) (Round, error)
	// UpcomingRounds lists pending rounds still ahead at after, soonest
	// first; track "" means every track.
	UpcomingRounds(ctx context.Context, track string, after time.Time, limit int) ([]Round, error)
	// Round returns one round by number.
	Round(ctx context.Context, track string, number int) (Round, error)
	// Rounds lists a track's rounds by number.
	Rounds(ctx context.Context, track string) ([]Round, error)
	// RoundsPage is one page of a track's rounds by number, with the total.
	RoundsPage(ctx context.Context, track string, limit, offset int) (Page[Round], error)
	// LatestRound is the round with the latest start (the higher number on
	// a tie), whatever its status.
	LatestRound(ctx context.Context, track string) (Round, error)

	// Positions lists positions, newest first.
	Positions(ctx context.Context, q PositionQuery) ([]Position, error)
	// Statements lists statements, newest first, with the total that match.
	Statements(ctx context.Context, q StatementQuery) (Page[Statement], error)
	// Search runs a full-text query over positions, statements and round
	// outcomes, best match first.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
	// Complete offers choices for autocomplete whose id or any word of whose
	// name starts with prefix (case-insensitive).
	Complete(ctx context.Context, q CompleteQuery) ([]Choice, error)

	// LastChanged is when an import or edit last changed anything; zero
	// if never.
	LastChanged(ctx context.Context) (time.Time, error)
	// DataVersion counts the imports and edits that changed anything (0 if
	// none), so a reader can tell cheaply whether what it loaded is still
	// current, whichever process wrote.
	DataVersion(ctx context.Context) (int64, error)
	// Ping checks the database is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// ImportStats counts what an import wrote.
type ImportStats struct {
	Tracks, Parties, People, Sources, Rounds, Positions, Statements int
	// Feeds counts the feeds added, changed or removed.
	Feeds int
	// Overridden lists the newer edits a forced import wrote over.
	Overridden []Conflict
}

// Wrote reports whether the import wrote anything.
func (s ImportStats) Wrote() bool {
	return s.Tracks+s.Parties+s.People+s.Sources+s.Rounds+s.Positions+s.Statements+s.Feeds > 0
}

// TrackSummary is a track's header and the facts needed to pick a default.
type TrackSummary struct {
	ID       string
	Title    string
	Names    Names // Title in other languages
	Timezone string
	Guild    string // the owning server; "" for a global track
	Public   bool   // a server's track published on the web (see Track.Public)
	// LastActive is the latest date anything happened in the track (a
	// round's start, a position stated, a statement made).
	LastActive Date
}

// PositionQuery selects positions of one track; empty fields match all.
type PositionQuery struct {
	Track  string
	Party  string
	Topic  string
	Limit  int // 0 means no limit
	Offset int
}

// StatementQuery selects statements of one track; empty fields match all.
type StatementQuery struct {
	Track  string
	Party  string
	Person string
	Limit  int
	Offset int
}

// Page is one page of results and the total that matched.
type Page[T any] struct {
	Items []T
	Total int
}

// SearchQuery is a full-text query; Track "" searches every track.
type SearchQuery struct {
	Track string
	Text  string
	Limit int
}

// HitKind says what a search hit is.
type HitKind string

const (
	HitPosition  HitKind = "position"
	HitStatement HitKind = "statement"
	HitOutcome   HitKind = "outcome"
)

// SearchHit is one search result with what is needed to show and cite it.
type SearchHit struct {
	Kind    HitKind
	Track   string
	Text    string // the matched summary, quote or outcome
	Party   string // party id (positions, statements)
	Person  string // person id (statements, positions stated by someone)
	Topic   string // positions only
	Round   int    // outcomes only
	On      Date   // stated on, said on, or the round's start date
	Sources []string
}

// CompleteKind names what to autocomplete.
type CompleteKind string

const (
	CompleteTracks  CompleteKind = "tracks"
	CompleteParties CompleteKind = "parties"
	CompletePeople  CompleteKind = "people"
	CompleteTopics  CompleteKind = "topics"
)

// CompleteQuery asks for autocomplete choices. Track narrows parties, people
// and topics to one track when set.
type CompleteQuery struct {
	Kind   CompleteKind
	Track  string
	Prefix string
	Limit  int
}

// Choice is one autocomplete choice: what the user sees and the id sent back.
type Choice struct {
	Name  string
	Value string
}
