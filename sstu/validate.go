package sstu

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
)

// Codes is what the validator asks of a classifier edition; *classifier.Classifier has it.
type Codes interface {
	// Assignable returns nil when an appeal's question may carry the code, an error wrapping
	// classifier.ErrNotAssignable for a navigation level, and another error for a code the
	// edition does not have.
	Assignable(classifier.Code) error
}

// maxEncoded is the Base64 limit of one attachment: fewer than 10,000,000 characters (S1).
const maxEncoded = 10_000_000

// Validator checks records, JSON documents and zips against the rules of docs/sstu.md. The
// zero value checks codes against classifier.Embedded(), treats lenient rules as warnings and
// keeps to the default Limits. A Validator is safe for concurrent use.
type Validator struct {
	// Codes is the classifier edition codes must be in; nil means classifier.Embedded().
	Codes Codes
	// Strict turns warnings (unknown fields, date-times, BOM, zip layout, Supported without
	// actionsTaken) into errors.
	Strict bool
	// Limits bound each call; input past them gives a problem of the limit's rule, never
	// unbounded work.
	Limits Limits
}

// Record returns every problem of r, shape and cross-field rules alike, with the paths its
// JSON would have.
func (v *Validator) Record(r *Record) []Problem {
	c := checker{v: v, prefix: "$"}
	c.shape(r)
	c.cross(r)
	rep := report{max: v.Limits.or().Problems}
	c.flush(&rep)
	return rep.list()
}

// checker collects the problems of one record (or of a document's own, such as a BOM):
// each path once, the first rule found for it, except that distinct warnings all stay.
type checker struct {
	v      *Validator
	file   string
	prefix string // "$" or "$[i]" for a record in an array file
	out    []Problem
	seen   map[string]bool // the keys of out, once it is long
}

// dedupScan is the length of out up to which add scans it instead of keeping seen.
const dedupScan = 16

func (c *checker) add(path string, r Rule) {
	key := func(p *Problem) string {
		if p.Rule.lenient() {
			return p.Path + "\x00" + string(p.Rule)
		}
		return p.Path
	}
	s := Error
	if r.lenient() && !c.v.Strict {
		s = Warning
	}
	p := Problem{File: c.file, Path: path, Rule: r, Severity: s}
	k := key(&p)
	if len(c.out) < dedupScan {
		for i := range c.out {
			if key(&c.out[i]) == k {
				return
			}
		}
	} else {
		if c.seen == nil {
			c.seen = make(map[string]bool)
		}
		if len(c.seen) == 0 {
			for i := range c.out {
				c.seen[key(&c.out[i])] = true
			}
		}
		if c.seen[k] {
			return
		}
		c.seen[k] = true
	}
	c.out = append(c.out, p)
}

