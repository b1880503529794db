package retention

import (
	"errors"
	"fmt"
)

// Sentinels for what retention refuses. Every error the package returns for
// a file wraps one of them in a *FileError; test with errors.Is and errors.As.
var (
	// ErrUnknownCategory: no rule of the Schedule covers the file's edition
	// and category.
	ErrUnknownCategory = errors.New("unknown category")
	// ErrNotClosed: the file has no closing date, so its period has not begun.
	ErrNotClosed = errors.New("file not closed")
	// ErrClosedBeforeRegistered: the file closes (or was last considered)
	// before its first registration.
	ErrClosedBeforeRegistered = errors.New("closed before registered")
	// ErrBadFile: a malformed field, such as a date out of range or a
	// negative volume count.
	ErrBadFile = errors.New("bad file")
	// ErrPermanent: the file is kept permanently, by its rule or because
	// the expert review selected it; it is never destroyed.
	ErrPermanent = errors.New("permanent file may not be destroyed")
	// ErrNotYetEligible: the retention period has not run out.
	ErrNotYetEligible = errors.New("not yet eligible for destruction")
	// ErrReviewRequired: an ЭПК file whose period has run out needs the
	// expert commission's decision before it may be destroyed.
	ErrReviewRequired = errors.New("expert review required before destruction")
	// ErrNoApproval: a DestructionAct needs the reference to its approval
	// (the expert commission's protocol and, for sources of acquisition of a
	// state archive, the ЭПК agreement of the inventories).
	ErrNoApproval = errors.New("destruction act without an approval reference")
	// ErrBadAct: the act lacks its date.
	ErrBadAct = errors.New("bad destruction act")
	// ErrBadRule: a rule or a line of a schedule CSV is malformed or
	// duplicates another.
	ErrBadRule = errors.New("bad retention rule")
	// ErrUnknownKind: Facts name a kind of appeal the Suggester does not know.
	ErrUnknownKind = errors.New("unknown kind of appeal")
	// ErrNoReason: a person overrides a category without saying who or why.
	ErrNoReason = errors.New("override without a person and a reason")
)

// FileError reports what retention refused for one file and under which rule.
type FileError struct {
	File   string // the file's Number (index), "" if it has none
	Rule   string // the rule or check applied, e.g. "2019 ст. 154 «б»"
	Detail string // the facts, e.g. "may be destroyed from 2030-01-01"
	Err    error  // one of the package's sentinels
}

// Error implements error.
func (e *FileError) Error() string {
	msg := "retention: file " + fmt.Sprintf("%q", e.File)
	if e.Rule != "" {
		msg += " (" + e.Rule + ")"
	}
	msg += ": " + e.Err.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the sentinel.
func (e *FileError) Unwrap() error { return e.Err }
