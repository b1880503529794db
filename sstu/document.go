package sstu

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns a copy of the derived JSON Schema of one record that the validator embeds
// (docs/sstu.md §2; ours, not official), for integrators who run their own validator.
func Schema() []byte { return bytes.Clone(schemaJSON) }

const schemaURL = "https://github.com/fz59/appeals/sstu/schema.json"

// compiled is the embedded schema, compiled once; formats and Base64 content are asserted.
var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.AssertContent()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
})

var bom = []byte{0xEF, 0xBB, 0xBF}

// JSON returns every problem of one JSON file named file: a record object, or an array of
// records as relays return them ("$[i]" paths), within v.Limits. Schema rules come from the
// embedded JSON Schema, then the cross-field rules run on what decodes.
func (v *Validator) JSON(file string, data []byte) []Problem {
	rep := report{max: v.Limits.or().Problems}
	v.json(file, data, &rep)
	return rep.list()
}

func (v *Validator) json(file string, data []byte, rep *report) {
	c := checker{v: v, file: file}
	c.judge(data, v.Limits.or(), false, rep)
}

// judge adds the problems of one document to rep, record by record.
func (c *checker) judge(data []byte, lim Limits, oneObject bool, rep *report) {
	for el := range c.elements(data, lim, oneObject) {
		if !el.refused {
			c.prefix = el.prefix
			c.schema(el.node)
			r := c.decode(el.node, false)
			c.cross(&r)
		}
		c.flush(rep)
	}
	c.flush(rep)
}

// schema validates one record node against the embedded schema. Before that it reports fields
// that are not in the upload and date-times (cutting them to the date, so the schema judges the
// date), and the attachment size limit.
func (c *checker) schema(node any) {
	c.prepare(node)
	sch, err := compiled()
	if err != nil {
		c.add(c.prefix, RuleSchema) // unreachable: the embedded schema compiles (tested)
		return
	}
	var ve *jsonschema.ValidationError
	if err := sch.Validate(node); errors.As(err, &ve) {
		c.schemaError(ve, node)
	}
}

// The fields of the upload, by object (docs/sstu.md §1).
var (
	recordKeys     = keys("departmentId", "isDirect", "format", "number", "createDate", "name", "address", "email", "questions")
	questionKeys   = keys("code", "status", "incomingDate", "registrationDate", "isExtend", "responseDate", "actionsTaken", "attachment", "transfer")
	attachmentKeys = keys("name", "content")
	transferKeys   = keys("departmentId", "transferDate", "transferNumber")
	dateKeys       = keys("createDate", "incomingDate", "registrationDate", "responseDate", "transferDate")
)

func keys(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func (c *checker) prepare(node any) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	c.known(m, c.prefix, recordKeys)
	qs, _ := m["questions"].([]any)
	for i, qn := range qs {
		q, ok := qn.(map[string]any)
		if !ok {
			continue
		}
		qp := c.prefix + ".questions[" + strconv.Itoa(i) + "]"
		c.known(q, qp, questionKeys)
		if a, ok := q["attachment"].(map[string]any); ok {
			c.known(a, qp+".attachment", attachmentKeys)
			if s, ok := a["content"].(string); ok && len(s) >= maxEncoded {
				c.add(qp+".attachment.content", RuleAttachmentSize)
			}
		}
		if t, ok := q["transfer"].(map[string]any); ok {
			c.known(t, qp+".transfer", transferKeys)
		}
	}
}

// known reports the keys of m that are not in the upload, and cuts date-times to dates.
func (c *checker) known(m map[string]any, at string, want map[string]bool) {
	for k, v := range m {
		if !want[k] {
			c.add(keyPath(at, k), RuleUnknownField)
			continue
		}
		if s, ok := v.(string); ok && dateKeys[k] && len(s) > 10 && s[10] == 'T' {
			c.add(keyPath(at, k), RuleDateTime)
			m[k] = s[:10]
		}
	}
}

// keyPath appends a key: .name for a plain ASCII name of up to 64 bytes, else a stand-in
// ["#xxxxxxxx"] (FNV-1a of the key), so that a key made of personal data is not copied.
func keyPath(at, k string) string {
	plain := k != "" && len(k) <= 64
	for i := 0; i < len(k) && plain; i++ {
		c := k[i]
		plain = c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9'
	}
	if plain {
		return at + "." + k
	}
	h := fnv.New32a()
	h.Write([]byte(k))
	return at + `["#` + hex.EncodeToString(h.Sum(nil)) + `"]`
}

// schemaError reports the leaves of a schema validation error.
func (c *checker) schemaError(e *jsonschema.ValidationError, node any) {
	if len(e.Causes) > 0 {
		for _, cause := range e.Causes {
			c.schemaError(cause, node)
		}
		return
	}
	at := c.instancePath(node, e.InstanceLocation)
	last := ""
	if n := len(e.InstanceLocation); n > 0 {
		last = e.InstanceLocation[n-1]
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			r := RuleRequired
			if m == "createDate" && len(e.InstanceLocation) == 0 {
				r = RuleCreateDate
			}
			c.add(keyPath(at, m), r)
		}
	case *kind.Type:
		c.add(at, RuleType)
	case *kind.Enum:
		switch last {
		case "status":
			c.add(at, RuleStatus)
		case "format":
			c.add(at, RuleFormat)
		default:
			c.add(at, RuleSchema)
		}
	case *kind.Format:
		if k.Want == "uuid" {
			c.add(at, RuleUUID)
		} else {
			c.add(at, RuleDate)
		}
	case *kind.Pattern:
		if last == "code" {
			c.add(at, RuleCode)
		} else {
			c.add(at, RuleDate)
		}
	case *kind.MinLength:
		c.add(at, RuleRequired)
	case *kind.MinItems:
		c.add(at, RuleQuestions)
	case *kind.ContentEncoding:
		c.add(at, RuleBase64)
	default:
		c.add(at, RuleSchema)
	}
}

