package webhook

import (
	"crypto/ed25519"
	"net/http"
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
	if !decodeHex(sig[:], sigHex[0]) {
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

// parseUnixSeconds parses plain decimal seconds. It is stricter than
// strconv.ParseInt: no sign, and no more digits than an int64 holds, so a
// timestamp padded with zeros cannot grow the signed message.
func parseUnixSeconds(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// decodeHex decodes s into dst, which it must fill exactly. Unlike
// encoding/hex it takes a string, so the header is decoded without being
// copied into a new slice on every request.
func decodeHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, lo := hexValues[s[2*i]], hexValues[s[2*i+1]]
		if hi|lo > 0x0f {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

// hexValues maps a byte to its value as a hex digit, or 0xff. A constant
// string is a read-only table with no initialisation (encoding/hex keeps
// its own the same way).
const hexValues = "" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
