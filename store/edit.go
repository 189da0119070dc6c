package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Editing from Discord and importing files both change the data; every
// change appends a Change to the history in the same transaction. Nothing
// in the history is updated or deleted: undo is a new Change.

// EntityKind names what sort of thing a change is about.
type EntityKind string

const (
	EntityTrack     EntityKind = "track"
	EntityParty     EntityKind = "party"
	EntityPerson    EntityKind = "person"
	EntitySource    EntityKind = "source"
	EntityRound     EntityKind = "round"
	EntityPosition  EntityKind = "position"
	EntityStatement EntityKind = "statement"
)

// Entity names one editable thing. Key is the party, person or source id,
// the round number in decimal, or a position's or statement's content key
// (PositionKey, StatementKey); "" for the track itself.
type Entity struct {
	Kind  EntityKind
	Track string
	Key   string
}

// String is the entity's name in the history: "round/istanbul/3",
// "track/istanbul".
func (e Entity) String() string {
	if e.Kind == EntityTrack {
		return "track/" + e.Track
	}
	return string(e.Kind) + "/" + e.Track + "/" + e.Key
}

// ParseEntity reads Entity.String's form back.
func ParseEntity(s string) (Entity, error) {
	kind, rest, ok := strings.Cut(s, "/")
	if !ok || rest == "" {
		return Entity{}, fmt.Errorf("entity %q: want KIND/TRACK[/KEY]", s)
	}
	if EntityKind(kind) == EntityTrack {
		return Entity{Kind: EntityTrack, Track: rest}, nil
	}
	track, key, ok := strings.Cut(rest, "/")
	if !ok || key == "" {
		return Entity{}, fmt.Errorf("entity %q: want KIND/TRACK/KEY", s)
	}
	return Entity{Kind: EntityKind(kind), Track: track, Key: key}, nil
}

// RoundEntity names a round.
func RoundEntity(track string, number int) Entity {
	return Entity{Kind: EntityRound, Track: track, Key: strconv.Itoa(number)}
}

// PositionKey identifies a position by what makes it that position: its
// side, topic, day and summary. Positions have no ids in the dataset, and
// the key stays the same across export and import.
func PositionKey(p Position) string {
	return contentKey(p.Party, p.Topic, p.StatedOn.String(), p.Summary)
}

// StatementKey identifies a statement by its speaker, day and text.
func StatementKey(s Statement) string {
	return contentKey(s.By, s.SaidOn.String(), s.Text)
}

func contentKey(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:8])
}

// Editor is who made a change: a Discord user (ID and display name), or an
// import (ID "", Name "import FILE").
type Editor struct {
	ID   string
	Name string
}

// IsImport reports whether the change came from a file.
func (e Editor) IsImport() bool { return e.ID == "" }

// Op is what a change did.
type Op string

const (
	OpAdd    Op = "add"
	OpEdit   Op = "edit"
	OpDelete Op = "delete"
	OpUndo   Op = "undo"
)

// Change is one history record. Before and After are the entity's fields
// as text (Fields), nil when it did not exist before (an add) or no longer
// exists after (an undone add).
type Change struct {
	ID     int64
	At     time.Time
	Editor Editor
	Entity Entity
	Op     Op
	Before map[string]string
	After  map[string]string
	Source string // the source id the editor named; "" for imports
	Undoes int64  // the change an undo reverted
	Forced bool   // an import run with --force over newer edits
}

// FieldChange is one field that differs between a change's Before and After.
type FieldChange struct {
	Field, Old, New string
}

// Diff lists the fields that differ between before and after, by name.
func Diff(before, after map[string]string) []FieldChange {
	var out []FieldChange
	seen := map[string]bool{}
	for _, m := range []map[string]string{before, after} {
		for k := range m {
			if seen[k] {
				continue
			}
			seen[k] = true
			if before[k] != after[k] {
				out = append(out, FieldChange{Field: k, Old: before[k], New: after[k]})
			}
		}
	}
	slices.SortFunc(out, func(a, b FieldChange) int { return strings.Compare(a.Field, b.Field) })
	return out
}

