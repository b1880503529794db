package sstu

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Part is one zip part to read or validate.
type Part struct {
	// Name names the part in problems and errors, e.g. its file name.
	Name string
	// ReaderAt and Size give its bytes.
	ReaderAt io.ReaderAt
	Size     int64
}

// OpenPart opens a zip file as a Part; close the returned file when done.
func OpenPart(name string) (Part, *os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return Part{}, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return Part{}, nil, err
	}
	return Part{Name: name, ReaderAt: f, Size: st.Size()}, f, nil
}

// ErrRead is wrapped by every *ReadError.
var ErrRead = errors.New("sstu: cannot read")

// ReadError reports a file, a zip entry or a record that could not be read into a Record:
// where, and the rule its content broke (a limit among them), or the zip error. It holds no
// value from the file.
type ReadError struct {
	File string // the JSON file, "part.zip/<uuid>.json" or "part.zip#n" (see Problem.File)
	Path string // the JSON path of the first problem, "$" for a whole file or entry
	Rule Rule   // the rule broken, "" for a zip error
	Err  error  // the zip or I/O error, if that is the cause
}

// Error names the file, the path and the rule.
func (e *ReadError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("sstu: read %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("sstu: read %s: %s: %s", e.File, e.Path, e.Rule)
}

// Unwrap returns ErrRead and the cause.
func (e *ReadError) Unwrap() []error { return []error{ErrRead, e.Err} }

// Reader reads records back from JSON files and zip parts, what the Exporter wrote or what
// another system sent, within its Limits; the zero value keeps to the defaults. It does not
// validate: see Validator. A Reader is safe for concurrent use.
type Reader struct {
	// Limits bound each call: input past them yields a *ReadError of the limit's rule.
	Limits Limits
}

// JSON yields the records of one JSON file: a record object, pretty-printed or not, or an
// array of them. Fields not in the upload are ignored. A record with a value of the wrong
// type, a bad date or bad Base64 yields a *ReadError naming the path and the rule, and reading
// goes on with the next; a file that is not JSON, or is over the Limits, yields one.
func (rd *Reader) JSON(file string, data []byte) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		c := checker{v: &Validator{}, file: file}
		c.read(data, rd.Limits.or(), false, yield)
	}
}

// Zip yields the records of the zip parts in order: every .json entry of every part, in the
// order of its directory, one record each, as the layout has it. An entry that cannot be
// read, is not one JSON object, or is over the Limits yields a *ReadError and reading goes on
// with the next; so does a part that is not a zip or declares more than Limits.Entries
// entries, with one *ReadError for the part. Entries of other names (folders, other files)
// are skipped. The parts are read one entry at a time: memory does not grow with their number
// of entries.
func (rd *Reader) Zip(parts ...Part) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		lim := rd.Limits.or()
		c := checker{v: &Validator{}}
		for it := range zipItems(parts, lim) {
			c.file = it.file
			switch {
			case it.rule == RuleLayout: // another kind of entry: not a record
			case it.err != nil || it.rule != "":
				if !yield(Record{}, it.readError()) {
					return
				}
			default:
				if !c.read(it.data, lim, true, yield) {
					return
				}
			}
		}
	}
}

// read yields the records of one document, or the *ReadError of each that has a problem.
// It returns false when yield does.
func (c *checker) read(data []byte, lim Limits, oneObject bool, yield func(Record, error) bool) bool {
	for el := range c.elements(data, lim, oneObject) {
		var r Record
		if !el.refused {
			c.prefix = el.prefix
			r = c.decode(el.node, true)
		}
		if err := c.readError(); err != nil {
			if !yield(Record{}, err) {
				return false
			}
			continue
		}
		if !yield(r, nil) {
			return false
		}
	}
	if err := c.readError(); err != nil {
		return yield(Record{}, err)
	}
	return true
}

// readError returns the first problem found, other than a BOM, as a *ReadError, and forgets
// them all.
func (c *checker) readError() error {
	for _, p := range c.sorted() {
		if p.Rule != RuleBOM {
			return &ReadError{File: c.file, Path: p.Path, Rule: p.Rule}
		}
	}
	return nil
}

