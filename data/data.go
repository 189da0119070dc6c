// Package data embeds talkbot's bundled dataset, loaded into an empty store
// on first start.
package data

import _ "embed"

// Talks is data/talks.yaml as shipped in the binary.
//
//go:embed talks.yaml
var Talks []byte

// TalksName names the embedded file in error messages.
const TalksName = "data/talks.yaml"
