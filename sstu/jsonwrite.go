package sstu

import (
	"encoding/base64"
	"unicode/utf8"

	"github.com/fz59/appeals/deadline"
)

// recordWriter appends a record's compact JSON to buf, reusing buf between records. Where an
// attachment's bytes are at the host, it leaves a hole: the content string's quotes are written
// and the Exporter streams the Base64 between them.
type recordWriter struct {
	buf   []byte
	holes []hole
}

// hole is a place in buf (just after the opening quote of "content") where att's Base64 goes;
// question is the index of its question.
type hole struct {
	off      int
	question int
	att      *Attachment
}

func (w *recordWriter) reset() {
	w.buf = w.buf[:0]
	clear(w.holes)
	w.holes = w.holes[:0]
}

// size is the length of the record's JSON once the holes are filled.
func (w *recordWriter) size() int64 {
	n := int64(len(w.buf))
	for _, h := range w.holes {
		n += h.att.EncodedLen()
	}
	return n
}

func (w *recordWriter) append(r *Record) {
	b := append(w.buf, `{"departmentId":`...)
	b = appendString(b, r.DepartmentID)
	b = append(b, `,"isDirect":`...)
	b = appendBool(b, r.IsDirect)
	b = append(b, `,"format":`...)
	b = appendString(b, string(r.Format))
	b = append(b, `,"number":`...)
	b = appendString(b, r.Number)
	b = appendDateField(b, `,"createDate":`, r.CreateDate)
	b = append(b, `,"name":`...)
	b = appendString(b, r.Name)
	if r.Address != "" {
		b = append(b, `,"address":`...)
		b = appendString(b, r.Address)
	}
	if r.Email != "" {
		b = append(b, `,"email":`...)
		b = appendString(b, r.Email)
	}
	b = append(b, `,"questions":[`...)
	for i := range r.Questions {
		if i > 0 {
			b = append(b, ',')
		}
		b = w.appendQuestion(b, &r.Questions[i], i)
	}
	w.buf = append(b, "]}"...)
}

func (w *recordWriter) appendQuestion(b []byte, q *Question, i int) []byte {
	b = append(b, `{"code":`...)
	b = appendString(b, q.Code)
	b = append(b, `,"status":`...)
	b = appendString(b, string(q.Status))
	b = appendDateField(b, `,"incomingDate":`, q.IncomingDate)
	b = appendDateField(b, `,"registrationDate":`, q.RegistrationDate)
	if q.IsExtend != nil {
		b = append(b, `,"isExtend":`...)
		b = appendBool(b, *q.IsExtend)
	}
	b = appendDateField(b, `,"responseDate":`, q.ResponseDate)
	if q.ActionsTaken != nil {
		b = append(b, `,"actionsTaken":`...)
		b = appendBool(b, *q.ActionsTaken)
	}
	if a := q.Attachment; a != nil {
		b = append(b, `,"attachment":{"name":`...)
		b = appendString(b, a.Name)
		b = append(b, `,"content":"`...)
		if a.Ref != "" {
			w.holes = append(w.holes, hole{off: len(b), question: i, att: a})
		} else {
			b = base64.StdEncoding.AppendEncode(b, a.Content)
		}
		b = append(b, `"}`...)
	}
	if t := q.Transfer; t != nil {
		b = append(b, `,"transfer":{"departmentId":`...)
		b = appendString(b, t.DepartmentID)
		b = appendDateField(b, `,"transferDate":`, t.TransferDate)
		b = append(b, `,"transferNumber":`...)
		b = appendString(b, t.TransferNumber)
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// appendDateField appends name and the date as "YYYY-MM-DD", or nothing for the zero date.
// A date out of 0001–9999 is written with all its digits, so the validator's date rule, not
// the writer, reports it.
func appendDateField(b []byte, name string, d deadline.Date) []byte {
	if d.IsZero() {
		return b
	}
	b = append(b, name...)
	b = append(b, '"')
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	b = appendPadded(b, d.Day, 2)
	return append(b, '"')
}

func appendPadded(b []byte, v, width int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var tmp [20]byte
	i := len(tmp)
	for v > 0 || len(tmp)-i < width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[i:]...)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Unlike encoding/json it leaves <, > and & alone, as
// the SSTU writers do; control characters, U+2028 and U+2029 are escaped, invalid UTF-8 becomes
// U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			switch r {
			case utf8.RuneError:
				b = append(b, `\ufffd`...)
			default:
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
