package workflow

import (
	"context"
	"slices"
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
	// Role says which of the two bodies an appeal on migration law goes to (art. 8 p.3.1);
	// empty for any other forwarding.
	Role TargetRole
}

// TargetRole is the part a body plays in a forwarding on migration law (art. 8 p.3.1).
type TargetRole string

// The target roles.
const (
	// TargetMVD is the territorial body of the МВД of Russia.
	TargetMVD TargetRole = "mvd"
	// TargetHeadOfSubject is the head of the subject of the RF (высшее должностное лицо).
	TargetHeadOfSubject TargetRole = "head_of_subject"
)

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
	// To is the competent body; for an appeal on migration law, both the territorial МВД body
	// and the head of the subject, marked by their Role (art. 8 p.3.1).
	To []Target
	// Questions are the codes of the questions forwarded; empty forwards the whole appeal.
	Questions []string
}

// Forward forwards the appeal, or the questions with the given codes, to the competent body
// (art. 8 p.3) and tells the applicant; an appeal on migration law goes to both the
// territorial МВД body and the head of the subject, and the command refuses one without the
// other (art. 8 p.3.1). This is the competence decision, due 7 days from
// registration, 5 for an appeal on migration law (art. 8 p.3.1): a forwarding after that is
// done and recorded as late (Event.Late). Forwarded questions become Transferred; when none
// is left in work, the whole appeal is forwarded.
func (e *Engine) Forward(ctx context.Context, actor Actor, id uuid.UUID, in ForwardInput) (*Record, error) {
	codes := in.Questions
	states := working[:3]
	return e.run(ctx, actor, id, command{input: in, name: CmdForward, states: states, mutate: func(c *change) error {
		a := c.rec.Appeal
		if err := checkTargets(a, in.To); err != nil {
			return err
		}
		to := in.To[0]
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
			if err := c.apply(appeal.ActionForward); err != nil {
				return err
			}
		}
		c.decided()
		var forwarded []string
		for i, p := range picked {
			if p {
				forwarded = append(forwarded, a.Questions[i].Code)
			}
		}
		names := make([]string, len(in.To))
		for i, t := range in.To {
			c.rec.Forwardings = append(c.rec.Forwardings, Forwarding{Body: t.Body, DepartmentID: t.DepartmentID,
				Number: t.Number, Questions: forwarded, At: c.now})
			names[i] = t.name()
		}
		c.changed("forwardings", "questions", "deadlines.competence")
		c.public("Направлено по компетенции", deadline.Date{}, strings.Join(names, "; "))
		return c.notifyApplicant(KindForwarding, NoticeData{Target: strings.Join(names, "; "), Questions: strings.Join(forwarded, ", ")})
	}})
}

// checkTargets refuses a forwarding without exactly one competent body, or, for an appeal on
// migration law, without both the МВД body and the head of the subject (art. 8 p.3.1).
func checkTargets(a *appeal.Appeal, to []Target) error {
	for i, t := range to {
		if t.blank() {
			return refuse(CmdForward, "to["+strconv.Itoa(i)+"]", RuleTarget, nil)
		}
	}
	if !a.MigrationViolation {
		if len(to) != 1 {
			return refuse(CmdForward, "to", RuleTarget, nil)
		}
		return nil
	}
	for _, role := range []TargetRole{TargetMVD, TargetHeadOfSubject} {
		if !slices.ContainsFunc(to, func(t Target) bool { return t.Role == role }) {
			return refuse(CmdForward, "to", RuleMigrationTargets, nil)
		}
	}
	return nil
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
	return e.run(ctx, actor, id, command{input: struct{ To []Target }{to}, name: CmdCopy, states: working[:3], mutate: func(c *change) error {
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
			return refuse(CmdCopy, "deadlines", Rule(deadline.CopyToBodies.Info().Article), err)
		}
		if c.today.After(d.Legal) {
			c.ev.Late = append(c.ev.Late, Late{Kind: TermCopies, Legal: d.Legal, Days: c.today.DaysSince(d.Legal)})
		}
		return nil
	}})
}
