package classifier

import (
	"cmp"
	"errors"
	"strconv"
	"strings"
)

// Level is the depth of a node in the classifier: 1 (Section) to 5 (Refinement).
type Level int

// The levels of the classifier, top down.
const (
	// Section (раздел) is the top level, e.g. 0001.0000.0000.0000.
	Section Level = 1 + iota
	// Theme (тематика) is the second level, e.g. 0001.0001.0000.0000.
	Theme
	// Topic (тема) is the third level, e.g. 0001.0001.0005.0000.
	Topic
	// Question (вопрос) is the fourth level, e.g. 0001.0001.0005.0007.
	Question
	// Refinement (уточнение) is the optional fifth block, e.g. 0001.0001.0006.0013.0001.
	Refinement
)

// String returns the English name of the level ("section" … "refinement").
func (l Level) String() string {
	switch l {
	case Section:
		return "section"
	case Theme:
		return "theme"
	case Topic:
		return "topic"
	case Question:
		return "question"
	case Refinement:
		return "refinement"
	}
	return "level(" + strconv.Itoa(int(l)) + ")"
}

// Assignable reports whether a node of this level may be assigned to an appeal's question.
// Questions and refinements may; sections, themes and topics only help to find them.
func (l Level) Assignable() bool { return l == Question || l == Refinement }

const (
	maxBlocks   = 5 // раздел.тематика.тема.вопрос.уточнение
	minBlocks   = 4 // the fifth block is optional
	blockDigits = 4 // each block is written with four digits, zero-padded
)

// Code is a classifier code such as 0005.0005.0055.1122 (a question) or 0001.0001.0006.0013.0001
// (a refinement). The blocks below the code's own level are zero padding, so 0001.0001.0000.0000
// is a theme. Codes are comparable values and may be map keys; the zero Code means "no code".
//
// Question numbers are global and repeat under several topics, so only the full code identifies a
// node.
type Code struct {
	b [maxBlocks]uint16
}

// ErrInvalidCode is wrapped by every *ParseError.
var ErrInvalidCode = errors.New("classifier: invalid code")

// ParseError reports text that is not a classifier code: where the problem is and what was
// expected there. It never holds the text itself: a code field may have received a name, a phone
// or an address, and the error may reach a log.
type ParseError struct {
	Offset   int    // byte offset in the text given to Parse where the problem is
	Block    int    // the block (1–5) the offset falls in, or 0 when the problem is the code as a whole
	Expected string // what a code has at that place
}

// Error returns a message such as
// `classifier: invalid code: block 2 at offset 7: expected a digit or '.'`.
func (e *ParseError) Error() string {
	where := "at offset " + strconv.Itoa(e.Offset)
	if e.Block > 0 {
		where = "block " + strconv.Itoa(e.Block) + " " + where
	}
	return "classifier: invalid code: " + where + ": expected " + e.Expected
}

// Unwrap returns ErrInvalidCode.
func (e *ParseError) Unwrap() error { return ErrInvalidCode }

// Parse reads a code written as 4 or 5 dot-separated blocks of digits, e.g. "0005.0005.0055.1122"
// or "0001.0001.0006.0013.0001". Blocks may be typed without their padding zeros
// ("5.5.55.1122"); surrounding spaces are ignored. A fifth block of 0000 is padding and is dropped.
// Text that is not a code yields a *ParseError.
func Parse(s string) (Code, error) {
	var c Code
	i, end := 0, len(s)
	for i < end && isSpace(s[i]) {
		i++
	}
	for end > i && isSpace(s[end-1]) {
		end--
	}
	if i == end {
		return Code{}, &ParseError{Offset: i, Expected: "a code like 0005.0005.0055.1122"}
	}
	var starts [maxBlocks]int
	n := 0
	for {
		starts[n] = i
		v := 0
		for i < end && isDigit(s[i]) {
			if i-starts[n] == blockDigits {
				return Code{}, &ParseError{Offset: i, Block: n + 1, Expected: "at most 4 digits in a block"}
			}
			v = v*10 + int(s[i]-'0')
			i++
		}
		if i == starts[n] {
			return Code{}, &ParseError{Offset: i, Block: n + 1, Expected: "a digit"}
		}
		c.b[n] = uint16(v)
		n++
		if i == end {
			break
		}
		if s[i] != '.' {
			return Code{}, &ParseError{Offset: i, Block: n, Expected: "a digit or '.'"}
		}
		if n == maxBlocks {
			return Code{}, &ParseError{Offset: i, Block: n, Expected: "the end of the code after block 5"}
		}
		i++
	}
	if n < minBlocks {
		return Code{}, &ParseError{Offset: end, Expected: "4 or 5 blocks (section.theme.topic.question[.refinement])"}
	}
	if c.b[0] == 0 {
		return Code{}, &ParseError{Offset: starts[0], Block: 1, Expected: "a section number other than 0000"}
	}
	for k := 1; k < n; k++ {
		if c.b[k] != 0 && c.b[k-1] == 0 {
			return Code{}, &ParseError{Offset: starts[k], Block: k + 1,
				Expected: "0000, since block " + strconv.Itoa(k) + " is 0000 and lower levels are padding"}
		}
	}
	return c, nil
}

