// Package pgstore is a workflow.Store on PostgreSQL (through pgx), for hosts whose data
// already lives there and for organizations that outgrow one machine. It owns the schema
// (embedded, versioned migrations applied by Migrate), the mapping of records onto rows
// (the record as JSONB, its workflow.Index as indexed columns), the translation of
// workflow.Filter into SQL, and the outbox claim that several dispatchers share.
//
//	pool, err := pgxpool.New(ctx, "postgres://user@db/edms")
//	store := pgstore.New(pool); err = store.Migrate(ctx)
//	eng, err := workflow.New(store, workflow.Options{...})
//
// Every write is one SQL statement, hence one round-trip and one transaction: Create and
// Save write the record, replace its running terms, append its events and queue its
// notifications together, and Save does so only while the version column still holds the
// version read (else workflow.ErrConflict). A change that draws a registration number
// (workflow.NumberDraw) is a transaction of two statements: the upserted counter per series
// and year, whose row lock orders concurrent registrations, then the write; a refused or
// conflicting registration rolls the counter back, so numbers neither repeat nor skip.
// List pages through matches by id (keyset pagination), so neither memory nor a connection
// is held across the caller's loop. ClaimNotifications uses FOR UPDATE SKIP LOCKED.
//
// The store is a workflow.Searcher. A record's words (workflow.Index.Words, textnorm's
// tokens) are a text[] column written by the same statement as the record, with a GIN index;
// a search is List with one more condition, words @> the query's words, which the planner
// serves from the GIN index (or, for words most records hold, from the id order). Array
// containment compares whole elements byte for byte, whatever the database's locale (the
// column is COLLATE "C"), and normalizes nothing: the tokens are the module's own, and a
// tsvector under the russian configuration would stem them again with PostgreSQL's
// stemmer, which disagrees with ours (and pg_trgm ignores Cyrillic under a "C" locale). Like
// the other GIN indexes, the words index takes new entries into its pending list, which every
// search reads until (auto)vacuum merges it: run VACUUM after a bulk load.
//
// Errors map onto workflow's sentinels; PostgreSQL errors keep only their SQLSTATE and
// message, never the row values a DETAIL may quote. The store works in every pgx query mode,
// so also behind a pooler in transaction mode (PgBouncer).
package pgstore
