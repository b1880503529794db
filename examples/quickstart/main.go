// Command quickstart is the first program to run: the whole story of one citizen's appeal on
// the workflow engine, in memory. A complaint arrives through the internet reception, is
// registered and classified, the manager gives a resolution, the executor reports, the term is
// extended once, the answer is approved and sent, the applicant checks the status and leaves
// feedback. It prints each step, the timeline and the notices sent.
//
//	go run ./examples/quickstart           # the story
//	go run ./examples/quickstart -diagram  # the lifecycle as a Mermaid diagram (README's copy)
//	go run ./examples/quickstart -version  # the library's version
//
// It takes no arguments; -h prints this usage on standard output. Exit status: 0 on success,
// 1 when the story fails, 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/fz59/appeals/workflow/memstore"
)

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr)) }

// cli runs the program with its arguments and returns the exit status.
func cli(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	diagram := fs.Bool("diagram", false, "print the lifecycle as a Mermaid state diagram and exit")
	version := fs.Bool("version", false, "print the library's version and exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: quickstart [-diagram | -version]")
		fs.PrintDefaults()
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--h" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "quickstart: takes no arguments")
		return 2
	}
	switch {
	case *version:
		fmt.Fprintln(stdout, "quickstart", appeal.Version)
	case *diagram:
		fmt.Fprint(stdout, "```mermaid\n"+appeal.Diagram()+"```\n")
	default:
		if err := run(stdout, time.Now()); err != nil {
			fmt.Fprintln(stderr, "quickstart:", err)
			return 1
		}
	}
	return 0
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
	store := memstore.New(memstore.Options{})
	eng, err := workflow.New(store, workflow.Options{
		Clock: func() time.Time { return clock },
		Org:   workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"},
	})
	if err != nil {
		return err
	}

	// The internet reception's form, as the browser posts it; the site's ЕСИА session says the
	// applicant was identified (art. 4 p.1 as amended by 547-ФЗ).
	form := intake.DecodeForm(url.Values{
		"surname": {"Иванова"}, "given_name": {"Мария"}, "patronymic": {"Петровна"},
		"email": {"maria@example.ru"}, "answer_channel": {"email"}, "kind": {"complaint"},
		"text":  {"Во дворе дома 5 по улице Ленина третий месяц не вывозят мусор."},
		"token": {"quickstart-form-token-0001"},
	})
	form.Identified = true
	fmt.Fprintln(w, "1. A citizen sends a complaint through the internet reception.")
	draft, err := intake.FromForm(form, appeal.ChannelWebForm, intake.Limits{}, now)
	if err != nil {
		fmt.Fprintln(w, "   the form is refused:", err)
		fmt.Fprintln(w, "   the citizen ticks the consent to personal-data processing and sends again")
		form.Consent = true
		if draft, err = intake.FromForm(form, appeal.ChannelWebForm, intake.Limits{}, now); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "   the card is valid (59-FZ art. 7)")
	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: draft.Appeal, IntakeKey: draft.IntakeKey})
	if err != nil {
		return err
	}
	id := rec.Appeal.ID
	// A double click posts the same form again: a new draft, the same form token.
	if again, err := intake.FromForm(form, appeal.ChannelWebForm, intake.Limits{}, now); err == nil {
		if _, err := eng.Receive(ctx, clerk, workflow.Intake{Card: again.Appeal, IntakeKey: again.IntakeKey}); errors.Is(err, workflow.ErrDuplicate) {
			fmt.Fprintln(w, "   a double click sends the form again: still one appeal")
		}
	}

	var (
		pin  string // shown once to the applicant; only its hash is stored
		note string // what a step adds to its line
	)
	steps := []struct {
		what  string
		after time.Duration // the clock moves on before the step
		do    func() (*workflow.Record, error)
	}{
		{"the next morning the Monitor reminds the registry office of the 3-day registration term", 16 * time.Hour, func() (*workflow.Record, error) {
			if _, err := eng.Monitor(ctx, clock); err != nil {
				return nil, err
			}
			ns := store.Notifications(id)
			note = fmt.Sprintf("   → %s: %s", ns[len(ns)-1].To.Staff, ns[len(ns)-1].Subject)
			return eng.Get(ctx, clerk, id)
		}},
		{"the clerk registers it; the number and a PIN go to the applicant in one letter", 2 * time.Hour, func() (*workflow.Record, error) {
			r, err := eng.Register(ctx, clerk, id, workflow.RegisterInput{IssuePIN: true})
			pin = r.PIN
			return r.Record, err
		}},
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
			before := rec.Assignments[0].Due
			r, err := eng.Extend(ctx, head, id, workflow.ExtensionInput{Days: 20,
				Reason: "запрошены документы в управляющей компании", ApprovedBy: head.ID})
			if err == nil {
				note = fmt.Sprintf("   the executor's assignment moves with it: due %s → %s", before, r.Assignments[0].Due)
			}
			return r, err
		}},
		{"the executor reports", 10 * 24 * time.Hour, func() (*workflow.Record, error) {
			return eng.Report(ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Вывоз мусора восстановлен, график согласован"})
		}},
		{"and drafts the answer", time.Hour, func() (*workflow.Record, error) {
			return eng.DraftAnswer(ctx, executor, id, workflow.AnswerInput{Text: "Сообщаем, что вывоз мусора восстановлен."})
		}},
		{"the question is supported, measures taken", 0, func() (*workflow.Record, error) {
			return eng.SetResult(ctx, executor, id, question, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
		}},
		{"the manager approves and signs it", 24 * time.Hour, func() (*workflow.Record, error) { return eng.Approve(ctx, head, id) }},
		{"the answer goes to the applicant", time.Hour, func() (*workflow.Record, error) {
			return eng.Send(ctx, clerk, id, workflow.SendInput{Number: "исх-" + id.String()[:4]})
		}},
	}
	for i, s := range steps {
		clock = clock.Add(s.after)
		from := rec.Appeal.State
		if rec, err = s.do(); err != nil {
			return err
		}
		fmt.Fprintf(w, "%d. %s: %s → %s\n", i+2, s.what, from, rec.Appeal.State)
		if note != "" {
			fmt.Fprintln(w, note)
			note = ""
		}
	}
	d := rec.Deadlines.Consideration
	fmt.Fprintf(w, "   number %s, registered %s, due %s, extended by %d days to %s\n",
		rec.Appeal.Number, d.From, d.Nominal.AddDays(-d.ExtendedBy), d.ExtendedBy, d.Legal)

	if _, err := eng.StatusByPIN(ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: "AAAA-AAAA-AAAA", Client: "198.51.100.9"}); err != nil {
		fmt.Fprintf(w, "%d. someone tries a guessed PIN at night: %v\n", len(steps)+2, err)
	}
	st, err := eng.StatusByPIN(ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin, Client: "203.0.113.7"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d. the applicant checks the status with number and PIN: «%s»; %s: %s, measures taken: %t\n", len(steps)+3,
		st.Stage, st.Questions[0].Code, st.Questions[0].Label, st.Questions[0].MeasuresTaken)
	clock = clock.Add(2 * 24 * time.Hour)
	// The survey page authenticates the applicant the same way.
	applicant, err := eng.Lookup(ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin, Client: "203.0.113.7"})
	if err != nil {
		return err
	}
	if _, err := eng.Feedback(ctx, applicant, id, workflow.FeedbackInput{Result: appeal.Satisfied, Measures: appeal.Satisfied}); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d. and leaves feedback: satisfied with the result and the measures\n", len(steps)+4)
	if rec, err = eng.Close(ctx, clerk, id); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d. the appeal is closed and filed: answered → %s\n", len(steps)+5, rec.Appeal.State)
	if _, err := eng.Withdraw(ctx, applicant, id, ""); err != nil {
		fmt.Fprintln(w, "   a late withdrawal is refused:", err)
	}

	if err := byEmail(ctx, w, eng, clock); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nTimeline (the audit trail):")
	history, err := eng.History(ctx, clerk, id)
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
		to := string(n.To.Role) + " by " + string(n.To.Channel)
		if n.To.Staff != "" {
			to = n.To.Staff
		}
		fmt.Fprintf(w, "  → %-20s %s\n", to, n.Subject)
		return nil
	})
	_, err = workflow.NewDispatcher(store, notifier, workflow.DispatcherOptions{Clock: func() time.Time { return clock }}).RunOnce(ctx)
	return err
}