// sorted returns the record's problems in path order, valid until the next add, and forgets
// them.
func (c *checker) sorted() []Problem {
	slices.SortStableFunc(c.out, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	out := c.out
	c.out = c.out[:0]
	clear(c.seen)
	return out
}

// flush moves the record's problems, in path order, into the report.
func (c *checker) flush(rep *report) { rep.add(c.sorted()) }

func (c *checker) field(name string) string { return c.prefix + "." + name }

func (c *checker) qfield(i int, name string) string {
	return c.prefix + ".questions[" + strconv.Itoa(i) + "]." + name
}

// shape checks what the JSON Schema checks, on a typed Record: a JSON document gets these
// from the schema itself.
func (c *checker) shape(r *Record) {
	if !isGUID(r.DepartmentID) {
		c.add(c.field("departmentId"), RuleUUID)
	}
	if r.Format != FormatElectronic && r.Format != FormatOther {
		c.add(c.field("format"), RuleFormat)
	}
	if r.Number == "" {
		c.add(c.field("number"), RuleRequired)
	}
	if !r.IsDirect && r.CreateDate.IsZero() {
		c.add(c.field("createDate"), RuleCreateDate)
	}
	c.date(c.prefix, "createDate", r.CreateDate)
	if r.Name == "" {
		c.add(c.field("name"), RuleRequired)
	}
	if len(r.Questions) == 0 {
		c.add(c.field("questions"), RuleQuestions)
	}
	for i := range r.Questions {
		q := &r.Questions[i]
		if !codeSyntax(q.Code) {
			c.add(c.qfield(i, "code"), RuleCode)
		}
		if !q.Status.Valid() {
			c.add(c.qfield(i, "status"), RuleStatus)
		}
		qp := c.prefix + ".questions[" + strconv.Itoa(i) + "]"
		c.date(qp, "incomingDate", q.IncomingDate)
		c.date(qp, "registrationDate", q.RegistrationDate)
		c.date(qp, "responseDate", q.ResponseDate)
		if a := q.Attachment; a != nil {
			if a.Name == "" {
				c.add(c.qfield(i, "attachment.name"), RuleRequired)
			}
			if a.EncodedLen() >= maxEncoded {
				c.add(c.qfield(i, "attachment.content"), RuleAttachmentSize)
			}
		}
		if t := q.Transfer; t != nil {
			if !isGUID(t.DepartmentID) {
				c.add(c.qfield(i, "transfer.departmentId"), RuleUUID)
			}
			if t.TransferDate.IsZero() {
				c.add(c.qfield(i, "transfer.transferDate"), RuleRequired)
			}
			c.date(qp+".transfer", "transferDate", t.TransferDate)
		}
	}
}

// date reports a date that is not a real calendar day of years 0001–9999.
func (c *checker) date(parent, name string, d deadline.Date) {
	if !d.IsZero() && !validDate(d) {
		c.add(parent+"."+name, RuleDate)
	}
}

func validDate(d deadline.Date) bool {
	return d.Year >= 1 && d.Year <= 9999 && deadline.NewDate(d.Year, d.Month, d.Day) == d
}

// fields is a set of the status-dependent fields of a question.
type fields uint8

const (
	fIncoming fields = 1 << iota
	fRegistration
	fResponse
	fAttachment
	fTransfer
	fActionsTaken
	fIsExtend
)

// statusFields says, per status, which fields it requires and which it allows (docs/sstu.md
// §1, with the decisions on Q4 and Q5 of §3). Official labels stay in appeal.QuestionStatus.Label.
var statusFields = map[appeal.QuestionStatus]struct{ required, allowed fields }{
	appeal.StatusNotReceived:       {0, 0},
	appeal.StatusNotRegistered:     {fIncoming, fIncoming},
	appeal.StatusInWork:            {fIncoming | fRegistration, fIncoming | fRegistration | fIsExtend},
	appeal.StatusInWorkExtended:    {fIncoming | fRegistration, fIncoming | fRegistration | fIsExtend},
	appeal.StatusExplained:         {result, result},
	appeal.StatusSupported:         {result | fActionsTaken, result | fActionsTaken},
	appeal.StatusNotSupported:      {result, result},
	appeal.StatusAnswered:          {result, result},
	appeal.StatusTransferred:       {fIncoming | fRegistration | fTransfer, fIncoming | fRegistration | fTransfer},
	appeal.StatusLeftWithoutAnswer: {fIncoming | fRegistration, fIncoming | fRegistration | fResponse},
}

const result = fIncoming | fRegistration | fResponse | fAttachment

func presentFields(q *Question) fields {
	var f fields
	set := func(ok bool, bit fields) {
		if ok {
			f |= bit
		}
	}
	set(!q.IncomingDate.IsZero(), fIncoming)
	set(!q.RegistrationDate.IsZero(), fRegistration)
	set(!q.ResponseDate.IsZero(), fResponse)
	set(q.Attachment != nil, fAttachment)
	set(q.Transfer != nil, fTransfer)
	set(q.ActionsTaken != nil, fActionsTaken)
	set(q.IsExtend != nil, fIsExtend)
	return f
}

var fieldNames = [...]struct {
	bit     fields
	name    string
	missing Rule
}{
	{fIncoming, "incomingDate", RuleStatusField},
	{fRegistration, "registrationDate", RuleStatusField},
	{fResponse, "responseDate", RuleStatusField},
	{fAttachment, "attachment", RuleAttachmentRequired},
	{fTransfer, "transfer", RuleTransferRequired},
	{fActionsTaken, "actionsTaken", RuleActionsTaken},
	{fIsExtend, "isExtend", RuleRequired}, // never required
}

// cross checks the rules that relate fields to each other and to the classifier.
func (c *checker) cross(r *Record) {
	var seen map[string]bool // only for long records; short ones scan
	if len(r.Questions) > 8 {
		seen = make(map[string]bool, len(r.Questions))
	}
	for i := range r.Questions {
		q := &r.Questions[i]
		if sf, ok := statusFields[q.Status]; ok {
			have := presentFields(q)
			for _, f := range fieldNames {
				switch {
				case sf.required&f.bit != 0 && have&f.bit == 0:
					c.add(c.qfield(i, f.name), f.missing)
				case sf.allowed&f.bit == 0 && have&f.bit != 0:
					c.add(c.qfield(i, f.name), RuleNotApplicable)
				}
			}
		}
		c.order(r.CreateDate, q.IncomingDate, c.qfield(i, "incomingDate"), RuleIncomingDate)
		c.order(q.IncomingDate, q.RegistrationDate, c.qfield(i, "registrationDate"), RuleRegistrationDate)
		c.order(q.RegistrationDate, q.ResponseDate, c.qfield(i, "responseDate"), RuleResponseDate)
		if codeSyntax(q.Code) {
			if rule := c.code(q.Code); rule != "" {
				c.add(c.qfield(i, "code"), rule)
			}
			if repeated(r.Questions[:i], q.Code, seen) {
				c.add(c.qfield(i, "code"), RuleDuplicateCode)
			}
		}
	}
}

// repeated reports whether an earlier question has the code, marking it seen.
func repeated(earlier []Question, code string, seen map[string]bool) bool {
	if seen != nil {
		dup := seen[code]
		seen[code] = true
		return dup
	}
	for i := range earlier {
		if earlier[i].Code == code {
			return true
		}
	}
	return false
}

// order reports later before earlier, when both are valid dates.
func (c *checker) order(earlier, later deadline.Date, path string, r Rule) {
	if earlier.IsZero() || later.IsZero() || !validDate(earlier) || !validDate(later) {
		return
	}
	if later.Before(earlier) {
		c.add(path, r)
	}
}

// code returns the rule a syntactically valid code breaks in the classifier, or "".
func (c *checker) code(s string) Rule {
	code, err := classifier.Parse(s)
	if err != nil {
		return RuleCodeUnknown
	}
	codes := c.v.Codes
	if codes == nil {
		codes = classifier.Embedded()
	}
	switch err := codes.Assignable(code); {
	case err == nil:
		return ""
	case errors.Is(err, classifier.ErrNotAssignable):
		return RuleCodeLevel
	}
	return RuleCodeUnknown
}

// codeSyntax is the schema's pattern ^\d{4}(\.\d{4}){0,4}$.
func codeSyntax(s string) bool {
	if len(s) < 4 || len(s) > 24 || (len(s)+1)%5 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i%5 == 4 {
			if s[i] != '.' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isGUID is the schema's format "uuid": hex groups 8-4-4-4-12, either case.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}
