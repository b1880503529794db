package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
)

// The staff of the examples.
var (
	exClerk = workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	exHead  = workflow.Actor{ID: "head-1", Roles: []workflow.Role{workflow.RoleManager}}
)

// exampleEngine is an engine on memstore whose clock reads *now (Monday 10.11.2025 to start).
func exampleEngine(now *time.Time, tune ...func(*workflow.Options)) (*workflow.Engine, *memstore.Store) {
	msk := time.FixedZone("MSK", 3*60*60)
	*now = time.Date(2025, time.November, 10, 9, 0, 0, 0, msk)
	store := memstore.New(memstore.Options{})
	opt := workflow.Options{Clock: func() time.Time { return *now },
		Org: workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"}}
	for _, fn := range tune {
		fn(&opt)
	}
	eng, err := workflow.New(store, opt)
	if err != nil {
		panic(err)
	}
	return eng, store
}

// registeredAppeal files a web-form complaint, registers and classifies it.
func registeredAppeal(eng *workflow.Engine, now time.Time) uuid.UUID {
	ctx := context.Background()
	card := appeal.New(uuid.Nil, now, appeal.ChannelWebForm)
	card.Kind, card.Identified, card.Text = appeal.Complaint, true, "Не выплачивают зарплату третий месяц."
	card.Applicants = []appeal.Applicant{{Surname: "Иванова", GivenName: "Мария", Email: "m@example.ru", Consent: true}}
	rec, err := eng.Receive(ctx, exClerk, workflow.Intake{Card: card})
	if err != nil {
		panic(err)
	}
	if _, err := eng.Register(ctx, exClerk, rec.Appeal.ID, workflow.RegisterInput{}); err != nil {
		panic(err)
	}
	if _, err := eng.Classify(ctx, exClerk, rec.Appeal.ID, []string{"0002.0006.0065.0257"}); err != nil {
		panic(err)
	}
	return rec.Appeal.ID
}

// Forwarding by competence (art. 8 p.3): the appeal goes to the labour inspectorate, the
// applicant is told, and the competence decision's 7-day term closes on time.
func ExampleEngine_Forward() {
	var now time.Time
	eng, store := exampleEngine(&now)
	id := registeredAppeal(eng, now)
	now = now.Add(48 * time.Hour)
	rec, err := eng.Forward(context.Background(), exClerk, id, workflow.ForwardInput{
		To: []workflow.Target{{Body: "Государственная инспекция труда", Number: "исх-17"}}})
	if err != nil {
		panic(err)
	}
	notices := store.Notifications(id)
	fmt.Println(rec.Appeal.State, rec.Appeal.Questions[0].Status)
	fmt.Println(rec.Deadlines.Competence.Legal, "closed", rec.Deadlines.Competence.Closed)
	fmt.Println(notices[len(notices)-1].Subject)
	// Output:
	// forwarded Transferred
	// 2025-11-17 closed 2025-11-12
	// Ваше обращение № Ж-2025-000001 направлено по компетенции
}

// An extension (art. 12 p.2) while the term runs: 30 days more from the legal date, with a
// reason and the approver; the executor's assignment moves with it (10.12 + 30 days falls in
// the New Year holidays, so to the last working day before them).
func ExampleEngine_Extend() {
	var now time.Time
	eng, _ := exampleEngine(&now)
	ctx := context.Background()
	id := registeredAppeal(eng, now)
	_, err := eng.Resolve(ctx, exHead, id, workflow.ResolutionInput{Text: "Проверить",
		Assignments: []workflow.AssignmentInput{{Executor: "exec-1", Task: "Запросить сведения у работодателя"}}})
	if err != nil {
		panic(err)
	}
	now = now.Add(20 * 24 * time.Hour)
	rec, err := eng.Extend(ctx, exHead, id, workflow.ExtensionInput{Days: 30,
		Reason: "направлен запрос в Гострудинспекцию", ApprovedBy: exHead.ID})
	if err != nil {
		panic(err)
	}
	fmt.Println("consideration due", rec.Deadlines.Consideration.Legal, "extended by", rec.Deadlines.Consideration.ExtendedBy)
	fmt.Println("assignment due", rec.Assignments[0].Due)

	now = now.Add(50 * 24 * time.Hour) // after the new legal date: too late, and nothing hides it
	_, err = eng.Extend(ctx, exHead, id, workflow.ExtensionInput{Days: 5, Reason: "ещё", ApprovedBy: exHead.ID})
	fmt.Println(errors.Is(err, workflow.ErrExpired))
	// Output:
	// consideration due 2026-01-12 extended by 30
	// assignment due 2025-12-30
	// true
}

// An art. 11 outcome: the text cannot be read (p.4), so no answer is given and the applicant is
// told within 7 days of registration.
func ExampleEngine_Decide() {
	var now time.Time
	eng, store := exampleEngine(&now)
	id := registeredAppeal(eng, now)
	rec, err := eng.Decide(context.Background(), exHead, id, workflow.OutcomeInput{Ground: workflow.GroundUnreadable})
	if err != nil {
		panic(err)
	}
	n := store.Notifications(id)
	fmt.Println(rec.Appeal.State, rec.Deadlines.Notice.Legal)
	fmt.Println(n[len(n)-1].Subject)
	// Output:
	// left_without_answer 2025-11-17
	// Обращение № Ж-2025-000001 оставлено без ответа по существу
}

// What arrived is not an appeal a public body may take (an e-mail since 547-ФЗ): the clerk
// refuses its registration, and the sender learns how to file.
func ExampleEngine_RefuseRegistration() {
	var now time.Time
	eng, store := exampleEngine(&now)
	ctx := context.Background()
	card := appeal.New(uuid.Nil, now, appeal.ChannelEmail)
	card.Kind, card.Text = appeal.Statement, "Не горит фонарь."
	card.Applicants = []appeal.Applicant{{Surname: "Петров", GivenName: "Пётр", Email: "p@example.ru"}}
	rec, err := eng.Receive(ctx, exClerk, workflow.Intake{Card: card})
	if err != nil {
		panic(err)
	}
	_, err = eng.Register(ctx, exClerk, rec.Appeal.ID, workflow.RegisterInput{})
	fmt.Println(errors.Is(err, appeal.ErrInvalid))
	rec, err = eng.RefuseRegistration(ctx, exClerk, rec.Appeal.ID, workflow.RefusalInput{Reason: workflow.RefusalChannel, Notify: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(rec.Appeal.State, store.Notifications(rec.Appeal.ID)[0].Kind)
	// Output:
	// true
	// refused refusal
}

// The morning worklist: every running term of each appeal with its status.
func ExampleEngine_Worklist() {
	var now time.Time
	eng, _ := exampleEngine(&now)
	registeredAppeal(eng, now)
	items, err := eng.Worklist(context.Background(), exClerk, workflow.Filter{}, now.Add(5*24*time.Hour))
	if err != nil {
		panic(err)
	}
	for _, it := range items {
		fmt.Println(it.Record.Appeal.Number, it.Status)
		for _, ts := range it.Terms {
			fmt.Printf("  %-13s %s %s (%s)\n", ts.Term.Kind, ts.Term.Deadline.Legal, ts.Status, ts.Term.Article)
		}
	}
	// Output:
	// Ж-2025-000001 due-soon
	//   competence    2025-11-17 due-soon (ст. 8 ч. 3)
	//   consideration 2025-12-10 on-time (ст. 12 ч. 1)
}

// A host's own wording of a notice: parse it with NoticeFuncs and pass it in Options.Templates;
// the defaults stay for the templates it does not define.
func ExampleOptions_templates() {
	host := template.Must(template.New("").Funcs(workflow.NoticeFuncs()).Parse(
		`{{define "registration.subject"}}Обращение {{.Number}} принято к рассмотрению до {{date .Planned}}{{end}}`))
	var now time.Time
	eng, store := exampleEngine(&now, func(o *workflow.Options) { o.Templates = host })
	id := registeredAppeal(eng, now)
	n := store.Notifications(id)[0]
	fmt.Println(n.Subject)
	fmt.Println(strings.SplitN(n.Body, "\n", 2)[0])
	// Output:
	// Обращение Ж-2025-000001 принято к рассмотрению до 10.12.2025
	// Уважаемый(ая) Мария!
}

// officeHours is a host's Authorizer: the default role model, and no commands at night.
type officeHours struct {
	roles workflow.RoleAuthorizer
	now   func() time.Time
}

func (a officeHours) Authorize(ctx context.Context, actor workflow.Actor, cmd workflow.Command, rec *workflow.Record) error {
	if h := a.now().Hour(); cmd != workflow.CmdRead && (h < 8 || h >= 20) {
		return errors.New("outside office hours")
	}
	return a.roles.Authorize(ctx, actor, cmd, rec)
}

// A custom Authorizer wraps the default role model with a rule of the host's own; a refusal
// comes back as a *DeniedError with the reason.
func ExampleAuthorizer() {
	var now time.Time
	eng, _ := exampleEngine(&now, func(o *workflow.Options) {
		o.Authorizer = officeHours{roles: workflow.DefaultAuthorizer(), now: o.Clock}
	})
	id := registeredAppeal(eng, now)
	now = now.Add(13 * time.Hour) // 22:00
	_, err := eng.AssignResponsible(context.Background(), exClerk, id, "exec-1")
	var de *workflow.DeniedError
	fmt.Println(errors.As(err, &de), de.Reason)
	// Output:
	// true outside office hours
}
