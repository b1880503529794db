package deadline

import (
	"fmt"
	"strings"
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
	StepUncovered                     // Date lies outside the production calendar: Mon–Fri used
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
	Kind  StepKind `json:"kind"`
	Date  Date     `json:"date"`
	Days  int      `json:"days,omitempty"`  // StepAdd, StepExtend
	Moved bool     `json:"moved,omitempty"` // StepLegal, StepControl: moved off Nominal
	Day   *Day     `json:"day,omitempty"`   // StepDay
	Text  string   `json:"text"`            // the step in Russian
}

// Explanation is how a deadline was computed, step by step.
type Explanation struct {
	Deadline Deadline
	Rule     RuleInfo
	Steps    []Step
}

// String returns the explanation as one Russian sentence.
func (e Explanation) String() string {
	var b strings.Builder
	for i, s := range e.Steps {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s.Text)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString(".")
	out := b.String()
	r, n := utf8.DecodeRuneInString(out)
	return string(unicode.ToUpper(r)) + out[n:]
}

// Explain returns the steps that produced d. A Deadline that Due or Extend
// did not produce is explained as far as its fields allow.
func (c *Counter) Explain(d Deadline) Explanation {
	info := d.Rule.Info()
	e := Explanation{Deadline: d, Rule: info}
	if d.Legal.IsZero() {
		return e
	}
	e.add(Step{Kind: StepStart, Date: d.From, Text: info.From.String() + " " + d.From.Russian()})
	orig := d
	if d.Extended {
		orig = Deadline{Rule: d.Rule, From: d.From, Days: d.Days}
		c.place(&orig, d.From.days(), d.From.days()+int64(d.Days))
	}
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
	for _, x := range []Date{d.Control, d.Nominal, d.Legal} {
		if !c.cal.Covers(x) {
			first, last := c.cal.Coverage()
			e.add(Step{Kind: StepUncovered, Date: x,
				Text: fmt.Sprintf("%s вне производственного календаря %d–%d: учтены только субботы и воскресенья", x.Russian(), first.Year, last.Year)})
			break
		}
	}
}

func (e *Explanation) add(s Step) { e.Steps = append(e.Steps, s) }

// describe says what kind of day d is, in Russian.
func describe(d Day) string {
	s := d.Kind.String()
	if d.Name != "" {
		s += " (" + d.Name + ")"
	} else if d.Kind == Weekend {
		s += " (" + weekdayRu[d.Date.Weekday()] + ")"
	}
	return s
}

var weekdayRu = [...]string{"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"}

// ru formats d as the Russian office-work "02.01.2006".

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
