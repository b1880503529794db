package appeal_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/google/uuid"
)

// A paper complaint by post: build the card and check its art. 7 requisites.
func ExampleValidate() {
	id := uuid.MustParse("019a0000-0000-7000-8000-000000000001")
	a := appeal.New(id, time.Date(2025, 12, 2, 10, 0, 0, 0, time.UTC), appeal.ChannelPost)
	a.Kind = appeal.Complaint
	a.Text = "Прошу отремонтировать крышу дома."
	a.Applicants = []appeal.Applicant{{Surname: "Иванов", GivenName: "Иван"}}
	a.Questions = []appeal.Question{{Code: "0005.0005.0055.1122"}}

	err := appeal.Validate(a, appeal.ValidateOptions{})
	var ve *appeal.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// addressee: art. 7 p.1: addressee
	// applicants[0].postalAddress: art. 7 p.1: postal address
	// signed: art. 7 p.1: personal signature
	// dated: art. 7 p.1: date of the appeal
}

// The lifecycle: each event moves the card on, or is refused with a *TransitionError.
func ExampleAppeal_Apply() {
	a := appeal.New(uuid.Nil, time.Now(), appeal.ChannelEPGU)
	for _, ev := range []appeal.Action{appeal.ActionRegister, appeal.ActionSubmit, appeal.ActionResolve,
		appeal.ActionDraftAnswer, appeal.ActionApprove, appeal.ActionSend, appeal.ActionClose} {
		from := a.State
		if err := a.Apply(ev); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-13s %s → %s\n", ev, from, a.State)
	}
	fmt.Println(a.Apply(appeal.ActionForward))
	fmt.Println(appeal.Allowed(appeal.StateRegistered))
	// Output:
	// register      received → registered
	// submit        registered → under_review
	// resolve       under_review → in_execution
	// draft_answer  in_execution → answer_drafting
	// approve       answer_drafting → answer_approved
	// send          answer_approved → answered
	// close         answered → closed
	// appeal: forward in state closed: the appeal is closed
	// [submit forward leave_without_answer return withdraw]
}
