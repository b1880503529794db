// Package dataset builds the reports' fixed data set through the engine, for the tests of
// package report and its writers, and the large stores of the benchmarks.
package dataset

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/fz59/appeals/workflow/report"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// The question codes of the data set (classifier edition of 31.10.2025).
const (
	QHousing    = "0005.0005.0056.1147" // коммунально-бытовое хозяйство
	QWater      = "0005.0005.0056.1154" // перебои в водоснабжении
	QWages      = "0002.0006.0065.0257" // выплата заработной платы
	QGovernment = "0001.0002.0023.0061" // деятельность Правительства РФ
	QTerritory  = "0001.0001.0006.0013.0001"
	QInvest     = "0003.0008.0077.0457" // стратегия и перспективы развития
	QDefense    = "0004.0015.0146.0887" // общие положения в сфере обороны
)

var (
	msk = time.FixedZone("MSK", 3*60*60)

	clerk = workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	head  = workflow.Actor{ID: "head-1", Roles: []workflow.Role{workflow.RoleManager}}
	// Auditor is the actor the data set's reports read as.
	Auditor = workflow.Actor{ID: "audit-1", Roles: []workflow.Role{workflow.RoleAuditor}}

	// Period is the data set's period.
	Period = report.Period{From: day(2025, time.November, 1), To: day(2025, time.December, 31)}
	// Today is the day of the data set's statuses (a Monday).
	Today = day(2025, time.December, 15)
)

func day(y int, m time.Month, d int) deadline.Date { return deadline.NewDate(y, m, d) }

// AppealID is the id of the data set's appeal n: UUID v7-shaped and ascending with n, so that
// lists come in the order of n.
func AppealID(n int) uuid.UUID {
	return uuid.UUID{0x01, 0x9a, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, byte(n)}
}

// World is an engine on memstore whose clock the data set moves by hand.
type World struct {
	t testing.TB
	// Ctx is the context of every command and read.
	Ctx context.Context
	// Store and Engine hold the data set.
	Store  *memstore.Store
	Engine *workflow.Engine
	now    time.Time
}

func newWorld(t testing.TB) *World {
	t.Helper()
	w := &World{t: t, Ctx: context.Background(), Store: memstore.New(memstore.Options{})}
	eng, err := workflow.New(w.Store, workflow.Options{
		Clock: func() time.Time { return w.now },
		Org:   workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"},
	})
	require.NoError(t, err)
	w.Engine = eng
	return w
}

// on runs the steps on day d at 10:00; each must succeed.
func (w *World) on(d deadline.Date, steps ...func(ctx context.Context) error) {
	w.t.Helper()
	w.now = d.In(msk).Add(10 * time.Hour)
	for _, s := range steps {
		require.NoError(w.t, s(w.Ctx), "on %s", d)
	}
}

// card is a complete card: every form's requisites are there.
func card(n int, ch appeal.Channel, kind appeal.Kind) *appeal.Appeal {
	a := appeal.New(AppealID(n), time.Time{}, ch)
	a.Kind = kind
	a.Addressee = "Глава города N"
	a.Text = "Текст обращения"
	a.Signed, a.Identified = true, true
	a.Applicants = []appeal.Applicant{{Surname: "Петров", GivenName: "Петр", Email: "petrov@example.ru",
		PostalAddress: "г. N, ул. Мира, д. 1", AnswerChannel: appeal.AnswerByEmail, Consent: true}}
	if ch.FromBody() {
		a.CoverLetter = &appeal.CoverLetter{Sender: "Правительство области", Number: "01-" + strconv.Itoa(n), Date: day(2025, time.November, 19)}
	}
	return a
}

// The steps of the data set, as functions of the appeal's id.

func receive(n int, ch appeal.Channel, kind appeal.Kind, d deadline.Date, codes ...string) func(w *World) uuid.UUID {
	return func(w *World) uuid.UUID {
		a := card(n, ch, kind)
		a.Dated = d
		w.on(d, func(ctx context.Context) error {
			_, err := w.Engine.Receive(ctx, clerk, workflow.Intake{Card: a})
			return err
		}, func(ctx context.Context) error {
			_, err := w.Engine.Classify(ctx, clerk, a.ID, codes)
			return err
		})
		return a.ID
	}
}

