package store

import "strconv"

// IsSnowflake reports whether s is a Discord id as Discord writes it: a
// decimal unsigned 64-bit number, without sign or leading zero (17 to 20
// digits for real ids; tests use shorter ones). Channel, role and server
// ids arrive as such; anything else did not come from Discord.
func IsSnowflake(s string) bool {
	if s == "" || s[0] < '1' || s[0] > '9' {
		return false // a sign, a leading zero, or nothing
	}
	// ParseUint refuses every other non-digit, and values past uint64.
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}
