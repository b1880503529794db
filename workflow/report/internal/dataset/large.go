package dataset

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/fz59/appeals/workflow/report"
	"github.com/google/uuid"
)

// Year is the large store's period: 2025, the year its appeals are registered in.
var Year = report.Period{From: deadline.NewDate(2025, time.January, 1), To: deadline.NewDate(2025, time.December, 31)}

// Large builds a store of n appeals received evenly from 1 January 2025 to Today as the engine
// leaves them — built directly, not through the commands, so without history — and returns
// it with the counter that computed their terms. Those whose answer falls before Today are
// answered (one in 25 late, one in 35 after a request answered late), forwarded (one in 20,
// one in 80 late) or left without an answer under art. 11 (one in 40); the others are in
// execution, one in 50 of the last three days' still unregistered. One in 10 is extended,
// one in 50 registered late. Each has one or two questions of 48 codes from every section, a
// responsible of 50, an executor of 200, and one in 5 a request to another body.
func Large(tb testing.TB, n int) (*memstore.Store, *deadline.Counter) {
	tb.Helper()
	st := memstore.New(memstore.Options{})
	cnt := deadline.NewCounter(nil, deadline.Policy{Location: msk})
	codes := largeCodes()
	ctx := context.Background()
	for i := range n {
		if err := st.Create(ctx, workflow.Change{Record: largeRecord(cnt, codes, i, n)}); err != nil {
			tb.Fatal(err)
		}
	}
	return st, cnt
}

// largeCodes are 48 question codes, spread over the classifier.
func largeCodes() []string {
	var all []string
	for node := range classifier.Embedded().All() {
		if node.Level == classifier.Question {
			all = append(all, node.Code.String())
		}
	}
	out := make([]string, 48)
	for i := range out {
		out[i] = all[i*len(all)/len(out)]
	}
	return out
}

