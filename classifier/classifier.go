package classifier

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Node is one entry of the classifier: a section, theme, topic, question or refinement.
type Node struct {
	// Code, Level and Title are the node's code, its level and its official title.
	Code  Code   `json:"code"`
	Level Level  `json:"level"`
	Title string `json:"title"`
}

// Edition names one edition of the classifier and the day it took effect.
type Edition struct {
	// Name is the edition's name, as the data file gives it.
	Name string
	Date time.Time // the day the edition took effect, at midnight UTC
}

// String returns the name and the date, e.g. "Классификаторы на 31.10.2025 (2025-10-31)".
func (e Edition) String() string {
	return e.Name + " (" + e.Date.Format(time.DateOnly) + ")"
}

// ErrUnknownCode is wrapped by every *UnknownCodeError.
var ErrUnknownCode = errors.New("classifier: unknown code")

// ErrNotAssignable is wrapped by the errors of Classifier.Assignable for a known code that an
// appeal's question may not carry.
var ErrNotAssignable = errors.New("classifier: code not assignable")

// UnknownCodeError reports a code that the edition (or the organization's subset of it) does not
// have.
type UnknownCodeError struct {
	// Code is the code asked for and Edition the edition that lacks it.
	Code    Code
	Edition Edition
	Subset  bool // the classifier asked was a subset made with Classifier.Subset
}

// Error names the code and the edition.
func (e *UnknownCodeError) Error() string {
	code := "the empty code"
	if !e.Code.IsZero() {
		code = "code " + e.Code.String()
	}
	where := "edition"
	if e.Subset {
		where = "the organization's subset of edition"
	}
	return fmt.Sprintf("classifier: %s is not in %s %s", code, where, e.Edition)
}

// Unwrap returns ErrUnknownCode.
func (e *UnknownCodeError) Unwrap() error { return ErrUnknownCode }

// LoadError reports a row of an edition's CSV that Load refused.
type LoadError struct {
	Edition string // the name given to Load
	Line    int    // 1-based line of the CSV; 0 when the problem is not one row's
	Err     error
}

// Error names the edition and the line.
func (e *LoadError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("classifier: load edition %q: %v", e.Edition, e.Err)
	}
	return fmt.Sprintf("classifier: load edition %q: line %d: %v", e.Edition, e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *LoadError) Unwrap() error { return e.Err }

// Classifier is one edition of the thematic classifier, or an organization's subset of one. It is
// immutable and safe for concurrent use.
type Classifier struct {
	edition Edition
	subset  bool
	nodes   []entry // in document order; the subtree of nodes[i] is nodes[i:nodes[i].end]
	index   codeIndex
	words   wordIndex
	scratch sync.Pool // of *scratch sized for nodes, reused by Search
}

type entry struct {
	Node
	parent  int32 // index of the parent entry, -1 for a section
	end     int32 // index after the last entry under this one
	navOnly bool  // in a subset: kept only as the ancestor of chosen codes
}

//go:embed data/classifier.csv
var embeddedCSV string

// EmbeddedName is the name of the edition built into the package.
const EmbeddedName = "Классификаторы на 31.10.2025"

var embedded = sync.OnceValue(func() *Classifier {
	c, err := Load(strings.NewReader(embeddedCSV), EmbeddedName)
	if err != nil {
		panic("classifier: the embedded edition does not load: " + err.Error())
	}
	return c
})

// Embedded returns the edition built into the package, «Классификаторы на 31.10.2025»: 5 sections,
// 21 themes, 206 topics, 1,225 questions and 651 refinements. It is parsed once and shared.
func Embedded() *Classifier { return embedded() }

var csvHeader = []string{"code", "level", "parent_code", "title", "edition"}

