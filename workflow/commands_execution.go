package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
)

// ResolutionInput is the manager's resolution (Resolution — резолюция).
type ResolutionInput struct {
	// Text is the resolution's wording.
	Text string
	// Assignments are the tasks; the first non-co-executor becomes the Responsible when the
	// appeal has none. None: the manager answers himself (draft answer next).
	Assignments []AssignmentInput
}

// AssignmentInput is one task (Assignment — поручение).
type AssignmentInput struct {
	// Executor is the executor's staff id; CoExecutor marks a co-executor (соисполнитель);
	// Task is what is to be done.
	Executor   string
	CoExecutor bool
	Task       string
	// Due is the assignment's due date; zero means the consideration's control date. It may
	// not be after the consideration's legal date, nor before today.
	Due deadline.Date
}

// Resolve records the manager's resolution and gives the assignments to executors, each with
// its own due date and a notice; a registered appeal passes to the manager on the way. It
// accepts the appeal for consideration, which closes the competence decision (art. 8 p.3).
func (e *Engine) Resolve(ctx context.Context, actor Actor, id uuid.UUID, in ResolutionInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdResolve, event: appeal.ActionResolve, mutate: func(c *change) error {
		if strings.TrimSpace(in.Text) == "" {
			return refuse(CmdResolve, "text", RuleResolution, nil)
		}
		res := &Resolution{By: c.actor.ID, At: c.now, Text: in.Text}
		for i, ai := range in.Assignments {
			if err := c.addAssignment(fmt.Sprintf("assignments[%d]", i), ai); err != nil {
				return err
			}
			res.Assignees = append(res.Assignees, ai.Executor)
		}
		c.rec.Resolution = res
		c.decided()
		c.changed("resolution", "assignments", "responsible")
		c.public("На исполнении", c.rec.Deadlines.Consideration.Legal, "")
		return nil
	}})
}

// decided closes the competence decision (art. 8 p.3): the appeal was accepted for
// consideration, forwarded, or given an art. 11 route.
func (c *change) decided() {
	if l := &c.rec.Deadlines.Competence; l.Running() {
		l.Closed = c.today
	}
}

// addAssignment checks ai and adds it as a new assignment with its notice to the executor; the
// first non-co-executor becomes the Responsible when the appeal has none.
func (c *change) addAssignment(field string, ai AssignmentInput) error {
	if strings.TrimSpace(ai.Executor) == "" || strings.TrimSpace(ai.Task) == "" {
		return refuse(c.cmd, field, RuleExecutor, nil)
	}
	due, err := c.assignmentDue(field+".due", ai.Due)
	if err != nil {
		return err
	}
	as := Assignment{ID: nextRef(len(c.rec.Assignments)), Executor: ai.Executor, CoExecutor: ai.CoExecutor,
		Task: ai.Task, From: c.today, Due: due}
	c.rec.Assignments = append(c.rec.Assignments, as)
	if c.rec.Appeal.Responsible == "" && !ai.CoExecutor {
		c.rec.Appeal.Responsible = ai.Executor
	}
	return c.notifyStaff(KindAssignment, as.ID, RecipientExecutor, ai.Executor, NoticeData{Task: ai.Task, Due: due})
}

// assignmentDue is d, or the consideration's control date when d is zero, checked to lie
// between today and the consideration's legal date.
func (c *change) assignmentDue(field string, d deadline.Date) (deadline.Date, error) {
	cons := c.rec.Deadlines.Consideration
	if d.IsZero() {
		d = cons.Control
	}
	if d.After(cons.Legal) || d.Before(c.today) {
		return deadline.Date{}, refuse(c.cmd, field, RuleAssignmentDue, nil)
	}
	return d, nil
}

// assignment returns the assignment with the id, or a refusal.
func (c *change) assignment(id string) (*Assignment, error) {
	if as := c.rec.assignment(id); as != nil {
		return as, nil
	}
	return nil, refuse(c.cmd, "assignment", RuleAssignment, nil)
}

// openAssignment returns the assignment with the id if it still runs, or a refusal.
func (c *change) openAssignment(id string) (*Assignment, error) {
	as, err := c.assignment(id)
	if err == nil && !as.Closed.IsZero() {
		err = refuse(c.cmd, "assignment", RuleAssignmentOpen, nil)
	}
	return as, err
}

