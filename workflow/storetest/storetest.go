package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// Run runs the conformance suite against the stores newStore returns. Each subtest calls
// newStore once and needs an empty store; it uses only the workflow.Store interface (and
// workflow.Counter when the store has it). Subtests do not run in parallel, so adapters may
// share one database and empty it in newStore. The whole suite stores a few hundred records.
func Run(t *testing.T, newStore func(t *testing.T) workflow.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s workflow.Store)
	}{
		{"CreateGet", testCreateGet},
		{"CreateExists", testCreateExists},
		{"CreateDuplicateIntake", testCreateDuplicateIntake},
		{"CreateEmptyIntakeKeys", testCreateEmptyIntakeKeys},
		{"GetNotFound", testGetNotFound},
		{"Save", testSave},
		{"SaveConflict", testSaveConflict},
		{"SaveNotFound", testSaveNotFound},
		{"NoAliasing", testNoAliasing},
		{"History", testHistory},
		{"List", testList},
		{"ListReindexOnSave", testListReindexOnSave},
		{"ListRandom", testListRandom},
		{"ListOrder", testListOrder},
		{"ListPaging", testListPaging},
		{"ListEarlyBreak", testListEarlyBreak},
		{"ListWriteWhileIterating", testListWriteWhileIterating},
		{"Numbers", testNumbers},
		{"NumberNoHoles", testNumberNoHoles},
		{"NumberRace", testNumberRace},
		{"NumbersConcurrent", testNumbersConcurrent},
		{"ClaimDueOnly", testClaimDueOnly},
		{"ClaimOldestFirst", testClaimOldestFirst},
		{"ClaimLease", testClaimLease},
		{"ClaimAfterUpdate", testClaimAfterUpdate},
		{"ClaimConcurrent", testClaimConcurrent},
		{"UpdateNotificationNotFound", testUpdateNotificationNotFound},
		{"RaceOneShot", testRaceOneShot},
		{"RaceRetry", testRaceRetry},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// t0 is the suite's reference moment: whole seconds in UTC, so records survive any
// serialization unchanged.
var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// day0 is t0's day.
var day0 = deadline.NewDate(2025, time.March, 3)

// spec describes a record to build; zero fields stay unset.
type spec struct {
	state       appeal.State // StateReceived when empty
	number      string
	registered  deadline.Date // the consideration deadline's start
	due         deadline.Date // the running deadline's legal date
	responsible string
	executors   []string
	codes       []string
	applicant   appeal.Applicant
	intake      string
	request     bool // an inter-agency request sent at registration, unanswered
}

// Fake applicants: the suite's only personal data, invented.
var (
	ivanov   = appeal.Applicant{Surname: "Иванов", GivenName: "Иван", Patronymic: "Иванович", Email: "ivanov@example.org", PostalAddress: "г. Пермь, ул. Ленина, д. 1"}
	petrova  = appeal.Applicant{Surname: "Петрова", GivenName: "Алёна", Email: "petrova@example.org"}
	sidorov  = appeal.Applicant{Surname: "Сидоров", GivenName: "Пётр", Phone: "+7 900 000-00-00"}
	romashka = appeal.Applicant{Kind: appeal.Organization, OrganizationName: "ООО «Ромашка»", Email: "info@example.org"}
)

func newID(t *testing.T) uuid.UUID {
	t.Helper()
	id, err := uuid.NewV7()
	require.NoError(t, err)
	return id
}

// newIDs returns n fresh ids in ascending order.
func newIDs(t *testing.T, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = newID(t)
	}
	slices.SortFunc(ids, compareIDs)
	return ids
}

func compareIDs(a, b uuid.UUID) int { return strings.Compare(string(a[:]), string(b[:])) }

