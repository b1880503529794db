package workflow

import (
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fz59/appeals/deadline"
)

// Inputs bound what a command's input may hold, so that a small request cannot make the
// engine store, render and send megabytes. Zero fields take the defaults named.
type Inputs struct {
	// Text is the longest text, in characters, of a field that holds prose: a card's Text and
	// Summary, an answer, a resolution, a report, a decision. 0 means 100,000.
	Text int
	// Line is the longest value, in characters, of every other string field: a reason, a
	// task, a body's name, a number, a name. 0 means 2,000.
	Line int
	// Items is the most elements of a list or map in an input: codes, assignments, bodies,
	// applicants, attachments. 0 means 1,000.
	Items int
}

func (l *Inputs) fill() {
	if l.Text <= 0 {
		l.Text = 100_000
	}
	if l.Line <= 0 {
		l.Line = 2_000
	}
	if l.Items <= 0 {
		l.Items = 1_000
	}
}

// proseFields are the fields that hold prose and take Inputs.Text.
var proseFields = map[string]bool{"Text": true, "Summary": true, "Decision": true}

// checkInput refuses an input with a string, list or date out of bounds: strings within
// Inputs, not invalid UTF-8; lists within Inputs.Items; civil dates within the range
// package deadline counts on. The refusal names the field and the rule, never the value.
func (e *Engine) checkInput(cmd Command, in any) error {
	if in == nil {
		return nil
	}
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer { // an addressable copy: times and dates read without boxing
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		v = c
	}
	if f := e.walk(v, false); f != nil {
		return refuse(cmd, f.path(), f.rule, nil)
	}
	return nil
}

var (
	dateType = reflect.TypeFor[deadline.Date]()
	timeType = reflect.TypeFor[time.Time]()
)

// inputFault is where an input broke a bound: the field path's segments, innermost first
// (walk adds them on the way out, so that a valid input builds no path at all).
type inputFault struct {
	rule Rule
	segs []string
}

func (f *inputFault) in(seg string) *inputFault {
	f.segs = append(f.segs, seg)
	return f
}

// path is the field path, as "applicants[0].surname".
func (f *inputFault) path() string {
	var b strings.Builder
	for i := len(f.segs) - 1; i >= 0; i-- {
		if s := f.segs[i]; i < len(f.segs)-1 && s[0] != '[' {
			b.WriteByte('.')
		}
		b.WriteString(f.segs[i])
	}
	return b.String()
}

// walk checks v against the bounds; prose says v is a field of prose.
func (e *Engine) walk(v reflect.Value, prose bool) *inputFault {
	lim := e.opt.Inputs
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return e.walk(v.Elem(), prose)
	case reflect.String:
		s := v.String()
		max := lim.Line
		if prose {
			max = lim.Text
		}
		if len(s) > max && utf8.RuneCountInString(s) > max || !utf8.ValidString(s) {
			return &inputFault{rule: RuleInputLength}
		}
	case reflect.Slice, reflect.Array, reflect.Map:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes (a PIN hash) are not input text
		}
		if v.Len() > lim.Items {
			return &inputFault{rule: RuleInputLength}
		}
		if v.Kind() == reflect.Map {
			for _, k := range v.MapKeys() {
				if f := e.walk(v.MapIndex(k), false); f != nil {
					return f.in("[" + keyName(k) + "]")
				}
			}
			return nil
		}
		for i := range v.Len() {
			if f := e.walk(v.Index(i), prose); f != nil {
				return f.in("[" + strconv.Itoa(i) + "]")
			}
		}
	case reflect.Struct:
		if t := v.Type(); t == timeType || t == dateType {
			if !validTime(v) {
				return &inputFault{rule: RuleDateRange}
			}
			return nil
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if fault := e.walk(v.Field(i), proseFields[f.Name]); fault != nil {
				return fault.in(lowerFirst(f.Name))
			}
		}
	}
	return nil
}

// validTime reports whether v, a time or a date, is zero or within what package deadline counts on.
func validTime(v reflect.Value) bool {
	if v.CanAddr() {
		switch p := v.Addr().Interface().(type) {
		case *time.Time:
			return p.IsZero() || deadline.CheckTime(*p) == nil
		case *deadline.Date:
			return p.IsZero() || p.Valid()
		}
	}
	switch x := v.Interface().(type) {
	case time.Time:
		return x.IsZero() || deadline.CheckTime(x) == nil
	case deadline.Date:
		return x.IsZero() || x.Valid()
	}
	return true
}

// keyName names a map key in a field path when it is a short plain string (an assignment id),
// and by "…" otherwise, so that no value leaks into an error.
func keyName(k reflect.Value) string {
	if k.Kind() == reflect.String {
		if s := k.String(); len(s) <= 8 && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
			return s
		}
	}
	return "…"
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
