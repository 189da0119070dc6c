package i18n

import (
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// Lower lower-cases what a reader typed by the rules of their language:
// in Turkish "İSTANBUL" is "istanbul" and "IĞDIR" is "ığdır" (dotted and
// dotless i are two letters), elsewhere the plain Unicode mapping applies.
//
// Option names never need it: Discord sends the default (English) names of
// commands and options even to a reader who sees them localised (Discord's
// API documentation, Application Commands, "Localization").
func Lower(l Lang, s string) string {
	// A Caser keeps state, so each call makes its own.
	return cases.Lower(language.Make(string(l))).String(s)
}
