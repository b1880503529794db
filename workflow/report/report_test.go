package report_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/report"
	"github.com/fz59/appeals/workflow/report/internal/dataset"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRefusesBadOptions(t *testing.T) {
	cnt := deadline.NewCounter(nil, deadline.Policy{})
	ok := report.Options{Period: dataset.Period, Today: dataset.Today, Counter: cnt}
	tests := []struct {
		name  string
		tune  func(*report.Options)
		field string
	}{
		{"no From", func(o *report.Options) { o.Period.From = deadline.Date{} }, "Period.From"},
		{"no To", func(o *report.Options) { o.Period.To = deadline.Date{} }, "Period.To"},
		{"To before From", func(o *report.Options) { o.Period.To = o.Period.From.AddDays(-1) }, "Period: To 2025-10-31 is before From 2025-11-01"},
		{"no Today", func(o *report.Options) { o.Today = deadline.Date{} }, "Today"},
		{"no Counter", func(o *report.Options) { o.Counter = nil }, "Counter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := ok
			tt.tune(&opt)
			_, err := report.New(opt)
			require.ErrorIs(t, err, report.ErrOptions)
			assert.Contains(t, err.Error(), "report: Options."+tt.field)
		})
	}
	_, err := report.New(ok)
	require.NoError(t, err)
}

