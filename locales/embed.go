// Package locales holds talkbot's words: one TOML catalog a language
// (en.toml, uk.toml, ru.toml, tr.toml), embedded in the binary. A
// translator edits one file and needs no Go; package i18n reads them.
package locales

import "embed"

// Files is every catalog, named by its language tag: en.toml, uk.toml...
//
//go:embed *.toml
var Files embed.FS
