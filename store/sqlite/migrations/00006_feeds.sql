-- +goose Up
-- News feeds of a track and the items they brought. Instants are unix
-- milliseconds, as in the reminder tables; keywords are a netstring list,
-- as a round's lists are.

-- seq is the feed's place in the track's list (the file's order, then as
-- added). title is the title given (file or editor); fetched_title what the
-- feed calls itself. in_file says an import has listed it: an import that
-- leaves out a feed an editor added from Discord, which no file has listed
-- yet, keeps it (the file may predate it). owner and lease_ends are a
-- poller's claim, as for deliveries.
CREATE TABLE feeds (
    track_id      TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    fetched_title TEXT NOT NULL DEFAULT '',
    keywords      TEXT NOT NULL DEFAULT '',
    added_by      TEXT NOT NULL DEFAULT '',
    added_at      BIGINT NOT NULL,
    in_file       BOOLEAN NOT NULL DEFAULT FALSE,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    next_poll     BIGINT NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    failing_since BIGINT,
    last_error    TEXT NOT NULL DEFAULT '',
    last_success  BIGINT,
    first_success BIGINT,
    items_seen    INTEGER NOT NULL DEFAULT 0,
    owner         TEXT NOT NULL DEFAULT '',
    lease_ends    BIGINT,
    PRIMARY KEY (track_id, url)
);
-- What a claim scans, soonest due first: a live claim is skipped by its
-- lease, so the scan stops at the limit however many feeds wait.
CREATE INDEX feeds_due ON feeds (next_poll);

-- One item of a feed, recorded once by its id. sort_at is its date, else
-- when it was first seen: inbox and news list by it, newest first.
-- announce is decided when the item is recorded (see sqlstore/feeds.go).
CREATE TABLE feed_items (
    track_id   TEXT NOT NULL,
    feed_url   TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    summary    TEXT NOT NULL,
    published  BIGINT,
    seen_at    BIGINT NOT NULL,
    sort_at    BIGINT NOT NULL,
    matched    BOOLEAN NOT NULL,
    announce   BOOLEAN NOT NULL,
    handled    TEXT NOT NULL DEFAULT '',
    handled_by TEXT NOT NULL DEFAULT '',
    source_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (track_id, feed_url, item_id),
    FOREIGN KEY (track_id, feed_url) REFERENCES feeds (track_id, url) ON DELETE CASCADE
);
-- The latest matched items of a track, and the unhandled ones (the inbox).
CREATE INDEX feed_items_latest ON feed_items (track_id, sort_at DESC) WHERE matched;
CREATE INDEX feed_items_inbox ON feed_items (track_id, sort_at DESC) WHERE matched AND handled = '';
