-- +goose Up
-- Editing from Discord. Instants are unix milliseconds, as in the reminder
-- tables.

-- The server that owns a track made from Discord; '' for a global track.
ALTER TABLE tracks ADD COLUMN guild_id TEXT NOT NULL DEFAULT '';
-- Which changes a following channel is told about: rounds, all or none.
ALTER TABLE follows ADD COLUMN updates TEXT NOT NULL DEFAULT 'rounds';

-- Every change, from Discord or from an import; rows are only ever added
-- (undo is a new row). before and after are the entity's fields as a JSON
-- object, NULL when it did not exist. party is the side a party, position
-- or statement belongs to, so /talks history side:<party> is one index
-- range. AUTOINCREMENT keeps ids rising: an id is a version.
CREATE TABLE history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          BIGINT NOT NULL,
    editor_id   TEXT NOT NULL,
    editor_name TEXT NOT NULL,
    entity      TEXT NOT NULL,
    track_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    party       TEXT NOT NULL DEFAULT '',
    op          TEXT NOT NULL,
    before      TEXT,
    after       TEXT,
    source_id   TEXT NOT NULL DEFAULT '',
    undoes      BIGINT NOT NULL DEFAULT 0,
    forced      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX history_track ON history (track_id, id DESC);
CREATE INDEX history_entity ON history (entity, id DESC);
CREATE INDEX history_editor ON history (editor_id, id DESC);
CREATE INDEX history_party ON history (track_id, party, id DESC);
CREATE INDEX history_undoes ON history (undoes) WHERE undoes <> 0;

-- A server's settings: the role whose members may edit its own tracks.
CREATE TABLE guild_settings (
    guild_id    TEXT PRIMARY KEY,
    editor_role TEXT NOT NULL DEFAULT ''
);

-- What an editor typed into a modal, kept a day so that a refused submit
-- can be reopened with the same text. context and field_values are JSON.
CREATE TABLE drafts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    base         BIGINT NOT NULL,
    context      TEXT NOT NULL,
    field_values TEXT NOT NULL,
    created      BIGINT NOT NULL
);
CREATE INDEX drafts_created ON drafts (created);

-- An entity whose changes first..last wait out the settle window until
-- due_at before followers are told.
CREATE TABLE edit_updates (
    entity TEXT PRIMARY KEY,
    first  BIGINT NOT NULL,
    last   BIGINT NOT NULL,
    due_at BIGINT NOT NULL
);
CREATE INDEX edit_updates_due ON edit_updates (due_at);
