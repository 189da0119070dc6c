//go:build !unix

package schedule_test

import (
	"testing"
	"time"
)

// cpuTime is not measured here.
func cpuTime(b *testing.B) time.Duration {
	b.Skip("process CPU time is read with getrusage, on Unix only")
	return 0
}
