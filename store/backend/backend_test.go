package backend_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talkbot/store"
	"talkbot/store/backend"
	"talkbot/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestDatabaseURL(t *testing.T) {
	cases := []struct {
		name, in   string
		wantEngine backend.Engine
		wantPath   string
		wantErr    string
	}{
		{"empty is the default file", "", backend.SQLite, "talkbot.db", ""},
		{"sqlite: names a path", "sqlite:/data/t.db", backend.SQLite, "/data/t.db", ""},
		{"sqlite:// is accepted too", "sqlite:///data/t.db", backend.SQLite, "/data/t.db", ""},
		{"file: names a path", "file:t.db", backend.SQLite, "t.db", ""},
		{"postgres URLs select PostgreSQL", "postgres://u:p@h/db", backend.Postgres, "", ""},
		{"postgresql URLs too", "postgresql://h/db", backend.Postgres, "", ""},
		{"sqlite: with no path is refused", "sqlite:", "", "", "names no file"},
		{"another scheme is refused", "mysql://h/db", "", "", "use sqlite:PATH"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := backend.Parse(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Parse(%q) error = %v; want one containing %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil || d.Engine != tc.wantEngine || (tc.wantPath != "" && d.Path != tc.wantPath) {
				t.Errorf("Parse(%q) = %+v, %v; want %s %s", tc.in, d, err, tc.wantEngine, tc.wantPath)
			}
		})
	}
}

func TestPasswordIsNotDescribed(t *testing.T) {
	d, err := backend.Parse("postgres://talkbot:hunter2@db:5432/talkbot")
	if err != nil {
		t.Fatal(err)
	}
	if s := d.String(); strings.Contains(s, "hunter2") || !strings.Contains(s, "db:5432") {
		t.Errorf("Location.String() = %q; want the host without the password", s)
	}
}

// Open opens the engine each form names: a store that keeps what it is
// given, and a refusal naming the forms that work.
func TestOpenFollowsTheURL(t *testing.T) {
	now := func() time.Time { return time.Date(2025, 5, 29, 8, 0, 0, 0, time.UTC) }
	urls := map[string]string{
		"sqlite:PATH":   "sqlite:" + filepath.Join(t.TempDir(), "a.db"),
		"file:PATH":     "file:" + filepath.Join(t.TempDir(), "b.db"),
		"postgres://..": pgtest.URL(t),
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			s, err := backend.Open(t.Context(), u, now)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Import(t.Context(), []store.Track{{ID: "t", Title: "T", Timezone: "UTC"}}); err != nil {
				t.Fatal(err)
			}
			tracks, err := s.Tracks(t.Context())
			if err != nil || len(tracks) != 1 || tracks[0].ID != "t" {
				t.Errorf("after an import, tracks = %+v, %v; want the one imported", tracks, err)
			}
		})
	}
	if _, err := backend.Open(t.Context(), "mysql://u:secret@h/db", now); err == nil || !strings.Contains(err.Error(), "use sqlite:PATH, file:PATH or postgres://") || strings.Contains(err.Error(), "secret") {
		t.Errorf("opening a mysql URL: %v; want a refusal naming the forms that work, without the password", err)
	}
}
