package workflow_test

import (
	"context"
	"fmt"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
)

// An appeal from receipt to the answer on memstore, with a fixed clock, and the outbox
// delivered by a dispatcher.
func Example() {
	ctx := context.Background()
	msk := time.FixedZone("MSK", 3*60*60)
	now := time.Date(2025, time.November, 10, 9, 0, 0, 0, msk)
	store := memstore.New(memstore.Options{})
	eng, err := workflow.New(store, workflow.Options{
		Clock: func() time.Time { return now },
		Org:   workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"},
	})
	if err != nil {
		panic(err)
	}
	clerk := workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	head := workflow.Actor{ID: "head-1", Roles: []workflow.Role{workflow.RoleManager}}
	exec := workflow.Actor{ID: "exec-1", Roles: []workflow.Role{workflow.RoleExecutor}}

	card := appeal.New(uuid.Nil, now, appeal.ChannelWebForm) // the engine gives it an id
	card.Kind, card.Identified, card.Text = appeal.Complaint, true, "Не вывозят мусор."
	card.Applicants = []appeal.Applicant{{Surname: "Иванова", GivenName: "Мария", Email: "m@example.ru", Consent: true}}

	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: card})
	if err != nil {
		panic(err)
	}
	id := rec.Appeal.ID
	steps := []func() (*workflow.Record, error){
		func() (*workflow.Record, error) {
			r, err := eng.Register(ctx, clerk, id, workflow.RegisterInput{})
			return r.Record, err
		},
		func() (*workflow.Record, error) { return eng.Classify(ctx, clerk, id, []string{"0005.0005.0056.1147"}) },
		func() (*workflow.Record, error) {
			return eng.Resolve(ctx, head, id, workflow.ResolutionInput{Text: "Проверить",
				Assignments: []workflow.AssignmentInput{{Executor: "exec-1", Task: "Проверить вывоз"}}})
		},
		func() (*workflow.Record, error) {
			return eng.Report(ctx, exec, id, workflow.ReportInput{Assignment: "1", Text: "Вывоз восстановлен"})
		},
		func() (*workflow.Record, error) {
			return eng.DraftAnswer(ctx, exec, id, workflow.AnswerInput{Text: "Вывоз мусора восстановлен."})
		},
		func() (*workflow.Record, error) {
			return eng.SetResult(ctx, exec, id, "0005.0005.0056.1147", workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
		},
		func() (*workflow.Record, error) { return eng.Approve(ctx, head, id) },
		func() (*workflow.Record, error) {
			return eng.Send(ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
		},
	}
	for _, step := range steps {
		if rec, err = step(); err != nil {
			panic(err)
		}
	}
	fmt.Println(rec.Appeal.Number, rec.Appeal.State, "due", rec.Deadlines.Consideration.Legal)

	history, _ := eng.History(ctx, clerk, id)
	for _, ev := range history {
		fmt.Printf("%-8s %s → %s\n", ev.Command, ev.From, ev.To)
	}
	d := workflow.NewDispatcher(store, workflow.NotifierFunc(func(_ context.Context, n workflow.Notification) error {
		fmt.Println("notice:", n.Subject)
		return nil
	}), workflow.DispatcherOptions{Clock: func() time.Time { return now }})
	if _, err := d.RunOnce(ctx); err != nil {
		panic(err)
	}
	// Output:
	// Ж-2025-000001 answered due 2025-12-10
	// receive  received → received
	// register received → registered
	// classify registered → registered
	// resolve  registered → in_execution
	// report   in_execution → in_execution
	// draft    in_execution → answer_drafting
	// result   answer_drafting → answer_drafting
	// approve  answer_drafting → answer_approved
	// send     answer_approved → answered
	// notice: Ваше обращение зарегистрировано под № Ж-2025-000001
	// notice: Поручение по обращению № Ж-2025-000001
	// notice: Ответ на обращение № Ж-2025-000001
}
