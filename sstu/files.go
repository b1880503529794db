package sstu

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrFileKind: a file to validate is neither .zip nor .json.
var ErrFileKind = errors.New("sstu: want a .zip or .json file")

// Files returns every problem of the files named, in one list within v.Limits: the .zip
// files as the parts of one report (Zip), after each .json file on its own (JSON). A JSON
// file over Limits.EntryBytes is refused unread (RuleEntrySize). The error is for a file
// that cannot be opened or read, or a name of another kind (ErrFileKind); then no problem is
// returned. It is what sstucheck and sstutest.Valid run.
func (v *Validator) Files(names ...string) ([]Problem, error) {
	var parts []Part
	for _, name := range names {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".zip", ".json":
		default:
			return nil, fmt.Errorf("%w: %s", ErrFileKind, name)
		}
	}
	rep := report{max: v.Limits.or().Problems}
	for _, name := range names {
		if strings.EqualFold(filepath.Ext(name), ".zip") {
			p, f, err := OpenPart(name)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			parts = append(parts, p)
			continue
		}
		data, err := readFile(name, v.Limits.or().EntryBytes)
		if err != nil {
			return nil, err
		}
		if data == nil {
			rep.add([]Problem{{File: name, Path: "$", Rule: RuleEntrySize, Severity: Error}})
			continue
		}
		v.json(name, data, &rep)
	}
	v.zip(parts, &rep)
	return rep.list(), nil
}

// readFile reads a file of at most max bytes, or returns nil without reading a larger one.
func readFile(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() > max {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil || int64(len(data)) > max {
		return nil, err
	}
	return data, nil
}
