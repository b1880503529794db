-- 0002: documents as CBOR. appeals.doc, events.doc and outbox.doc become BLOB: a document is
-- now its CBOR (see docs in docs.go), which the store reads in a third of the time of its
-- JSON. SQLite cannot change a column's type in place, so each table is made anew and its
-- rows copied, with the rowids that are referred to (appeal_words refers to appeals by rowid,
-- the outbox's order is its pos); the JSON documents already stored are copied as they are,
-- as bytes, and read as JSON (they begin with '{', a CBOR document never does). events is
-- made WITHOUT ROWID: its rows are small and only ever found by their key, so one B-tree
-- instead of a table and the index of its key takes an event's insert, and an appeal's
-- events lie together for its history. appeals_registered_on holds the id too, so that List's
-- query of the ids in a range of registration days reads the index alone. The rest of each
-- table, its indexes and the events' triggers are as in 0001.

CREATE TABLE appeals_2 (
    id            BLOB    PRIMARY KEY,
    version       INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL,
    state         TEXT    NOT NULL,
    number        TEXT,
    series        TEXT,
    registered_on INTEGER,
    intake_key    TEXT    UNIQUE,
    keys_sum      BLOB    NOT NULL,
    terms_sum     BLOB    NOT NULL,
    words_sum     BLOB    NOT NULL,
    doc           BLOB    NOT NULL         -- the workflow.Record (CBOR, or JSON before 0002)
) STRICT;
INSERT INTO appeals_2 (rowid, id, version, last_seq, state, number, series, registered_on, intake_key,
        keys_sum, terms_sum, words_sum, doc)
    SELECT rowid, id, version, last_seq, state, number, series, registered_on, intake_key,
        keys_sum, terms_sum, words_sum, CAST(doc AS BLOB) FROM appeals;
DROP TABLE appeals;
ALTER TABLE appeals_2 RENAME TO appeals;
CREATE INDEX appeals_state ON appeals (state, id);
CREATE INDEX appeals_registered_on ON appeals (registered_on, id) WHERE registered_on IS NOT NULL;
CREATE INDEX appeals_number ON appeals (number) WHERE number IS NOT NULL;

CREATE TABLE events_2 (
    appeal_id BLOB    NOT NULL,
    seq       INTEGER NOT NULL,
    at        TEXT    NOT NULL,
    doc       BLOB    NOT NULL,            -- the workflow.Event (CBOR, or JSON before 0002)
    PRIMARY KEY (appeal_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO events_2 (appeal_id, seq, at, doc)
    SELECT appeal_id, seq, at, CAST(doc AS BLOB) FROM events;
DROP TABLE events; -- its triggers go with it; DROP TABLE fires none
ALTER TABLE events_2 RENAME TO events;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TABLE outbox_2 (
    pos          INTEGER PRIMARY KEY,
    id           BLOB    NOT NULL UNIQUE,
    appeal_id    BLOB    NOT NULL,
    status       TEXT    NOT NULL,
    attempts     INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    next_attempt TEXT    NOT NULL,
    last_error   TEXT    NOT NULL,
    doc          BLOB    NOT NULL          -- the workflow.Notification (CBOR, or JSON before 0002)
) STRICT;
INSERT INTO outbox_2 (pos, id, appeal_id, status, attempts, created_at, next_attempt, last_error, doc)
    SELECT pos, id, appeal_id, status, attempts, created_at, next_attempt, last_error, CAST(doc AS BLOB) FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_2 RENAME TO outbox;
CREATE INDEX outbox_claimable ON outbox (created_at, pos)
    WHERE status IN ('pending', 'uncertain');