// Load reads an edition from CSV with the header code,level,parent_code,title,edition — the shape of
// the embedded file — and names it name. Every row must carry the same edition date (YYYY-MM-DD),
// which becomes the Edition's Date. Rows may come in any order; their order among siblings is kept
// as the document order. Load checks each code, its level and parent, and refuses duplicates, empty
// titles and codes whose parent is missing, with a *LoadError naming the line.
func Load(r io.Reader, name string) (*Classifier, error) {
	fail := func(line int, format string, args ...any) (*Classifier, error) {
		return nil, &LoadError{Edition: name, Line: line, Err: fmt.Errorf(format, args...)}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(csvHeader)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, &LoadError{Edition: name, Line: 1, Err: fmt.Errorf("header: %w", err)}
	}
	head[0] = strings.TrimPrefix(head[0], "\uFEFF")
	if strings.Join(head, ",") != strings.Join(csvHeader, ",") {
		return fail(1, "header is %q, want %q", strings.Join(head, ","), strings.Join(csvHeader, ","))
	}
	var (
		in       []entry
		date     string
		dateLine int
		line     = make(map[Code]int)
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &LoadError{Edition: name, Line: csvLine(err), Err: err}
		}
		at, _ := cr.FieldPos(0)
		code, err := Parse(rec[0])
		if err != nil {
			return fail(at, "code: %w", err)
		}
		if prev, dup := line[code]; dup {
			return fail(at, "code %s repeats line %d", code, prev)
		}
		if level, err := strconv.Atoi(rec[1]); err != nil || Level(level) != code.Level() {
			return fail(at, "level is %q, but code %s is a %s (level %d)", rec[1], code, code.Level(), code.Level())
		}
		var parent Code
		if rec[2] != "" {
			if parent, err = Parse(rec[2]); err != nil {
				return fail(at, "parent_code: %w", err)
			}
		}
		if parent != code.Parent() {
			return fail(at, "parent_code is %q, but the parent of %s is %q", rec[2], code, code.Parent())
		}
		title := strings.TrimSpace(rec[3])
		if title == "" {
			return fail(at, "code %s has an empty title", code)
		}
		if dateLine == 0 {
			date, dateLine = rec[4], at
		} else if rec[4] != date {
			return fail(at, "edition is %q, but earlier rows say %q", rec[4], date)
		}
		line[code] = at
		in = append(in, entry{Node: Node{Code: code, Level: code.Level(), Title: title}})
	}
	if len(in) == 0 {
		return fail(0, "no rows")
	}
	for _, e := range in {
		if p := e.Code.Parent(); !p.IsZero() {
			if _, ok := line[p]; !ok {
				return fail(line[e.Code], "the parent %s of %s is missing", p, e.Code)
			}
		}
	}
	day, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return fail(dateLine, "edition date %q is not YYYY-MM-DD", date)
	}
	return build(Edition{Name: name, Date: day}, false, in), nil
}

// csvLine returns the line that an encoding/csv error points at, or 0.
func csvLine(err error) int {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return pe.Line
	}
	return 0
}

// build arranges in (whose parents must all be present) in document order: each node followed by
// its subtree, siblings in the order of in.
func build(ed Edition, subset bool, in []entry) *Classifier {
	pos := make(map[Code]int32, len(in))
	for i, e := range in {
		pos[e.Code] = int32(i)
	}
	// Children lists as linked lists; slot len(in) is the root above the sections.
	root := int32(len(in))
	first, last, next := make([]int32, len(in)+1), make([]int32, len(in)+1), make([]int32, len(in))
	for i := range first {
		first[i], last[i] = -1, -1
	}
	for i, e := range in {
		p := root
		if e.Level > Section {
			p = pos[e.Code.Parent()]
		}
		if last[p] < 0 {
			first[p] = int32(i)
		} else {
			next[last[p]] = int32(i)
		}
		last[p], next[i] = int32(i), -1
	}
	c := &Classifier{edition: ed, subset: subset, nodes: make([]entry, 0, len(in))}
	var visit func(i, parent int32)
	visit = func(i, parent int32) {
		at := int32(len(c.nodes))
		c.nodes = append(c.nodes, entry{Node: in[i].Node, parent: parent, navOnly: in[i].navOnly})
		for k := first[i]; k >= 0; k = next[k] {
			visit(k, at)
		}
		c.nodes[at].end = int32(len(c.nodes))
	}
	for k := first[root]; k >= 0; k = next[k] {
		visit(k, -1)
	}
	c.index = newCodeIndex(c.nodes)
	c.words = newWordIndex(c.nodes)
	n := len(c.nodes)
	c.scratch.New = func() any { return newScratch(n) }
	return c
}

// Edition returns the edition's name and date.
func (c *Classifier) Edition() Edition { return c.edition }

// Len returns the number of nodes at all levels.
func (c *Classifier) Len() int { return len(c.nodes) }

// All yields every node in document order: each node followed by the nodes under it, siblings in
// the order of the official document (theme 0001.0020, for one, stands between 0001.0002 and
// 0001.0003).
func (c *Classifier) All() iter.Seq[Node] {
	return func(yield func(Node) bool) {
		for i := range c.nodes {
			if !yield(c.nodes[i].Node) {
				return
			}
		}
	}
}

// Lookup returns the node with the code, and whether the classifier has it.
func (c *Classifier) Lookup(code Code) (Node, bool) {
	i, ok := c.indexOf(code)
	if !ok {
		return Node{}, false
	}
	return c.nodes[i].Node, true
}

