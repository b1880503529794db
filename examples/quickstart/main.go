// Command quickstart is the first program to run: the whole story of one citizen's appeal on
// the workflow engine, in memory. A complaint arrives through the internet reception, is
// registered and classified, the manager gives a resolution, the executor reports, the term is
// extended once, the answer is approved and sent, the applicant checks the status and leaves
// feedback. It prints each step, the timeline and the notices sent.
//
//	go run ./examples/quickstart           # the story
//	go run ./examples/quickstart -diagram  # the lifecycle as a Mermaid diagram (README's copy)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
)

func main() {
	diagram := flag.Bool("diagram", false, "print the lifecycle as a Mermaid state diagram and exit")
	flag.Parse()
	if *diagram {
		fmt.Print("```mermaid\n" + appeal.Diagram() + "```\n")
		return
	}
	if err := run(os.Stdout, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// The staff of the story.
var (
	clerk    = workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	head     = workflow.Actor{ID: "head-1", Roles: []workflow.Role{workflow.RoleManager}}
	executor = workflow.Actor{ID: "exec-1", Roles: []workflow.Role{workflow.RoleExecutor}}
)

const question = "0005.0005.0056.1147" // коммунально-бытовое хозяйство

// run tells the story from now on; the engine's clock moves on a few days between the steps.
func run(w io.Writer, now time.Time) error {
	ctx := context.Background()
	msk := time.FixedZone("MSK", 3*60*60)
	clock := now
	store := memstore.New()
	eng, err := workflow.New(store, workflow.Options{
		Clock: func() time.Time { return clock },
		Org:   workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"},
	})
	if err != nil {
		return err
	}

	cardID, err := appeal.NewID()
	if err != nil {
		return err
	}
	a := appeal.New(cardID, now, appeal.ChannelWebForm)
	a.Kind = appeal.Complaint
	a.Identified = true
	a.Text = "Во дворе дома 5 по улице Ленина третий месяц не вывозят мусор."
	a.Applicants = []appeal.Applicant{{
		Surname: "Иванова", GivenName: "Мария", Patronymic: "Петровна",
		Email: "maria@example.ru", AnswerChannel: appeal.AnswerByEmail,
	}}
	fmt.Fprintln(w, "1. A citizen sends a complaint through the internet reception.")
	if err := appeal.Validate(a, appeal.ValidateOptions{}); err != nil {
		fmt.Fprintln(w, "   validation found:", err)
		fmt.Fprintln(w, "   the form adds the missing consent to personal-data processing")
		a.Applicants[0].Consent = true
	}
	if err := appeal.Validate(a, appeal.ValidateOptions{}); err != nil {
		return err
	}
	fmt.Fprintln(w, "   the card is valid (59-FZ art. 7)")
	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: a})
	if err != nil {
		return err
	}
	id := rec.Appeal.ID

	steps := []struct {
		what  string
		after time.Duration // the clock moves on before the step
		do    func() (*workflow.Record, error)
	}{
		{"the clerk registers it", 2 * time.Hour, func() (*workflow.Record, error) { return eng.Register(ctx, clerk, id) }},
		{"and classifies its question", 0, func() (*workflow.Record, error) {
			return eng.Classify(ctx, clerk, id, []string{question})
		}},
		{"the manager gives a resolution to an executor", 24 * time.Hour, func() (*workflow.Record, error) {
			return eng.Resolve(ctx, head, id, workflow.ResolutionInput{Text: "Проверить и подготовить ответ",
				Assignments: []workflow.AssignmentInput{{Executor: executor.ID, Task: "Проверить вывоз мусора"}}})
		}},
		{"the executor asks the management company for documents", 3 * 24 * time.Hour, func() (*workflow.Record, error) {
			return eng.Request(ctx, executor, id, workflow.RequestInput{Body: "ООО «Управляющая компания»"})
		}},
		{"the manager extends the term once (art. 12 p.2)", 20 * 24 * time.Hour, func() (*workflow.Record, error) {
			return eng.Extend(ctx, head, id, workflow.ExtensionInput{Days: 20,
				Reason: "запрошены документы в управляющей компании", ApprovedBy: head.ID})
		}},
		{"the executor reports", 10 * 24 * time.Hour, func() (*workflow.Record, error) {
			return eng.Report(ctx, executor, id, "1", "Вывоз мусора восстановлен, график согласован")
		}},
		{"and drafts the answer", time.Hour, func() (*workflow.Record, error) {
			return eng.DraftAnswer(ctx, executor, id, workflow.AnswerInput{Text: "Сообщаем, что вывоз мусора восстановлен."})
		}},
		{"the question is supported, measures taken", 0, func() (*workflow.Record, error) {
			return eng.SetResult(ctx, executor, id, question, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
		}},
		{"the manager approves and signs it", 24 * time.Hour, func() (*workflow.Record, error) { return eng.Approve(ctx, head, id) }},
		{"the answer goes to the applicant", time.Hour, func() (*workflow.Record, error) {
			return eng.Send(ctx, clerk, id, "исх-"+id.String()[:4])
		}},
	}
	for i, s := range steps {
		clock = clock.Add(s.after)
		from := rec.Appeal.State
		if rec, err = s.do(); err != nil {
			return err
		}
		fmt.Fprintf(w, "%d. %s: %s → %s\n", i+2, s.what, from, rec.Appeal.State)
	}
	d := rec.Deadlines.Consideration
	fmt.Fprintf(w, "   number %s, registered %s, due %s, extended by %d days to %s\n",
		rec.Appeal.Number, d.From, d.Nominal.AddDays(-d.ExtendedBy), d.ExtendedBy, d.Legal)

	st, err := eng.PublicStatus(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d. the applicant checks the status: «%s»; %s: %s, measures taken: %t\n", len(steps)+2,
		st.Stage, st.Questions[0].Code, st.Questions[0].Label, st.Questions[0].MeasuresTaken)
	clock = clock.Add(2 * 24 * time.Hour)
	if _, err := eng.Feedback(ctx, workflow.ApplicantActor(), id, appeal.Satisfied, appeal.Satisfied); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d. and leaves feedback: satisfied with the result and the measures\n", len(steps)+3)
	if rec, err = eng.Close(ctx, clerk, id); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d. the appeal is closed and filed: answered → %s\n", len(steps)+4, rec.Appeal.State)
	if _, err := eng.Withdraw(ctx, workflow.ApplicantActor(), id, ""); err != nil {
		fmt.Fprintln(w, "   a late withdrawal is refused:", err)
	}

	fmt.Fprintln(w, "\nTimeline (the audit trail):")
	history, err := eng.History(ctx, id)
	if err != nil {
		return err
	}
	for _, ev := range history {
		fmt.Fprintf(w, "  %s  %-9s %-9s %s → %s\n", ev.At.In(msk).Format("02.01.2006 15:04"), ev.Actor, ev.Command, ev.From, ev.To)
	}
	fmt.Fprintln(w, "\nWhat the applicant sees:")
	for _, n := range st.Timeline {
		fmt.Fprintf(w, "  %s", n.Stage)
		if !n.Planned.IsZero() {
			fmt.Fprintf(w, ", ответ до %s", n.Planned)
		}
		if n.Detail != "" {
			fmt.Fprintf(w, " (%s)", n.Detail)
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintln(w, "\nNotices sent by the outbox dispatcher:")
	notifier := workflow.NotifierFunc(func(_ context.Context, n workflow.Notification) error {
		to := n.To.Role + " by " + n.To.Channel
		if n.To.Staff != "" {
			to = n.To.Staff
		}
		fmt.Fprintf(w, "  → %-20s %s\n", to, n.Subject)
		return nil
	})
	_, err = workflow.NewDispatcher(store, notifier, workflow.DispatcherOptions{Clock: func() time.Time { return clock }}).RunOnce(ctx)
	return err
}
