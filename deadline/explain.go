package deadline

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// StepKind names one step of an Explanation.
type StepKind uint8

// Steps in the order Explain emits them.
const (
	StepStart     StepKind = iota + 1 // the event the period counts from (Date)
	StepAdd                           // + Days calendar days, from the next day (ГК art. 191) → Date
	StepExtend                        // + Days of extension from the legal date (art. 12 p.2) → Date
	StepDay                           // what kind of day Date is (Day)
	StepLegal                         // the legal latest date (Date), moved by ГК art. 193 if Moved
	StepControl                       // the internal control date (Date)
	StepUncovered                     // first, a warning: the dates rely on estimated days of Date's year (no official calendar)
)

var stepKindNames = [...]string{"", "start", "add", "extend", "day", "legal", "control", "uncovered"}

// String returns the machine name of k ("legal").
func (k StepKind) String() string {
	if int(k) < len(stepKindNames) {
		return stepKindNames[k]
	}
	return fmt.Sprintf("StepKind(%d)", uint8(k))
}

// MarshalText encodes k as its machine name.
func (k StepKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Step is one step that produced a deadline.
type Step struct {
	// Kind is the step's kind and Date the day it lands on.
	Kind  StepKind `json:"kind"`
	Date  Date     `json:"date"`
	Days  int      `json:"days,omitempty"`  // StepAdd, StepExtend
	Moved bool     `json:"moved,omitempty"` // StepLegal, StepControl: moved off Nominal
	Day   *Day     `json:"day,omitempty"`   // StepDay
	Text  string   `json:"text"`            // the step in Russian
}

// Explanation is how a deadline was computed, step by step.
type Explanation struct {
	// Deadline and Rule are what is explained.
	Deadline Deadline
	Rule     RuleInfo
	// Estimated is set when the dates rely on estimated days (see
	// Deadline.Estimated); the first step, StepUncovered, then warns.
	Estimated bool
	Steps     []Step
}

// String returns the explanation as one Russian sentence, preceded by the
// warning when the dates are estimated.
func (e Explanation) String() string {
	var b strings.Builder
	for i, s := range e.Steps {
		switch {
		case i == 0:
		case e.Steps[i-1].Kind == StepUncovered:
			b.WriteString(". ")
		default:
			b.WriteString("; ")
		}
		if i == 0 || e.Steps[i-1].Kind == StepUncovered {
			r, n := utf8.DecodeRuneInString(s.Text)
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(s.Text[n:])
			continue
		}
		b.WriteString(s.Text)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString(".")
	return b.String()
}

// Explain returns the steps that produced d. A Deadline that Due or Extend
// did not produce is explained as far as its fields allow.
func (c *Counter) Explain(d Deadline) Explanation {
	info := d.Rule.Info()
	e := Explanation{Deadline: d, Rule: info}
	if d.Legal.IsZero() {
		return e
	}
	orig := d
	if d.Extended {
		orig = Deadline{Rule: d.Rule, From: d.From, Days: d.Days}
		c.place(&orig, d.From.days(), d.From.days()+int64(d.Days))
	}
	e.Estimated = d.Estimated || orig.Estimated
	for _, x := range []Date{orig.Control, orig.Legal, d.Control, d.Nominal, d.Legal} {
		e.Estimated = e.Estimated || c.cal.Estimated(x)
	}
	if e.Estimated {
		e.add(c.warning(orig, d))
	}
	e.add(Step{Kind: StepStart, Date: d.From, Text: info.From.String() + " " + d.From.Russian()})
	e.add(Step{Kind: StepAdd, Date: orig.Nominal, Days: d.Days,
		Text: fmt.Sprintf("+%s (59-ФЗ %s; отсчет со следующего дня, ГК РФ ст. 191) — %s", calendarDays(d.Days), info.Article, orig.Nominal.Russian())})
	if d.Extended {
		c.explainEnd(&e, orig, false)
		e.add(Step{Kind: StepExtend, Date: d.Nominal, Days: d.ExtendedBy,
			Text: fmt.Sprintf("продление на %s от %s (59-ФЗ ст. 12 ч. 2; причина: %s) — %s", calendarDays(d.ExtendedBy), orig.Legal.Russian(), d.Reason, d.Nominal.Russian())})
	}
	c.explainEnd(&e, d, true)
	return e
}

// explainEnd adds the steps from Nominal to Legal (and Control if control).
func (c *Counter) explainEnd(e *Explanation, d Deadline, control bool) {
	day := c.cal.Day(d.Nominal)
	e.add(Step{Kind: StepDay, Date: d.Nominal, Day: &day, Text: d.Nominal.Russian() + " — " + describe(day)})
	if d.Legal != d.Nominal {
		e.add(Step{Kind: StepLegal, Date: d.Legal, Moved: true,
			Text: "последний день срока переносится на ближайший следующий рабочий день " + d.Legal.Russian() + " (ГК РФ ст. 193)"})
	} else {
		e.add(Step{Kind: StepLegal, Date: d.Legal, Text: "последний день срока — " + d.Legal.Russian()})
	}
	if !control {
		return
	}
	s := Step{Kind: StepControl, Date: d.Control, Moved: d.Control != d.Nominal}
	switch {
	case !s.Moved:
		s.Text = "контрольный срок — тот же день"
	case c.p.ControlCountsEventDay && d.Control == d.Nominal.AddDays(-1):
		s.Text = "контрольный срок (день события считается первым) — " + d.Control.Russian()
	case d.Control.Before(d.Nominal):
		s.Text = "контрольный срок — предшествующий рабочий день " + d.Control.Russian()
	default:
		s.Text = "контрольный срок — следующий рабочий день " + d.Control.Russian()
	}
	e.add(s)
}

// warning is the StepUncovered of a deadline placed (orig, then d when
// extended) on estimated days: it names the years without an official
// calendar from the event to the legal date.
func (c *Counter) warning(orig, d Deadline) Step {
	s := Step{Kind: StepUncovered, Date: d.Legal}
	for _, x := range []Date{orig.Control, orig.Nominal, orig.Legal, d.Control, d.Nominal, d.Legal} {
		if c.cal.Estimated(x) {
			s.Date = x
			break
		}
	}
	lo, hi := MaxYear+1, MinYear-1
	for _, x := range []Date{d.From, orig.Control, orig.Nominal, d.Control, d.Nominal, d.Legal} {
		if x.Valid() {
			lo, hi = min(lo, x.Year), max(hi, x.Year)
		}
	}
	var years []string
	for y := lo; y <= hi; y++ {
		if !c.cal.Covers(NewDate(y, time.January, 1)) {
			years = append(years, strconv.Itoa(y))
		}
	}
	when := "на " + strings.Join(years, " и ") + " годы"
	switch len(years) {
	case 0: // only days outside MinYear–MaxYear
		when = "на эти даты"
	case 1:
		when = "на " + years[0] + " год"
	}
	s.Text = "внимание: производственного календаря " + when + " нет (еще не утвержден или не загружен); " +
		"даты рассчитаны по ст. 112 ТК РФ без переносов выходных дней Правительством РФ и могут измениться"
	return s
}

func (e *Explanation) add(s Step) { e.Steps = append(e.Steps, s) }

// describe says what kind of day d is, in Russian.
func describe(d Day) string {
	var notes []string
	if d.Kind == Weekend {
		notes = append(notes, weekdayRu[d.Date.Weekday()])
	}
	if d.Name != "" {
		notes = append(notes, d.Name)
	}
	if len(notes) == 0 {
		return d.Kind.String()
	}
	return d.Kind.String() + " (" + strings.Join(notes, "; ") + ")"
}

var weekdayRu = [...]string{"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"}

// calendarDays returns "30 календарных дней" with the right Russian plural.
func calendarDays(n int) string {
	m10, m100 := n%10, n%100
	switch {
	case m10 == 1 && m100 != 11:
		return fmt.Sprintf("%d календарный день", n)
	case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
		return fmt.Sprintf("%d календарных дня", n)
	}
	return fmt.Sprintf("%d календарных дней", n)
}