// instancePath renders a JSON Pointer's tokens as a JSON path, looking at node to tell array
// indexes from keys.
func (c *checker) instancePath(node any, tokens []string) string {
	at := c.prefix
	for _, t := range tokens {
		switch n := node.(type) {
		case []any:
			i, _ := strconv.Atoi(t)
			at += "[" + t + "]"
			if i >= 0 && i < len(n) {
				node = n[i]
			}
		case map[string]any:
			at = keyPath(at, t)
			node = n[t]
		default:
			at = keyPath(at, t)
		}
	}
	return at
}

// decode converts a record node to a Record as far as its values have the right types;
// withContent decodes attachment Base64. Each value it cannot take is reported (RuleType,
// RuleDate, RuleBase64) and left zero.
func (c *checker) decode(node any, withContent bool) Record {
	var r Record
	m, ok := node.(map[string]any)
	if !ok {
		c.add(c.prefix, RuleType)
		return r
	}
	d := decoder{c: c}
	r.DepartmentID = d.str(m, c.prefix, "departmentId")
	if b := d.boolean(m, c.prefix, "isDirect"); b != nil {
		r.IsDirect = *b
	}
	r.Format = Format(d.str(m, c.prefix, "format"))
	r.Number = d.str(m, c.prefix, "number")
	r.CreateDate = d.date(m, c.prefix, "createDate")
	r.Name = d.str(m, c.prefix, "name")
	r.Address = d.str(m, c.prefix, "address")
	r.Email = d.str(m, c.prefix, "email")
	qs, ok := m["questions"].([]any)
	if !ok && m["questions"] != nil {
		c.add(c.field("questions"), RuleType)
	}
	if len(qs) > 0 {
		r.Questions = make([]Question, len(qs))
	}
	for i, qn := range qs {
		qp := c.prefix + ".questions[" + strconv.Itoa(i) + "]"
		q, ok := qn.(map[string]any)
		if !ok {
			c.add(qp, RuleType)
			continue
		}
		rq := &r.Questions[i]
		rq.Code = d.str(q, qp, "code")
		rq.Status = appeal.QuestionStatus(d.str(q, qp, "status"))
		rq.IncomingDate = d.date(q, qp, "incomingDate")
		rq.RegistrationDate = d.date(q, qp, "registrationDate")
		rq.ResponseDate = d.date(q, qp, "responseDate")
		rq.IsExtend = d.boolean(q, qp, "isExtend")
		rq.ActionsTaken = d.boolean(q, qp, "actionsTaken")
		if a := d.object(q, qp, "attachment"); a != nil {
			ap := qp + ".attachment"
			rq.Attachment = &Attachment{Name: d.str(a, ap, "name")}
			content := d.str(a, ap, "content")
			if withContent {
				b, err := base64.StdEncoding.DecodeString(content)
				if err != nil {
					c.add(ap+".content", RuleBase64)
				}
				rq.Attachment.Content = b
			}
		}
		if t := d.object(q, qp, "transfer"); t != nil {
			tp := qp + ".transfer"
			rq.Transfer = &Transfer{
				DepartmentID:   d.str(t, tp, "departmentId"),
				TransferDate:   d.date(t, tp, "transferDate"),
				TransferNumber: d.str(t, tp, "transferNumber"),
			}
		}
	}
	return r
}

type decoder struct{ c *checker }

func (d decoder) str(m map[string]any, at, k string) string {
	v, ok := m[k]
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.c.add(at+"."+k, RuleType)
	}
	return s
}

func (d decoder) boolean(m map[string]any, at, k string) *bool {
	v, ok := m[k]
	if !ok {
		return nil
	}
	b, ok := v.(bool)
	if !ok {
		d.c.add(at+"."+k, RuleType)
		return nil
	}
	return &b
}

func (d decoder) object(m map[string]any, at, k string) map[string]any {
	v, ok := m[k]
	if !ok {
		return nil
	}
	o, ok := v.(map[string]any)
	if !ok {
		d.c.add(at+"."+k, RuleType)
	}
	return o
}

// date takes "YYYY-MM-DD", or the date of a date-time (reported by prepare when validating).
func (d decoder) date(m map[string]any, at, k string) deadline.Date {
	s := d.str(m, at, k)
	if s == "" {
		return deadline.Date{}
	}
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10]
	}
	v, err := deadline.ParseDate(s)
	if err != nil {
		d.c.add(at+"."+k, RuleDate)
	}
	return v
}

// isJSONName reports whether an entry or file name is a JSON file.
func isJSONName(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".json") }
