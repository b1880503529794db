// Package sqlitestore is a workflow.Store on one SQLite file, for the many bodies that handle a
// few hundred appeals a month without a database server or anyone to run one: a district
// administration, a school, a municipal enterprise. It uses modernc.org/sqlite (pure Go: the
// program builds with CGO_ENABLED=0 and ships as one binary beside one file). It owns the
// schema (embedded, versioned migrations that Open applies), the mapping of records onto rows
// (the record as a CBOR document with the names of its JSON form, its workflow.Index as
// indexed columns and tables), the translation of workflow.Filter into SQL, the numbering,
// the outbox claim, and the backup copy.
//
//	store, err := sqlitestore.Open("appeals.db", sqlitestore.Options{})
//	defer store.Close()
//	eng, err := workflow.New(store, workflow.Options{...})
//
// # Durability
//
// The file is in WAL mode with PRAGMA synchronous=FULL: every commit syncs the log before the
// write returns, so a command that returned success survives a power cut (given a disk that
// honours flushes; on macOS fullfsync is on, as a plain fsync there stops at the drive's
// cache). synchronous=NORMAL, the usual setting with WAL, syncs only at checkpoints: the file
// stays consistent, but the last commits may vanish, and with them registration numbers
// already written on paper and told to applicants, which the next registrations would then
// issue again. On Linux a host may also call modernc.org/sqlite's Fdatasync(true) at startup:
// commits then sync with fdatasync, as durable and often faster; the switch is process-wide,
// so the store leaves it to the host.
//
// # Concurrency
//
// Writes (Create, Save, ClaimNotifications, UpdateNotification) go to one goroutine that owns
// the one write connection: they queue in the process instead of contending for the file's
// lock, so concurrent commands never see "database is locked". The writer runs the writes
// waiting for it in one transaction, each in a savepoint of its own (one's conflict or
// duplicate undoes only its own rows), and commits them with one sync: under load one fsync
// confirms many commands (group commit), and none returns before its commit is on disk. When
// its last transaction held several writes, the writer waits up to half a commit's time for
// as many to join the next. A Save checks the stored version in its transaction (else
// workflow.ErrConflict); a change that draws a registration number (workflow.NumberDraw)
// draws it there too, so a refused or conflicting change spends none and numbers neither
// repeat nor skip. Checkpoints on a connection of their own copy the log into the file, so
// commits do not wait for that; only when the log passes 4000 pages (16 MB) does the writer,
// between two transactions, catch up itself, so that the log starts over.
//
// Reads (Get, History, List, Count, Search) use a pool of query-only connections
// (Options.Readers) and, thanks to WAL, neither wait for the writer nor hold it up. List pages
// through matches by id (keyset pagination) as Search does: a query of the ids of up to 64
// pages, from the indexes where the filter has them, then each page of records one query
// read whole, so the caller's loop body, which may write, runs with no connection or snapshot
// held.
//
// # Search
//
// The store is a workflow.Searcher on an FTS5 table of the records' words
// (workflow.Index.Words), written in the record's transaction and skipped, as the keys and
// terms are, when a Save leaves the words as they were. A batch's words are written after its
// writes' savepoints, all at once: FTS5 turns what it was given into a new segment at every
// savepoint's release, so that one savepoint a write would cost a segment, and its merges,
// each. The words are textnorm's
// tokens already and are matched as they are, byte for byte: each is written so that the
// tokenizer keeps it one token and folds nothing (see the migration), rather than handing
// FTS5 a text to normalize again its own way. The table is contentless but keeps each
// appeal's id, so a search takes, in one query, the sorted ids of up to eight pages of
// matches without a look-up in appeals unless the filter reads the state, the registration
// day or the number; then it reads the records a page at a time by id, each checked again
// against the filter and the words as read. A plain table of (word, appeal) rows would give
// matches in id order directly, but every Create would then write into as many places of
// its B-tree as the card has words; FTS5 writes a transaction's words as one small segment
// and merges segments later. The cost: a search sorts all its matches' ids each round, which
// is felt only for words most cards hold (BenchmarkSearch).
//
// Several processes may open one file (a web server and a nightly job, say); their writers
// take turns on the file's lock, each waiting up to Options.BusyTimeout, else ErrBusy.
// SQLite's waiting is not fair: a process that writes without pause can keep another waiting
// that long, so run the commands, the dispatcher and Monitor in one process where you can.
//
// # Backup
//
// Backup(ctx, path) writes a consistent, compact copy of the file while the store stays in
// use (VACUUM INTO, synced, then renamed into place): a clerk's nightly copy. The copy is an
// ordinary store file: Open it to restore.
//
// Errors map onto workflow's sentinels. SQLite's own messages, which may quote values, are
// not passed on: callers see the result code only. Files are created readable by their owner
// only, as they hold personal data.
package sqlitestore
