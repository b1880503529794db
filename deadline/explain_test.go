package deadline

import (
	"encoding/json"
	"strings"
	"testing"
)

func kinds(e Explanation) string {
	var s []string
	for _, st := range e.Steps {
		s = append(s, st.Kind.String())
	}
	return strings.Join(s, ",")
}

// TestExplain checks the steps as data and the Russian sentence.
func TestExplain(t *testing.T) {
	c := NewCounter(nil, Policy{})
	tests := []struct {
		name  string
		rule  Rule
		from  string
		kinds string
		has   []string
	}{
		{"art. 12 p.1 across New Year", Consideration, "2025-12-02", "start,add,day,legal,control",
			[]string{"Регистрация 02.12.2025", "+30 календарных дней (59-ФЗ ст. 12 ч. 1", "Новогодние каникулы", "12.01.2026 (ГК РФ ст. 193)", "предшествующий рабочий день 30.12.2025"}},
		{"art. 12 p.1 into the May holidays", Consideration, "2026-04-09", "start,add,day,legal,control",
			[]string{"09.05.2026 — нерабочий праздничный день (День Победы)", "12.05.2026", "08.05.2026"}},
		{"art. 8 p.2 on a working day", Registration, "2025-12-02", "start,add,day,legal,control",
			[]string{"Поступление 02.12.2025", "+3 календарных дня", "05.12.2025 — рабочий день", "последний день срока — 05.12.2025", "тот же день"}},
		{"art. 8 p.2 onto a Saturday", Registration, "2025-12-03", "start,add,day,legal,control",
			[]string{"выходной день (суббота)"}},
		{"art. 8 p.3 onto a transferred day off", Forwarding, "2026-01-02", "start,add,day,legal,control",
			[]string{"перенесенный выходной день", "следующий рабочий день 12.01.2026"}},
		{"art. 12 p.1 into an estimated year: the warning first", Consideration, "2027-12-10", "uncovered,start,add,day,legal,control",
			[]string{"Внимание: производственного календаря на 2028 год нет (еще не утвержден или не загружен); даты рассчитаны по ст. 112 ТК РФ без переносов выходных дней Правительством РФ и могут измениться. Регистрация 10.12.2027;",
				"09.01.2028 — выходной день (воскресенье; оценка по ст. 112 ТК РФ)", "рабочий день 10.01.2028 (ГК РФ ст. 193)", "предшествующий рабочий день 30.12.2027"}},
		{"art. 12 p.1 across two estimated years", Consideration, "2028-12-10", "uncovered,start,add,day,legal,control",
			[]string{"Внимание: производственного календаря на 2028 и 2029 годы нет", "09.01.2029 — рабочий день (оценка по ст. 112 ТК РФ)"}},
		{"art. 8 p.2 before the embedded years", Registration, "2014-11-01", "uncovered,start,add,day,legal,control",
			[]string{"Внимание: производственного календаря на 2014 год нет", "04.11.2014 — нерабочий праздничный день (День народного единства; оценка по ст. 112 ТК РФ)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := c.Due(tt.rule, mustDate(t, tt.from))
			if err != nil {
				t.Fatal(err)
			}
			e := c.Explain(d)
			if got := kinds(e); got != tt.kinds {
				t.Errorf("steps %s, want %s", got, tt.kinds)
			}
			s := e.String()
			for _, h := range tt.has {
				if !strings.Contains(s, h) {
					t.Errorf("%q lacks %q", s, h)
				}
			}
			last := e.Steps[len(e.Steps)-1]
			if last.Kind != StepControl || last.Date != d.Control {
				t.Errorf("last step %v on %v, deadline control %v", last.Kind, last.Date, d.Control)
			}
			warned := e.Steps[0].Kind == StepUncovered
			if e.Estimated != d.Estimated || warned != d.Estimated || warned != strings.HasPrefix(s, "Внимание: ") {
				t.Errorf("Estimated: explanation %v, deadline %v, warning step %v", e.Estimated, d.Estimated, warned)
			}
		})
	}
}

// TestExplainExtension: art. 12 p.2 — the original end, then the extension.
func TestExplainExtension(t *testing.T) {
	c := NewCounter(nil, Policy{})
	d, _ := c.Due(Consideration, mustDate(t, "2025-12-02"))
	x, _ := c.Extend(d, 30, "запрос в другой орган")
	e := c.Explain(x)
	if got := kinds(e); got != "start,add,day,legal,extend,day,legal,control" {
		t.Errorf("steps %s", got)
	}
	if s := e.String(); !strings.Contains(s, "продление на 30 календарных дней от 12.01.2026 (59-ФЗ ст. 12 ч. 2; причина: запрос в другой орган) — 11.02.2026") {
		t.Errorf("sentence %q", s)
	}
	if e.Estimated || strings.Contains(e.String(), "Внимание") {
		t.Error("an extension in covered years is not estimated")
	}
	// Extended into 2028: the extension relies on estimated days, the original did not.
	d3, _ := c.Due(Consideration, mustDate(t, "2027-11-20")) // legal 2027-12-20
	x3, err := c.Extend(d3, 30, "запрос в другой орган")
	if err != nil || d3.Estimated || !x3.Estimated {
		t.Fatalf("extension into 2028: %+v %+v %v", d3, x3, err)
	}
	if e3 := c.Explain(x3); !e3.Estimated || kinds(e3) != "uncovered,start,add,day,legal,extend,day,legal,control" ||
		!strings.HasPrefix(e3.String(), "Внимание: производственного календаря на 2028 год нет") {
		t.Errorf("extension into 2028: %s: %s", kinds(e3), e3)
	}
	// A Deadline made by hand (an assignment's due date) is explained with the warning too.
	hand := c.Explain(Deadline{Rule: Consideration, Nominal: NewDate(2028, 1, 4), Legal: NewDate(2028, 1, 4), Control: NewDate(2028, 1, 4)})
	if !hand.Estimated || !strings.HasPrefix(hand.String(), "Внимание: производственного календаря на 2028 год нет") {
		t.Errorf("hand-made deadline: %s", hand)
	}
	b, err := json.Marshal(e.Steps[0])
	if err != nil || !strings.Contains(string(b), `"kind":"start","date":"2025-12-02"`) {
		t.Errorf("step JSON %s %v", b, err)
	}
	if (Explanation{}).String() != "" || len(c.Explain(Deadline{}).Steps) != 0 {
		t.Error("zero deadline should explain to nothing")
	}
}

func TestCalendarDaysPlural(t *testing.T) {
	for n, want := range map[int]string{1: "1 календарный день", 3: "3 календарных дня", 5: "5 календарных дней",
		11: "11 календарных дней", 12: "12 календарных дней", 21: "21 календарный день", 22: "22 календарных дня", 30: "30 календарных дней"} {
		if got := calendarDays(n); got != want {
			t.Errorf("calendarDays(%d) = %q", n, got)
		}
	}
}
