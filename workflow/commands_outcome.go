package workflow

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
)

// OutcomeInput is an art. 11 decision: the ground and the official's decision.
type OutcomeInput struct {
	// Ground is the art. 11 ground.
	Ground Ground
	// Decision is the decision's text: required to end correspondence (art. 11 p.5) and, as
	// the web address of the answer, for GroundAnsweredOnSite (art. 11 p.5.1).
	Decision string
}

// outcomeRule is what each art. 11 ground leads to: the lifecycle event, the notice (none for
// an anonymous appeal, art. 11 p.1) and the step limit where the law sets one.
var outcomeRules = map[Ground]struct {
	event    appeal.Action
	kind     NoticeKind
	rule     deadline.Rule
	decision bool
	stage    string
}{
	GroundAnonymous:            {appeal.ActionLeaveWithoutAnswer, "", 0, false, "Оставлено без ответа"},
	GroundCourtDecision:        {appeal.ActionReturn, KindReturn, deadline.Art11Return, false, "Возвращено автору"},
	GroundAbusive:              {appeal.ActionLeaveWithoutAnswer, KindLeftWithoutAnswer, 0, false, "Оставлено без ответа по существу"},
	GroundUnreadable:           {appeal.ActionLeaveWithoutAnswer, KindLeftWithoutAnswer, deadline.Art11Notice, false, "Оставлено без ответа"},
	GroundNoEssence:            {appeal.ActionLeaveWithoutAnswer, KindLeftWithoutAnswer, deadline.Art11Notice, false, "Оставлено без ответа"},
	GroundRepeated:             {appeal.ActionLeaveWithoutAnswer, KindEndOfCorrespondence, 0, true, "Переписка прекращена"},
	GroundAnsweredOnSite:       {appeal.ActionLeaveWithoutAnswer, KindLeftWithoutAnswer, deadline.Art11Notice, true, "Ответ размещен на официальном сайте"},
	GroundSecret:               {appeal.ActionLeaveWithoutAnswer, KindLeftWithoutAnswer, 0, false, "Оставлено без ответа по существу"},
	GroundComplaintAgainstBody: {appeal.ActionReturn, KindReturn, deadline.Art11Return, false, "Возвращено автору"},
}

// Decide records an art. 11 outcome: left without an answer (LeftWithoutAnswer — оставлено
// без ответа), returned (Return — возврат, art. 11 p.2, art. 8 p.7) or end of correspondence
// (EndOfCorrespondence — прекращение переписки, art. 11 p.5). Questions in work are left
// without answer; the applicant gets the ground's notice, within 7 days of registration where
// the law sets it (art. 11 pp.2, 4, 4.1, 5.1): a notice after that is sent and recorded as
// late (Event.Late).
func (e *Engine) Decide(ctx context.Context, actor Actor, id uuid.UUID, in OutcomeInput) (*Record, error) {
	r, ok := outcomeRules[in.Ground]
	if !ok {
		return nil, fmt.Errorf("workflow: %s %s: %w", CmdOutcome, id, refuse(CmdOutcome, "ground", RuleGround, nil))
	}
	return e.run(ctx, actor, id, command{input: in, name: CmdOutcome, event: r.event, mutate: func(c *change) error {
		if r.decision && strings.TrimSpace(in.Decision) == "" {
			return refuse(CmdOutcome, "decision", RuleDecision, nil)
		}
		var earlier []string
		switch in.Ground {
		case GroundAnonymous:
			if !c.rec.Appeal.Anonymous {
				return refuse(CmdOutcome, "ground", RuleAnonymous, nil)
			}
		case GroundAnsweredOnSite:
			if u, err := url.Parse(strings.TrimSpace(in.Decision)); err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http" {
				return refuse(CmdOutcome, "decision", RuleDecision, nil)
			}
		case GroundRepeated:
			var err error
			if earlier, err = c.answeredBefore(); err != nil {
				return err
			}
		}
		if err := c.leaveOpenQuestions(); err != nil {
			return err
		}
		if err := c.startNotice(r.rule); err != nil {
			return err
		}
		o := &Outcome{Ground: in.Ground, Decision: in.Decision, Earlier: earlier, By: c.actor.ID, At: c.now}
		c.rec.Outcome = o
		c.ev.Reason = string(in.Ground)
		if len(earlier) > 0 {
			c.ev.Reason += ": " + strings.Join(earlier, ", ")
		}
		c.changed("outcome", "questions", "deadlines")
		c.public(r.stage, deadline.Date{}, "")
		if r.kind == "" {
			return nil
		}
		n := len(c.out)
		if err := c.notifyApplicant(r.kind, NoticeData{Ground: in.Ground, Text: in.Decision, Earlier: strings.Join(earlier, ", ")}); err != nil {
			return err
		}
		if len(c.out) > n {
			o.NoticeSentAt = c.now // queued in the outbox with this save: the dispatcher delivers it
		}
		return nil
	}})
}

// answeredBefore returns the numbers of the earlier appeals that make this one repeated
// (art. 11 p.5): at least two appeals of the same applicant (by any of ApplicantKeys), registered
// before this one, whose answer this body sent with a result on the merits for a question this
// appeal raises. It refuses the outcome when there are fewer.
func (c *change) answeredBefore() ([]string, error) {
	earlier, err := c.e.earlier(c.ctx, c.rec, func(*Record) bool { return true })
	if err != nil {
		return nil, err
	}
	var best []string
	for _, q := range c.rec.Appeal.Questions {
		if nums := answeredOn(earlier, c.rec, q.Code); len(nums) > len(best) {
			best = nums
		}
	}
	if len(best) < 2 {
		return nil, refuse(CmdOutcome, "ground", RuleRepeated, nil)
	}
	slices.Sort(best)
	return best, nil
}

