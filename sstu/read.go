package sstu

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
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

// maxEntry bounds the bytes read from one zip entry: a record of 10 questions each with the
// largest attachment, with room to spare. It keeps a zip bomb from exhausting memory.
const maxEntry = 1 << 27

// ErrRead is wrapped by every *ReadError.
var ErrRead = errors.New("sstu: cannot read")

// ReadError reports a file or a zip entry that could not be read into records: where, and the
// rule its content broke (or the zip error). It holds no value from the file.
type ReadError struct {
	File string // the JSON file, or "part.zip/entry.json"
	Path string // the JSON path of the first problem, "" for a zip error
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

// ReadJSON reads the records of one JSON file: a record object, pretty-printed or not, or an
// array of them. Fields not in the upload are ignored; a value of the wrong type, a bad date or
// bad Base64 gives a *ReadError. It does not validate: see Validator.JSON.
func ReadJSON(file string, data []byte) ([]Record, error) {
	c := checker{v: &Validator{}, file: file}
	var out []Record
	for node, prefix := range c.document(data) {
		c.prefix = prefix
		out = append(out, c.decode(node, true))
	}
	for _, p := range c.done() {
		if p.Rule != RuleBOM {
			return nil, &ReadError{File: file, Path: p.Path, Rule: p.Rule}
		}
	}
	return out, nil
}

// ReadZip yields the records of the zip parts in order: every .json entry of every part, in
// the order of each part's directory. An entry that cannot be read yields a *ReadError and
// reading goes on with the next.
func ReadZip(parts ...Part) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for e := range entries(parts) {
			if e.err != nil {
				if !yield(Record{}, e.err) {
					return
				}
				continue
			}
			recs, err := ReadJSON(e.file(), e.data)
			if err != nil {
				if !yield(Record{}, err) {
					return
				}
				continue
			}
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}

// entry is one zip entry's bytes, or the *ReadError of its part or of itself.
type entry struct {
	part, name string // name is "" when the part cannot be opened
	data       []byte
	err        error
}

// file names the entry in problems: "part.zip/entry.json".
func (e entry) file() string {
	if e.name == "" {
		return e.part
	}
	return e.part + "/" + e.name
}

// entries yields the .json entries of the parts in order.
func entries(parts []Part) iter.Seq[entry] {
	return func(yield func(entry) bool) {
		for _, p := range parts {
			zr, err := zip.NewReader(p.ReaderAt, p.Size)
			if err != nil {
				if !yield(entry{part: p.Name, err: &ReadError{File: p.Name, Err: err}}) {
					return
				}
				continue
			}
			for _, f := range zr.File {
				if strings.HasSuffix(f.Name, "/") || !isJSONName(f.Name) {
					continue
				}
				e := entry{part: p.Name, name: f.Name}
				e.data, e.err = readEntry(f)
				if e.err != nil {
					e.err = &ReadError{File: e.file(), Err: e.err}
				}
				if !yield(e) {
					return
				}
			}
		}
	}
}

func readEntry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxEntry {
		return nil, fmt.Errorf("entry of %d bytes is over the %d-byte limit", f.UncompressedSize64, maxEntry)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxEntry+1))
	if err == nil && len(data) > maxEntry {
		err = fmt.Errorf("entry is over the %d-byte limit", maxEntry)
	}
	return data, err
}

// Zip returns every problem of the zip parts, read as one report: each part that cannot be
// opened and each entry that cannot be read (RuleZip), entries that are not one object in a
// <uuid>.json at the root (RuleLayout), a file name repeated across parts (RuleLayout), and the
// problems of each entry's JSON as JSON finds them.
func (v *Validator) Zip(parts ...Part) []Problem {
	var out []Problem
	seen := make(map[string]bool)
	for e := range entries(parts) {
		c := checker{v: v, file: e.file()}
		if e.err != nil {
			c.add("$", RuleZip)
			out = append(out, c.out...)
			continue
		}
		if !isFileName(e.name) || seen[e.name] || startsArray(e.data) {
			c.add("$", RuleLayout)
		}
		seen[e.name] = true
		out = append(out, c.out...)
		out = append(out, v.JSON(e.file(), e.data)...)
	}
	return out
}

// isFileName reports whether name is "<uuid>.json" as FileName writes it.
func isFileName(name string) bool {
	return len(name) == nameLen && strings.HasSuffix(name, ".json") && isGUID(name[:36])
}

// startsArray reports whether a JSON text is an array.
func startsArray(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n', 0xEF, 0xBB, 0xBF:
			continue
		}
		return c == '['
	}
	return false
}
