package workflow_test

import (
	"strings"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// pii is personal data as a hostile or careless user types it into every field.
const pii = "Пупкин Василий Петрович 8-999-555-44-33 vasya.pupkin@pii.example ул. Секретная д. 13 кв. 7"

// TestPersonalDataNeverLogged feeds personal data into every field of every command, valid
// and invalid, and checks that no log line and no error string repeats any of it.
func TestPersonalDataNeverLogged(t *testing.T) {
	f := newFixture(t)
	var errs []string
	try := func(_ any, err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	c := card()
	c.Text, c.Summary, c.Addressee = pii, pii, pii
	c.Applicants[0].Surname, c.Applicants[0].PostalAddress = pii, pii
	rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: c, IntakeKey: pii})
	require.NoError(t, err)
	id := rec.Appeal.ID
	bad := card()
	bad.Applicants[0].Email, bad.Applicants[0].Phone = pii, pii
	try(f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: bad}))
	badID, _ := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: bad, IntakeKey: "bad"})
	if badID != nil {
		try(f.eng.Register(f.ctx, clerk, badID.Appeal.ID, workflow.RegisterInput{}))
	}
	try(f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{IssuePIN: true}))
	try(f.eng.Classify(f.ctx, clerk, id, []string{pii}))
	try(f.eng.Classify(f.ctx, clerk, id, []string{qUtilities, "0005.0005.0056." + pii}))
	try(f.eng.AssignResponsible(f.ctx, clerk, id, pii))
	try(f.eng.AssignResponsible(f.ctx, clerk, id, "exec-1"))
	try(f.eng.Resolve(f.ctx, manager, id, workflow.ResolutionInput{Text: pii, Assignments: []workflow.AssignmentInput{{Executor: "exec-1", Task: pii}, {Executor: pii, Task: pii, Due: deadline.NewDate(3000, 1, 1)}}}))
	try(f.eng.Resolve(f.ctx, manager, id, workflow.ResolutionInput{Text: pii, Assignments: []workflow.AssignmentInput{{Executor: "exec-1", Task: pii}}}))
	try(f.eng.AddAssignment(f.ctx, manager, id, workflow.AssignmentInput{Executor: pii, Task: pii}))
	try(f.eng.RedateAssignment(f.ctx, manager, id, workflow.RedateInput{Assignment: pii, Due: day(2025, 11, 20), Reason: pii}))
	try(f.eng.Reassign(f.ctx, manager, id, workflow.ReassignInput{Assignment: "1", Executor: pii, Reason: pii}))
	try(f.eng.Request(f.ctx, executor, id, workflow.RequestInput{Body: pii, Number: pii}))
	try(f.eng.RequestReceived(f.ctx, executor, id, workflow.RequestReceiptInput{Request: pii, ReceivedOn: day(2025, 11, 10)}))
	try(f.eng.RequestAnswered(f.ctx, executor, id, workflow.RequestAnswerInput{Request: pii}))
	try(f.eng.SendCopies(f.ctx, clerk, id, []workflow.Target{{Body: pii, Number: pii}, {}}))
	try(f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{{Body: pii}, {Body: pii}}, Questions: []string{pii}}))
	try(f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 99, Reason: pii, ApprovedBy: pii}))
	try(f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 9, Reason: pii, ApprovedBy: pii, Assignments: map[string]deadline.Date{pii: day(2025, 12, 1)}}))
	try(f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: pii, Text: pii}))
	try(f.eng.Report(f.ctx, executor2, id, workflow.ReportInput{Assignment: "1", Text: pii}))
	try(f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: pii}))
	try(f.eng.SetResult(f.ctx, executor, id, pii, workflow.ResultInput{Status: appeal.StatusExplained}))
	try(f.eng.SetResult(f.ctx, executor, id, qUtilities, workflow.ResultInput{Status: appeal.QuestionStatus(pii)}))
	try(f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: pii, Attachments: []appeal.Attachment{{Name: pii, Ref: pii}}}))
	try(f.eng.Rework(f.ctx, manager, id, pii))
	try(f.eng.NoteGround(f.ctx, clerk, id, workflow.GroundInput{Ground: workflow.Ground(pii), Note: pii}))
	try(f.eng.Decide(f.ctx, manager, id, workflow.OutcomeInput{Ground: workflow.GroundAnsweredOnSite, Decision: pii}))
	try(f.eng.Decide(f.ctx, manager, id, workflow.OutcomeInput{Ground: workflow.GroundRepeated, Decision: pii}))
	try(f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: pii}))
	try(f.eng.Withdraw(f.ctx, workflow.ApplicantFor(uuid.New()), id, pii))
	try(f.eng.Feedback(f.ctx, workflow.ApplicantFor(id), id, workflow.FeedbackInput{Result: appeal.Opinion(pii)}))
	try(f.eng.RefuseRegistration(f.ctx, clerk, id, workflow.RefusalInput{Reason: workflow.RefusalReason(pii), Note: pii}))
	try(f.eng.Lookup(f.ctx, workflow.LookupInput{Number: pii, PIN: pii, Client: pii}))
	try(f.eng.StatusByPIN(f.ctx, workflow.LookupInput{Number: pii, PIN: pii}))
	try(f.eng.Withdraw(f.ctx, clerk, id, pii))
	_, err = f.eng.Monitor(f.ctx, at(2026, 3, 1))
	require.NoError(t, err)

	logs := f.logs.String()
	require.NotEmpty(t, errs)
	require.Contains(t, logs, `"command":"withdraw"`)
	for _, part := range strings.Fields(pii) {
		if len([]rune(part)) < 4 {
			continue // "д.", "кв." occur in any text
		}
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, part) {
				t.Errorf("a log line holds %q: %s", part, line)
			}
		}
		for _, e := range errs {
			if strings.Contains(e, part) {
				t.Errorf("an error holds %q: %s", part, e)
			}
		}
	}
}
