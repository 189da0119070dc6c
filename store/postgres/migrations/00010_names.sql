-- +goose Up
-- Display names in other languages (the dataset's names:), as netstrings
-- of language and name pairs; '' when there are none. A quote's language
-- is an ISO 639-1 code, '' when unknown.
ALTER TABLE tracks ADD COLUMN names TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN names TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN names TEXT NOT NULL DEFAULT '';
ALTER TABLE rounds ADD COLUMN venue_names TEXT NOT NULL DEFAULT '';
ALTER TABLE statements ADD COLUMN language TEXT NOT NULL DEFAULT '';