// build returns a full record with id as sp describes: a card with questions and an
// applicant, deadlines, and, with executors, a resolution and assignments.
func build(id uuid.UUID, sp spec) *workflow.Record {
	a := appeal.New(id, t0, appeal.ChannelWebForm)
	a.Kind = appeal.Complaint
	a.Identified = true
	a.Summary = "О ремонте дороги"
	a.Text = "Прошу отремонтировать дорогу."
	a.Applicants = []appeal.Applicant{sp.applicant}
	a.Attachments = []appeal.Attachment{{Name: "photo.jpg", MediaType: "image/jpeg", Size: 1024, Ref: "blob/1"}}
	a.Responsible = sp.responsible
	a.Number = sp.number
	if sp.state != "" {
		a.State = sp.state
	}
	for _, c := range sp.codes {
		a.Questions = append(a.Questions, appeal.Question{Code: c, Status: appeal.StatusInWork})
	}
	rec := &workflow.Record{
		Appeal:    a,
		IntakeKey: sp.intake,
		Series:    "ОГ",
		Deadlines: workflow.Deadlines{Registration: limit(deadline.Registration, day0, 3, 0)},
		Access:    &workflow.Access{PINHash: []byte{1, 2, 3, 4}, Salt: []byte{5, 6}},
		Reminders: []string{"registration:1d"},
	}
	d := &rec.Deadlines
	if !sp.registered.IsZero() {
		a.RegisteredAt = sp.registered.In(time.UTC).Add(10 * time.Hour)
		d.Registration.Closed = sp.registered
		d.Consideration = limit(deadline.Consideration, sp.registered, 30, 2)
		if a.State == appeal.StateRegistered {
			d.Competence = limit(deadline.Forwarding, sp.registered, 7, 0)
		}
	}
	if !sp.due.IsZero() {
		l := &d.Consideration
		if a.State == appeal.StateReceived {
			l = &d.Registration
		}
		l.Nominal, l.Legal, l.Control = sp.due, sp.due, sp.due.AddDays(-(l.Legal.DaysSince(l.Control)))
	}
	if len(sp.executors) > 0 {
		rec.Resolution = &workflow.Resolution{By: sp.responsible, At: t0.Add(time.Hour), Text: "Рассмотреть", Assignees: slices.Clone(sp.executors)}
	}
	for i, ex := range sp.executors {
		rec.Assignments = append(rec.Assignments, workflow.Assignment{
			ID: string(rune('a' + i)), Executor: ex, CoExecutor: i > 0, Task: "Подготовить ответ", From: sp.registered, Due: sp.due.AddDays(-5),
		})
	}
	if sp.request {
		due := dl(deadline.InterAgencyRequest, sp.registered, 15)
		rec.Requests = []workflow.InterAgencyRequest{{ID: "1", Body: "Роспотребнадзор", By: sp.responsible, SentAt: a.RegisteredAt, Due: due}}
	}
	if !openState(a.State) { // out of consideration: nothing runs
		closed := day0.AddDays(40)
		for _, l := range []*workflow.Limit{&d.Registration, &d.Competence, &d.Notice, &d.Consideration} {
			if l.Running() {
				l.Closed = closed
			}
		}
		for i := range rec.Assignments {
			rec.Assignments[i].Closed = closed
		}
	}
	return rec
}

// openState reports whether terms run in state s.
func openState(s appeal.State) bool {
	switch s {
	case appeal.StateReceived, appeal.StateRegistered, appeal.StateUnderReview, appeal.StateInExecution,
		appeal.StateAnswerDrafting, appeal.StateAnswerApproved:
		return true
	}
	return false
}

// limit is a running limit of rule from the day, with its control date early days before the
// legal one.
func limit(rule deadline.Rule, from deadline.Date, days, early int) workflow.Limit {
	l := workflow.Limit{Deadline: dl(rule, from, days)}
	l.Control = l.Legal.AddDays(-early)
	return l
}

func dl(rule deadline.Rule, from deadline.Date, days int) deadline.Deadline {
	end := from.AddDays(days)
	return deadline.Deadline{Rule: rule, From: from, Days: days, Nominal: end, Legal: end, Control: end}
}

// event returns an event of the appeal; reason tells events apart.
func event(id uuid.UUID, command, reason string) workflow.Event {
	return workflow.Event{
		AppealID: id, At: t0.Add(time.Minute), Actor: "clerk-1", Command: workflow.Command(command),
		From: appeal.StateReceived, To: appeal.StateRegistered, Reason: reason,
		Changed: []string{"state", "number"},
		Public:  &workflow.PublicNote{Stage: "Зарегистрировано", Planned: day0.AddDays(30), Detail: reason},
	}
}

// note returns a pending notification of the appeal, created (and due) at created.
func note(t *testing.T, appealID uuid.UUID, kind string, created time.Time) workflow.Notification {
	t.Helper()
	return workflow.Notification{
		ID: newID(t), AppealID: appealID, Kind: workflow.NoticeKind(kind),
		To:      workflow.Recipient{Role: "applicant", Channel: "email", Address: "ivanov@example.org"},
		Subject: "Обращение зарегистрировано", Body: "Ваше обращение зарегистрировано.",
		CreatedAt: created, Status: workflow.NotificationPending, NextAttempt: created,
	}
}

// create stores a record built from sp with one event and no notification.
func create(t *testing.T, s workflow.Store, id uuid.UUID, sp spec) *workflow.Record {
	t.Helper()
	rec := build(id, sp)
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec, Events: []workflow.Event{event(id, "receive", "")}}))
	return rec
}

// utcEvents returns evs with At in UTC, for comparison across backends.
func utcEvents(evs []workflow.Event) []workflow.Event {
	out := slices.Clone(evs)
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out
}

// drain claims every claimable notification far in the future and returns their ids.
func drain(t *testing.T, s workflow.Store) []uuid.UUID {
	t.Helper()
	ns, err := s.ClaimNotifications(t.Context(), t0.AddDate(10, 0, 0), 1000, time.Hour)
	require.NoError(t, err)
	ids := make([]uuid.UUID, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	return ids
}