// ParsePrefix reads a code of any level written with its leading blocks only — a section
// "0005", a theme "5.5", a topic "0005.0005.0056" — the missing blocks taken as 0000; a full
// code reads as with Parse. Rules keyed by a part of the classifier (routing, templates) use it.
func ParsePrefix(s string) (Code, error) {
	s = strings.TrimSpace(s)
	if n := strings.Count(s, ".") + 1; n < minBlocks && s != "" {
		s += strings.Repeat(".0000", minBlocks-n)
	}
	return Parse(s)
}

// MustParse is Parse for constants in tests and examples; it panics on bad text.
func MustParse(s string) Code {
	c, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return c
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// IsZero reports whether c is the zero Code, which means "no code".
func (c Code) IsZero() bool { return c == Code{} }

// Level returns the level of the node the code names, or 0 for the zero Code.
func (c Code) Level() Level {
	for k, v := range c.b {
		if v == 0 {
			return Level(k)
		}
	}
	return Refinement
}

// Parent returns the code one level up: the question of a refinement, the topic of a question, and
// so on. The parent of a section, and of the zero Code, is the zero Code.
func (c Code) Parent() Code {
	if l := c.Level(); l > 0 {
		c.b[l-1] = 0
	}
	return c
}

// Contains reports whether d is c itself or lies under c. The zero Code contains every code.
func (c Code) Contains(d Code) bool {
	for k := range int(c.Level()) {
		if c.b[k] != d.b[k] {
			return false
		}
	}
	return true
}

// Compare returns -1, 0 or +1 as c sorts before, equal to or after d, block by block; a node sorts
// before the nodes under it. This numeric order may differ from the order of the official document
// (see Classifier.All).
func (c Code) Compare(d Code) int {
	for k := range c.b {
		if r := cmp.Compare(c.b[k], d.b[k]); r != 0 {
			return r
		}
	}
	return 0
}

// String returns the canonical form: four zero-padded blocks, or five for a refinement, e.g.
// "0005.0005.0055.1122". The zero Code prints as "".
func (c Code) String() string {
	if c.IsZero() {
		return ""
	}
	var buf [5 * (blockDigits + 1)]byte
	return string(c.appendCanonical(buf[:0]))
}

// AppendText appends the canonical form of c to b; see String.
func (c Code) AppendText(b []byte) ([]byte, error) {
	if c.IsZero() {
		return b, nil
	}
	return c.appendCanonical(b), nil
}

// MarshalText returns the canonical form of c; the zero Code marshals as empty text.
func (c Code) MarshalText() ([]byte, error) { return c.AppendText(nil) }

// UnmarshalText parses text as Parse does; empty text gives the zero Code.
func (c *Code) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*c = Code{}
		return nil
	}
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

func (c Code) appendCanonical(b []byte) []byte {
	n := minBlocks
	if c.b[minBlocks] != 0 {
		n = maxBlocks
	}
	for k := range n {
		if k > 0 {
			b = append(b, '.')
		}
		b = appendBlock(b, c.b[k])
	}
	return b
}

// appendBlock appends v as four zero-padded digits; Parse keeps every block below 10000.
func appendBlock(b []byte, v uint16) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}
