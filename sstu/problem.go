package sstu

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Rule names what a problem breaks. The values are stable; tests and tools compare them.
type Rule string

// The rules of the validator. Shape rules are those of the derived JSON Schema (sstu.md §1.5);
// the others are cross-field rules (sstu.md §1.2–1.3) and the Decisions of sstu.md.
const (
	// RuleJSON: the file is not JSON.
	RuleJSON Rule = "json syntax"
	// RuleType: a value has the wrong JSON type.
	RuleType Rule = "type"
	// RuleRequired: a required field is missing or empty.
	RuleRequired Rule = "required"
	// RuleUUID: a department id is not a GUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.
	RuleUUID Rule = "department GUID"
	// RuleFormat: format is not Electronic or Other.
	RuleFormat Rule = "format enum"
	// RuleStatus: status is not one of the SSTU statuses.
	RuleStatus Rule = "status enum"
	// RuleDate: a date is not a calendar date YYYY-MM-DD.
	RuleDate Rule = "date YYYY-MM-DD"
	// RuleCode: a question code is not dotted groups of 4 digits.
	RuleCode Rule = "code syntax"
	// RuleQuestions: a record has no questions.
	RuleQuestions Rule = "at least one question"
	// RuleBase64: attachment content is not Base64.
	RuleBase64 Rule = "attachment content Base64"
	// RuleSchema: any other rule of the JSON Schema.
	RuleSchema Rule = "schema"
	// RuleAttachmentSize: the Base64 content is 10,000,000 characters or more (sstu.md §2).
	RuleAttachmentSize Rule = "attachment Base64 under 10,000,000 characters"

	// RuleCreateDate: createDate is required when the appeal is not direct.
	RuleCreateDate Rule = "createDate required when not direct"
	// RuleIncomingDate: incomingDate is before createDate.
	RuleIncomingDate Rule = "createDate ≤ incomingDate"
	// RuleRegistrationDate: registrationDate is before incomingDate.
	RuleRegistrationDate Rule = "incomingDate ≤ registrationDate"
	// RuleResponseDate: responseDate is before registrationDate.
	RuleResponseDate Rule = "registrationDate ≤ responseDate"
	// RuleStatusField: a date the status requires is missing (sstu.md §1.3).
	RuleStatusField Rule = "date required by the status"
	// RuleAttachmentRequired: Explained, Supported, NotSupported and Answered need the answer.
	RuleAttachmentRequired Rule = "attachment required for the result"
	// RuleTransferRequired: Transferred needs transfer.
	RuleTransferRequired Rule = "transfer required for Transferred"
	// RuleNotApplicable: a field that the question's status does not have.
	RuleNotApplicable Rule = "field does not apply to the status"
	// RuleActionsTaken: Supported without actionsTaken (some writers leave it out; a warning).
	RuleActionsTaken Rule = "actionsTaken with Supported"
	// RuleCodeUnknown: the code is not in the classifier edition.
	RuleCodeUnknown Rule = "code in the classifier edition"
	// RuleCodeLevel: the code is a section, theme or topic; only questions and refinements are
	// reported (sstu.md Decisions, Q10).
	RuleCodeLevel Rule = "code is a question or refinement"
	// RuleDuplicateCode: two questions of one record carry the same code.
	RuleDuplicateCode Rule = "one question per code"

	// RuleUnknownField: a field that is not part of the upload, such as a relay's requestId
	// (a warning unless strict).
	RuleUnknownField Rule = "field not in the upload"
	// RuleDateTime: a date with a time part (a warning unless strict; sstu.md Q6).
	RuleDateTime Rule = "date without time part"
	// RuleBOM: the file starts with a UTF-8 byte order mark (a warning unless strict).
	RuleBOM Rule = "UTF-8 without BOM"
	// RuleLayout: a zip entry that is not one object in a <uuid>.json at the root (a warning
	// unless strict).
	RuleLayout Rule = "one object per <uuid>.json at the zip root"
	// RuleZip: a zip part or entry that cannot be read.
	RuleZip Rule = "zip readable"
)

// lenient reports whether a rule's problems are warnings unless the validator is strict.
func (r Rule) lenient() bool {
	switch r {
	case RuleUnknownField, RuleDateTime, RuleBOM, RuleLayout, RuleActionsTaken:
		return true
	}
	return false
}

// Severity says whether a problem makes a record unacceptable.
type Severity int

// The severities.
const (
	// Error: ССТУ would refuse the record, or the export would be wrong.
	Error Severity = iota
	// Warning: tolerated by the sources seen; an error in strict mode.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText returns String.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Problem is one thing wrong: the file, the JSON path in it and the rule. It never holds the
// value at the path, so no personal data leaks into logs.
type Problem struct {
	// File is the JSON file, or "part.zip/entry.json"; empty for a Record.
	File string `json:"file,omitempty"`
	// Path is a JSON path such as "$.questions[0].incomingDate" ("$[2]…" in an array file).
	Path string `json:"path"`
	// Rule is the rule broken.
	Rule Rule `json:"rule"`
	// Severity is Error or Warning.
	Severity Severity `json:"severity"`
}

// String returns "file: path: rule", with " (warning)" after a warning.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(": ")
	}
	b.WriteString(p.Path)
	b.WriteString(": ")
	b.WriteString(string(p.Rule))
	if p.Severity == Warning {
		b.WriteString(" (warning)")
	}
	return b.String()
}

// HasErrors reports whether any problem is an Error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// ErrInvalid is wrapped by every *InvalidError.
var ErrInvalid = errors.New("sstu: invalid record")

// InvalidError is returned by the Exporter for an appeal whose record breaks a rule: the
// appeal's id and every problem of its record, never a value.
type InvalidError struct {
	Appeal   uuid.UUID
	Problems []Problem
}

// Error names the appeal and the problems.
func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sstu: appeal %s: %d problem(s)", e.Appeal, len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			fmt.Fprintf(&b, "; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *InvalidError) Unwrap() error { return ErrInvalid }
