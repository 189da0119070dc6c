// Package data embeds talkbot's bundled dataset, loaded into an empty store
// on first start.
package data

import (
	_ "embed"

	"talkbot/dataset"
	"talkbot/store"
)

// Talks is data/talks.yaml as shipped in the binary.
//
//go:embed talks.yaml
var Talks []byte

// TalksName names the embedded file in error messages.
const TalksName = "data/talks.yaml"

// Tracks parses the bundled data.
func Tracks() ([]store.Track, error) {
	return dataset.Parse(TalksName, Talks)
}
