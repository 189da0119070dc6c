-- +goose Up
CREATE TABLE tracks (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    search_key  TEXT NOT NULL,
    last_active TEXT NOT NULL DEFAULT ''
);

CREATE TABLE parties (
    track_id   TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    search_key TEXT NOT NULL,
    PRIMARY KEY (track_id, id)
);

CREATE TABLE people (
    track_id   TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    party      TEXT NOT NULL,
    title      TEXT NOT NULL,
    search_key TEXT NOT NULL,
    PRIMARY KEY (track_id, id)
);

CREATE TABLE sources (
    track_id  TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    id        TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    publisher TEXT NOT NULL,
    title     TEXT NOT NULL,
    url       TEXT NOT NULL,
    published TEXT NOT NULL,
    PRIMARY KEY (track_id, id)
);

-- Every publisher once, for /talks about; imports never delete sources, so
-- this only grows with them.
CREATE TABLE publishers (
    name TEXT PRIMARY KEY
);

-- from_at/until_at place a round on the timeline in unix seconds: for an
-- exact start, the instant and the instant plus one second; for a date-only
-- start, the start of that day and of the next in the round's zone.
CREATE TABLE rounds (
    track_id    TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    status      TEXT NOT NULL,
    starts_date TEXT NOT NULL,
    starts_at   BIGINT,
    ends_date   TEXT NOT NULL,
    ends_at     BIGINT,
    timezone    TEXT NOT NULL,
    zone        TEXT NOT NULL,
    from_at     BIGINT NOT NULL,
    until_at    BIGINT NOT NULL,
    venue       TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    details     TEXT NOT NULL,
    sources     TEXT NOT NULL,
    PRIMARY KEY (track_id, number)
);
CREATE INDEX rounds_from ON rounds (from_at);
CREATE INDEX rounds_track_from ON rounds (track_id, from_at);

CREATE TABLE positions (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    track_id  TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    party     TEXT NOT NULL,
    topic     TEXT NOT NULL,
    summary   TEXT NOT NULL,
    stated_on TEXT NOT NULL,
    by_person TEXT NOT NULL,
    sources   TEXT NOT NULL
);
CREATE INDEX positions_track ON positions (track_id, stated_on, seq);
CREATE INDEX positions_party ON positions (track_id, party, stated_on, seq);
CREATE INDEX positions_topic ON positions (track_id, topic, stated_on, seq);
CREATE INDEX positions_topics ON positions (topic);

CREATE TABLE statements (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    track_id TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    person   TEXT NOT NULL,
    party    TEXT NOT NULL,
    said_on  TEXT NOT NULL,
    medium   TEXT NOT NULL,
    text     TEXT NOT NULL,
    sources  TEXT NOT NULL
);
CREATE INDEX statements_track ON statements (track_id, said_on, seq);
CREATE INDEX statements_party ON statements (track_id, party, said_on, seq);
CREATE INDEX statements_person ON statements (track_id, person, said_on, seq);

-- One row per searchable text (a position's summary, a statement's text, a
-- round's outcome) with what a hit needs to be shown and cited.
CREATE TABLE search_docs (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    track_id TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    round    INTEGER NOT NULL,
    party    TEXT NOT NULL,
    person   TEXT NOT NULL,
    topic    TEXT NOT NULL,
    on_date  TEXT NOT NULL,
    body     TEXT NOT NULL,
    sources  TEXT NOT NULL,
    tsv      TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', body)) STORED
);
CREATE INDEX search_docs_track ON search_docs (track_id, kind, round);
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
