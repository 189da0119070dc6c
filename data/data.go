// Package data embeds talkbot's bundled dataset, loaded into an empty store
// on first start.
package data

import (
	_ "embed"

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