// AddAssignment gives one more assignment after the resolution (дополнительное поручение),
// with its notice to the executor.
func (e *Engine) AddAssignment(ctx context.Context, actor Actor, id uuid.UUID, in AssignmentInput) (*Record, error) {
	states := []appeal.State{appeal.StateInExecution, appeal.StateAnswerDrafting}
	return e.run(ctx, actor, id, command{input: in, name: CmdAddAssignment, states: states, mutate: func(c *change) error {
		if err := c.addAssignment("assignment", in); err != nil {
			return err
		}
		c.changed("assignments")
		return nil
	}})
}

// RedateInput moves an assignment's due date (перенос срока поручения).
type RedateInput struct {
	// Assignment is the assignment's id.
	Assignment string
	// Due is the new due date, between today and the consideration's legal date.
	Due deadline.Date
	// Reason is why; it goes into the event and the executor's notice.
	Reason string
}

// RedateAssignment moves an open assignment's due date, with a reason, and tells the executor.
func (e *Engine) RedateAssignment(ctx context.Context, actor Actor, id uuid.UUID, in RedateInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdRedate, states: working[2:], mutate: func(c *change) error {
		as, err := c.openAssignment(in.Assignment)
		if err != nil {
			return err
		}
		if strings.TrimSpace(in.Reason) == "" {
			return refuse(CmdRedate, "reason", RuleRedateReason, nil)
		}
		if in.Due.IsZero() {
			return refuse(CmdRedate, "due", RuleAssignmentDue, nil)
		}
		due, err := c.assignmentDue("due", in.Due)
		if err != nil {
			return err
		}
		as.Due = due
		c.ev.Reason = in.Reason
		c.changed("assignments[" + as.ID + "].due")
		return c.notifyStaff(KindAssignmentChanged, as.ID, RecipientExecutor, as.Executor,
			NoticeData{Task: as.Task, Due: due, Reason: in.Reason})
	}})
}

// ReassignInput hands an assignment to another executor (передача поручения).
type ReassignInput struct {
	// Assignment is the assignment's id.
	Assignment string
	// Executor is the new executor's staff id.
	Executor string
	// Reason is why; it goes into the event and both notices.
	Reason string
}

// Reassign hands an open assignment to another executor with a reason: the new executor gets
// the assignment's notice, the previous one a notice that it was taken away. A responsible
// executor's appeal passes to the new one.
func (e *Engine) Reassign(ctx context.Context, actor Actor, id uuid.UUID, in ReassignInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdReassign, states: working[2:], mutate: func(c *change) error {
		as, err := c.openAssignment(in.Assignment)
		if err != nil {
			return err
		}
		switch {
		case strings.TrimSpace(in.Executor) == "" || in.Executor == as.Executor:
			return refuse(CmdReassign, "executor", RuleExecutor, nil)
		case strings.TrimSpace(in.Reason) == "":
			return refuse(CmdReassign, "reason", RuleRedateReason, nil)
		}
		prev := as.Executor
		as.Executor = in.Executor
		if c.rec.Appeal.Responsible == prev {
			c.rec.Appeal.Responsible = in.Executor
		}
		if r := c.rec.Resolution; r != nil {
			if k := slices.Index(r.Assignees, prev); k >= 0 && !slices.Contains(r.Assignees, in.Executor) {
				r.Assignees[k] = in.Executor
			}
		}
		c.ev.Reason = in.Reason
		c.changed("assignments["+as.ID+"].executor", "responsible")
		d := NoticeData{Task: as.Task, Due: as.Due, Reason: in.Reason}
		if err := c.notifyStaff(KindAssignment, as.ID, RecipientExecutor, in.Executor, d); err != nil {
			return err
		}
		return c.notifyStaff(KindAssignmentRemoved, as.ID, RecipientExecutor, prev, d)
	}})
}