func (w *World) register(id uuid.UUID) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := w.Engine.Register(ctx, clerk, id, workflow.RegisterInput{})
		return err
	}
}

func (w *World) resolve(id uuid.UUID, executor string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := w.Engine.Resolve(ctx, head, id, workflow.ResolutionInput{Text: "Рассмотреть",
			Assignments: []workflow.AssignmentInput{{Executor: executor, Task: "Подготовить ответ"}}})
		return err
	}
}

// answer reports the assignment, drafts the answer, gives each question its result, approves
// and sends it.
func (w *World) answer(id uuid.UUID, results map[string]appeal.QuestionStatus) func(context.Context) error {
	return func(ctx context.Context) error {
		if _, err := w.Engine.Report(ctx, head, id, workflow.ReportInput{Assignment: "1", Text: "Исполнено"}); err != nil {
			return err
		}
		if _, err := w.Engine.DraftAnswer(ctx, head, id, workflow.AnswerInput{Text: "Ответ по существу"}); err != nil {
			return err
		}
		for code, st := range results {
			if _, err := w.Engine.SetResult(ctx, head, id, code, workflow.ResultInput{Status: st, MeasuresTaken: st == appeal.StatusSupported}); err != nil {
				return err
			}
		}
		if _, err := w.Engine.Approve(ctx, head, id); err != nil {
			return err
		}
		_, err := w.Engine.Send(ctx, clerk, id, workflow.SendInput{Number: "исх-" + id.String()[34:]})
		return err
	}
}

