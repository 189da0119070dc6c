package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"talkbot/store"
)

// roundDetails holds a round's lists, stored as one JSON column: they are
// always read together with the round and never queried on their own.
type roundDetails struct {
	Delegations []store.Delegation `json:"delegations,omitempty"`
	Mediators   []string           `json:"mediators,omitempty"`
	Agenda      []string           `json:"agenda,omitempty"`
	Outcomes    []string           `json:"outcomes,omitempty"`
	Documents   []string           `json:"documents,omitempty"`
}

func encodeList(v []string) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v) // a []string always marshals
	return string(b)
}

func decodeList(s string) ([]string, error) {
	var v []string
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("decoding list %q: %w", s, err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	return v, nil
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
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
