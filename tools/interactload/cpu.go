package main

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"
)

// clockTicksPerSecond is USER_HZ, the unit of the CPU times in
// /proc/<pid>/stat. Linux fixes it at 100 on every architecture Go runs on,
// whatever the kernel's internal tick rate.
const clockTicksPerSecond = 100

// cpuTimes is the CPU time a process has used, summed over its threads.
type cpuTimes struct{ user, sys time.Duration }

func (c cpuTimes) total() time.Duration { return c.user + c.sys }

func (c cpuTimes) sub(d cpuTimes) cpuTimes { return cpuTimes{c.user - d.user, c.sys - d.sys} }

// processCPU reads a process's CPU times from /proc/<pid>/stat (Linux only).
func processCPU(pid int) (cpuTimes, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return cpuTimes{}, err
	}
	// The command name, field 2, is in parentheses and may contain spaces;
	// the fields counted from 3 start after its closing parenthesis.
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return cpuTimes{}, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := bytes.Fields(stat[end+1:])
	// utime and stime are fields 14 and 15, so 11 and 12 here.
	if len(fields) < 13 {
		return cpuTimes{}, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	var ticks [2]int64
	for i, f := range fields[11:13] {
		if ticks[i], err = strconv.ParseInt(string(f), 10, 64); err != nil {
			return cpuTimes{}, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
	}
	return cpuTimes{
		user: time.Duration(ticks[0]) * time.Second / clockTicksPerSecond,
		sys:  time.Duration(ticks[1]) * time.Second / clockTicksPerSecond,
	}, nil
}

// medianVerify times runs batches of ed25519.Verify of msg and returns the
// median time of one call: batches amortise the clock reads, the median
// ignores batches that lost the CPU to another process.
func medianVerify(pub ed25519.PublicKey, msg, sig []byte, runs int) time.Duration {
	const batch = 20
	times := make([]time.Duration, runs)
	for i := range times {
		start := time.Now()
		for range batch {
			if !ed25519.Verify(pub, msg, sig) {
				panic("interactload: the reference signature does not verify")
			}
		}
		times[i] = time.Since(start) / batch
	}
	slices.Sort(times)
	return times[len(times)/2]
}