// Edit is one change an editor saves. Exactly one of the entity pointers
// is set, and names the entity as it is to be after the edit (a round's
// number, a source's id). Base is the entity's version the editor saw (0
// for a new entity): if anyone changed it since, the edit is refused with
// a *StaleError and nothing is written.
type Edit struct {
	Editor Editor
	Base   int64
	// New says the editor adds an entity: its key (a round's number, a
	// party's id) must be free, else a *FieldError wrapping ErrExists.
	// Without it, Base 0 on an existing entity is an edit of a version that
	// has no history (data imported before history was kept).
	New bool
	// Source names the source of the edit (its id). NewSource, when set, is
	// a source created in the same transaction (a pasted URL); Source is
	// then its id.
	Source    string
	NewSource *Source

	Track     *Track // header only: id, title, timezone, guild
	Party     *Party
	Person    *Person
	SourceDoc *Source // a source added or updated (source add)
	Round     *Round
	Position  *Position
	Statement *Statement
	TrackID   string // the track of Party, Person, SourceDoc, Position, Statement

	// SettleUntil is when followers may be told (now + the settle window);
	// zero means the change is not announced.
	SettleUntil time.Time
}

// StaleError refuses an edit made on an old version: Since lists what
// changed meanwhile, oldest first.
type StaleError struct {
	Since []Change
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("changed by someone else meanwhile (%d change(s))", len(e.Since))
}

// ErrExists is wrapped by the *FieldError that refuses adding an entity
// whose key is taken.
var ErrExists = errors.New("exists already")

// FieldError refuses an edit because of one field: a reference the track
// lacks, a key already taken, a value the store cannot keep. Field is the
// entity's field name as in Fields ("party", "sources", "by"), or "number"
// and "id" for keys.
type FieldError struct {
	Field  string
	Reason string // in English, for logs and the shell
	// Code says why in a form a caller can put in its reader's words,
	// with Value the value refused; "" when Reason is another package's
	// words (a time zone or date parser's).
	Code  FieldCode
	Value string
	Err   error // ErrExists for a taken key; nil otherwise
}

// FieldCode is why a FieldError refuses its field.
type FieldCode string

const (
	FieldRequired FieldCode = "required"  // the field is empty
	FieldUnknown  FieldCode = "unknown"   // Value is not in the track
	FieldTaken    FieldCode = "taken"     // an entity with key Value exists already
	FieldInvalid  FieldCode = "invalid"   // Value is not one the field takes
	FieldCited    FieldCode = "cited"     // Value is still cited, so cannot go
	FieldNotEmpty FieldCode = "not_empty" // the track still holds records
)

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }
func (e *FieldError) Unwrap() error { return e.Err }

// ErrNothingToUndo is returned when the editor has no change left to undo.
var ErrNothingToUndo = errors.New("nothing to undo")

// UndoBlockedError refuses an undo because someone changed the entity
// after the editor did.
type UndoBlockedError struct {
	Mine  Change // the change the editor wanted undone
	Later Change // the later change by someone else
}

func (e *UndoBlockedError) Error() string {
	return fmt.Sprintf("%s was changed later by %s", e.Mine.Entity, e.Later.Editor.Name)
}

// HistoryQuery selects history records, newest first. Track "" matches
// every track; Entity narrows to one entity (its String form) or, with a
// trailing "/", to a prefix such as "position/istanbul/" plus Party.
type HistoryQuery struct {
	Track  string
	Round  int    // 0: any
	Party  string // positions and statements of a side, and the party itself
	Since  time.Time
	Limit  int
	Offset int
}

// ImportOptions says who imports and how conflicts are handled.
type ImportOptions struct {
	// By names the import in the history ("import talks.yaml").
	By string
	// FileVersion is the history version the file was exported at (its
	// `version:`), 0 for a hand-written file.
	FileVersion int64
	// Force applies the file over newer edits, and records that.
	Force bool
}

