package store

import "context"

// Languages keeps the language of a server's channel posts. It is a
// language tag talkbot speaks ("en", "uk", "ru", "tr"); the store keeps
// what it is given and "" means none was chosen yet. A subscriber's
// language is Subscription.Language.
type Languages interface {
	// SavePostLanguage sets the language of a server's channel posts,
	// keeping its other settings (the editor role).
	SavePostLanguage(ctx context.Context, guildID, lang string) error
	// PostLanguage is a server's post language, "" when none is set.
	PostLanguage(ctx context.Context, guildID string) (string, error)
}
