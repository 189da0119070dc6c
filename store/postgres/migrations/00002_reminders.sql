-- +goose Up
-- Reminders and update posts. Every instant in these tables is unix
-- milliseconds, so sub-second due times survive; offsets are Go durations
-- ("24h0m0s,15m0s"), which round-trip exactly. track_id is no foreign key:
-- the set-up commands check that a track exists, and imports never delete
-- one.

-- A server channel that gets a track's reminders and update posts.
-- disabled is why posting stopped ('' while active).
CREATE TABLE follows (
    guild_id   TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    track_id   TEXT NOT NULL,
    role_id    TEXT NOT NULL,
    offsets    TEXT NOT NULL,
    disabled   TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (guild_id, channel_id, track_id)
);
CREATE INDEX follows_track ON follows (track_id, guild_id, channel_id);

-- A user who gets a track's reminders by DM. paused is why DMs stopped;
-- noticed is set once the user has been told.
CREATE TABLE subscriptions (
    user_id  TEXT NOT NULL,
    track_id TEXT NOT NULL,
    offsets  TEXT NOT NULL,
    paused   TEXT NOT NULL DEFAULT '',
    noticed  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, track_id)
);
CREATE INDEX subscriptions_track ON subscriptions (track_id, user_id);

CREATE TABLE digests (
    guild_id   TEXT PRIMARY KEY,
    schedule   TEXT NOT NULL,
    timezone   TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One message to one target ('channel:ID' or 'user:ID'), recorded before it
-- is sent and marked after, so it is sent once. state is pending, claimed,
-- sent, dropped or failed; a pending row waits until next_try, a claimed
-- one is held by owner until lease_ends.
CREATE TABLE deliveries (
    key        TEXT NOT NULL,
    target     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    guild_id   TEXT NOT NULL,
    track_id   TEXT NOT NULL,
    round      INTEGER NOT NULL,
    role_id    TEXT NOT NULL,
    due_at     BIGINT NOT NULL,
    deadline   BIGINT,
    payload    TEXT NOT NULL,
    state      TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_try   BIGINT NOT NULL,
    owner      TEXT NOT NULL DEFAULT '',
    lease_ends BIGINT,
    late       BOOLEAN NOT NULL DEFAULT FALSE,
    message_id TEXT NOT NULL DEFAULT '',
    sent_at    BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (key, target)
);
-- The next pending delivery to go, and claims whose lease ended.
CREATE INDEX deliveries_due ON deliveries (state, next_try);
CREATE INDEX deliveries_lease ON deliveries (state, lease_ends);
-- What a claim scans, in the order it claims, stopping at its limit however
-- long the backlog: a claimed row's next_try is before its lease ends, so
-- expired claims are found among the due ones by next_try.
CREATE INDEX deliveries_claimable ON deliveries (next_try) WHERE state IN ('pending', 'claimed');
-- A track's pending reminders (replanning), a server's pending deliveries
-- (/talks-admin show), a target's pending deliveries (disable, pause).
CREATE INDEX deliveries_track ON deliveries (track_id, state, kind);
CREATE INDEX deliveries_guild ON deliveries (guild_id, state, next_try);
CREATE INDEX deliveries_target ON deliveries (target, state);

-- What imports changed about rounds, for update posts. Imports insert
-- under a table lock (see sqlstore), so ids appear in commit order and a
-- reader's "after" mark never skips one. A start is its date, its instant
-- when announced, and its zone.
CREATE TABLE round_changes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    track_id        TEXT NOT NULL,
    round           INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    old_status      TEXT NOT NULL,
    new_status      TEXT NOT NULL,
    old_starts_date TEXT NOT NULL,
    old_starts_at   BIGINT,
    old_zone        TEXT NOT NULL,
    new_starts_date TEXT NOT NULL,
    new_starts_at   BIGINT,
    new_zone        TEXT NOT NULL,
    changed_at      BIGINT NOT NULL
);
