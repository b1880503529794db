package pgstore

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// The constraints whose violations map onto workflow's sentinels.
const (
	appealsPkey      = "appeals_pkey"
	appealsIntakeKey = "appeals_intake_key"
	outboxPkey       = "outbox_pkey"
	uniqueViolation  = "23505"
)

// dbError is a PostgreSQL error reduced to its SQLSTATE and message. A *pgconn.PgError's
// Detail and Where may quote row values (a duplicate key, a line of a JSON document), which
// can be personal data; callers only ever see the code and the message.
type dbError struct {
	Code    string
	Message string
}

func (e *dbError) Error() string { return fmt.Sprintf("postgres: %s (SQLSTATE %s)", e.Message, e.Code) }

// scrub replaces a *pgconn.PgError in err by a dbError; other errors pass unchanged.
func scrub(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return &dbError{Code: pe.Code, Message: pe.Message}
	}
	return err
}

// violated returns the name of the unique constraint err violates, or "".
func violated(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == uniqueViolation {
		return pe.ConstraintName
	}
	return ""
}
