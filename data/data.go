// Package data embeds talkbot's bundled dataset, loaded into an empty store
// on first start and kept current in a store that holds nothing else.
package data

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"

	"talkbot/dataset"
	"talkbot/store"
)

// talks is data/talks.yaml as shipped in the binary.
//
//go:embed talks.yaml
var talks []byte

// Tracks parses the bundled data.
func Tracks() ([]store.Track, error) {
	return dataset.Parse("data/talks.yaml", talks)
}

// Hash identifies the bundled data: a store records it when seeded, and a
// later build with other bundled data sees that it changed.
func Hash() string {
	sum := sha256.Sum256(talks)
	return hex.EncodeToString(sum[:])
}

// IsBundled reports whether raw is, byte for byte, the bundled data.
func IsBundled(raw []byte) bool { return bytes.Equal(raw, talks) }