func TestPeriodMonths(t *testing.T) {
	tests := []struct {
		p    report.Period
		want []string
	}{
		{report.Period{From: day(2025, 11, 15), To: day(2026, 2, 1)}, []string{"2025-11", "2025-12", "2026-01", "2026-02"}},
		{report.Period{From: day(2025, 11, 1), To: day(2025, 11, 30)}, []string{"2025-11"}},
		{report.Period{From: day(2025, 12, 1), To: day(2025, 11, 30)}, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range tt.p.Months() {
			got = append(got, m.String())
		}
		assert.Equal(t, tt.want, got, "%+v", tt.p)
	}
	assert.Equal(t, "январь 2026", report.Month{Year: 2026, Month: 1}.Title())
	assert.Equal(t, "2026-00", report.Month{Year: 2026}.Title(), "no such month")
}

// appealN is the number of the data set's appeal with the id: its last byte.
func appealN(id uuid.UUID) int { return int(id[15]) }

// TestMissedTerms checks the inspection's list on the data set: every term of the law missed
// within the period, done late or overdue on Today, with the days and the step that closed
// it; the copies term only with a history.
func TestMissedTerms(t *testing.T) {
	type row struct {
		appeal  int
		kind    workflow.TermKind
		status  deadline.Status
		days    int
		command workflow.Command
	}
	withHistory := []row{
		{2, workflow.TermRegistration, deadline.DoneLate, 2, workflow.CmdRegister},
		{2, workflow.TermConsideration, deadline.DoneLate, 3, workflow.CmdSend},
		{4, workflow.TermCompetence, deadline.DoneLate, 4, workflow.CmdForward},
		{5, workflow.TermNotice, deadline.DoneLate, 5, workflow.CmdOutcome},
		{7, workflow.TermRequest, deadline.DoneLate, 4, workflow.CmdRequestDone},
		{7, workflow.TermConsideration, deadline.Overdue, 5, ""},
		{9, workflow.TermRegistration, deadline.Overdue, 7, ""},
		{10, workflow.TermCopies, deadline.DoneLate, 4, workflow.CmdCopy},
	}
	var withoutHistory []row
	for _, r := range withHistory {
		if r.kind != workflow.TermCopies {
			r.command = ""
			withoutHistory = append(withoutHistory, r)
		}
	}
	w := dataset.Build(t)
	tests := []struct {
		name    string
		history report.HistoryReader
		want    []row
	}{
		{"through the engine's history", report.EngineHistory(w.Engine, dataset.Auditor), withHistory},
		{"the store's history", w.Store, withHistory},
		{"no history", nil, withoutHistory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp, err := report.New(report.Options{Period: dataset.Period, Today: dataset.Today, Counter: w.Engine.Counter(), History: tt.history})
			require.NoError(t, err)
			var got []row
			kinds, err := rp.MissedTerms(w.Ctx, w.List(workflow.Filter{}), func(m report.MissedTerm) error {
				got = append(got, row{appealN(m.AppealID), m.Kind, m.Status, m.Days, m.Command})
				if m.Status == deadline.DoneLate {
					assert.Equal(t, m.Days, m.Closed.DaysSince(m.Legal), "days late of %v", m)
				} else {
					assert.True(t, m.Closed.IsZero())
					assert.Equal(t, m.Days, dataset.Today.DaysSince(m.Legal))
				}
				assert.True(t, dataset.Period.Contains(m.Legal))
				return nil
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			require.Len(t, kinds, 7)
			total := kinds[6]
			assert.Equal(t, workflow.TermKind(""), total.Kind)
			assert.Equal(t, len(tt.want), total.Total)
			n := 0
			for _, k := range kinds[:6] {
				assert.Equal(t, k.DoneLate+k.Overdue, k.Total)
				n += k.Total
			}
			assert.Equal(t, total.Total, n)
		})
	}
}

// TestMissedTermsPeriod checks that only the terms whose legal date lies within the period
// are listed, the copies term too.
func TestMissedTermsPeriod(t *testing.T) {
	w := dataset.Build(t)
	november := report.Period{From: day(2025, time.November, 1), To: day(2025, time.November, 30)}
	rp, err := report.New(report.Options{Period: november, Today: dataset.Today, Counter: w.Engine.Counter(), History: w.Store})
	require.NoError(t, err)
	type row struct {
		appeal int
		kind   workflow.TermKind
	}
	var got []row
	_, err = rp.MissedTerms(w.Ctx, w.List(workflow.Filter{}), func(m report.MissedTerm) error {
		got = append(got, row{appealN(m.AppealID), m.Kind})
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []row{{2, workflow.TermRegistration}, {4, workflow.TermCompetence}, {5, workflow.TermNotice}, {7, workflow.TermRequest}}, got,
		"the rest are due in December, the copies of appeal 10 on 1 December")
}

func TestMissedKinds(t *testing.T) {
	w := dataset.Build(t)
	got := w.Run(t).MissedKinds
	want := []struct {
		kind               workflow.TermKind
		late, overdue, max int
		share, average     string
	}{
		{workflow.TermRegistration, 1, 1, 7, "25.0", "4.5"},
		{workflow.TermCompetence, 1, 0, 4, "12.5", "4.0"},
		{workflow.TermCopies, 1, 0, 4, "12.5", "4.0"},
		{workflow.TermNotice, 1, 0, 5, "12.5", "5.0"},
		{workflow.TermRequest, 1, 0, 4, "12.5", "4.0"},
		{workflow.TermConsideration, 1, 1, 5, "25.0", "4.0"},
		{"", 6, 2, 7, "100.0", "4.3"}, // 34 days over 8 terms: 4.25 rounds half up
	}
	require.Len(t, got, len(want))
	for i, wk := range want {
		g := got[i]
		assert.Equal(t, wk.kind, g.Kind)
		assert.Equal(t, []int{wk.late, wk.overdue, wk.max}, []int{g.DoneLate, g.Overdue, g.MaxDays}, "kind %q", wk.kind)
		assert.Equal(t, wk.share, g.Share.StringFixed(1), "kind %q", wk.kind)
		assert.Equal(t, wk.average, g.AverageDays.Decimal.StringFixed(1), "kind %q", wk.kind)
	}
}

func TestExpiringTerms(t *testing.T) {
	type row struct {
		appeal   int
		kind     workflow.TermKind
		status   deadline.Status
		daysLeft int
	}
	want := []row{
		{3, workflow.TermAssignment, deadline.OnTime, 15}, // moved with the extension; the consideration is due in January
		{6, workflow.TermRequest, deadline.DueSoon, 2},
		{6, workflow.TermAssignment, deadline.OnTime, 15},
		{7, workflow.TermConsideration, deadline.Overdue, -5},
		{7, workflow.TermAssignment, deadline.Overdue, -5},
		{8, workflow.TermRegistration, deadline.DueSoon, 0},
		{9, workflow.TermRegistration, deadline.Overdue, -7},
	}
	w := dataset.Build(t)
	rp := w.Reporter(t)
	for _, f := range []workflow.Filter{dataset.Period.Due(), {}} {
		var got []row
		require.NoError(t, rp.ExpiringTerms(w.Ctx, w.List(f), func(r report.TermRow) error {
			got = append(got, row{appealN(r.AppealID), r.Kind, r.Status, r.DaysLeft})
			return nil
		}))
		assert.Equal(t, want, got, "filter %+v: the report selects by itself", f)
	}
}

func TestControl(t *testing.T) {
	want := []report.ControlRow{
		{Role: workflow.RecipientResponsible, Person: "exec-1", Open: 2, DoneOnTime: 2}, // 3, 6 open; 1, 10 answered
		{Role: workflow.RecipientResponsible, Person: "exec-2", Open: 1, Overdue: 1, DoneLate: 1},
		{Role: workflow.RecipientResponsible, Person: "exec-3", DoneOnTime: 1}, // registered in October, answered in November
		{Role: workflow.RecipientResponsible, Person: "", DoneOnTime: 3},       // forwarded, art. 11, withdrawn
		{Role: workflow.RecipientExecutor, Person: "exec-1", Open: 2, DoneOnTime: 2},
		{Role: workflow.RecipientExecutor, Person: "exec-2", Open: 1, Overdue: 1, DoneLate: 1},
		{Role: workflow.RecipientExecutor, Person: "exec-3", DoneOnTime: 1},
	}
	got := dataset.Build(t).Run(t).Control
	require.Len(t, got, len(want))
	for i := range want {
		w, g := want[i], got[i]
		w.OnTimeShare = report.Ratio(w.DoneOnTime, w.DoneOnTime+w.DoneLate)
		assert.Equal(t, w, g)
	}
	assert.Equal(t, "100.0", got[0].OnTimeShare.Decimal.StringFixed(1))
	assert.Equal(t, "0.0", got[1].OnTimeShare.Decimal.StringFixed(1))
}

// TestCodes checks the roll-up: every level partitions the classified questions, its shares
// add up to 100, a refinement counts as its question, an appeal counts once per node, and the
// titles come from the classifier.
func TestCodes(t *testing.T) {
	w := dataset.Build(t)
	rp := w.Reporter(t)
	rep, err := rp.Codes(w.Ctx, w.List(dataset.Period.Registered()))
	require.NoError(t, err)
	all, err := rp.Codes(w.Ctx, w.List(workflow.Filter{}))
	require.NoError(t, err)
	assert.Equal(t, rep, all, "the report selects by itself")
	assert.Equal(t, 11, rep.Questions)
	assert.Zero(t, rep.Unclassified)

	questions := map[classifier.Level]int{}
	shares := map[classifier.Level]decimal.Decimal{}
	for i, r := range rep.Rows {
		questions[r.Level] += r.Questions
		shares[r.Level] = shares[r.Level].Add(r.Share)
		node, ok := classifier.Embedded().Lookup(r.Code)
		require.True(t, ok, r.Code)
		assert.Equal(t, node.Title, r.Title)
		if i > 0 {
			assert.Negative(t, rep.Rows[i-1].Code.Compare(r.Code), "code order")
		}
	}
	for l := classifier.Section; l <= classifier.Question; l++ {
		assert.Equal(t, rep.Questions, questions[l], "level %v", l)
		assert.Equal(t, "100.0", shares[l].StringFixed(1), "level %v", l)
	}
	assert.Zero(t, questions[classifier.Refinement], "a refinement counts as its question")

	row := func(code string) report.CodeRow {
		for _, r := range rep.Rows {
			if r.Code == classifier.MustParse(code) {
				return r
			}
		}
		t.Fatalf("no row %s", code)
		return report.CodeRow{}
	}
	assert.Equal(t, 1, row("0001.0001.0006.0013").Questions, "the refinement's question")
	topic := row("0005.0005.0056.0000") // appeal 6 raises two questions under it
	assert.Equal(t, []int{4, 5}, []int{topic.Appeals, topic.Questions})
	assert.Equal(t, "Коммунальное хозяйство", topic.Title)
}

func TestCodesUnclassified(t *testing.T) {
	rec := openRecord(1, day(2025, 11, 3))
	rec.Appeal.Questions[0].Code = "0005.0005" // not a question's code
	rp := newReporter(t)
	rep, err := rp.Codes(context.Background(), records(rec))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Unclassified)
	assert.Zero(t, rep.Questions)
	assert.Empty(t, rep.Rows)
}

// TestSummary checks that every group counts the period's appeals (questions for results)
// and that its shares add up to 100.
func TestSummary(t *testing.T) {
	w := dataset.Build(t)
	rows := w.Run(t).Summary
	counts := map[report.Group]int{}
	shares := map[report.Group]decimal.Decimal{}
	for _, r := range rows {
		counts[r.Group] += r.Count
		shares[r.Group] = shares[r.Group].Add(r.Share)
	}
	for _, g := range []report.Group{report.GroupMonth, report.GroupChannel, report.GroupKind, report.GroupExtension} {
		assert.Equal(t, 9, counts[g], "group %s: appeals registered in November and December", g)
	}
	assert.Equal(t, 11, counts[report.GroupResult], "questions")
	for g, s := range shares {
		assert.Equal(t, "100.0", s.StringFixed(1), "group %s", g)
	}
	find := func(g report.Group, key string) report.SummaryRow {
		for _, r := range rows {
			if r.Group == g && r.Key == key {
				return r
			}
		}
		t.Fatalf("no row %s %s", g, key)
		return report.SummaryRow{}
	}
	ext := find(report.GroupExtension, report.KeyExtended)
	assert.Equal(t, 1, ext.Count)
	assert.Equal(t, "11.1", ext.Share.StringFixed(1))
	assert.Equal(t, "ноябрь 2025", find(report.GroupMonth, "2025-11").Title)
	assert.Equal(t, 0, find(report.GroupChannel, "medo").Count, "every channel has a row")
	assert.Equal(t, "Рассмотрено. Поддержано", find(report.GroupResult, "Supported").Title)
}

func TestIntake(t *testing.T) {
	w := dataset.Build(t)
	rows := w.Run(t).Intake
	require.Len(t, rows, 2*5, "two months, five sections")
	perMonth := map[report.Month]int{}
	shares := map[report.Month]decimal.Decimal{}
	for _, r := range rows {
		assert.Equal(t, classifier.Section, r.Section.Level())
		perMonth[r.Month] += r.Questions
		shares[r.Month] = shares[r.Month].Add(r.Share)
	}
	assert.Equal(t, map[report.Month]int{{Year: 2025, Month: 11}: 7, {Year: 2025, Month: 12}: 4}, perMonth)
	for m, s := range shares {
		assert.Equal(t, "100.0", s.StringFixed(1), "month %s", m)
	}
}

// TestStreamErrors checks that a report stops at the stream's error, at the emitter's and at
// a cancelled context, and says which report failed.
func TestStreamErrors(t *testing.T) {
	boom := errors.New("boom")
	rp := newReporter(t)
	failing := func(yield func(*workflow.Record, error) bool) {
		if yield(openRecord(1, day(2025, 11, 3)), nil) {
			yield(nil, boom)
		}
	}
	_, err := rp.Codes(context.Background(), failing)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, "report: codes: boom", err.Error())

	stopped := errors.New("disk full")
	calls := 0
	recs := records(openRecord(1, day(2025, 11, 3)), openRecord(2, day(2025, 11, 3)))
	err = rp.ExpiringTerms(context.Background(), recs, func(report.TermRow) error {
		calls++
		return stopped
	})
	require.ErrorIs(t, err, stopped)
	assert.Equal(t, 1, calls, "the first error stops the report")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = rp.Control(ctx, recs)
	require.ErrorIs(t, err, context.Canceled)

	_, err = rp.Summary(context.Background(), records(&workflow.Record{}))
	require.Error(t, err, "a record without a card")

	_, err = rp.MissedTerms(context.Background(), records(lateRecord(1)), func(report.MissedTerm) error { return nil })
	require.NoError(t, err)
	withHistory, err := report.New(report.Options{Period: dataset.Period, Today: dataset.Today,
		Counter: deadline.NewCounter(nil, deadline.Policy{}), History: report.HistoryFunc(func(context.Context, uuid.UUID) ([]workflow.Event, error) {
			return nil, workflow.ErrNotFound
		})})
	require.NoError(t, err)
	_, err = withHistory.MissedTerms(context.Background(), records(lateRecord(1)), func(report.MissedTerm) error { return nil })
	require.ErrorIs(t, err, workflow.ErrNotFound)
	assert.Contains(t, err.Error(), "report: missed terms: history ")
}

func TestText(t *testing.T) {
	tests := []struct {
		v    report.Value
		want string
	}{
		{"текст", "текст"},
		{42, "42"},
		{true, "да"},
		{false, "нет"},
		{decimal.RequireFromString("33.35"), "33.4"},
		{decimal.NewFromInt(100), "100.0"},
		{decimal.NullDecimal{}, ""},
		{day(2025, 12, 1), "2025-12-01"},
		{deadline.Date{}, ""},
	}
	for _, tt := range tests {
		got, err := report.Text(tt.v)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%#v", tt.v)
	}
	_, err := report.Text(3.5)
	require.ErrorIs(t, err, report.ErrValueType)
}

// TestTables checks what the files rely on: titles unique within a table, sheet names
// Excel accepts, machine names for files.
func TestTables(t *testing.T) {
	type info struct {
		name, title string
		columns     []string
	}
	tables := []info{
		{report.ExpiringTable.Name, report.ExpiringTable.Title, report.ExpiringTable.Titles()},
		{report.CodesTable.Name, report.CodesTable.Title, report.CodesTable.Titles()},
		{report.ControlTable.Name, report.ControlTable.Title, report.ControlTable.Titles()},
		{report.MissedTable.Name, report.MissedTable.Title, report.MissedTable.Titles()},
		{report.MissedKindsTable.Name, report.MissedKindsTable.Title, report.MissedKindsTable.Titles()},
		{report.SummaryTable.Name, report.SummaryTable.Title, report.SummaryTable.Titles()},
		{report.IntakeTable.Name, report.IntakeTable.Title, report.IntakeTable.Titles()},
	}
	names := map[string]bool{}
	for _, tb := range tables {
		assert.False(t, names[tb.name], "name %s twice", tb.name)
		names[tb.name] = true
		assert.Regexp(t, `^[a-z_]+$`, tb.name)
		assert.LessOrEqual(t, utf8.RuneCountInString(tb.title), 31, "sheet name %q", tb.title)
		assert.False(t, strings.ContainsAny(tb.title, `[]:*?/\`), "sheet name %q", tb.title)
		seen := map[string]bool{}
		for _, c := range tb.columns {
			assert.False(t, seen[c], "%s: column %q twice", tb.name, c)
			seen[c] = true
		}
	}
}