// largeRecord is the store's appeal i of n.
func largeRecord(cnt *deadline.Counter, codes []string, i, n int) *workflow.Record {
	first := Year.From
	reg := first.AddDays(i * Today.DaysSince(first) / n)
	id := uuid.UUID{0x01, 0x9a, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, byte(i >> 24), byte(i >> 16), byte(i >> 8), byte(i)}
	a := appeal.New(id, reg.In(msk).Add(9*time.Hour), appeal.Channels()[i%7])
	a.Kind = []appeal.Kind{appeal.Proposal, appeal.Statement, appeal.Complaint, appeal.InformationRequest}[i%4]
	a.Addressee, a.Signed, a.Dated, a.Identified = "Глава города N", true, reg, true
	a.Text = "Прошу принять меры: во дворе дома третий месяц не вывозят мусор, контейнерная площадка переполнена."
	a.Applicants = []appeal.Applicant{{Surname: "Петров", GivenName: "Петр", Patronymic: "Петрович",
		Email: "petrov" + strconv.Itoa(i) + "@example.ru", PostalAddress: "г. N, ул. Мира, д. " + strconv.Itoa(i%200+1),
		AnswerChannel: appeal.AnswerByEmail, Consent: true}}
	a.Questions = []appeal.Question{{Code: codes[i%len(codes)], Status: appeal.StatusInWork}}
	if i%3 == 0 {
		a.Questions = append(a.Questions, appeal.Question{Code: codes[(i/3+7)%len(codes)], Status: appeal.StatusInWork})
	}
	rec := &workflow.Record{Appeal: a, Series: "Ж"}
	d := &rec.Deadlines
	regl, _ := cnt.Due(deadline.Registration, reg)
	d.Registration = workflow.Limit{Deadline: regl}
	if reg.After(Today.AddDays(-3)) && i%50 == 0 {
		return rec // received, not yet registered
	}
	registered := reg
	if i%50 == 1 {
		registered = regl.Legal.AddDays(2) // registered late
	}
	d.Registration.Closed = registered
	a.State, a.Number, a.RegisteredAt = appeal.StateInExecution, "Ж-2025-"+strconv.Itoa(i+1), registered.In(msk).Add(10*time.Hour)
	a.Responsible = "exec-" + strconv.Itoa(i%50)
	comp, _ := cnt.Due(deadline.Forwarding, registered)
	cons, _ := cnt.Due(deadline.Consideration, registered)
	if i%10 == 3 {
		cons, _ = cnt.Extend(cons, 30, "проверка на месте")
	}
	d.Competence = workflow.Limit{Deadline: comp, Closed: registered.AddDays(1)}
	d.Consideration = workflow.Limit{Deadline: cons}
	executor := "exec-" + strconv.Itoa(i%200)
	rec.Assignments = []workflow.Assignment{{ID: "1", Executor: executor, Task: "Подготовить ответ", From: registered.AddDays(1), Due: cons.Control}}
	if i%5 == 0 {
		q, _ := cnt.Due(deadline.InterAgencyRequest, registered.AddDays(2))
		rec.Requests = []workflow.InterAgencyRequest{{ID: "1", Body: "ФНС", By: a.Responsible, SentAt: a.RegisteredAt.AddDate(0, 0, 2), Due: q}}
	}
	done := cons.Legal.AddDays(-(i % 9))
	if i%25 == 0 {
		done = cons.Legal.AddDays(i%7 + 1)
	}
	switch {
	case done.After(Today):
		return rec // in execution
	case i%20 == 7:
		forwarded := registered.AddDays(3)
		if i%80 == 7 {
			forwarded = comp.Legal.AddDays(2)
		}
		d.Competence.Closed = forwarded
		rec.Assignments = nil
		rec.Forwardings = []workflow.Forwarding{{Body: "Министерство области", At: forwarded.In(msk).Add(12 * time.Hour)}}
		a.State, a.Responsible = appeal.StateForwarded, ""
		for k := range a.Questions {
			a.Questions[k].Status = appeal.StatusTransferred
			a.Questions[k].Transfer = &appeal.Transfer{Body: "Министерство области", Date: forwarded}
		}
		closeAll(rec, forwarded, false)
	case i%40 == 11:
		a.State = appeal.StateLeftWithoutAnswer
		note, _ := cnt.Due(deadline.Art11Notice, registered)
		d.Notice = workflow.Limit{Deadline: note}
		for k := range a.Questions {
			a.Questions[k].Status = appeal.StatusLeftWithoutAnswer
		}
		closeAll(rec, registered.AddDays(5), false)
	default:
		a.State = appeal.StateAnswered
		results := []appeal.QuestionStatus{appeal.StatusExplained, appeal.StatusSupported, appeal.StatusNotSupported, appeal.StatusAnswered}
		for k := range a.Questions {
			a.Questions[k].Status = results[(i+k)%len(results)]
			a.Questions[k].AnsweredOn = done
		}
		rec.Assignments[0].Report, rec.Assignments[0].ReportedAt = "Исполнено", done.In(msk).Add(9*time.Hour)
		rec.Answer = &workflow.Answer{Text: "Ответ по существу поставленных вопросов.", DraftedBy: executor,
			ApprovedBy: "head-1", SentAt: done.In(msk).Add(15 * time.Hour), Number: "исх-" + strconv.Itoa(i)}
		closeAll(rec, done, i%35 == 0)
	}
	return rec
}

// closeAll closes every running term of rec on day, as the engine does when the appeal
// leaves consideration; its requests were answered by their legal date, or a day after it
// when lateRequest.
func closeAll(rec *workflow.Record, day deadline.Date, lateRequest bool) {
	d := &rec.Deadlines
	for _, l := range []*workflow.Limit{&d.Registration, &d.Competence, &d.Notice, &d.Consideration} {
		if l.Running() {
			l.Closed = day
		}
	}
	for k := range rec.Requests {
		q := &rec.Requests[k]
		q.Closed = day
		switch {
		case lateRequest && q.Due.Legal.Before(day):
			q.Closed = q.Due.Legal.AddDays(1)
		case q.Due.Legal.Before(day):
			q.Closed = q.Due.Legal
		}
		q.AnsweredAt = q.Closed.In(msk).Add(11 * time.Hour)
	}
	for k := range rec.Assignments {
		if rec.Assignments[k].Closed.IsZero() {
			rec.Assignments[k].Closed = day
		}
	}
}
