-- 0001: appeals, their events, the outbox and the numbering sequences.

-- appeals: one row per record. doc is the workflow.Record as JSON (the source of truth for
-- Get and List); the other columns are its workflow.Index, written from Record.Index() on
-- every Create and Save, so that filters run on indexes. Empty strings and zero dates are
-- NULL.
--
-- words are the search words (workflow.Index.Words), textnorm's tokens already: they are
-- found as they are, by array containment (words @> the query's words) on a GIN index, which
-- compares whole elements byte for byte. Not a tsvector: to_tsvector with the russian
-- configuration would stem the stems again, with PostgreSQL's stemmer, which disagrees with
-- ours, and a search would then find other records here than in the other stores;
-- array_to_tsvector would keep them, but tsquery text must be quoted and escaped and the
-- lexemes would only repeat the array. Not trigrams either: pg_trgm ignores what is not a
-- letter of the database's locale, all of Cyrillic under "C". COLLATE "C" makes the GIN
-- index's order bytewise, the same under any database locale.
CREATE TABLE appeals (
    id            uuid PRIMARY KEY,
    version       bigint NOT NULL,
    last_seq      bigint NOT NULL,         -- the Seq of the record's last event
    state         text   NOT NULL,
    number        text,
    series        text,
    registered_on date,
    people        text[] NOT NULL,
    code_paths    text[] NOT NULL,         -- every code and each of its "."-ancestors
    applicants    text[] NOT NULL,
    words         text[] COLLATE "C" NOT NULL,
    intake_key    text,
    doc           jsonb  NOT NULL
) WITH (fillfactor = 85); -- room on the page for HOT updates when no indexed column changes
CREATE UNIQUE INDEX appeals_intake_key ON appeals (intake_key);
CREATE INDEX appeals_state ON appeals (state, id);
CREATE INDEX appeals_registered_on ON appeals (registered_on) WHERE registered_on IS NOT NULL;
CREATE INDEX appeals_number ON appeals (number) WHERE number IS NOT NULL;
CREATE INDEX appeals_people ON appeals USING gin (people);
CREATE INDEX appeals_code_paths ON appeals USING gin (code_paths);
CREATE INDEX appeals_applicants ON appeals USING gin (applicants);
CREATE INDEX appeals_words ON appeals USING gin (words);

-- appeal_terms: the running terms of each appeal (workflow.Index.Terms), rewritten by the
-- statement that writes the appeal. A filter on terms is an EXISTS over them, served by the
-- date indexes; appeals without a running term have no rows.
CREATE TABLE appeal_terms (
    appeal_id uuid NOT NULL,
    kind      text NOT NULL,
    legal     date,                        -- NULL: no date (fails every bound, as in Filter.Match)
    control   date
);
CREATE INDEX appeal_terms_appeal ON appeal_terms (appeal_id);
CREATE INDEX appeal_terms_legal ON appeal_terms (legal, appeal_id);
CREATE INDEX appeal_terms_control ON appeal_terms (control, appeal_id);

-- events: the audit trail, append-only (a trigger refuses UPDATE and DELETE). doc is the
-- workflow.Event as JSON with its seq. No foreign key to appeals: events are only written by
-- the statement that writes their appeal, and the check would cost every append a lookup.
CREATE TABLE events (
    appeal_id uuid        NOT NULL,
    seq       bigint      NOT NULL,
    at        timestamptz NOT NULL,
    doc       jsonb       NOT NULL,
    PRIMARY KEY (appeal_id, seq)
);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

-- outbox: notifications queued in the same statement as the change that caused them. doc is
-- the workflow.Notification as JSON, kept current on claim and update; the columns are what
-- the dispatcher's claim filters and orders by (pos is the queue order).
CREATE TABLE outbox (
    id           uuid        PRIMARY KEY,
    pos          bigint      GENERATED ALWAYS AS IDENTITY,
    appeal_id    uuid        NOT NULL,
    status       text        NOT NULL,
    attempts     integer     NOT NULL,
    created_at   timestamptz NOT NULL,
    next_attempt timestamptz NOT NULL,
    doc          jsonb       NOT NULL
);
CREATE INDEX outbox_claimable ON outbox (created_at, pos)
    WHERE status IN ('pending', 'uncertain');

-- numbering: the last registration number issued per series and year.
CREATE TABLE numbering (
    series text    NOT NULL,
    year   integer NOT NULL,
    last   bigint  NOT NULL,
    PRIMARY KEY (series, year)
);