// Build builds the fixed data set of the golden files: twelve appeals of a town
// administration, registered from October to December 2025, seen on Monday 15 December 2025.
//
//	 1 post, complaint: answered on time
//	 2 web form, statement: registered 2 days late, answered 3 days late
//	 3 ЕПГУ, complaint: extended by 30 days, open
//	 4 personal reception, proposal (a refinement): forwarded 4 days late
//	 5 another body, statement: art. 11 notice (unreadable) 5 days late
//	 6 web form, complaint, three questions (two in one topic): open, a request to another body due soon
//	 7 post, complaint: open and overdue; its request answered 4 days late
//	 8 web form, complaint: received, registration due today
//	 9 web form, complaint: received, registration overdue
//	10 web form, complaint: copies to several bodies 4 days late, answered on time
//	11 ЕПГУ, information request: withdrawn
//	12 post, complaint: registered in October, answered in November on time
func Build(t testing.TB) *World {
	t.Helper()
	w := newWorld(t)
	mk := func(n int, ch appeal.Channel, kind appeal.Kind, d deadline.Date, codes ...string) uuid.UUID {
		return receive(n, ch, kind, d, codes...)(w)
	}
	result := func(pairs ...any) map[string]appeal.QuestionStatus {
		m := map[string]appeal.QuestionStatus{}
		for i := 0; i < len(pairs); i += 2 {
			m[pairs[i].(string)] = pairs[i+1].(appeal.QuestionStatus)
		}
		return m
	}

	a12 := mk(12, appeal.ChannelPost, appeal.Complaint, day(2025, time.October, 15), QHousing)
	w.on(day(2025, time.October, 15), w.register(a12))
	w.on(day(2025, time.October, 16), w.resolve(a12, "exec-3"))
	w.on(day(2025, time.November, 14), w.answer(a12, result(QHousing, appeal.StatusExplained)))

	a1 := mk(1, appeal.ChannelPost, appeal.Complaint, day(2025, time.November, 5), QHousing)
	w.on(day(2025, time.November, 5), w.register(a1))
	w.on(day(2025, time.November, 6), w.resolve(a1, "exec-1"))
	w.on(day(2025, time.November, 21), w.answer(a1, result(QHousing, appeal.StatusSupported)))
	w.on(day(2025, time.November, 24), func(ctx context.Context) error {
		_, err := w.Engine.Close(ctx, clerk, a1)
		return err
	})

	a2 := mk(2, appeal.ChannelWebForm, appeal.Statement, day(2025, time.November, 7), QWages)
	w.on(day(2025, time.November, 12), w.register(a2))
	w.on(day(2025, time.November, 13), w.resolve(a2, "exec-2"))
	w.on(Today, w.answer(a2, result(QWages, appeal.StatusExplained)))

	a3 := mk(3, appeal.ChannelEPGU, appeal.Complaint, day(2025, time.November, 10), QWater)
	w.on(day(2025, time.November, 10), w.register(a3))
	w.on(day(2025, time.November, 11), w.resolve(a3, "exec-1"))
	w.on(day(2025, time.December, 5), func(ctx context.Context) error {
		_, err := w.Engine.Extend(ctx, head, a3, workflow.ExtensionInput{Days: 30, Reason: "Проверка на месте", ApprovedBy: head.ID})
		return err
	})

	a4 := mk(4, appeal.ChannelReception, appeal.Proposal, day(2025, time.November, 17), QTerritory)
	w.on(day(2025, time.November, 17), w.register(a4))
	w.on(day(2025, time.November, 28), func(ctx context.Context) error {
		_, err := w.Engine.Forward(ctx, clerk, a4, workflow.ForwardInput{To: []workflow.Target{{Body: "Министерство области", Number: "исх-4"}}})
		return err
	})

	a5 := mk(5, appeal.ChannelOtherBody, appeal.Statement, day(2025, time.November, 20), QInvest)
	w.on(day(2025, time.November, 20), w.register(a5))
	w.on(day(2025, time.November, 21), func(ctx context.Context) error {
		_, err := w.Engine.NoteGround(ctx, head, a5, workflow.GroundInput{Ground: workflow.GroundUnreadable})
		return err
	})
	w.on(day(2025, time.December, 2), func(ctx context.Context) error {
		_, err := w.Engine.Decide(ctx, head, a5, workflow.OutcomeInput{Ground: workflow.GroundUnreadable})
		return err
	})

	a6 := mk(6, appeal.ChannelWebForm, appeal.Complaint, day(2025, time.December, 1), QHousing, QWater, QWages)
	w.on(day(2025, time.December, 1), w.register(a6))
	w.on(day(2025, time.December, 2), w.resolve(a6, "exec-1"), func(ctx context.Context) error {
		_, err := w.Engine.Request(ctx, head, a6, workflow.RequestInput{Body: "ФНС", Number: "зап-6"})
		return err
	})

	a7 := mk(7, appeal.ChannelPost, appeal.Complaint, day(2025, time.November, 10), QDefense)
	w.on(day(2025, time.November, 10), w.register(a7))
	w.on(day(2025, time.November, 11), w.resolve(a7, "exec-2"))
	w.on(day(2025, time.November, 12), func(ctx context.Context) error {
		_, err := w.Engine.Request(ctx, head, a7, workflow.RequestInput{Body: "Военкомат", Number: "зап-7"})
		return err
	})
	w.on(day(2025, time.December, 1), func(ctx context.Context) error {
		_, err := w.Engine.RequestAnswered(ctx, head, a7, workflow.RequestAnswerInput{Request: "1"})
		return err
	})

	mk(8, appeal.ChannelWebForm, appeal.Complaint, day(2025, time.December, 12), QHousing)
	mk(9, appeal.ChannelWebForm, appeal.Complaint, day(2025, time.December, 5), QWater)

	a10 := mk(10, appeal.ChannelWebForm, appeal.Complaint, day(2025, time.November, 24), QHousing)
	w.on(day(2025, time.November, 24), w.register(a10))
	w.on(day(2025, time.November, 25), w.resolve(a10, "exec-1"))
	w.on(day(2025, time.December, 5), func(ctx context.Context) error {
		_, err := w.Engine.SendCopies(ctx, clerk, a10, []workflow.Target{{Body: "Прокуратура", Number: "исх-10"}})
		return err
	})
	w.on(day(2025, time.December, 10), w.answer(a10, result(QHousing, appeal.StatusNotSupported)))

	a11 := mk(11, appeal.ChannelEPGU, appeal.InformationRequest, day(2025, time.December, 2), QWages)
	w.on(day(2025, time.December, 2), w.register(a11))
	w.on(day(2025, time.December, 8), func(ctx context.Context) error {
		_, err := w.Engine.Withdraw(ctx, clerk, a11, "по просьбе заявителя")
		return err
	})

	w.now = Today.In(msk).Add(18 * time.Hour)
	return w
}

