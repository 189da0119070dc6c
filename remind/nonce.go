package remind

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// NonceFor is the deterministic nonce of a delivery (at most 25 characters,
// as Discord allows): a resend after a crash carries the same one, and
// Discord returns the first message instead of posting a second.
func NonceFor(key, target string) string {
	return nonce(strings.Join([]string{key, target}, "\x00"))
}

// nonce is 25 characters of a hash of s.
func nonce(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:25]
}
