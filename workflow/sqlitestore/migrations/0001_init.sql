-- 0001: appeals, their index, their events, the outbox and the numbering counters.
--
-- Ids are the UUID's 16 bytes (BLOB), whose bytewise order is workflow's id order. Dates of
-- the index are whole days since 1970-01-01 (INTEGER), so that they compare exactly as
-- deadline.Date does; empty strings and zero dates are NULL. Times are UTC text of fixed width
-- (2006-01-02T15:04:05.000000000Z), so that they sort as they compare. Documents are JSON text.

-- appeals: one row per record. doc is the workflow.Record as JSON (the source of truth for Get
-- and List); the other columns are its workflow.Index, written from Record.Index() on every
-- Create and Save. The sums let a Save that leaves the appeal's keys, terms or words as they
-- were skip rewriting them.
CREATE TABLE appeals (
    id            BLOB    PRIMARY KEY,
    version       INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL,        -- the Seq of the record's last event
    state         TEXT    NOT NULL,
    number        TEXT,
    series        TEXT,
    registered_on INTEGER,
    intake_key    TEXT    UNIQUE,
    keys_sum      BLOB    NOT NULL,        -- SHA-256 of the appeal's appeal_keys rows
    terms_sum     BLOB    NOT NULL,        -- SHA-256 of its appeal_terms rows
    words_sum     BLOB    NOT NULL,        -- SHA-256 of its appeal_words text
    doc           TEXT    NOT NULL
) STRICT;
CREATE INDEX appeals_state ON appeals (state, id);
CREATE INDEX appeals_registered_on ON appeals (registered_on) WHERE registered_on IS NOT NULL;
CREATE INDEX appeals_number ON appeals (number) WHERE number IS NOT NULL;

-- appeal_keys: the many-valued fields of each appeal's index, one row a value: field
-- 'person' (Index.People), 'code' (Index.Codes) or 'applicant' (Index.Applicants). Rewritten
-- when the appeal's change changes them; a filter on one of them is a lookup by (field, value), a code's subtree a
-- range of values.
CREATE TABLE appeal_keys (
    field     TEXT NOT NULL,
    value     TEXT NOT NULL,
    appeal_id BLOB NOT NULL,
    PRIMARY KEY (field, value, appeal_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX appeal_keys_appeal ON appeal_keys (appeal_id);

-- appeal_terms: the running terms of each appeal (workflow.Index.Terms), rewritten when the
-- appeal's change changes them. A filter on terms is one subquery over them, served by the date indexes; appeals
-- without a running term have no rows.
CREATE TABLE appeal_terms (
    appeal_id BLOB    NOT NULL,
    kind      TEXT    NOT NULL,
    legal     INTEGER,                     -- NULL: no date (fails every bound, as in Filter.Match)
    control   INTEGER
) STRICT;
CREATE INDEX appeal_terms_appeal ON appeal_terms (appeal_id);
CREATE INDEX appeal_terms_kind ON appeal_terms (kind, legal, appeal_id);
CREATE INDEX appeal_terms_legal ON appeal_terms (legal, appeal_id);
CREATE INDEX appeal_terms_control ON appeal_terms (control, appeal_id);

-- appeal_words: the search words of each appeal (workflow.Index.Words), one FTS5 row under
-- the appeals row's rowid, with the appeal's id, rewritten when the appeal's change changes
-- its words; appeals without words have none. The words are textnorm's tokens already, so
-- nothing here may normalize them again: the text is the words joined by spaces, each
-- written so that the tokenizer keeps it whole and as it is (a-z, 0-9, а-я, '.', '-' and '/'
-- as themselves, any other character as '_', its code point in hex, '_'; the empty word as
-- '_'), and the tokenizer only splits at the spaces (unicode61 keeps letters, digits and the
-- tokenchars, folds none of these, and removes no diacritics). A search is a MATCH of the
-- words so written, each quoted. Contentless (the words are in doc) but for the id, kept
-- (contentless_unindexed) so that a search reads the ids of its matches, to sort and filter
-- them, without a look-up in appeals; with deletes; and without positions (detail=none): a
-- word is found or not, nothing more is asked.
CREATE VIRTUAL TABLE appeal_words USING fts5 (
    id UNINDEXED,
    words,
    content = '',
    contentless_delete = 1,
    contentless_unindexed = 1,
    detail = none,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '-./_'"
);

-- events: the audit trail, append-only (triggers refuse UPDATE and DELETE). doc is the
-- workflow.Event as JSON with its seq.
CREATE TABLE events (
    appeal_id BLOB    NOT NULL,
    seq       INTEGER NOT NULL,
    at        TEXT    NOT NULL,
    doc       TEXT    NOT NULL,
    PRIMARY KEY (appeal_id, seq)
) STRICT;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- outbox: notifications queued in the same transaction as the change that caused them. doc
-- is the workflow.Notification as queued; status, attempts, next_attempt and last_error are
-- its delivery state, kept by the dispatcher's claims and updates, and override the doc's.
-- pos is the queue order.
CREATE TABLE outbox (
    pos          INTEGER PRIMARY KEY,
    id           BLOB    NOT NULL UNIQUE,
    appeal_id    BLOB    NOT NULL,
    status       TEXT    NOT NULL,
    attempts     INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    next_attempt TEXT    NOT NULL,
    last_error   TEXT    NOT NULL,
    doc          TEXT    NOT NULL
) STRICT;
CREATE INDEX outbox_claimable ON outbox (created_at, pos)
    WHERE status IN ('pending', 'uncertain');

-- numbering: the last registration number issued per series and year.
CREATE TABLE numbering (
    series TEXT    NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (series, year)
) STRICT, WITHOUT ROWID;
