package workflow

import (
	"errors"

	"github.com/google/uuid"
)

// Sentinel errors. Store adapters map their backend's errors onto these, so that callers test
// them with errors.Is whatever the store. Their text has no prefix: the engine's error that
// wraps one names the package, the operation and the appeal once ("workflow: get <id>: not
// found").
var (
	// ErrNotFound: no record with that id (or number).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the record changed since it was read (optimistic concurrency); nothing was
	// saved. Reload and retry the command.
	ErrConflict = errors.New("conflict: the record changed since it was read")
	// ErrExists: a record with that id already exists.
	ErrExists = errors.New("record exists")
	// ErrDuplicate: a record with the same intake key already exists (a double-submitted form,
	// a re-read e-mail); a *DuplicateError names it.
	ErrDuplicate = errors.New("duplicate intake")
)

// DuplicateError is returned by Store.Create when another record has the same IntakeKey.
type DuplicateError struct {
	// Existing is the id of the record that holds the key.
	Existing uuid.UUID
}

// Error is ErrDuplicate's text: the existing record's id is not repeated.
func (e *DuplicateError) Error() string { return ErrDuplicate.Error() }

// Is makes errors.Is(err, ErrDuplicate) true.
func (e *DuplicateError) Is(target error) bool { return target == ErrDuplicate }

// ErrMaybeSent is wrapped by a Notifier's error when the message may have gone out (a timeout
// after the request was sent): the dispatcher marks it uncertain and retries with the same
// idempotency key.
var ErrMaybeSent = errors.New("workflow: notification may have been sent")
