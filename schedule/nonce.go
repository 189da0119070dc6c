package schedule

import (
	"crypto/sha256"
	"encoding/base64"
)

// nonce is 25 characters of a hash of s.
func nonce(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:25]
}
