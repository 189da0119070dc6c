-- +goose Up
-- A server's own track can be published on the web page and in the
-- calendar feeds, as every global track is.
ALTER TABLE tracks ADD COLUMN public BOOLEAN NOT NULL DEFAULT FALSE;

