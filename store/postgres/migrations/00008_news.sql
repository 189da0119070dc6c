-- +goose Up
-- News posts (issue 13). A follow may take the news of its track; an
-- announced feed item is planned into news deliveries once (planned), in
-- the same transaction as its deliveries, so a crash between a poll and
-- its posts loses nothing and a replica plans nothing twice. Items
-- recorded before this migration count as planned: they are old news.
ALTER TABLE follows ADD COLUMN news BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE feed_items ADD COLUMN planned BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE feed_items SET planned = TRUE;
-- What the news planner scans: announced items not yet planned.
CREATE INDEX feed_items_unplanned ON feed_items (seen_at) WHERE announce AND NOT planned;
