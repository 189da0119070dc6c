// Package feeds is the edge to news feeds on the web: a safe HTTP client
// (http and https only, public addresses checked at connect time, caps on
// redirects, time and size), fetching with conditional GET, parsing RSS,
// Atom and JSON Feed into plain-text items, matching items against a
// track's keywords, and the arithmetic of polling (back-off and spread).
//
// Everything here is a plain function of its inputs: the store records
// what a feed brings, and the poller that calls Fetch lives elsewhere.
package feeds
