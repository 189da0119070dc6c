package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
	"unicode"

	"modernc.org/sqlite"

	"talkbot/store"
	"talkbot/store/sqlstore"
)

// Search is partitioned by track inside one FTS5 index: every word of a
// document is indexed as its track's tag followed by the word
// ("kxqzb…ceasefire"). A search in a track then walks only that track's
// postings, and BM25's document frequencies are the track's own, so a word
// that is common in a big dataset costs what it costs in one track.
//
// The index is contentless with columnsize=0: FTS5 reads each match's
// length with a separate lookup that costs about as much as everything else
// per ranked row in pure-Go SQLite, and the documents are a sentence or a
// paragraph, so BM25 runs without length normalisation (like PostgreSQL's
// ts_rank). Equally good matches come newest first: the FTS rowid carries
// the document's date above its search_docs id (see searchRowid).
//
// The functions below are registered with the driver and called by the
// triggers in migrations/00003_search_by_track.sql. Deleting from a
// contentless index takes the terms a document was indexed with, so any
// change to how terms are made must change tokenizer, which rebuilds the
// index at the next Open.

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("talkbot_search_terms", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		track, body, err := twoStrings(args)
		if err != nil {
			return nil, fmt.Errorf("talkbot_search_terms: %w", err)
		}
		return indexTerms(track, body), nil
	})
	sqlite.MustRegisterDeterministicScalarFunction("talkbot_search_rowid", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		id, ok := args[0].(int64)
		on, ok2 := args[1].(string)
		if !ok || !ok2 {
			return nil, fmt.Errorf("talkbot_search_rowid(id, on_date): got %T, %T", args[0], args[1])
		}
		return searchRowid(id, on)
	})
	sqlite.MustRegisterDeterministicScalarFunction("talkbot_search_match", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		text, tracks, err := twoStrings(args)
		if err != nil {
			return nil, fmt.Errorf("talkbot_search_match: %w", err)
		}
		var ids []string
		if tracks != "" {
			ids = strings.Split(tracks, trackSep)
		}
		return matchQuery(text, ids), nil
	})
}

// trackSep separates the track ids handed to talkbot_search_match; it is
// SQLite's char(31), which no id contains.
const trackSep = "\x1f"

// tokenizer names how indexTerms splits and tags words. Deleting a document
// from the index re-derives its terms, so an index built under another
// tokenizer (a Go release with newer Unicode tables, or a change here) must
// be rebuilt before anything is deleted from it.
var tokenizer = "fnv64-consonant12/unicode-" + unicode.Version

// indexSearch (re)builds the search index when it was not built by this
// tokenizer, in one transaction: about 2 s for the large benchmark dataset,
// once per upgrade that changes the tokenizer.
func indexSearch(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var built string
	err = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'search_tokenizer'`).Scan(&built)
	if err == nil && built == tokenizer {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("reading the search tokenizer: %w", err)
	}
	for _, q := range []string{
		`INSERT INTO search_fts (search_fts) VALUES ('delete-all')`,
		`INSERT INTO search_fts (rowid, terms)
			SELECT talkbot_search_rowid(id, on_date), talkbot_search_terms(track_id, body) FROM search_docs`,
		`INSERT INTO search_fts (search_fts) VALUES ('optimize')`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuilding the search index: %w", err)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('search_tokenizer', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, tokenizer)
	if err != nil {
		return fmt.Errorf("recording the search tokenizer: %w", err)
	}
	return tx.Commit()
}

// twoStrings reads two text arguments; NULL reads as "".
func twoStrings(args []driver.Value) (string, string, error) {
	var out [2]string
	for i, a := range args {
		switch v := a.(type) {
		case nil:
		case string:
			out[i] = v
		case []byte:
			out[i] = string(v)
		default:
			return "", "", fmt.Errorf("argument %d is %T, not text", i+1, a)
		}
	}
	return out[0], out[1], nil
}

// tagLetters are consonants only: Porter's stemmer measures a word by its
// vowel-consonant runs after any leading consonants, so a consonant tag
// leaves the stemming of the word behind it as it was.
const tagLetters = "bcdfghjklmnpqrstvwxz"

// trackTag names a track in the index: 12 letters from a 64-bit hash of its
// id (about 2^52 values, so a clash between two tracks is not a practical
// concern; a search still keeps only its own track's rows). Tags are short
// enough that tagged words stay under FTS5's 64-byte stemming limit.
func trackTag(track string) string {
	h := fnv.New64a()
	h.Write([]byte(track))
	v := h.Sum64()
	var b [12]byte
	for i := range b {
		b[i] = tagLetters[v%uint64(len(tagLetters))]
		v /= uint64(len(tagLetters))
	}
	return string(b[:])
}

// indexTerms is what the index holds for a document of a track.
func indexTerms(track, body string) string {
	tag := trackTag(track)
	var sb strings.Builder
	for i, w := range store.Words(body) {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(tag)
		sb.WriteString(w)
	}
	return sb.String()
}

// searchRowid places a document in the index: its date in days since 1970
// above its id, so that ordering by rowid descending puts the newest first.
func searchRowid(id int64, on string) (int64, error) {
	if id < 0 || id > 0xffffffff {
		return 0, fmt.Errorf("search document id %d does not fit in 32 bits", id)
	}
	var days int64
	if on != "" {
		t, err := time.Parse(time.DateOnly, on)
		if err != nil {
			return 0, fmt.Errorf("search document %d: date %q: %w", id, on, err)
		}
		days = t.Unix() / 86400
	}
	return days<<32 | id, nil
}

// noMatch is an FTS5 query that matches nothing (an empty phrase).
const noMatch = `""`

// matchQuery turns typed text into an FTS5 query over the given tracks:
// every word must appear in a document of one of them. Words are quoted,
// so FTS5 operators a user types (AND, NEAR, *, column filters) are plain
// words.
func matchQuery(text string, tracks []string) string {
	ws := store.Words(text)
	if len(ws) == 0 || len(tracks) == 0 {
		return noMatch
	}
	var sb strings.Builder
	for i, t := range tracks {
		if i > 0 {
			sb.WriteString(" OR ")
		}
		tag := trackTag(t)
		sb.WriteByte('(')
		for j, w := range ws {
			if j > 0 {
				sb.WriteString(" AND ")
			}
			sb.WriteString(`"` + tag + w + `"`)
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// search ranks inside FTS5 with the outer sorter's top-N (cheaper than
// FTS5's own ORDER BY rank, which sorts every match) and joins only the top
// rows to their documents. Across tracks the match is built in SQL from the
// tracks there are. The index keeps common words, but words, from
// store.SearchWords, has none of them, as on PostgreSQL.
func search(words []string, track string, limit int) (string, []any) {
	text := strings.Join(words, " ")
	match, args := `?`, []any{matchQuery(text, []string{track})}
	if track == "" {
		match, args = `talkbot_search_match(?, (SELECT group_concat(id, char(31)) FROM tracks))`, []any{text}
	}
	q := `SELECT ` + sqlstore.SearchColumns + ` FROM (
		SELECT rowid AS k, bm25(search_fts) AS score FROM search_fts WHERE search_fts MATCH ` + match + `
		ORDER BY score, k DESC LIMIT ?
	) AS f JOIN search_docs d ON d.id = f.k & 4294967295`
	if track != "" {
		// Two tracks whose tags clash would share postings; keep ours.
		q += ` AND d.track_id = ?`
		args = append(args, limit, track)
	} else {
		args = append(args, limit)
	}
	return q + ` ORDER BY f.score, f.k DESC`, args
}
