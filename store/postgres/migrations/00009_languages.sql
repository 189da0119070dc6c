-- +goose Up
-- Languages of posts (issue 14). A server's channel posts are written in
-- its post language; a subscriber's DM reminders in the language of the
-- Discord they subscribed from. '' is "not chosen yet", read as English.
ALTER TABLE guild_settings ADD COLUMN post_language TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN language TEXT NOT NULL DEFAULT '';