// Report records an executor's report on an assignment (ExecutionReport — отчет об
// исполнении), which closes it. An executor reports only on their own assignment; a manager
// on any. A report after the due date is recorded as late.
func (e *Engine) Report(ctx context.Context, actor Actor, id uuid.UUID, in ReportInput) (*Record, error) {
	states := []appeal.State{appeal.StateInExecution, appeal.StateAnswerDrafting}
	return e.run(ctx, actor, id, command{input: in, name: CmdReport, states: states, mutate: func(c *change) error {
		as, err := c.openAssignment(in.Assignment)
		switch {
		case err != nil:
			return err
		case as.Executor != c.actor.ID && !c.actor.Has(RoleManager) && !c.actor.Has(RoleAdmin):
			return &DeniedError{Actor: c.actor.ID, Command: CmdReport, Reason: string(RuleOwnAssignment)}
		case strings.TrimSpace(in.Text) == "":
			return refuse(CmdReport, "text", RuleReport, nil)
		}
		as.Report, as.ReportedAt, as.Closed = in.Text, c.now, c.today
		c.changed("assignments[" + as.ID + "].report")
		return nil
	}})
}

// ReportInput is an executor's report on an assignment.
type ReportInput struct {
	// Assignment is the assignment's id.
	Assignment string
	// Text is the report.
	Text string
}

// ExtensionInput is an extension of the consideration term (Extension — продление срока).
type ExtensionInput struct {
	// Days is the extension, 1–30 (art. 12 p.2).
	Days int
	// Reason is why; the applicant is told it.
	Reason string
	// ApprovedBy is the head or authorized person who decided it (art. 12 p.2).
	ApprovedBy string
	// Assignments gives new due dates to open assignments by id; the others due on or after
	// the old control date move by Days (to the previous working day when they land on a day
	// off), and those due earlier stay.
	Assignments map[string]deadline.Date
}

// Extend extends the consideration term once by up to 30 days from its legal due date, with a
// reason and an approver, and tells the applicant (art. 12 p.2). Only a running term may be
// extended: on the day after its legal date it is refused with an *ExpiredError (an extension
// then would hide a violation already committed). The open assignments move with it (see
// ExtensionInput.Assignments) and each executor concerned is told; the event lists what moved.
func (e *Engine) Extend(ctx context.Context, actor Actor, id uuid.UUID, in ExtensionInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdExtend, states: working, mutate: func(c *change) error {
		cons := &c.rec.Deadlines.Consideration
		switch {
		case c.today.After(cons.Legal):
			return &ExpiredError{Command: CmdExtend, Term: TermConsideration, Legal: cons.Legal}
		case strings.TrimSpace(in.Reason) == "":
			return refuse(CmdExtend, "reason", RuleExtensionReason, deadline.ErrNoReason)
		case strings.TrimSpace(in.ApprovedBy) == "":
			return refuse(CmdExtend, "approvedBy", RuleApprover, nil)
		}
		oldControl := cons.Control
		d, err := c.e.counter.Extend(cons.Deadline, in.Days, in.Reason)
		if err != nil {
			return refuse(CmdExtend, "days", RuleExtensionDays, err)
		}
		cons.Deadline = d
		if err := c.moveAssignments(in, oldControl); err != nil {
			return err
		}
		if c.e.opt.ExtendedStatus {
			for i := range c.rec.Appeal.Questions {
				if q := &c.rec.Appeal.Questions[i]; q.Status == appeal.StatusInWork {
					q.Status = appeal.StatusInWorkExtended
				}
			}
		}
		c.ev.Reason = in.Reason
		c.changed("deadlines.consideration")
		c.public("Срок рассмотрения продлен", d.Legal, in.Reason)
		return c.notifyApplicant(KindExtension, NoticeData{Days: in.Days, Reason: in.Reason})
	}})
}

// moveAssignments moves the open assignments with an extension: to the dates given, or by the
// extension's days when due on or after the old control date.
func (c *change) moveAssignments(in ExtensionInput, oldControl deadline.Date) error {
	for ref := range in.Assignments {
		if _, err := c.openAssignment(ref); err != nil {
			return refuse(CmdExtend, "assignments", RuleAssignmentOpen, nil)
		}
	}
	cal := c.e.counter.Calendar()
	for i := range c.rec.Assignments {
		as := &c.rec.Assignments[i]
		if !as.Closed.IsZero() {
			continue
		}
		due, given := in.Assignments[as.ID]
		switch {
		case given:
			d, err := c.assignmentDue("assignments."+as.ID, due)
			if err != nil {
				return err
			}
			due = d
		case !as.Due.Before(oldControl):
			due = as.Due.AddDays(in.Days)
			if !cal.IsWorking(due) {
				due = previousWorking(cal, due, as.Due)
			}
		default:
			continue
		}
		if due == as.Due {
			continue
		}
		as.Due = due
		c.changed("assignments[" + as.ID + "].due")
		if err := c.notifyStaff(KindAssignmentChanged, as.ID, RecipientExecutor, as.Executor,
			NoticeData{Task: as.Task, Due: due, Reason: in.Reason}); err != nil {
			return err
		}
	}
	return nil
}

