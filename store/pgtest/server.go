package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

const notInstalled = "PostgreSQL not installed (no initdb in /usr/lib/postgresql/*/bin or PATH); set " + EnvURL + " to run the PostgreSQL tests"

// dirPrefix starts the name of every throwaway server's directory, which
// goes on with the owning test binary's pid.
const dirPrefix = "talkbot-pgtest-"

// readyWithin bounds how long the server may take to accept connections.
const readyWithin = 30 * time.Second

// server is a throwaway PostgreSQL cluster in a temporary directory, run as
// a child process of the test binary.
type server struct {
	dir     string   // temporary directory: data/, the socket, postgres.log
	bin     string   // directory of initdb, pg_ctl and postgres
	asUser  []string // command prefix that drops root to the postgres user; nil when not root
	url     string   // admin URL of the postgres database
	version string   // server_version, reported once started

	cmd     *exec.Cmd
	exited  chan struct{} // closed when cmd has exited
	waitErr error         // cmd's exit status, set before exited is closed
}

func (s *server) data() string    { return filepath.Join(s.dir, "data") }
func (s *server) logPath() string { return filepath.Join(s.dir, "postgres.log") }

// command runs a PostgreSQL program from s.bin, as the postgres user when
// the test runs as root (initdb and postgres refuse to run as root).
func (s *server) command(program string, args ...string) *exec.Cmd {
	argv := append(slices.Clone(s.asUser), filepath.Join(s.bin, program))
	argv = append(argv, args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = s.dir // the postgres user may not be able to enter the test's directory
	return cmd
}

// startLocal starts a throwaway server. It returns a skip reason when
// PostgreSQL is not installed and an error for every other failure.
func startLocal() (_ *server, skip string, _ error) {
	bin, err := findBin()
	if err != nil {
		return nil, "", err
	}
	if bin == "" {
		return nil, notInstalled, nil
	}
	for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(bin, p)); err != nil {
			return nil, "", fmt.Errorf("incomplete PostgreSQL installation in %s: %w", bin, err)
		}
	}

	removeStale()
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", dirPrefix, os.Getpid()))
	if err != nil {
		return nil, "", err
	}
	s := &server{dir: dir, bin: bin}
	if err := s.init(); err != nil {
		_ = os.RemoveAll(dir) // the error already carries initdb's output
		return nil, "", err
	}
	// Another test binary may take the free port between our probe and the
	// server's bind, so a bind failure is retried on a new port.
	for attempt := 1; ; attempt++ {
		err = s.start()
		if err == nil {
			return s, "", nil
		}
		if attempt == 3 || !s.hasExited() || !strings.Contains(s.logTail(), "could not bind") {
			break
		}
	}
	err = fmt.Errorf("%w\n--- postgres.log (tail) ---\n%s", err, s.logTail())
	if stopErr := s.stop(); stopErr != nil {
		err = errors.Join(err, stopErr)
	}
	return nil, "", err
}

// findBin returns the directory holding initdb: $TALKBOT_PG_BIN, the
// highest version under /usr/lib/postgresql (Debian's layout), or initdb's
// directory on PATH. It returns "" when none is found.
func findBin() (string, error) {
	if dir := os.Getenv(EnvBin); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvBin, dir, err)
		}
		return dir, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb") // the pattern is valid
	if len(matches) > 0 {
		slices.SortFunc(matches, func(a, b string) int {
			return compareVersions(filepath.Base(filepath.Dir(filepath.Dir(a))), filepath.Base(filepath.Dir(filepath.Dir(b))))
		})
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return "", nil
	}
	// Resolve links so pg_ctl and postgres come from the same installation.
	if real, err := filepath.EvalSymlinks(initdb); err == nil {
		initdb = real
	}
	return filepath.Dir(initdb), nil
}

// compareVersions orders "9.6" before "15" by comparing numeric parts.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errX := strconv.Atoi(as[i])
		y, errY := strconv.Atoi(bs[i])
		if errX != nil || errY != nil {
			return strings.Compare(as[i], bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return len(as) - len(bs)
}

// init creates the cluster, handing the directory to the postgres user
// first when running as root.
func (s *server) init() error {
	if os.Geteuid() == 0 {
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			return fmt.Errorf("running as root, PostgreSQL must run as the postgres user: %w", err)
		}
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root, PostgreSQL must run as the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid) // numeric on Unix
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(s.dir, uid, gid); err != nil {
			return err
		}
		s.asUser = []string{runuser, "-u", "postgres", "--"}
	}
	// C.UTF-8 so text is UTF-8 and lower() folds non-ASCII letters; it is
	// built into glibc, so no locale package is needed.
	out, err := s.command("initdb", "-D", s.data(), "-A", "trust", "-U", "postgres",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, tail(out))
	}
	return nil
}

// start runs postgres on a free port and waits until it accepts connections.
func (s *server) start() error {
	port, err := freePort()
	if err != nil {
		return err
	}
	log, err := os.OpenFile(s.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer log.Close() // the child holds its own descriptor

	s.cmd = s.command("postgres", "-D", s.data(), "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+s.dir,
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=200")
	s.cmd.Stdout, s.cmd.Stderr = log, log
	s.cmd.SysProcAttr = dieWithParent(s.asUser != nil)
	s.exited = make(chan struct{})
	s.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)

	started := make(chan error, 1)
	go func() {
		// The parent-death signal fires when the thread that started the
		// child exits, not the process; keep this thread until the child
		// is gone so the server dies only with the test binary.
		runtime.LockOSThread()
		if err := s.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	if err := <-started; err != nil {
		s.cmd = nil
		return fmt.Errorf("starting postgres: %w", err)
	}
	return s.waitReady()
}

// hasExited reports whether the last started postgres has exited.
func (s *server) hasExited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// waitReady polls until the server accepts a connection, it exits, or
// readyWithin passes.
func (s *server) waitReady() error {
	deadline := time.Now().Add(readyWithin)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, s.url)
		if err == nil {
			err = conn.QueryRow(ctx, "SHOW server_version").Scan(&s.version)
			cancel()
			return errors.Join(err, conn.Close(context.Background()))
		}
		cancel()
		select {
		case <-s.exited:
			return fmt.Errorf("postgres exited before accepting connections: %v", s.waitErr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within %v: %w", readyWithin, err)
		}
	}
}

// stop shuts the server down without a checkpoint, waits for the process
// to exit and removes the directory.
func (s *server) stop() error {
	var errs []error
	if s.cmd != nil {
		if !s.hasExited() {
			if out, err := s.command("pg_ctl", "stop", "-D", s.data(), "-m", "immediate", "-w", "-t", "30").CombinedOutput(); err != nil {
				errs = append(errs, fmt.Errorf("pg_ctl stop: %w\n%s", err, tail(out)))
				// SIGTERM, not SIGKILL, so runuser passes it on to postgres.
				// An error means the process is already gone.
				_ = s.cmd.Process.Signal(syscall.SIGTERM)
			}
			select {
			case <-s.exited:
			case <-time.After(10 * time.Second):
				_ = s.cmd.Process.Kill()
				<-s.exited
			}
		}
		s.cmd = nil
	}
	if err := os.RemoveAll(s.dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// logTail returns the end of the server's log, for failure messages.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.logPath())
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return tail(b)
}

// tail returns the last lines of out, enough to show why PostgreSQL failed.
func tail(out []byte) string {
	const maxLines = 30
	lines := bytes.Split(bytes.TrimRight(out, "\n"), []byte("\n"))
	if len(lines) > maxLines {
		lines = lines[len(lines)-maxLines:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
