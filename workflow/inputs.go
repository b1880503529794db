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
	return e.walk(cmd, "", reflect.ValueOf(in), false)
}

var (
	dateType = reflect.TypeFor[deadline.Date]()
	timeType = reflect.TypeFor[time.Time]()
)

func (e *Engine) walk(cmd Command, path string, v reflect.Value, prose bool) error {
	lim := e.opt.Inputs
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return e.walk(cmd, path, v.Elem(), prose)
	case reflect.String:
		s := v.String()
		max := lim.Line
		if prose {
			max = lim.Text
		}
		if len(s) > max && utf8.RuneCountInString(s) > max || !utf8.ValidString(s) {
			return refuse(cmd, path, RuleInputLength, nil)
		}
	case reflect.Slice, reflect.Array, reflect.Map:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes (a PIN hash) are not input text
		}
		if v.Len() > lim.Items {
			return refuse(cmd, path, RuleInputLength, nil)
		}
		if v.Kind() == reflect.Map {
			for _, k := range v.MapKeys() {
				if err := e.walk(cmd, path+"["+keyName(k)+"]", v.MapIndex(k), false); err != nil {
					return err
				}
			}
			return nil
		}
		for i := range v.Len() {
			if err := e.walk(cmd, path+"["+strconv.Itoa(i)+"]", v.Index(i), prose); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if t := v.Interface().(time.Time); !t.IsZero() && deadline.CheckTime(t) != nil {
				return refuse(cmd, path, RuleDateRange, nil)
			}
			return nil
		}
		if v.Type() == dateType {
			if d := v.Interface().(deadline.Date); !d.IsZero() && !d.Valid() {
				return refuse(cmd, path, RuleDateRange, nil)
			}
			return nil
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := lowerFirst(f.Name)
			if path != "" {
				name = path + "." + name
			}
			if err := e.walk(cmd, name, v.Field(i), proseFields[f.Name]); err != nil {
				return err
			}
		}
	}
	return nil
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