// previousWorking is the last working day before d, but not before floor.
func previousWorking(cal *deadline.Calendar, d, floor deadline.Date) deadline.Date {
	for d.After(floor) && !cal.IsWorking(d) {
		d = d.AddDays(-1)
	}
	return d
}

// RequestInput is a request for documents to another body (InterAgencyRequest — запрос в
// другой орган, art. 10 p.2).
type RequestInput struct {
	// Body is the body asked; Number the outgoing request's number.
	Body   string
	Number string
}

// Request records a request for documents to another body; it must answer within 15 days of
// receiving it (art. 10 p.2). Until its receipt day is recorded (RequestReceived), the term
// counts from the day sent and says so (Term.FromSent). The requester is reminded of it.
func (e *Engine) Request(ctx context.Context, actor Actor, id uuid.UUID, in RequestInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdRequest, states: working, mutate: func(c *change) error {
		if strings.TrimSpace(in.Body) == "" {
			return refuse(CmdRequest, "body", RuleRequestBody, nil)
		}
		due, err := c.e.counter.Due(deadline.InterAgencyRequest, c.today)
		if err != nil {
			return err
		}
		c.rec.Requests = append(c.rec.Requests, InterAgencyRequest{ID: nextRef(len(c.rec.Requests)), Body: in.Body,
			By: c.actor.ID, Number: in.Number, SentAt: c.now, Due: due})
		c.changed("requests")
		return nil
	}})
}

// RequestReceiptInput records the day another body received a request.
type RequestReceiptInput struct {
	// Request is the request's id.
	Request string
	// ReceivedOn is the day the body received it (from the delivery receipt or МЭДО).
	ReceivedOn deadline.Date
}

// RequestReceived records the day the other body received the request: its 15 days count
// from then (art. 10 p.2).
func (e *Engine) RequestReceived(ctx context.Context, actor Actor, id uuid.UUID, in RequestReceiptInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdRequestReceived, states: working, mutate: func(c *change) error {
		q, err := c.openRequest(in.Request)
		if err != nil {
			return err
		}
		sent := c.e.counter.DateOf(q.SentAt)
		if in.ReceivedOn.IsZero() || in.ReceivedOn.Before(sent) || in.ReceivedOn.After(c.today) {
			return refuse(CmdRequestReceived, "receivedOn", RuleRequestReceipt, nil)
		}
		due, err := c.e.counter.Due(deadline.InterAgencyRequest, in.ReceivedOn)
		if err != nil {
			return refuse(CmdRequestReceived, "receivedOn", RuleRequestReceipt, err)
		}
		q.ReceivedOn, q.Due = in.ReceivedOn, due
		c.changed("requests[" + q.ID + "].receivedOn")
		return nil
	}})
}

// RequestAnswerInput is another body's reply to a request.
type RequestAnswerInput struct {
	// Request is the request's id.
	Request string
}

// RequestAnswered records the other body's reply to a request, which closes its term (a reply
// after it is recorded as late).
func (e *Engine) RequestAnswered(ctx context.Context, actor Actor, id uuid.UUID, in RequestAnswerInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdRequestDone, states: working, mutate: func(c *change) error {
		q, err := c.openRequest(in.Request)
		if err != nil {
			return err
		}
		q.AnsweredAt, q.Closed = c.now, c.today
		c.changed("requests[" + q.ID + "].answeredAt")
		return nil
	}})
}

// openRequest returns the unanswered request with the id, or a refusal.
func (c *change) openRequest(id string) (*InterAgencyRequest, error) {
	if q := c.rec.request(id); q != nil && q.Closed.IsZero() {
		return q, nil
	}
	return nil, refuse(c.cmd, "request", RuleRequest, nil)
}
