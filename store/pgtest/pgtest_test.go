package pgtest_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"talkbot/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatalf("connecting to %s: %v", url, err)
	}
	// t.Context is already cancelled when cleanups run.
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func currentDatabase(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	var name string
	if err := conn.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestTwoURLsAreSeparateEmptyDatabases(t *testing.T) {
	urlA, urlB := pgtest.URL(t), pgtest.URL(t)
	if urlA == urlB {
		t.Fatalf("both calls returned %s", urlA)
	}
	a, b := connect(t, urlA), connect(t, urlB)
	nameA, nameB := currentDatabase(t, a), currentDatabase(t, b)
	if nameA == nameB {
		t.Fatalf("both URLs reach database %s", nameA)
	}
	t.Logf("databases %s and %s", nameA, nameB)

	var tables int
	if err := a.QueryRow(t.Context(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("fresh database has %d tables, want 0", tables)
	}

	if _, err := a.Exec(t.Context(), "CREATE TABLE rounds (number int PRIMARY KEY, venue text)"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(t.Context(), "INSERT INTO rounds VALUES (1, 'Çırağan Palace, İstanbul')"); err != nil {
		t.Fatal(err)
	}
	var venue string
	if err := a.QueryRow(t.Context(), "SELECT venue FROM rounds WHERE number = 1").Scan(&venue); err != nil {
		t.Fatal(err)
	}
	if venue != "Çırağan Palace, İstanbul" {
		t.Errorf("venue read back as %q", venue)
	}

	var inB *string
	if err := b.QueryRow(t.Context(), "SELECT to_regclass('public.rounds')::text").Scan(&inB); err != nil {
		t.Fatal(err)
	}
	if inB != nil {
		t.Errorf("table created in %s is visible in %s as %s", nameA, nameB, *inB)
	}
}

func TestDatabaseIsDroppedAtCleanup(t *testing.T) {
	observer := connect(t, pgtest.URL(t))
	var name string
	t.Run("a test that uses a database", func(t *testing.T) {
		conn := connect(t, pgtest.URL(t)) // left open: the drop must still succeed
		name = currentDatabase(t, conn)
	})
	var n int
	if err := observer.QueryRow(t.Context(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

func TestParallelTestsShareOneServer(t *testing.T) {
	var mu sync.Mutex
	ports := map[int]bool{}
	t.Run("group", func(t *testing.T) {
		for _, name := range []string{"first", "second", "third", "fourth"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				conn := connect(t, pgtest.URL(t))
				var port int
				if err := conn.QueryRow(t.Context(), "SELECT inet_server_port()").Scan(&port); err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				ports[port] = true
				mu.Unlock()
			})
		}
	})
	if len(ports) != 1 {
		t.Errorf("parallel tests reached servers on ports %v; want one server", ports)
	}
}
