package store

// Names are a display name's translations by language ("uk", "ru", "tr"):
// what the dataset's names: gives a track's title, a party's or a person's
// name, or a round's venue. The original stays in its own field and is
// what a reader sees when their language has no entry.
type Names map[string]string

// In is the name in lang, else original.
func (n Names) In(lang, original string) string {
	if s, ok := n[lang]; ok && s != "" {
		return s
	}
	return original
}
