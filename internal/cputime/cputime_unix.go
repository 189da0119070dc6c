//go:build unix

// Package cputime reads the process's own CPU time, for the benchmarks that
// report server CPU a request (a wall-clock figure on a shared machine says
// more about the neighbours than about the code).
package cputime

import (
	"syscall"
	"testing"
	"time"
)

// Used is the process's user and system CPU time so far.
func Used(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