// zipItem is one entry of a part as far as the limits let it be read, or the refusal of a
// whole part.
type zipItem struct {
	file string // the entry in problems ("part.zip/<uuid>.json", "part.zip#n"), or the part's name
	name []byte // the entry's name; nil for the part itself
	data []byte // the entry's bytes, valid until the next item
	rule Rule   // why it was not read: a limit, RuleLayout for an entry that is no JSON file
	err  error  // why it cannot be read, when the zip is broken
}

// readError is the refusal as a *ReadError.
func (it *zipItem) readError() error {
	if it.err != nil {
		return &ReadError{File: it.file, Err: it.err}
	}
	return &ReadError{File: it.file, Path: "$", Rule: it.rule}
}

// ruleOf is the problem rule of an item that was not read.
func (it *zipItem) ruleOf() Rule {
	if it.err != nil {
		return RuleZip
	}
	return it.rule
}

// zipItems yields the entries of the parts in order, reading the bytes of each .json entry
// within the limits.
func zipItems(parts []Part, lim Limits) iter.Seq[zipItem] {
	return func(yield func(zipItem) bool) {
		var er entryReader
		var buf []byte
		for _, p := range parts {
			d, err := readDir(p.ReaderAt, p.Size)
			if err == nil && d.count > uint64(lim.Entries) {
				if !yield(zipItem{file: p.Name, rule: RuleEntries}) {
					return
				}
				continue
			}
			if err != nil {
				if !yield(zipItem{file: p.Name, err: err}) {
					return
				}
				continue
			}
			var total int64
			n := 0
			for f, err := range d.files() {
				if err != nil {
					if !yield(zipItem{file: p.Name, err: err}) {
						return
					}
					break
				}
				n++
				it := zipItem{file: entryFile(p.Name, f.name, n), name: f.name}
				name := string(f.name)
				switch {
				case strings.HasSuffix(name, "/") || !isJSONName(name):
					it.rule = RuleLayout
				case f.usize > uint64(lim.EntryBytes):
					it.rule = RuleEntrySize
				case total+int64(f.usize) > lim.Bytes:
					it.rule = RuleBytes
				default:
					total += int64(f.usize)
					buf, it.err = er.read(&d, f, buf)
					it.data = buf
				}
				if !yield(it) {
					return
				}
				if it.rule == RuleBytes {
					break
				}
			}
		}
	}
}

// entryFile names an entry in problems: by its name when that is <uuid>.json, else by its
// place in the part's directory, so that no name chosen by the sender is copied.
func entryFile(part string, name []byte, n int) string {
	if isFileName(string(name)) {
		return part + "/" + string(name)
	}
	return part + "#" + strconv.Itoa(n)
}

// Zip returns every problem of the zip parts, read as one report within v.Limits: each part
// that cannot be opened and each entry that cannot be read (RuleZip), a part or entry over a
// limit, entries that are not a <uuid>.json at the root or repeat another's name (RuleLayout),
// entries that are not one JSON object (RuleOneObject), and the problems of each entry's
// record as JSON finds them.
func (v *Validator) Zip(parts ...Part) []Problem {
	rep := report{max: v.Limits.or().Problems}
	v.zip(parts, &rep)
	return rep.list()
}

func (v *Validator) zip(parts []Part, rep *report) {
	lim := v.Limits.or()
	c := checker{v: v}
	seen := make(map[uuid.UUID]bool)
	for it := range zipItems(parts, lim) {
		c.file, c.prefix = it.file, "$"
		if it.err != nil || it.rule != "" {
			c.add("$", it.ruleOf())
			c.flush(rep)
			continue
		}
		id, ok := fileUUID(it.name)
		if !ok || seen[id] {
			c.add("$", RuleLayout)
		}
		if ok {
			seen[id] = true
		}
		c.judge(it.data, lim, true, rep)
	}
}

// fileUUID returns the appeal's file UUID of a name "<uuid>.json" as FileName writes it.
func fileUUID(name []byte) (uuid.UUID, bool) {
	if !isFileName(string(name)) {
		return uuid.UUID{}, false
	}
	id, err := uuid.ParseBytes(name[:36])
	return id, err == nil
}

// isFileName reports whether name is "<uuid>.json" as FileName writes it.
func isFileName(name string) bool {
	return len(name) == nameLen && strings.HasSuffix(name, ".json") && isGUID(name[:36])
}
