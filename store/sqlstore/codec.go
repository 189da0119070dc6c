package sqlstore

import (
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"talkbot/store"
)

// Lists (a round's agenda, its sources, a delegation's members...) are
// stored as netstrings ("5:hello,"): always read with their row, never
// queried on their own, and decoding them is a slice operation where JSON
// decoding cost more than the query that read them.

func appendNetstring(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	b = append(b, s...)
	return append(b, ',')
}

func encodeList(v []string) string {
	var b []byte
	for _, s := range v {
		b = appendNetstring(b, s)
	}
	return string(b)
}

// decodeList reads netstrings; nil for an empty list. The strings share
// the memory of s.
func decodeList(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	for s != "" {
		colon := strings.IndexByte(s, ':')
		n, err := strconv.Atoi(s[:max(colon, 0)])
		if colon < 0 || err != nil || n < 0 || s[:colon] != strconv.Itoa(n) || colon+1+n >= len(s) || s[colon+1+n] != ',' {
			return nil, fmt.Errorf("corrupt list %.40q", s)
		}
		out = append(out, s[colon+1:colon+1+n])
		s = s[colon+n+2:]
	}
	return out, nil
}

// encodeDetails packs a round's lists: mediators, agenda, outcomes,
// documents, then one list per delegation (party, head, members...), then,
// when the round has notes, notesTag followed by the notes list.
//
// Notes came after the layout was fixed. A delegation's part is a list, so
// it starts with a digit; the notes part starts with notesTag instead, so
// rows written before notes existed read as they always did (no notes) and
// no migration rewrites them.
func encodeDetails(r store.Round) string {
	parts := []string{encodeList(r.Mediators), encodeList(r.Agenda), encodeList(r.Outcomes), encodeList(r.Documents)}
	for _, d := range r.Delegations {
		parts = append(parts, encodeList(append([]string{d.Party, d.Head}, d.Members...)))
	}
	if len(r.Notes) > 0 {
		parts = append(parts, notesTag+encodeList(r.Notes))
	}
	return encodeList(parts)
}

// notesTag starts the part of a round's details that holds its notes.
const notesTag = "n"

func decodeDetails(s string, r *store.Round) error {
	parts, err := decodeList(s)
	if err != nil || len(parts) < 4 {
		return fmt.Errorf("corrupt round details %.40q: %v", s, err)
	}
	lists := [4]*[]string{&r.Mediators, &r.Agenda, &r.Outcomes, &r.Documents}
	for i, l := range lists {
		if *l, err = decodeList(parts[i]); err != nil {
			return err
		}
	}
	r.Delegations, r.Notes = nil, nil
	for _, p := range parts[4:] {
		if notes, ok := strings.CutPrefix(p, notesTag); ok {
			if r.Notes, err = decodeList(notes); err != nil {
				return fmt.Errorf("corrupt round notes %.40q: %v", p, err)
			}
			continue
		}
		d, err := decodeList(p)
		if err != nil || len(d) < 2 {
			return fmt.Errorf("corrupt delegation %.40q: %v", p, err)
		}
		r.Delegations = append(r.Delegations, store.Delegation{Party: d[0], Head: d[1], Members: nilIfEmpty(d[2:])})
	}
	return nil
}

func parseDate(s string) (store.Date, error) {
	if s == "" {
		return store.Date{}, nil
	}
	return store.ParseDate(s)
}

func unixOrNull(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

func fromUnix(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).UTC()
}

// normalizeWhen drops what the database cannot keep (sub-second precision,
// the location pointer) so that a stored round compares equal to the one
// that was imported.
func normalizeWhen(w store.When) store.When {
	if w.Date.IsZero() {
		return store.When{}
	}
	if !w.At.IsZero() {
		w.At = time.Unix(w.At.Unix(), 0).UTC()
	}
	return w
}

// words lowercases s and splits it into runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// searchKey is what autocomplete matches a prefix against: every word of
// the id and name, each preceded by a space, so "lav" finds "Sergey Lavrov".
func searchKey(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, w := range words(p) {
			b.WriteByte(' ')
			b.WriteString(w)
		}
	}
	b.WriteByte(' ')
	return b.String()
}

// likeEscape escapes LIKE wildcards with a backslash (queries say ESCAPE '\').
func likeEscape(s string) string { return likeEscaper.Replace(s) }

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Offsets are stored as Go durations separated by commas ("24h0m0s,15m0s"):
// Duration.String and time.ParseDuration round-trip every value exactly,
// and the column stays readable in a SQL shell.

func encodeOffsets(v []time.Duration) string {
	var b []byte
	for i, d := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, d.String()...)
	}
	return string(b)
}

// decodeOffsets reads encodeOffsets; nil for an empty list.
func decodeOffsets(s string) ([]time.Duration, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]time.Duration, len(parts))
	for i, p := range parts {
		d, err := time.ParseDuration(p)
		if err != nil {
			return nil, fmt.Errorf("corrupt offsets %.40q: %w", s, err)
		}
		out[i] = d
	}
	return out, nil
}

// The reminder tables keep instants in unix milliseconds, NULL for none.

func millisOrNull(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromMillis(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMilli(n.Int64).UTC()
}

// encodeNames packs the translations of original: original first, then
// language, name pairs in the order of the languages, so equal names
// encode equally; "" for none.
//
// Keeping the original lets an edit from Discord, which has no
// translations, leave them in place: they are read only while the name is
// still the one they translate (decodeNames), so a rename hides them and
// the undo of the rename shows them again.
func encodeNames(original string, n store.Names) string {
	if len(n) == 0 {
		return ""
	}
	langs := slices.Sorted(maps.Keys(n))
	list := make([]string, 0, 1+2*len(langs))
	list = append(list, original)
	for _, l := range langs {
		list = append(list, l, n[l])
	}
	return encodeList(list)
}

// decodeNames reads encodeNames for the name now stored; nil for none, as
// the dataset gives, and when the translations are of another name.
func decodeNames(s, name string) (store.Names, error) {
	list, err := decodeList(s)
	if err != nil || len(list)%2 != 1 && len(list) != 0 {
		return nil, fmt.Errorf("corrupt names %.40q: %v", s, err)
	}
	if len(list) == 0 || list[0] != name {
		return nil, nil
	}
	n := make(store.Names, len(list)/2)
	for i := 1; i < len(list); i += 2 {
		n[list[i]] = list[i+1]
	}
	return n, nil
}
