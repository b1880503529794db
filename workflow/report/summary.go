package report

import (
	"context"
	"maps"
	"slices"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/shopspring/decimal"
)

// Group is a breakdown of the Summary.
type Group string

// The breakdowns, in the order Summary gives them.
const (
	// GroupMonth counts the appeals by the month of their registration.
	GroupMonth Group = "month"
	// GroupChannel counts the appeals by channel (appeal.Channels).
	GroupChannel Group = "channel"
	// GroupKind counts the appeals by kind (art. 4).
	GroupKind Group = "kind"
	// GroupResult counts the questions by their SSTU status (appeal.QuestionStatuses).
	GroupResult Group = "result"
	// GroupExtension counts the appeals whose consideration was extended (art. 12 p.2), and
	// the others.
	GroupExtension Group = "extension"
)

var groupTitles = map[Group]string{
	GroupMonth:     "месяц регистрации",
	GroupChannel:   "канал поступления",
	GroupKind:      "вид обращения",
	GroupResult:    "результат рассмотрения вопроса",
	GroupExtension: "продление срока",
}

// Title is the breakdown in Russian.
func (g Group) Title() string { return titleOr(groupTitles, g) }

// The keys of GroupExtension.
const (
	KeyExtended    = "extended"
	KeyNotExtended = "not_extended"
)

// SummaryRow is one value of one breakdown of the appeals registered within the period.
type SummaryRow struct {
	// Group is the breakdown; Key the value's machine name ("2025-11", "web", "complaint",
	// "Explained", KeyExtended) and Title its Russian name.
	Group Group
	Key   string
	Title string
	// Count counts the appeals (the questions for GroupResult).
	Count int
	// Share is Count's share of the group's whole, in percent: the rows of a group add up to
	// exactly 100 (Shares).
	Share decimal.Decimal
}

// SummaryTable lays out SummaryRow.
var SummaryTable = Table[SummaryRow]{Name: "summary", Title: "Сводка за период", Columns: []Column[SummaryRow]{
	{"Разрез", func(r SummaryRow) Value { return r.Group.Title() }},
	{"Значение", func(r SummaryRow) Value { return r.Title }},
	{"Количество", func(r SummaryRow) Value { return r.Count }},
	{"Доля, %", func(r SummaryRow) Value { return r.Share }},
}}

// breakdown counts one group by key; known keys come first in their order, even at 0, then
// any other key met, sorted.
type breakdown struct {
	group  Group
	known  []string
	title  func(key string) string
	counts map[string]int
}

func (b *breakdown) rows() []SummaryRow {
	keys := slices.Clone(b.known)
	for _, k := range slices.Sorted(maps.Keys(b.counts)) {
		if !slices.Contains(b.known, k) {
			keys = append(keys, k)
		}
	}
	counts := make([]int, len(keys))
	for i, k := range keys {
		counts[i] = b.counts[k]
	}
	out := make([]SummaryRow, len(keys))
	for i, sh := range Shares(counts) {
		out[i] = SummaryRow{Group: b.group, Key: keys[i], Title: b.title(keys[i]), Count: counts[i], Share: sh}
	}
	return out
}

func names[S ~string](ss []S) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// Summary breaks the appeals registered within the period down by month of registration,
// channel, kind, the result of each question (its SSTU status) and extension: the share of
// extended appeals. Every group's shares add up to exactly 100 %; every known value has a row,
// even at 0. Memory is constant. Read it with Period.Registered for a filter.
func (rp *Reporter) Summary(ctx context.Context, recs Records) ([]SummaryRow, error) {
	months := make([]string, 0, 12)
	monthTitles := map[string]string{}
	for _, m := range rp.opt.Period.Months() {
		months = append(months, m.String())
		monthTitles[m.String()] = m.Title()
	}
	month := &breakdown{group: GroupMonth, known: months, title: func(k string) string { return monthTitles[k] }}
	channel := &breakdown{group: GroupChannel, known: names(appeal.Channels()), title: func(k string) string { return channelTitle(appeal.Channel(k)) }}
	kind := &breakdown{group: GroupKind, known: names(kinds()), title: func(k string) string { return kindTitle(appeal.Kind(k)) }}
	result := &breakdown{group: GroupResult, known: names(appeal.QuestionStatuses()), title: resultTitle}
	extension := &breakdown{group: GroupExtension, known: []string{KeyExtended, KeyNotExtended}, title: extensionTitle}
	groups := []*breakdown{month, channel, kind, result, extension}
	for _, g := range groups {
		g.counts = map[string]int{}
	}
	err := each(ctx, "summary", recs, func(rec *workflow.Record) error {
		reg := registeredOn(rec)
		if !rp.opt.Period.Contains(reg) {
			return nil
		}
		a := rec.Appeal
		month.counts[MonthOf(reg).String()]++
		channel.counts[string(a.Channel)]++
		kind.counts[string(a.Kind)]++
		for _, q := range a.Questions {
			result.counts[string(q.Status)]++
		}
		ext := KeyNotExtended
		if rec.Deadlines.Consideration.Extended {
			ext = KeyExtended
		}
		extension.counts[ext]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []SummaryRow
	for _, g := range groups {
		out = append(out, g.rows()...)
	}
	return out, nil
}

// resultTitle is the SSTU label of a question status; «без статуса» for none.
func resultTitle(k string) string {
	if k == "" {
		return "без статуса"
	}
	if l := appeal.QuestionStatus(k).Label(); l != "" {
		return l
	}
	return k
}

func extensionTitle(k string) string {
	if k == KeyExtended {
		return "продлен"
	}
	return "не продлен"
}
