package sstu

import (
	"bytes"
	"encoding/json"
	"iter"
	"strconv"
)

// element is one record of a JSON document with its path ("$", or "$[i]" in an array), or a
// record refused unread (node nil), whose problem the checker holds.
type element struct {
	node    any
	prefix  string
	refused bool
}

// elements yields the records of a JSON document within the limits: a BOM is reported and
// skipped; a document over EntryBytes, or not JSON, gives one problem and no record; in an
// array, records past Records give one problem, and a record of more than MaxValues values is
// refused before it is decoded. oneObject refuses an array whole (RuleOneObject), as the zip
// layout requires.
//
// The document is checked with json.Valid and cut into records by a scan that allocates
// nothing; only each record is decoded, and only once its size is known to be bounded.
func (c *checker) elements(data []byte, lim Limits, oneObject bool) iter.Seq[element] {
	return func(yield func(element) bool) {
		if rest, ok := bytes.CutPrefix(data, bom); ok {
			c.add("$", RuleBOM)
			data = rest
		}
		if int64(len(data)) > lim.EntryBytes {
			c.add("$", RuleEntrySize)
			return
		}
		i := skipSpace(data, 0)
		if oneObject && i < len(data) && data[i] == '[' {
			c.add("$", RuleOneObject)
			return
		}
		if !json.Valid(data) {
			c.add("$", RuleJSON)
			return
		}
		if data[i] != '[' {
			yield(c.element(data[i:], "$"))
			return
		}
		for n, j := 0, skipSpace(data, i+1); data[j] != ']'; n++ {
			prefix := "$[" + strconv.Itoa(n) + "]"
			if n == lim.Records {
				c.add(prefix, RuleRecords)
				return
			}
			end := valueEnd(data, j)
			if !yield(c.element(data[j:end], prefix)) {
				return
			}
			if j = skipSpace(data, end); data[j] == ',' {
				j = skipSpace(data, j+1)
			}
		}
	}
}

// element decodes one record's JSON, or refuses it for its number of values.
func (c *checker) element(b []byte, prefix string) element {
	if countValues(b) > MaxValues {
		c.add(prefix, RuleValues)
		return element{prefix: prefix, refused: true}
	}
	var node any
	// b is valid JSON: the only error is a number out of float64's range, which leaves the
	// value nil, and the schema then reports its type.
	_ = json.Unmarshal(b, &node)
	return element{node: node, prefix: prefix}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the index of the first byte at or after i that is not JSON white space,
// or len(b).
func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// valueEnd returns the end of the value that starts at b[i], in valid JSON.
func valueEnd(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '{', '[':
			depth++
			i++
			continue
		case '}', ']':
			depth--
			i++
		case '"':
			i = stringEnd(b, i)
		case ',', ':', ' ', '\t', '\n', '\r':
			i++
			continue
		default:
			i = scalarEnd(b, i)
		}
		if depth == 0 {
			return i
		}
	}
	return i
}

// countValues counts the values of valid JSON b, keys included.
func countValues(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		switch b[i] {
		case '{', '[':
			n++
			i++
		case '"':
			n++
			i = stringEnd(b, i)
		case '}', ']', ',', ':', ' ', '\t', '\n', '\r':
			i++
		default:
			n++
			i = scalarEnd(b, i)
		}
	}
	return n
}

// stringEnd returns the index just past the string that starts at b[i]: the first quote
// after it that an even run of backslashes precedes.
func stringEnd(b []byte, i int) int {
	for j := i + 1; ; {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return len(b)
		}
		q := j + k
		escapes := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			escapes++
		}
		if escapes%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// scalarEnd returns the index just past the number or literal that starts at b[i].
func scalarEnd(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ',', ']', '}', ':', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}
