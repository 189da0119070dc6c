// Package backend owns DATABASE_URL: the forms it may take, and opening the
// store engine each form names.
package backend

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"talkbot/store"
	"talkbot/store/postgres"
	"talkbot/store/sqlite"
)

// Engine names a store engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Location is where a DATABASE_URL says the store lives.
type Location struct {
	Engine Engine
	// Path is the SQLite file.
	Path string
	// URL is the DATABASE_URL as given.
	URL string
}

// String describes the location without a password.
func (l Location) String() string {
	if l.Engine == SQLite {
		return "SQLite at " + l.Path
	}
	u, err := url.Parse(l.URL)
	if err != nil {
		return "PostgreSQL"
	}
	return "PostgreSQL at " + u.Redacted()
}

// DefaultPath is the SQLite file an empty DATABASE_URL names.
const DefaultPath = "talkbot.db"

// Parse reads a DATABASE_URL: empty for DefaultPath, sqlite:PATH or
// file:PATH for SQLite, postgres:// or postgresql:// for PostgreSQL. Its
// errors never echo the URL, which may hold a password.
func Parse(v string) (Location, error) {
	switch {
	case v == "":
		return Location{Engine: SQLite, Path: DefaultPath}, nil
	case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
		if _, err := url.Parse(v); err != nil {
			return Location{}, errors.New("not a valid PostgreSQL URL: use postgres://USER:PASS@HOST:5432/DB")
		}
		return Location{Engine: Postgres, URL: v}, nil
	case strings.HasPrefix(v, "sqlite:"), strings.HasPrefix(v, "file:"):
		_, path, _ := strings.Cut(v, ":")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return Location{}, fmt.Errorf("%q names no file: use sqlite:PATH, e.g. sqlite:/data/talkbot.db", v)
		}
		return Location{Engine: SQLite, Path: path, URL: v}, nil
	}
	return Location{}, errors.New("unsupported database URL: use sqlite:PATH, file:PATH or postgres://USER:PASS@HOST/DB")
}

// Open opens and migrates the store a DATABASE_URL names.
func Open(ctx context.Context, databaseURL string, now func() time.Time) (store.Store, error) {
	loc, err := Parse(databaseURL)
	if err != nil {
		return nil, err
	}
	if loc.Engine == SQLite {
		return sqlite.Open(ctx, loc.Path, now)
	}
	return postgres.Open(ctx, loc.URL, now)
}