// Get returns the node with the code, or an *UnknownCodeError (wrapping ErrUnknownCode) that names
// the code and the edition.
func (c *Classifier) Get(code Code) (Node, error) {
	i, err := c.find(code)
	if err != nil {
		return Node{}, err
	}
	return c.nodes[i].Node, nil
}

// Assignable returns nil when an appeal's question may carry the code: a question or refinement of
// this edition (and, in a subset, one the organization chose rather than the parent of a chosen
// refinement). Otherwise it returns an *UnknownCodeError, or an error wrapping ErrNotAssignable.
func (c *Classifier) Assignable(code Code) error {
	i, err := c.find(code)
	if err != nil {
		return err
	}
	e := &c.nodes[i]
	switch {
	case !e.Level.Assignable():
		return fmt.Errorf("%w: %s is a %s; only questions and refinements are assigned", ErrNotAssignable, code, e.Level)
	case e.navOnly:
		return fmt.Errorf("%w: %s is in the subset only as the parent of chosen refinements", ErrNotAssignable, code)
	}
	return nil
}

// Children returns the nodes directly under the code, in document order; the zero Code gives the
// sections.
func (c *Classifier) Children(code Code) ([]Node, error) {
	self, end, err := c.subtree(code)
	if err != nil {
		return nil, err
	}
	var out []Node
	for i := self + 1; i < end; i = c.nodes[i].end {
		out = append(out, c.nodes[i].Node)
	}
	return out, nil
}

// Path returns the breadcrumbs from the section down to the code's node, that node included. The
// zero Code has an empty path.
func (c *Classifier) Path(code Code) ([]Node, error) {
	if code.IsZero() {
		return nil, nil
	}
	i, err := c.find(code)
	if err != nil {
		return nil, err
	}
	return c.appendPath(make([]Node, 0, c.nodes[i].Level), i), nil
}

// appendPath appends the path of nodes[i] to dst, whose capacity must have room for it.
func (c *Classifier) appendPath(dst []Node, i int32) []Node {
	n := len(dst)
	dst = dst[:n+int(c.nodes[i].Level)]
	for k := len(dst) - 1; k >= n; k-- {
		dst[k] = c.nodes[i].Node
		i = c.nodes[i].parent
	}
	return dst
}

// Questions returns the questions (level 4) at or under the code, in document order; the zero Code
// gives every question of the classifier.
func (c *Classifier) Questions(under Code) ([]Node, error) {
	self, end, err := c.subtree(under)
	if err != nil {
		return nil, err
	}
	var out []Node
	for i := max(self, 0); i < end; i++ {
		if c.nodes[i].Level == Question {
			out = append(out, c.nodes[i].Node)
		}
	}
	return out, nil
}

// Subset returns the classifier restricted to the codes an organization works with (the
// organization's setup of its questions), with the same API. Each code brings the nodes under it;
// the nodes above it are kept for navigation, and a question kept only as the parent of chosen
// refinements is not assignable. A code unknown here fails with an *UnknownCodeError.
func (c *Classifier) Subset(codes ...Code) (*Classifier, error) {
	const (
		drop = iota
		nav
		chosen
	)
	keep := make([]uint8, len(c.nodes))
	for _, code := range codes {
		i, err := c.find(code)
		if err != nil {
			return nil, fmt.Errorf("classifier: subset: %w", err)
		}
		for k := i; k < c.nodes[i].end; k++ {
			keep[k] = chosen
		}
		for p := c.nodes[i].parent; p >= 0 && keep[p] == drop; p = c.nodes[p].parent {
			keep[p] = nav
		}
	}
	var in []entry
	for i, e := range c.nodes {
		if keep[i] != drop {
			in = append(in, entry{Node: e.Node, navOnly: e.navOnly || keep[i] == nav})
		}
	}
	return build(c.edition, true, in), nil
}

func (c *Classifier) find(code Code) (int32, error) {
	if i, ok := c.indexOf(code); ok {
		return i, nil
	}
	return -1, &UnknownCodeError{Code: code, Edition: c.edition, Subset: c.subset}
}

// subtree returns the index of the code's entry (-1 for the zero Code, the root) and the index after
// the last entry under it.
func (c *Classifier) subtree(code Code) (self, end int32, err error) {
	if code.IsZero() {
		return -1, int32(len(c.nodes)), nil
	}
	i, err := c.find(code)
	if err != nil {
		return 0, 0, err
	}
	return i, c.nodes[i].end, nil
}
