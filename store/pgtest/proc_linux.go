package pgtest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// dieWithParent makes the kernel signal the server when the test binary dies
// without reaching Main's cleanup (a panic, a -timeout), so no server
// outlives it. postgres takes SIGQUIT as an immediate shutdown; runuser must
// get SIGTERM instead, which it passes on to postgres (SIGKILL would orphan it).
func dieWithParent(viaRunuser bool) *syscall.SysProcAttr {
	sig := syscall.SIGQUIT
	if viaRunuser {
		sig = syscall.SIGTERM
	}
	return &syscall.SysProcAttr{Pdeathsig: sig}
}

// removeStale deletes the directories of test binaries that died before
// Main could clean up: their server died with them (see dieWithParent), but
// the cluster stays on disk. A directory's name carries its owner's pid.
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*-*")) // the pattern is valid
	for _, dir := range dirs {
		pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(filepath.Base(dir), dirPrefix), "-", 2)[0])
		if err != nil || pid <= 0 {
			continue
		}
		if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			_ = os.RemoveAll(dir) // best effort: it may belong to another user
		}
	}
}
