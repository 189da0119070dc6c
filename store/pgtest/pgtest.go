// Package pgtest gives tests a fresh, empty database on a real PostgreSQL
// server: the server named by TALKBOT_TEST_POSTGRES_URL, or else a throwaway
// server started once per test binary from the local PostgreSQL installation.
//
// A package that uses it runs its tests through Main:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable that points the tests at an existing server. Its
// value is an admin URL (or keyword/value string) allowed to create databases.
const EnvURL = "TALKBOT_TEST_POSTGRES_URL"

// EnvRequire, when set (CI sets it), turns "PostgreSQL not installed" from a
// skip into a failure.
const EnvRequire = "TALKBOT_REQUIRE_POSTGRES"

// EnvBin names the variable that overrides where initdb, pg_ctl and postgres
// are looked for.
const EnvBin = "TALKBOT_PG_BIN"

// local is the throwaway server of this test binary. It is package state,
// unlike everything else in talkbot, because its lifetime is the test
// binary's: the first URL call starts it, Main stops it after the last test.
var local struct {
	mu     sync.Mutex
	inMain bool    // Main is running, so someone will stop the server
	tried  bool    // a start was attempted; its outcome is below
	srv    *server // nil unless started
	skip   string  // why the tests are skipped (no PostgreSQL installed)
	err    error   // why the server could not start
}

// Main runs the tests and then stops the throwaway server, if one was
// started, even when tests failed. It returns m.Run's exit code, or 1 if the
// tests passed but the server could not be stopped cleanly; pass it to
// os.Exit from TestMain.
func Main(m *testing.M) int {
	local.mu.Lock()
	local.inMain = true
	local.mu.Unlock()

	code := m.Run()

	local.mu.Lock()
	srv := local.srv
	local.srv = nil
	local.mu.Unlock()
	if srv != nil {
		if err := srv.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stopping the throwaway PostgreSQL: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

// URL returns the URL of a fresh, empty database on a real PostgreSQL server;
// the database is dropped at t.Cleanup. With TALKBOT_TEST_POSTGRES_URL set,
// the database is created on that server. Otherwise a throwaway server is
// started on first use (trust auth, 127.0.0.1, a free port, fsync off) and
// shared by the binary's tests. Without a PostgreSQL installation the test is
// skipped; any other failure fails it.
func URL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvURL)
	if admin == "" {
		admin = localServer(t)
	}

	name := databaseName(t)
	dbURL, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", EnvURL, err)
	}
	ident := pgx.Identifier{name}.Sanitize()
	// template0 because nobody can be connected to it, which CREATE
	// DATABASE requires of its template; UTF8 because the data is not ASCII.
	if err := execAdmin(admin, "CREATE DATABASE "+ident+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatalf("pgtest: creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// FORCE ends sessions a test left open (PostgreSQL 13 and later).
		if err := execAdmin(admin, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: dropping database %s: %v", name, err)
		}
	})
	return dbURL
}

// localServer returns the admin URL of the throwaway server, starting it on
// the first call. Callers that arrive during the start wait for it.
func localServer(t testing.TB) string {
	t.Helper()
	local.mu.Lock()
	defer local.mu.Unlock()
	if !local.inMain {
		t.Fatalf("pgtest: the package's TestMain must call os.Exit(pgtest.Main(m)) so the throwaway PostgreSQL is stopped (or set %s)", EnvURL)
	}
	if !local.tried {
		local.tried = true
		local.srv, local.skip, local.err = startLocal()
		if local.srv != nil {
			t.Logf("pgtest: started PostgreSQL %s from %s at %s", local.srv.version, local.srv.bin, local.srv.url)
		}
	}
	switch {
	case local.skip != "" && os.Getenv(EnvRequire) != "":
		t.Fatalf("pgtest: %s, and %s is set: CI must test against a real server", local.skip, EnvRequire)
	case local.skip != "":
		t.Skip(local.skip)
	case local.err != nil:
		t.Fatalf("pgtest: %v", local.err)
	}
	return local.srv.url
}

// databaseName is unique across test binaries sharing one server (the random
// part) and still says which test made it, for whoever finds it left over.
func databaseName(t testing.TB) string {
	var b strings.Builder
	b.WriteString("talkbot_")
	for _, r := range strings.ToLower(t.Name()) {
		if b.Len() >= 40 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	var random [6]byte
	_, _ = rand.Read(random[:]) // crypto/rand.Read never returns an error
	return b.String() + "_" + hex.EncodeToString(random[:])
}

// withDatabase returns admin with its database replaced by name. admin is
// either a postgres:// URL or a keyword/value string.
func withDatabase(admin, name string) (string, error) {
	if _, err := pgx.ParseConfig(admin); err != nil {
		return "", err
	}
	if strings.HasPrefix(admin, "postgres://") || strings.HasPrefix(admin, "postgresql://") {
		u, err := url.Parse(admin)
		if err != nil {
			return "", err
		}
		u.Path, u.RawPath = "/"+name, ""
		return u.String(), nil
	}
	// In a keyword/value string the last setting of a keyword wins.
	return admin + " dbname=" + name, nil
}

// execAdmin runs one statement on its own connection, so no pool is left
// connected to the server when the tests end.
func execAdmin(admin, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
