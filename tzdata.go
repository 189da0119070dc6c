//go:build !talkbot_notzdata

package main

// The binary carries its own zone data: the container image has none. The
// build tag exists only so a test can build a binary without it and show
// that the zone check then fails.
import _ "time/tzdata"
