package report

import (
	"context"
	"maps"
	"slices"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/workflow"
	"github.com/shopspring/decimal"
)

// IntakeRow is the questions of one classifier section among the appeals registered in one
// month of the period.
type IntakeRow struct {
	// Month is the month of registration.
	Month Month
	// Section and Title are the classifier section's code and title.
	Section classifier.Code
	Title   string
	// Questions counts the questions under the section.
	Questions int
	// Share is Questions' share of the month's questions, in percent: the sections of a month
	// add up to exactly 100 (Shares).
	Share decimal.Decimal
}

// IntakeTable lays out IntakeRow.
var IntakeTable = Table[IntakeRow]{Name: "intake", Title: "Поступление по разделам", Columns: []Column[IntakeRow]{
	{"Месяц", func(r IntakeRow) Value { return r.Month.String() }},
	{"Код раздела", func(r IntakeRow) Value { return r.Section.String() }},
	{"Раздел", func(r IntakeRow) Value { return r.Title }},
	{"Вопросов", func(r IntakeRow) Value { return r.Questions }},
	{"Доля за месяц, %", func(r IntakeRow) Value { return r.Share }},
}}

// Intake counts the questions of the appeals registered within the period by month and
// classifier section: the monthly intake by section (reportchart.Intake draws it). Every month
// of the period has a row for every section of the classifier, even at 0, months in order and
// sections by code; questions without a classifier code are left out (Codes counts them).
// Memory is constant. Read it with Period.Registered for a filter.
func (rp *Reporter) Intake(ctx context.Context, recs Records) ([]IntakeRow, error) {
	type cell struct {
		m Month
		s classifier.Code
	}
	counts := map[cell]int{}
	sections := map[classifier.Code]bool{}
	for n := range rp.opt.Classifier.All() {
		if n.Level == classifier.Section {
			sections[n.Code] = true
		}
	}
	err := each(ctx, "intake", recs, func(rec *workflow.Record) error {
		reg := registeredOn(rec)
		if !rp.opt.Period.Contains(reg) {
			return nil
		}
		for _, q := range rec.Appeal.Questions {
			code, ok := questionCode(q.Code)
			if !ok {
				continue
			}
			s := sectionOf(code)
			sections[s] = true
			counts[cell{MonthOf(reg), s}]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	order := slices.SortedFunc(maps.Keys(sections), classifier.Code.Compare)
	var out []IntakeRow
	for _, m := range rp.opt.Period.Months() {
		n := make([]int, len(order))
		for i, s := range order {
			n[i] = counts[cell{m, s}]
		}
		for i, sh := range Shares(n) {
			node, _ := rp.opt.Classifier.Lookup(order[i])
			out = append(out, IntakeRow{Month: m, Section: order[i], Title: node.Title, Questions: n[i], Share: sh})
		}
	}
	return out, nil
}

// sectionOf is the section a code lies under.
func sectionOf(c classifier.Code) classifier.Code {
	for c.Level() > classifier.Section {
		c = c.Parent()
	}
	return c
}
