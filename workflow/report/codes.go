package report

import (
	"context"
	"maps"
	"slices"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/workflow"
	"github.com/shopspring/decimal"
)

// CodeRow is one node of the classifier with what the period's appeals raised under it.
type CodeRow struct {
	// Level, Code and Title are the node's (Title is empty for a code the classifier lacks).
	Level classifier.Level
	Code  classifier.Code
	Title string
	// Appeals counts the appeals with a question under the node, each once.
	Appeals int
	// Questions counts the questions under the node.
	Questions int
	// Share is Questions' share of all classified questions, in percent: the rows of one level
	// add up to exactly 100 (Shares).
	Share decimal.Decimal
}

// CodeReport is the questions of the appeals registered within the period by classifier code,
// rolled up to topic, theme and section.
type CodeReport struct {
	// Rows are the nodes with questions, in code order, each node before the nodes under it:
	// section, its first theme, that theme's first topic, its questions, …
	Rows []CodeRow
	// Questions counts the classified questions: 100 % at every level.
	Questions int
	// Unclassified counts the questions whose code is not that of a question or a refinement
	// (a store's fault: the engine classifies by the classifier); they are in no row.
	Unclassified int
}

// CodesTable lays out CodeRow.
var CodesTable = Table[CodeRow]{Name: "codes", Title: "Вопросы по классификатору", Columns: []Column[CodeRow]{
	{"Уровень", func(r CodeRow) Value { return levelTitle(r.Level) }},
	{"Код", func(r CodeRow) Value { return r.Code.String() }},
	{"Наименование", func(r CodeRow) Value { return r.Title }},
	{"Обращений", func(r CodeRow) Value { return r.Appeals }},
	{"Вопросов", func(r CodeRow) Value { return r.Questions }},
	{"Доля вопросов, %", func(r CodeRow) Value { return r.Share }},
}}

// tally is what a node of the classifier counts.
type tally struct{ appeals, questions int }

// Codes counts the questions of the appeals registered within the period by question code
// (a refinement counts as its question), and rolls them up by topic, theme and section with
// the classifier's titles. Memory grows with the codes used, not with the appeals. Read it
// with Period.Registered for a filter.
func (rp *Reporter) Codes(ctx context.Context, recs Records) (*CodeReport, error) {
	nodes := map[classifier.Code]*tally{}
	rep := &CodeReport{}
	var seen []classifier.Code // the nodes the current appeal has already counted
	err := each(ctx, "codes", recs, func(rec *workflow.Record) error {
		if !rp.opt.Period.Contains(registeredOn(rec)) {
			return nil
		}
		seen = seen[:0]
		for _, q := range rec.Appeal.Questions {
			code, ok := questionCode(q.Code)
			if !ok {
				rep.Unclassified++
				continue
			}
			rep.Questions++
			for c := code; !c.IsZero(); c = c.Parent() {
				t := nodes[c]
				if t == nil {
					t = &tally{}
					nodes[c] = t
				}
				t.questions++
				if !slices.Contains(seen, c) {
					seen = append(seen, c)
					t.appeals++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	codes := slices.SortedFunc(maps.Keys(nodes), classifier.Code.Compare)
	rep.Rows = make([]CodeRow, len(codes))
	byLevel := map[classifier.Level][]int{} // row indexes by level, for the shares
	for i, c := range codes {
		t := nodes[c]
		node, _ := rp.opt.Classifier.Lookup(c)
		rep.Rows[i] = CodeRow{Level: c.Level(), Code: c, Title: node.Title, Appeals: t.appeals, Questions: t.questions}
		byLevel[c.Level()] = append(byLevel[c.Level()], i)
	}
	for _, idx := range byLevel {
		counts := make([]int, len(idx))
		for k, i := range idx {
			counts[k] = rep.Rows[i].Questions
		}
		for k, s := range Shares(counts) {
			rep.Rows[idx[k]].Share = s
		}
	}
	return rep, nil
}

// questionCode parses a question's code and returns the question it names: itself, or a
// refinement's question; false when s is not the code of a question or a refinement.
func questionCode(s string) (classifier.Code, bool) {
	c, err := classifier.Parse(s)
	switch {
	case err != nil || c.Level() < classifier.Question:
		return classifier.Code{}, false
	case c.Level() == classifier.Refinement:
		return c.Parent(), true
	}
	return c, true
}
