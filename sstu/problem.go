package sstu

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Rule names what a problem breaks. The values are stable; tests and tools compare them.
type Rule string

// The rules of the validator. Shape rules are those of the derived JSON Schema (docs/sstu.md
// §2); the others are cross-field rules (docs/sstu.md §1), the format decisions (§3), the
// layout (§4) and the limits (§6).
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
	// RuleAttachmentSize: the Base64 content is 10,000,000 characters or more (docs/sstu.md §4).
	RuleAttachmentSize Rule = "attachment Base64 under 10,000,000 characters"

	// RuleCreateDate: createDate is required when the appeal is not direct.
	RuleCreateDate Rule = "createDate required when not direct"
	// RuleIncomingDate: incomingDate is before createDate.
	RuleIncomingDate Rule = "createDate ≤ incomingDate"
	// RuleRegistrationDate: registrationDate is before incomingDate.
	RuleRegistrationDate Rule = "incomingDate ≤ registrationDate"
	// RuleResponseDate: responseDate is before registrationDate.
	RuleResponseDate Rule = "registrationDate ≤ responseDate"
	// RuleStatusField: a date the status requires is missing (docs/sstu.md §1).
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
	// reported (docs/sstu.md §3, Q10).
	RuleCodeLevel Rule = "code is a question or refinement"
	// RuleDuplicateCode: two questions of one record carry the same code.
	RuleDuplicateCode Rule = "one question per code"

	// RuleUnknownField: a field that is not part of the upload, such as a relay's requestId
	// (a warning unless strict).
	RuleUnknownField Rule = "field not in the upload"
	// RuleDateTime: a date with a time part (a warning unless strict; docs/sstu.md §3, Q6).
	RuleDateTime Rule = "date without time part"
	// RuleBOM: the file starts with a UTF-8 byte order mark (a warning unless strict).
	RuleBOM Rule = "UTF-8 without BOM"
	// RuleLayout: a zip entry that is not a <uuid>.json at the root, or repeats another's
	// name (a warning unless strict).
	RuleLayout Rule = "one object per <uuid>.json at the zip root"
	// RuleOneObject: a zip entry that is not one JSON object, e.g. an array of records; it is
	// not judged further.
	RuleOneObject Rule = "one JSON object per zip entry"
	// RuleZip: a zip part or entry that cannot be read.
	RuleZip Rule = "zip readable"

	// RuleEntries: a part declares more entries than Limits.Entries; none is read.
	RuleEntries Rule = "entries of a part within the limit"
	// RuleBytes: a part's entries inflate to more than Limits.Bytes; the entries from this
	// one on are not read.
	RuleBytes Rule = "uncompressed bytes of a part within the limit"
	// RuleEntrySize: a zip entry or JSON file over Limits.EntryBytes, or a record the
	// Exporter cannot fit in one part; not read.
	RuleEntrySize Rule = "size of a record within the limit"
	// RuleRecords: a JSON file with more records than Limits.Records; the records from this
	// one on are not read.
	RuleRecords Rule = "records of a file within the limit"
	// RuleValues: a record of more than MaxValues JSON values; not decoded.
	RuleValues Rule = "values of a record within the limit"
	// RuleMore: the last problem of a list cut at Limits.Problems; Problem.More counts the
	// problems left out.
	RuleMore Rule = "more problems"

	// RuleAttachmentBytes: the host has no bytes under the answer's reference, or not as
	// many as the card says (the Exporter leaves the appeal out).
	RuleAttachmentBytes Rule = "attachment bytes as the card says"
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

// UnmarshalText takes "error" or "warning", as sstucheck -json writes them.
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	default:
		return errors.New(`sstu: severity: want "error" or "warning"`)
	}
	return nil
}

// Problem is one thing wrong: the file, the JSON path in it and the rule. It never holds the
// value at the path, so no personal data leaks into logs; for the same reason a key that is
// not a plain ASCII name, and a zip entry not named <uuid>.json, are shown by a stand-in
// (docs/sstu.md §5).
type Problem struct {
	// File is the JSON file, "part.zip/<uuid>.json" for an entry, or "part.zip#n" for the
	// n-th entry of the part's directory when it has another name; empty for a Record.
	File string `json:"file,omitempty"`
	// Path is a JSON path such as "$.questions[0].incomingDate" ("$[2]…" in an array file);
	// empty for RuleMore.
	Path string `json:"path,omitempty"`
	// Rule is the rule broken.
	Rule Rule `json:"rule"`
	// Severity is Error or Warning. On RuleMore it is Error when any problem left out is.
	Severity Severity `json:"severity"`
	// More is, on RuleMore only, the number of problems left out.
	More int `json:"more,omitempty"`
}

// String returns "file: path: rule", with " (warning)" after a warning, or "N more problems"
// for RuleMore.
func (p Problem) String() string {
	var b strings.Builder
	if p.Rule == RuleMore {
		b.WriteString(strconv.Itoa(p.More))
		b.WriteString(" more problems")
		if p.Severity == Warning {
			b.WriteString(" (warnings)")
		}
		return b.String()
	}
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

// report collects the problems of one call, up to a limit; past it, it counts them.
type report struct {
	max     int
	out     []Problem
	more    int
	moreErr bool
}

func (r *report) add(ps []Problem) {
	for _, p := range ps {
		if len(r.out) < r.max {
			r.out = append(r.out, p)
			continue
		}
		r.more++
		r.moreErr = r.moreErr || p.Severity == Error
	}
}

// list returns the problems, with a last RuleMore problem when some were left out.
func (r *report) list() []Problem {
	if r.more == 0 {
		return r.out
	}
	sev := Warning
	if r.moreErr {
		sev = Error
	}
	return append(r.out, Problem{Rule: RuleMore, Severity: sev, More: r.more})
}

// ErrInvalid is wrapped by every *InvalidError.
var ErrInvalid = errors.New("sstu: invalid record")

// InvalidError is an appeal the Exporter left out because its record breaks a rule: the
// appeal's id and every problem of its record (the field's path and the rule), never a value.
// The Exporter lists them in Result.Refusals; each is an error, to log or to wrap.
type InvalidError struct {
	// Appeal is the appeal left out and Problems every problem of its record.
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
