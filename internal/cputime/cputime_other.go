//go:build !unix

// Package cputime reads the process's own CPU time, for the benchmarks that
// report server CPU a request.
package cputime

import (
	"testing"
	"time"
)

// Used is not measured here: the benchmark is skipped.
func Used(tb testing.TB) time.Duration {
	tb.Skip("process CPU time is read with getrusage, on Unix only")
	return 0
}
