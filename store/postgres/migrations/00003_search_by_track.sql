-- +goose Up
-- Each document's tsvector also holds its track as a lexeme no word can
-- produce ("#" and the track id), so a search in a track is one GIN lookup
-- that intersects the words with the track instead of fetching every
-- document of every track that has the words and filtering after.
DROP INDEX search_docs_tsv;
ALTER TABLE search_docs DROP COLUMN tsv;
ALTER TABLE search_docs ADD COLUMN tsv TSVECTOR GENERATED ALWAYS AS
    (to_tsvector('english', body) || array_to_tsvector(ARRAY['#' || track_id])) STORED;
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
