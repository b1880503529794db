package sstu

// Limits bound the work of one call of the Reader or the Validator, whatever the input: a zip
// of a few kilobytes may claim a million entries or inflate to gigabytes. The Exporter keeps
// its parts within the same limits, so whatever it writes the reader and the validator take
// with the same settings. A field of 0 or less takes its default; docs/sstu.md §6 explains
// the choice of each.
//
// With the defaults, any part of up to 50 MB is judged in a few seconds and in memory of about
// twice DefaultEntryBytes at most (one record at a time: its bytes and their decoded form).
type Limits struct {
	// Entries is the most entries of one zip part, as its end record declares them: a part
	// with more is refused whole, before any entry is read. Default DefaultEntries.
	Entries int
	// Bytes is the most uncompressed bytes of one part's entries together: the entries past
	// it are refused unread. Default DefaultBytes.
	Bytes int64
	// EntryBytes is the most uncompressed bytes of one zip entry or JSON file, that is of one
	// record in the zip layout: a larger one is refused unread. Default DefaultEntryBytes.
	EntryBytes int64
	// Records is the most records of one JSON file (an array of them, as relays return
	// them): the records past it are refused unread. Default DefaultRecords.
	Records int
	// Problems is the most problems one call of the Validator returns; a last problem of
	// RuleMore counts those left out. Default DefaultProblems.
	Problems int
}

// The default limits.
const (
	// DefaultEntries: 50,000 entries a part, ten times a district's month; the Exporter ends
	// a part there, so 50,000 records without answers make a part of about 23 MB.
	DefaultEntries = 50_000
	// DefaultBytes: 256 MiB of uncompressed entries a part, five times a full 50 MB part of
	// answers (Base64 of PDF compresses little).
	DefaultBytes = 256 << 20
	// DefaultEntryBytes: one record is at most what fits in one part of the default size.
	DefaultEntryBytes = DefaultPartLimit
	// DefaultRecords: 50,000 records in one JSON file, as many as entries in a part.
	DefaultRecords = DefaultEntries
	// DefaultProblems: 1,000 problems, enough to fix a file by; the rest are counted.
	DefaultProblems = 1000
)

// MaxValues is the most JSON values one record may hold, keys included: a record of a hundred
// questions has about 2,500. A record with more is refused before it is decoded, so that a
// record of a million nulls costs nothing.
const MaxValues = 10_000

// or returns l's fields with the defaults filled in.
func (l Limits) or() Limits {
	if l.Entries <= 0 {
		l.Entries = DefaultEntries
	}
	if l.Bytes <= 0 {
		l.Bytes = DefaultBytes
	}
	if l.EntryBytes <= 0 {
		l.EntryBytes = DefaultEntryBytes
	}
	if l.Records <= 0 {
		l.Records = DefaultRecords
	}
	if l.Problems <= 0 {
		l.Problems = DefaultProblems
	}
	return l
}
