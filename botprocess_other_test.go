//go:build !linux

package main

import "os/exec"

// dieWithTest does nothing here: only Linux can tie a child's life to its
// parent's; t.Cleanup still kills the child when a test ends normally.
func dieWithTest(*exec.Cmd) {}
