package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"talkbot/store"
	"talkbot/store/sqlstore"
)

func searchTrack(statements ...string) store.Track {
	t := store.Track{
		ID: "t", Title: "T", Timezone: "UTC",
		Parties: []store.Party{{ID: "p", Name: "P", Role: store.RoleParty}},
		People:  []store.Person{{ID: "a", Name: "A", Party: "p"}},
		Sources: []store.Source{{ID: "s", Publisher: "S"}},
	}
	for i, text := range statements {
		t.Statements = append(t.Statements, store.Statement{
			Track: "t", By: "a", Party: "p", Text: text, Sources: []string{"s"},
			SaidOn: store.Date{Year: 2025, Month: time.January, Day: i + 1},
		})
	}
	return t
}

func texts(t *testing.T, s *sqlstore.DB, track, query string) []string {
	t.Helper()
	hits, err := s.Search(t.Context(), store.SearchQuery{Track: track, Text: query})
	if err != nil {
		t.Fatalf("Search(%q): %v", query, err)
	}
	var out []string
	for _, h := range hits {
		out = append(out, h.Text)
	}
	slices.Sort(out)
	return out
}

func integrityCheck(t *testing.T, db *sql.DB) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), `INSERT INTO search_fts (search_fts) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("search index integrity check: %v", err)
	}
}

// A database made before search was partitioned by track gets its
// documents indexed by the migration, and later imports keep the index
// consistent.
func TestMigrationIndexesExistingDocuments(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "talkbot.db")
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	sub, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, raw, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	// The rows an import of the time wrote for two statements; today's
	// import needs columns of later migrations.
	for _, q := range []string{
		`INSERT INTO tracks (id, title, timezone, search_key) VALUES ('t', 'T', 'UTC', ' t ')`,
		`INSERT INTO statements (track_id, seq, person, party, said_on, medium, text, sources) VALUES
			('t', 0, 'a', 'p', '2025-01-01', '', 'The ceasefire holds.', '1:s,'),
			('t', 1, 'a', 'p', '2025-01-02', '', 'Prisoners were exchanged.', '1:s,')`,
		`INSERT INTO search_docs (track_id, kind, round, party, person, topic, on_date, body, sources) VALUES
			('t', 'statement', 0, 'p', 'a', '', '2025-01-01', 'The ceasefire holds.', '1:s,'),
			('t', 'statement', 0, 'p', 'a', '', '2025-01-02', 'Prisoners were exchanged.', '1:s,')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := migrate(ctx, raw); err != nil {
		t.Fatalf("migrating to the partitioned index: %v", err)
	}
	s := sqlstore.New(raw, dialect, time.Now)
	if got, want := texts(t, s, "t", "ceasefire"), []string{"The ceasefire holds."}; !slices.Equal(got, want) {
		t.Errorf("after the migration, search = %q; want %q", got, want)
	}
	// Replacing the statements deletes the old documents from the index.
	if _, err := s.Import(ctx, []store.Track{searchTrack("The truce holds.")}); err != nil {
		t.Fatal(err)
	}
	if got := texts(t, s, "t", "ceasefire"); len(got) != 0 {
		t.Errorf("after re-import, search for a removed word = %q; want nothing", got)
	}
	if got, want := texts(t, s, "", "truce"), []string{"The truce holds."}; !slices.Equal(got, want) {
		t.Errorf("search across tracks = %q; want %q", got, want)
	}
	integrityCheck(t, raw)
}

func TestSearchWords(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "talkbot.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other := searchTrack("Türkiye hosted the ceasefire talks.")
	other.ID = "other track"
	for i := range other.Statements {
		other.Statements[i].Track = "other track"
	}
	tracks := []store.Track{searchTrack(
		"Türkiye was thanked for facilitating.",
		"1,000 prisoners for 1,000.",
		"Агентство ТАСС сообщило о переговорах.",
		"The yielding position.",
	), other}
	if _, err := s.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ track, query, want string }{
		{"t", "Turkiye", "Türkiye was thanked for facilitating."},
		{"t", "TÜRKİYE facilitated", "Türkiye was thanked for facilitating."},
		{"t", "1,000", "1,000 prisoners for 1,000."},
		{"t", "переговорах", "Агентство ТАСС сообщило о переговорах."},
		{"t", "yields", "The yielding position."},
		{"other track", "Türkiye", "Türkiye hosted the ceasefire talks."},
	} {
		if got := texts(t, s, tc.track, tc.query); !slices.Equal(got, []string{tc.want}) {
			t.Errorf("Search(track %q, %q) = %q; want [%q]", tc.track, tc.query, got, tc.want)
		}
	}
	if got := texts(t, s, "", "Türkiye"); len(got) != 2 {
		t.Errorf("Search across tracks for Türkiye = %q; want both tracks' statements", got)
	}
	if got := texts(t, s, "missing", "Türkiye"); len(got) != 0 {
		t.Errorf("Search in an unknown track = %q; want nothing", got)
	}
}

func TestTrackTags(t *testing.T) {
	// Stored documents are deleted from the index by re-deriving their
	// terms, so a change of tags must come with a new tokenizer name.
	if got, want := trackTag("ru-ua-istanbul"), "jtnpckfnmwsm"; got != want {
		t.Errorf("trackTag(ru-ua-istanbul) = %q; want %q (if this is meant, rename tokenizer so stored indexes are rebuilt)", got, want)
	}
	seen := map[string]string{}
	for _, id := range []string{"ru-ua-istanbul", "geneva", "t", "", "a-very-long-track-identifier-that-goes-on-and-on"} {
		tag := trackTag(id)
		if len(tag) != 12 {
			t.Errorf("trackTag(%q) = %q; want 12 letters", id, tag)
		}
		for _, r := range tag {
			if !strings.ContainsRune(tagLetters, r) {
				t.Errorf("trackTag(%q) = %q has %q, not a consonant", id, tag, r)
			}
		}
		if prev, ok := seen[tag]; ok {
			t.Errorf("trackTag(%q) = trackTag(%q)", id, prev)
		}
		seen[tag] = id
	}
}

// An index built by another tokenizer (say, a Go release with newer Unicode
// tables) is rebuilt when the store opens, before anything deletes from it.
func TestOpenRebuildsIndexOfAnotherTokenizer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talkbot.db")
	s, err := Open(t.Context(), path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(t.Context(), []store.Track{searchTrack("The ceasefire holds.")}); err != nil {
		t.Fatal(err)
	}
	// Stand-in for an index whose terms this binary would not derive.
	for _, q := range []string{
		`INSERT INTO search_fts (search_fts) VALUES ('delete-all')`,
		`UPDATE meta SET value = 'an older tokenizer' WHERE key = 'search_tokenizer'`,
	} {
		if _, err := s.SQL().ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	if got := texts(t, s, "t", "ceasefire"); len(got) != 0 {
		t.Fatalf("the emptied index still finds %q", got)
	}
	s.Close()
	s, err = Open(t.Context(), path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := texts(t, s, "t", "ceasefire"), []string{"The ceasefire holds."}; !slices.Equal(got, want) {
		t.Errorf("after reopening, search = %q; want %q", got, want)
	}
	// The rebuilt index takes deletions.
	if _, err := s.Import(t.Context(), []store.Track{searchTrack("The truce holds.")}); err != nil {
		t.Fatal(err)
	}
	if got := texts(t, s, "t", "ceasefire"); len(got) != 0 {
		t.Errorf("after re-import, search for a removed word = %q; want nothing", got)
	}
	integrityCheck(t, s.SQL())
}
