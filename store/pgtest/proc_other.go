//go:build !linux

package pgtest

import "syscall"

// dieWithParent has no portable equivalent of Linux's parent-death signal;
// elsewhere Main's cleanup is the only stop.
func dieWithParent(bool) *syscall.SysProcAttr { return nil }

// removeStale does nothing where a crashed binary's server may still be
// running (see dieWithParent): its directory must stay.
func removeStale() {}