// startNotice starts the art. 11 notice term of rule (7 days from registration), unless it
// runs already or the ground has none (rule 0).
func (c *change) startNotice(rule deadline.Rule) error {
	if rule == 0 || c.rec.Deadlines.Notice.Set() {
		return nil
	}
	d, err := c.e.counter.Due(rule, c.rec.Deadlines.Consideration.From)
	if err != nil {
		return refuse(c.cmd, "deadlines.notice", Rule(rule.Info().Article), err)
	}
	c.rec.Deadlines.Notice = Limit{Deadline: d}
	return nil
}

// GroundInput is an art. 11 ground found before the outcome is decided.
type GroundInput struct {
	// Ground is the art. 11 ground found.
	Ground Ground
	// Note says what was found, for the manager (no personal data needed).
	Note string
}

// NoteGround records that an art. 11 ground is known (the text cannot be read, it disputes a
// court decision, …) before the manager decides the outcome (Decide). The appeal takes the
// art. 11 route, which closes the competence decision; for a ground whose notice the law
// limits (art. 11 pp.2, 4, 4.1, 5.1: 7 days from registration) the notice term starts now and
// runs until Decide sends the notice.
func (e *Engine) NoteGround(ctx context.Context, actor Actor, id uuid.UUID, in GroundInput) (*Record, error) {
	r, ok := outcomeRules[in.Ground]
	if !ok {
		return nil, fmt.Errorf("workflow: %s %s: %w", CmdGround, id, refuse(CmdGround, "ground", RuleGround, nil))
	}
	return e.run(ctx, actor, id, command{input: in, name: CmdGround, states: working[:3], mutate: func(c *change) error {
		if c.rec.Deadlines.Notice.Set() {
			return refuse(CmdGround, "ground", RuleGroundNotice, nil)
		}
		if err := c.startNotice(r.rule); err != nil {
			return err
		}
		c.decided()
		c.ev.Reason = string(in.Ground)
		c.changed("deadlines")
		return nil
	}})
}

// leaveOpenQuestions marks the questions still in work LeftWithoutAnswer.
func (c *change) leaveOpenQuestions() error {
	for i := range c.rec.Appeal.Questions {
		q := &c.rec.Appeal.Questions[i]
		if q.Status == appeal.StatusInWork || q.Status == appeal.StatusInWorkExtended {
			if err := setStatus(q, appeal.StatusLeftWithoutAnswer); err != nil {
				return err
			}
		}
	}
	return nil
}

// Withdraw records the applicant's withdrawal (Withdrawal — отзыв обращения, art. 5): the
// consideration stops and the questions in work are left without answer.
func (e *Engine) Withdraw(ctx context.Context, actor Actor, id uuid.UUID, reason string) (*Record, error) {
	return e.run(ctx, actor, id, command{input: struct{ Reason string }{reason}, name: CmdWithdraw, event: appeal.ActionWithdraw, mutate: func(c *change) error {
		c.ev.Reason = reason
		c.changed("state", "questions")
		c.public("Отозвано заявителем", deadline.Date{}, "")
		return c.leaveOpenQuestions()
	}})
}

// FeedbackInput is the applicant's survey answer (Feedback — мнение заявителя).
type FeedbackInput struct {
	// Result is the opinion of the result (ResultOpinion); Measures of the measures taken
	// (MeasuresOpinion), when measures were taken.
	Result, Measures appeal.Opinion
}

// Feedback records the applicant's opinion of the result and of the measures taken after the
// answer was sent, once: the survey. An applicant acting for themselves (ApplicantActor) is
// authenticated by the host first, e.g. with Lookup.
func (e *Engine) Feedback(ctx context.Context, actor Actor, id uuid.UUID, in FeedbackInput) (*Record, error) {
	result, measures := in.Result, in.Measures
	states := []appeal.State{appeal.StateAnswered, appeal.StateClosed}
	return e.run(ctx, actor, id, command{input: in, name: CmdFeedback, states: states, mutate: func(c *change) error {
		if c.rec.Answer == nil || c.rec.Answer.SentAt.IsZero() {
			return refuse(CmdFeedback, "answer", RuleOpinion, nil)
		}
		if c.rec.Appeal.Feedback != nil {
			return refuse(CmdFeedback, "feedback", RuleFeedbackOnce, nil)
		}
		c.rec.Appeal.Feedback = &appeal.Feedback{Result: result, Measures: measures, At: c.now}
		var ve *appeal.ValidationError
		if errors.As(appeal.Validate(c.rec.Appeal, c.e.validateOptions()), &ve) && ve.Has("", appeal.RuleOpinion) {
			return refuse(CmdFeedback, "feedback", RuleOpinion, nil)
		}
		c.changed("feedback")
		return nil
	}})
}

// Close closes the appeal and files it (снятие с контроля). No question may still be in work.
func (e *Engine) Close(ctx context.Context, actor Actor, id uuid.UUID) (*Record, error) {
	return e.run(ctx, actor, id, command{name: CmdClose, event: appeal.ActionClose, mutate: func(c *change) error {
		for _, q := range c.rec.Appeal.Questions {
			if q.Status == appeal.StatusInWork || q.Status == appeal.StatusInWorkExtended {
				return refuse(CmdClose, "questions["+q.Code+"]", RuleQuestionsOpen, nil)
			}
		}
		c.rec.ClosedAt = c.now
		c.changed("state", "closedAt")
		c.public("Рассмотрение завершено", deadline.Date{}, "")
		return nil
	}})
}
