//go:build linux

package main

import (
	"os/exec"
	"syscall"
)

// dieWithTest has the kernel SIGKILL the child if the test binary dies
// first (a test time-out panics past every t.Cleanup), so no bot outlives
// the test and keeps dialling a fake Discord that is gone.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
