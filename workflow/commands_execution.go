package workflow

import (
	"context"
	"strconv"
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

// AssignmentInput is one task of a resolution (Assignment — поручение).
type AssignmentInput struct {
	Executor   string
	CoExecutor bool
	Task       string
	// Due is the assignment's due date; zero means the consideration's control date. It may
	// not be after the consideration's legal date.
	Due deadline.Date
}

// Resolve records the manager's resolution and gives the assignments to executors, each with
// its own due date and a notice; a registered appeal passes to the manager on the way.
func (e *Engine) Resolve(ctx context.Context, actor Actor, id uuid.UUID, in ResolutionInput) (*Record, error) {
	return e.run(ctx, actor, id, command{name: CmdResolve, event: appeal.EventResolve, mutate: func(c *change) error {
		if strings.TrimSpace(in.Text) == "" {
			return refuse(CmdResolve, "text", RuleResolution, nil)
		}
		cons := c.rec.Deadlines.Consideration
		res := &Resolution{By: c.actor.ID, At: c.now, Text: in.Text}
		for i, ai := range in.Assignments {
			field := "assignments[" + strconv.Itoa(i) + "]"
			if strings.TrimSpace(ai.Executor) == "" || strings.TrimSpace(ai.Task) == "" {
				return refuse(CmdResolve, field, RuleExecutor, nil)
			}
			due := ai.Due
			if due.IsZero() {
				due = cons.Control
			}
			if due.After(cons.Legal) || due.Before(c.today) {
				return refuse(CmdResolve, field+".due", RuleAssignmentDue, nil)
			}
			as := Assignment{ID: strconv.Itoa(len(c.rec.Assignments) + 1), Executor: ai.Executor,
				CoExecutor: ai.CoExecutor, Task: ai.Task, Due: due}
			c.rec.Assignments = append(c.rec.Assignments, as)
			res.Assignees = append(res.Assignees, ai.Executor)
			if c.rec.Appeal.Responsible == "" && !ai.CoExecutor {
				c.rec.Appeal.Responsible = ai.Executor
			}
			if err := c.notifyStaff(KindAssignment, as.ID, RoleExecutor, ai.Executor, NoticeData{Task: ai.Task, Due: due}); err != nil {
				return err
			}
		}
		c.rec.Resolution = res
		c.changed("resolution", "assignments", "responsible")
		c.public("На исполнении", cons.Legal, "")
		return nil
	}})
}

// Report records an executor's report on an assignment (ExecutionReport — отчет об
// исполнении). An executor reports only on their own assignment; a manager on any.
func (e *Engine) Report(ctx context.Context, actor Actor, id uuid.UUID, assignment, text string) (*Record, error) {
	states := []appeal.State{appeal.StateInExecution, appeal.StateAnswerDrafting}
	return e.run(ctx, actor, id, command{name: CmdReport, states: states, mutate: func(c *change) error {
		var as *Assignment
		for i := range c.rec.Assignments {
			if c.rec.Assignments[i].ID == assignment {
				as = &c.rec.Assignments[i]
			}
		}
		switch {
		case as == nil:
			return refuse(CmdReport, "assignment", RuleAssignment, nil)
		case as.Executor != c.actor.ID && !c.actor.Has(RoleManager) && !c.actor.Has(RoleAdmin):
			return &DeniedError{Actor: c.actor.ID, Command: CmdReport, Reason: RuleOwnAssignment}
		case strings.TrimSpace(text) == "":
			return refuse(CmdReport, "text", RuleReport, nil)
		}
		as.Report, as.ReportedAt = text, c.now
		c.changed("assignments[" + assignment + "].report")
		return nil
	}})
}

// ExtensionInput is an extension of the consideration term (Extension — продление срока).
type ExtensionInput struct {
	// Days is the extension, 1–30 (art. 12 p.2).
	Days int
	// Reason is why; the applicant is told it.
	Reason string
	// ApprovedBy is the head or authorized person who decided it (art. 12 p.2).
	ApprovedBy string
}

// Extend extends the consideration term once by up to 30 days from its legal due date, with a
// reason and an approver, and tells the applicant (art. 12 p.2).
func (e *Engine) Extend(ctx context.Context, actor Actor, id uuid.UUID, in ExtensionInput) (*Record, error) {
	return e.run(ctx, actor, id, command{name: CmdExtend, states: working, mutate: func(c *change) error {
		switch {
		case strings.TrimSpace(in.Reason) == "":
			return refuse(CmdExtend, "reason", RuleExtensionReason, deadline.ErrNoReason)
		case strings.TrimSpace(in.ApprovedBy) == "":
			return refuse(CmdExtend, "approvedBy", RuleApprover, nil)
		}
		d, err := c.e.counter.Extend(c.rec.Deadlines.Consideration, in.Days, in.Reason)
		if err != nil {
			return refuse(CmdExtend, "days", RuleExtensionDays, err)
		}
		c.rec.Deadlines.Consideration = d
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

// RequestInput is a request for documents to another body (InterAgencyRequest — запрос в
// другой орган, art. 10 p.2).
type RequestInput struct {
	Body   string
	Number string
}

// Request records a request for documents to another body; it must answer within 15 days
// (art. 10 p.2), counted here from the day the request is sent.
func (e *Engine) Request(ctx context.Context, actor Actor, id uuid.UUID, in RequestInput) (*Record, error) {
	return e.run(ctx, actor, id, command{name: CmdRequest, states: working, mutate: func(c *change) error {
		if strings.TrimSpace(in.Body) == "" {
			return refuse(CmdRequest, "body", RuleRequestBody, nil)
		}
		due, err := c.e.counter.Due(deadline.InterAgencyRequest, c.today)
		if err != nil {
			return err
		}
		c.rec.Requests = append(c.rec.Requests, InterAgencyRequest{Body: in.Body, Number: in.Number, SentAt: c.now, Due: due})
		c.changed("requests")
		return nil
	}})
}

// RequestAnswered records the other body's reply to request i (0-based).
func (e *Engine) RequestAnswered(ctx context.Context, actor Actor, id uuid.UUID, i int) (*Record, error) {
	return e.run(ctx, actor, id, command{name: CmdRequestDone, states: working, mutate: func(c *change) error {
		if i < 0 || i >= len(c.rec.Requests) || !c.rec.Requests[i].AnsweredAt.IsZero() {
			return refuse(CmdRequestDone, "request", RuleRequest, nil)
		}
		c.rec.Requests[i].AnsweredAt = c.now
		c.changed("requests[" + strconv.Itoa(i) + "].answeredAt")
		return nil
	}})
}
