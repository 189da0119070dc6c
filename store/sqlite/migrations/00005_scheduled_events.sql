-- +goose Up
-- Discord scheduled events for rounds (/talks-admin events). Instants are
-- unix milliseconds, as in the reminder tables.

-- A server's choice: track '' is every track it follows; a track's own row
-- adds it (enabled) or leaves it out of '' (not enabled). problem is why
-- syncing stopped ('' while syncing), left_out how many rounds Discord's
-- limit of 100 events kept out; both are the server's, on each of its rows.
CREATE TABLE event_settings (
    guild_id   TEXT NOT NULL,
    track_id   TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    problem    TEXT NOT NULL DEFAULT '',
    left_out   INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (guild_id, track_id)
);

-- The event talkbot made for a round in a server: at most one. state is
-- active, cancelled, done (held or past: left to Discord) or gone (deleted
-- by hand: not made again until events are enabled again).
CREATE TABLE guild_events (
    guild_id   TEXT NOT NULL,
    track_id   TEXT NOT NULL,
    round      INTEGER NOT NULL,
    event_id   TEXT NOT NULL,
    state      TEXT NOT NULL,
    spec_hash  TEXT NOT NULL,
    problem    TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (guild_id, track_id, round)
);
