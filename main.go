// Command talkbot is a Discord bot that keeps communities current on
// diplomatic talks: rounds, positions, statements and the dates coming up.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/joho/godotenv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], envWithDotenv(".env"), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// envWithDotenv reads variables from the process environment first, then
// from the .env file when it exists, without changing the environment.
func envWithDotenv(path string) func(string) string {
	file, err := godotenv.Read(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "talkbot: ignoring %s: %v\n", path, err)
	}
	return func(key string) string {
		if v, ok := os.LookupEnv(key); ok {
			return v
		}
		return file[key]
	}
}

// exitCode prints err (unless it was already reported) and maps it to the
// process exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var reported reportedError
	if errors.As(err, &reported) {
		return reported.code
	}
	fmt.Fprintln(stderr, "talkbot:", err)
	return 1
}

// reportedError is a failure whose details were already printed (such as
// a dataset's errors, one per line).
type reportedError struct{ code int }

func (e reportedError) Error() string { return fmt.Sprintf("exit status %d", e.code) }
