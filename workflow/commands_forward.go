package workflow

import (
	"context"
	"strconv"
	"strings"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
)

// Target is a body an appeal goes to by competence.
type Target struct {
	// Body is the body's name; DepartmentID its SSTU GUID. One of them is required.
	Body         string
	DepartmentID string
	// Number is the outgoing cover letter's number.
	Number string
}

func (t Target) blank() bool {
	return strings.TrimSpace(t.Body) == "" && strings.TrimSpace(t.DepartmentID) == ""
}

func (t Target) name() string {
	if t.Body != "" {
		return t.Body
	}
	return t.DepartmentID
}

// ForwardInput is a forwarding by competence (Forwarding — перенаправление по компетенции).
type ForwardInput struct {
	// To is the competent body.
	To Target
	// Questions are the codes of the questions forwarded; empty forwards the whole appeal.
	Questions []string
}

// Forward forwards the appeal, or the questions with the given codes, to the competent body
// (art. 8 p.3) and tells the applicant. This is the competence decision, due 7 days from
// registration, 5 for an appeal on migration law (art. 8 p.3.1): a forwarding after that is
// done and recorded as late (Event.Late). Forwarded questions become Transferred; when none
// is left in work, the whole appeal is forwarded.
func (e *Engine) Forward(ctx context.Context, actor Actor, id uuid.UUID, in ForwardInput) (*Record, error) {
	to, codes := in.To, in.Questions
	states := working[:3]
	return e.run(ctx, actor, id, command{name: CmdForward, states: states, mutate: func(c *change) error {
		if to.blank() {
			return refuse(CmdForward, "to", RuleTarget, nil)
		}
		a := c.rec.Appeal
		transfer := &appeal.Transfer{Body: to.Body, DepartmentID: to.DepartmentID, Number: to.Number, Date: c.today}
		picked := make([]bool, len(a.Questions))
		for i, code := range codes {
			k, err := c.question(code)
			if err != nil {
				return refuse(CmdForward, "questions["+strconv.Itoa(i)+"]", RuleQuestionKnown, nil)
			}
			picked[k] = true
		}
		whole, open := len(codes) == 0, 0
		for i := range a.Questions {
			q := &a.Questions[i]
			switch {
			case picked[i] || whole && !q.Status.Final():
				if err := setStatus(q, appeal.StatusTransferred); err != nil {
					return err
				}
				t := *transfer
				q.Transfer = &t
			case !q.Status.Final():
				open++
			}
		}
		if open == 0 {
			if err := c.apply(appeal.EventForward); err != nil {
				return err
			}
		}
		c.decided()
		f := Forwarding{Body: to.Body, DepartmentID: to.DepartmentID, Number: to.Number, At: c.now}
		for i, p := range picked {
			if p {
				f.Questions = append(f.Questions, a.Questions[i].Code)
			}
		}
		c.rec.Forwardings = append(c.rec.Forwardings, f)
		c.changed("forwardings", "questions", "deadlines.competence")
		c.public("Направлено по компетенции", deadline.Date{}, to.name())
		return c.notifyApplicant(KindForwarding, NoticeData{Target: to.name(), Questions: strings.Join(f.Questions, ", ")})
	}})
}

// forwardingRule is art. 8 p.3.1 for an appeal on migration law, art. 8 p.3 otherwise.
func forwardingRule(a *appeal.Appeal) deadline.Rule {
	if a.MigrationViolation {
		return deadline.ForwardingMigration
	}
	return deadline.Forwarding
}

// SendCopies sends copies of the appeal to each of several competent bodies (art. 8 p.4, 7
// days from registration); the appeal stays in work here. Copies sent after that are
// recorded as late (Event.Late, TermCopies).
func (e *Engine) SendCopies(ctx context.Context, actor Actor, id uuid.UUID, to []Target) (*Record, error) {
	return e.run(ctx, actor, id, command{name: CmdCopy, states: working[:3], mutate: func(c *change) error {
		if len(to) == 0 {
			return refuse(CmdCopy, "to", RuleCopyTargets, nil)
		}
		for i, t := range to {
			if t.blank() {
				return refuse(CmdCopy, "to["+strconv.Itoa(i)+"]", RuleCopyTargets, nil)
			}
			c.rec.Forwardings = append(c.rec.Forwardings, Forwarding{Body: t.Body, DepartmentID: t.DepartmentID,
				Number: t.Number, Copy: true, At: c.now})
		}
		c.changed("forwardings")
		d, err := c.e.counter.Due(deadline.CopyToBodies, c.rec.Deadlines.Consideration.From)
		if err != nil {
			return refuse(CmdCopy, "deadlines", deadline.CopyToBodies.Info().Article, err)
		}
		if c.today.After(d.Legal) {
			c.ev.Late = append(c.ev.Late, Late{Kind: TermCopies, Legal: d.Legal, Days: c.today.DaysSince(d.Legal)})
		}
		return nil
	}})
}
