// Command quickstart is the first program to run: it builds an appeal card, validates it and
// walks it through its lifecycle, printing each step.
//
//	go run ./examples/quickstart           # the story
//	go run ./examples/quickstart -diagram  # the lifecycle as a Mermaid diagram (README's copy)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/fz59/appeals/appeal"
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

func run(w io.Writer, now time.Time) error {
	id, err := appeal.NewID()
	if err != nil {
		return err
	}
	a := appeal.New(id, now, appeal.ChannelWebForm)
	a.Kind = appeal.Complaint
	a.Identified = true
	a.Text = "Во дворе дома 5 по улице Ленина третий месяц не вывозят мусор."
	a.Applicants = []appeal.Applicant{{
		Surname: "Иванова", GivenName: "Мария", Patronymic: "Петровна",
		Email: "maria@example.ru", AnswerChannel: appeal.AnswerByEmail,
	}}
	a.Questions = []appeal.Question{{Code: "0005.0005.0056.1147"}}

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

	steps := []struct {
		ev   appeal.Event
		what string
	}{
		{appeal.EventRegister, "the clerk registers it"},
		{appeal.EventSubmit, "and passes it to the manager"},
		{appeal.EventResolve, "the manager gives a resolution to an executor"},
		{appeal.EventDraftAnswer, "the executor drafts the answer"},
		{appeal.EventApprove, "the manager approves and signs it"},
		{appeal.EventSend, "the answer goes to the applicant"},
		{appeal.EventClose, "the appeal is closed and filed"},
	}
	for i, s := range steps {
		if s.ev == appeal.EventRegister {
			a.Number, a.RegisteredAt = "Ж-"+now.Format("2006")+"-000001", now
			a.Questions[0].Status = appeal.StatusInWork
		}
		if s.ev == appeal.EventSend {
			a.Questions[0].Status = appeal.StatusSupported
			a.Questions[0].MeasuresTaken = true
		}
		from := a.State
		if err := a.Apply(s.ev); err != nil {
			return err
		}
		fmt.Fprintf(w, "%d. %s: %s → %s\n", i+2, s.what, from, a.State)
	}
	fmt.Fprintf(w, "   question %s: %s, measures taken\n", a.Questions[0].Code, a.Questions[0].Status.Label())
	if err := a.Apply(appeal.EventWithdraw); err != nil {
		fmt.Fprintln(w, "9. a late withdrawal is refused:", err)
	}
	return nil
}
