-- +goose Up
-- Search partitioned by track (see search.go): every word is indexed behind
-- its track's tag, in a contentless index whose rowid carries the
-- document's date. The talkbot_search_* functions are registered by the
-- talkbot binary, so only talkbot can write search_docs from here on.
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5 (
    terms,
    content = '',
    columnsize = 0,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Open fills it (see indexSearch in search.go).
-- +goose StatementBegin
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, terms)
        VALUES (talkbot_search_rowid(new.id, new.on_date), talkbot_search_terms(new.track_id, new.body));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, terms)
        VALUES ('delete', talkbot_search_rowid(old.id, old.on_date), talkbot_search_terms(old.track_id, old.body));
END;
-- +goose StatementEnd
-- search_docs rows are only ever inserted and deleted; an update would
-- leave the index behind, so refuse one.
-- +goose StatementBegin
CREATE TRIGGER search_docs_au BEFORE UPDATE ON search_docs BEGIN
    SELECT RAISE(ABORT, 'search_docs rows are replaced, never updated');
END;
-- +goose StatementEnd