// Reporter is the data set's reporter, reading histories through the engine.
func (w *World) Reporter(t testing.TB) *report.Reporter {
	t.Helper()
	rp, err := report.New(report.Options{Period: Period, Today: Today, Counter: w.Engine.Counter(),
		History: report.EngineHistory(w.Engine, Auditor)})
	require.NoError(t, err)
	return rp
}

// List is the appeals f selects, read by the auditor through the engine.
func (w *World) List(f workflow.Filter) report.Records { return w.Engine.List(w.Ctx, Auditor, f) }

// Results are every report over the data set, the listings gathered (the data set is small).
type Results struct {
	// Expiring is the ExpiringTerms listing.
	Expiring []report.TermRow
	// Codes is the Codes report.
	Codes *report.CodeReport
	// Control is the Control report.
	Control []report.ControlRow
	// Missed and MissedKinds are the MissedTerms listing and its sums by kind.
	Missed      []report.MissedTerm
	MissedKinds []report.MissedKind
	// Summary is the Summary report.
	Summary []report.SummaryRow
	// Intake is the Intake report.
	Intake []report.IntakeRow
}

// Run runs every report over the data set, each with the filter its doc comment suggests.
func (w *World) Run(t testing.TB) Results {
	t.Helper()
	rp := w.Reporter(t)
	var r Results
	var err error
	require.NoError(t, rp.ExpiringTerms(w.Ctx, w.List(Period.Due()), func(row report.TermRow) error {
		r.Expiring = append(r.Expiring, row)
		return nil
	}))
	r.Codes, err = rp.Codes(w.Ctx, w.List(Period.Registered()))
	require.NoError(t, err)
	r.Control, err = rp.Control(w.Ctx, w.List(workflow.Filter{}))
	require.NoError(t, err)
	r.MissedKinds, err = rp.MissedTerms(w.Ctx, w.List(workflow.Filter{}), func(row report.MissedTerm) error {
		r.Missed = append(r.Missed, row)
		return nil
	})
	require.NoError(t, err)
	r.Summary, err = rp.Summary(w.Ctx, w.List(Period.Registered()))
	require.NoError(t, err)
	r.Intake, err = rp.Intake(w.Ctx, w.List(Period.Registered()))
	require.NoError(t, err)
	return r
}

// CSV writes each report's table as CSV, by table name.
func (r Results) CSV(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	add := func(name string, write func(w io.Writer) error) {
		var b bytes.Buffer
		require.NoError(t, write(&b), name)
		out[name] = b.Bytes()
	}
	add(report.ExpiringTable.Name, func(w io.Writer) error { return report.WriteCSV(w, report.ExpiringTable, r.Expiring) })
	add(report.CodesTable.Name, func(w io.Writer) error { return report.WriteCSV(w, report.CodesTable, r.Codes.Rows) })
	add(report.ControlTable.Name, func(w io.Writer) error { return report.WriteCSV(w, report.ControlTable, r.Control) })
	add(report.MissedTable.Name, func(w io.Writer) error { return report.WriteCSV(w, report.MissedTable, r.Missed) })
	add(report.MissedKindsTable.Name, func(w io.Writer) error { return report.WriteCSV(w, report.MissedKindsTable, r.MissedKinds) })
	add(report.SummaryTable.Name, func(w io.Writer) error { return report.WriteCSV(w, report.SummaryTable, r.Summary) })
	add(report.IntakeTable.Name, func(w io.Writer) error { return report.WriteCSV(w, report.IntakeTable, r.Intake) })
	return out
}
