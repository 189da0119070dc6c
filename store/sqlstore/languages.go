package sqlstore

import (
	"context"
	"errors"
	"fmt"
)

// SavePostLanguage sets the language of a server's channel posts; the
// server's row in guild_settings is shared with its editor role, which
// this leaves as it is.
func (s *DB) SavePostLanguage(ctx context.Context, guildID, lang string) error {
	if guildID == "" {
		return errors.New("saving the post language: a server is required")
	}
	err := s.exec(ctx, s.db, `INSERT INTO guild_settings (guild_id, post_language) VALUES (?, ?)
		ON CONFLICT (guild_id) DO UPDATE SET post_language = excluded.post_language`, guildID, lang)
	if err != nil {
		return fmt.Errorf("saving the post language of server %s: %w", guildID, err)
	}
	return nil
}

// PostLanguage is a server's post language, "" when none is set.
func (s *DB) PostLanguage(ctx context.Context, guildID string) (string, error) {
	var lang string
	if _, err := scanOne(s.queryRow(ctx, s.db, `SELECT post_language FROM guild_settings WHERE guild_id = ?`, guildID), &lang); err != nil {
		return "", fmt.Errorf("reading the post language of server %s: %w", guildID, err)
	}
	return lang, nil
}
