package sqlitestore

import (
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrBusy: another process held the file's write lock for longer than
	// Options.BusyTimeout; nothing was written. Within one process writes queue and never see
	// it.
	ErrBusy = errors.New("sqlitestore: the file is locked by another process")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("sqlitestore: closed")

	// errNoAppeal is returned for a record without a card: it cannot be indexed.
	errNoAppeal = errors.New("record has no appeal")
)

// The unique columns whose violations map onto workflow's sentinels, as SQLite names them.
const (
	appealsID        = "appeals.id"
	appealsIntakeKey = "appeals.intake_key"
	outboxID         = "outbox.id"
)

// dbError is an SQLite error reduced to its result code. SQLite's messages may name values (a
// CHECK's expression, a trigger's text, a path), so callers only ever see the code and its
// standard description.
type dbError struct {
	Code int // the extended result code
}

func (e *dbError) Error() string {
	desc := sqlite.ErrorCodeString[e.Code&0xff]
	if desc == "" {
		desc = "error"
	}
	return fmt.Sprintf("sqlite: %s, code %d", desc, e.Code)
}

// Is makes errors.Is(err, ErrBusy) true for SQLITE_BUSY and its extended codes.
func (e *dbError) Is(target error) bool {
	return target == ErrBusy && e.Code&0xff == sqlite3.SQLITE_BUSY
}

// scrub replaces an *sqlite.Error in err by a dbError; other errors pass unchanged.
func scrub(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return &dbError{Code: se.Code()}
	}
	return err
}

// violated returns the table.column whose UNIQUE or PRIMARY KEY constraint err violates, or
// "". SQLite's message for these names the columns, never the values.
func violated(err error) string {
	var se *sqlite.Error
	if !errors.As(err, &se) || (se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE && se.Code() != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return ""
	}
	const marker = "UNIQUE constraint failed: "
	msg := se.Error()
	i := strings.Index(msg, marker)
	if i < 0 {
		return ""
	}
	col, _, _ := strings.Cut(msg[i+len(marker):], " ")
	return col
}
