package webhook

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// The headers Discord signs every interaction request with. Both are in
// canonical form, so they can index http.Header directly.
const (
	signatureHeader = "X-Signature-Ed25519"
	timestampHeader = "X-Signature-Timestamp"
)

// signatureHeaders returns the decoded signature and the timestamp of a
// request, or why they cannot be accepted. Only the signature itself proves
// anything; these checks just refuse early what could never verify, and
// enforce the timestamp window that the signature then vouches for.
//
// Nothing here needs to be constant-time: the signature, the timestamp and
// the public key are all public, and ed25519.Verify does the only
// comparison that matters.
func (h *handler) signatureHeaders(header http.Header) (sig [ed25519.SignatureSize]byte, timestamp string, reason string) {
	sigHex := header[signatureHeader]
	stamp := header[timestampHeader]
	if len(sigHex) != 1 || len(stamp) != 1 {
		return sig, "", "missing or repeated signature headers"
	}
	// The length is checked first: hex.Decode would index past sig on a
	// longer header and panic. The conversion to []byte does not copy (go
	// build -gcflags=-m: "zero-copy"), as Decode neither keeps nor
	// modifies its source.
	if len(sigHex[0]) != 2*len(sig) {
		return sig, "", "signature is not 64 bytes of hex"
	}
	if _, err := hex.Decode(sig[:], []byte(sigHex[0])); err != nil {
		return sig, "", "signature is not 64 bytes of hex"
	}
	timestamp = stamp[0]
	sec, ok := parseUnixSeconds(timestamp)
	if !ok {
		return sig, "", "timestamp is not unix seconds"
	}
	skew := h.now().Unix() - sec
	if skew > int64(MaxClockSkew/time.Second) || skew < -int64(MaxClockSkew/time.Second) {
		return sig, "", "timestamp outside the accepted window"
	}
	return sig, timestamp, ""
}

// parseUnixSeconds parses plain decimal seconds. ParseUint refuses a sign;
// the length limit keeps a timestamp padded with zeros from growing the
// signed message, and keeps the value within an int64.
func parseUnixSeconds(s string) (int64, bool) {
	if len(s) > 18 {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return int64(n), true
}