// letter is an appeal that came to the organization's mailbox, as the mail server keeps it.
const letter = "From: =?utf-8?B?0J/QtdGC0YDQvtCyINCf0ZHRgtGAINCY0LLQsNC90L7QstC40Yc=?= <petrov@example.ru>\r\n" +
	"To: reception@city-n.example\r\n" +
	"Subject: =?utf-8?Q?=D0=A4=D0=BE=D0=BD=D0=B0=D1=80=D1=8C?=\r\n" +
	"Message-ID: <quickstart-0001@example.ru>\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
	"=D0=9D=D0=B5 =D0=B3=D0=BE=D1=80=D0=B8=D1=82 =D1=84=D0=BE=D0=BD=D0=B0=D1=80=D1=8C =D1=83 =D0=B4=D0=BE=D0=BC=D0=B0 3.\r\n"

// byEmail is the e-mail path: the letter becomes a draft card; a public body may no longer
// register e-mail as an appeal (art. 4 p.1 as amended by 547-ФЗ, from 30.03.2025), an
// organization outside that rule (Organization.AcceptEmail) does. The body refuses its
// registration, and the sender learns how to file.
func byEmail(ctx context.Context, w io.Writer, eng *workflow.Engine, now time.Time) error {
	fmt.Fprintln(w, "\nAnother appeal arrives by e-mail:")
	d, err := intake.ParseEmail(ctx, strings.NewReader(letter), intake.Limits{}, nil, now)
	if err != nil {
		return err
	}
	p := d.Appeal.Applicants[0]
	fmt.Fprintf(w, "   from %s %s %s, «%s»: %s\n", p.Surname, p.GivenName, p.Patronymic, d.Appeal.Summary, d.Appeal.Text)
	d.Appeal.Kind = appeal.Statement // the clerk reads it and sets the kind
	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: d.Appeal, IntakeKey: d.IntakeKey})
	if err != nil {
		return err
	}
	if _, err := eng.Register(ctx, clerk, rec.Appeal.ID, workflow.RegisterInput{}); err != nil {
		fmt.Fprintln(w, "   the city administration cannot register it:", err)
		fmt.Fprintln(w, "   (an organization outside that rule sets Organization.AcceptEmail and registers it)")
	}
	rec, err = eng.RefuseRegistration(ctx, clerk, rec.Appeal.ID, workflow.RefusalInput{Reason: workflow.RefusalChannel, Notify: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   so the clerk refuses its registration (%s) and the sender is told how to file: received → %s\n",
		workflow.RefusalChannel.Label(), rec.Appeal.State)
	return nil
}
