package intake

import (
	"errors"

	"github.com/fz59/appeals/appeal"
)

// Sentinel errors of e-mail intake, each wrapped by a *PartError that names the part and the
// rule. Error strings never hold the message's content.
var (
	// ErrMalformed: the message breaks RFC 5322 / MIME (headers, boundaries, encodings).
	ErrMalformed = errors.New("intake: malformed message")
	// ErrLimit: the message or a part of it is over a Limits bound (size, count, depth).
	ErrLimit = errors.New("intake: over a limit")
	// ErrMediaType: an attachment's media type is not in Limits.MediaTypes.
	ErrMediaType = errors.New("intake: media type not accepted")
	// ErrCharset: a text or header is in a charset the package cannot decode.
	ErrCharset = errors.New("intake: unsupported charset")
	// ErrNoBlobs: the message has attachments and no Blobs was given to keep them.
	ErrNoBlobs = errors.New("intake: attachments need a Blobs")
)

// PartError says where an e-mail was refused: the part ("header From", "body", "part 1.2" in
// the IMAP numbering) and the rule it broke, wrapping a sentinel above or the host's Blobs
// error. errors.Is(err, ErrMalformed) and the like work through it.
type PartError struct {
	// Part names the header or the MIME part.
	Part string
	// Rule says what was wrong there, e.g. "base64", "boundary", "attachment size".
	Rule string
	// Err is the sentinel, or the host's error from Blobs.
	Err error
}

// Error is the cause with the part and the rule.
func (e *PartError) Error() string { return e.Err.Error() + " (" + e.Part + ": " + e.Rule + ")" }

// Unwrap returns Err.
func (e *PartError) Unwrap() error { return e.Err }

// Rules of form intake, reported as appeal.Problem with the form field's name. They join the
// rules of appeal.Validate in one *appeal.ValidationError.
const (
	// RuleTextLength: the text is longer than Limits.MaxTextRunes.
	RuleTextLength appeal.Rule = "limit: text length"
	// RuleFieldLength: a field other than the text is longer than Limits.MaxFieldRunes.
	RuleFieldLength appeal.Rule = "limit: field length"
	// RuleAttachmentCount: more attachments than Limits.MaxAttachments.
	RuleAttachmentCount appeal.Rule = "limit: number of attachments"
	// RuleAttachmentSize: an attachment over Limits.MaxAttachmentSize.
	RuleAttachmentSize appeal.Rule = "limit: attachment size"
	// RuleTotalSize: attachments together over Limits.MaxTotalSize.
	RuleTotalSize appeal.Rule = "limit: total size of attachments"
	// RuleMediaType: an attachment's media type not in Limits.MediaTypes.
	RuleMediaType appeal.Rule = "limit: media type"
	// RuleToken: the form token (the intake key that makes a double submit one appeal) is
	// missing or not 16 to 256 printable ASCII characters.
	RuleToken appeal.Rule = "form token"
	// RuleEncoding: a value is not valid UTF-8, or holds a control character (a tab outside
	// the text) or, outside the text, a bidirectional formatting character (U+202E and the
	// like).
	RuleEncoding appeal.Rule = "UTF-8 text"
	// RuleSingleLine: a field other than the text holds a line break (CR or LF).
	RuleSingleLine appeal.Rule = "single line"
	// RuleRepeated: a single-valued field was sent more than once with different values.
	RuleRepeated appeal.Rule = "field repeated"
	// RuleYesNo: a yes/no field holds something else.
	RuleYesNo appeal.Rule = "yes/no value"
)