// Conflict is a field a file would overwrite that an editor changed after
// the file's version.
type Conflict struct {
	Entity    Entity
	Field     string
	File      string // the file's value
	Current   string // the stored value
	ChangedBy Editor
	ChangedAt time.Time
}

// ConflictError refuses an import that would overwrite newer edits; it
// applies nothing.
type ConflictError struct {
	Conflicts []Conflict
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d field(s) were changed after this file was made", len(e.Conflicts))
}

// UpdatesMode says which changes a following channel is told about.
type UpdatesMode string

const (
	UpdatesRounds UpdatesMode = "rounds" // round changes (the default)
	UpdatesAll    UpdatesMode = "all"    // also new positions and statements
	UpdatesNone   UpdatesMode = "none"
)

// Draft is what an editor typed into a modal, kept so that a refused
// submit can be reopened with the same text. Context holds what the
// command chose before the modal opened (track, round, side, topic,
// speaker, source).
type Draft struct {
	ID      int64
	UserID  string
	Kind    EntityKind // round, position or statement
	Base    int64      // the entity's version when the modal opened
	Context map[string]string
	Values  map[string]string // the modal's fields as typed
	Created time.Time
}

// EditUpdate is an entity whose edits wait out the settle window before
// followers are told: the changes First..Last fold into one post.
type EditUpdate struct {
	Entity      Entity
	First, Last int64
	DueAt       time.Time
}

// Editing is what /talks-edit, undo and the history need. Both engines
// implement it and pass store/storetest.
type Editing interface {
	// ApplyEdit saves one edit and its history record (and, with
	// SettleUntil, its pending update) in one transaction, or nothing.
	// A round, position or statement must name a Source, which is added
	// to its Sources when missing. Refusals: *StaleError, *FieldError
	// (ErrExists for a taken key), ErrNotFound for a missing track. An
	// edit that changes nothing writes nothing and returns a Change with
	// ID 0.
	ApplyEdit(ctx context.Context, e Edit) (Change, error)
	// Undo reverts the editor's most recent change not yet undone, unless
	// someone changed that entity after it (*UndoBlockedError).
	Undo(ctx context.Context, editor Editor, settleUntil time.Time) (Change, error)
	// Version is the id of the entity's latest change, 0 if none.
	Version(ctx context.Context, e Entity) (int64, error)
	// LatestChanges returns the latest change of each entity that has one.
	LatestChanges(ctx context.Context, es []Entity) (map[Entity]Change, error)
	// ChangeCounts returns how many changes each entity that has one has
	// seen: a calendar's SEQUENCE, for a track's rounds in one read.
	ChangeCounts(ctx context.Context, es []Entity) (map[Entity]int, error)
	// History lists changes, newest first, with the total that match.
	History(ctx context.Context, q HistoryQuery) (Page[Change], error)
	// HistoryVersion is the highest change id, 0 if none; export records it.
	HistoryVersion(ctx context.Context) (int64, error)
	// ImportWith is Import with conflict checks against the history.
	ImportWith(ctx context.Context, tracks []Track, o ImportOptions) (ImportStats, error)

	SaveEditorRole(ctx context.Context, guildID, roleID string) error // "" clears
	EditorRole(ctx context.Context, guildID string) (string, error)

	SaveDraft(ctx context.Context, d Draft) (int64, error) // ID 0 adds one
	Draft(ctx context.Context, id int64) (Draft, error)

	// DueEditUpdates lists the settled updates due at now.
	DueEditUpdates(ctx context.Context, now time.Time) ([]EditUpdate, error)
	// FinishEditUpdate records the posts planned for u (possibly none) and
	// forgets u, in one transaction, unless an edit folded into it since.
	FinishEditUpdate(ctx context.Context, u EditUpdate, ds []Delivery) error
	// Change returns one history record.
	Change(ctx context.Context, id int64) (Change, error)
}
