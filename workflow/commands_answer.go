package workflow

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fz59/appeals/deadline"

	"github.com/fz59/appeals/appeal"
	"github.com/google/uuid"
)

// AnswerInput is a draft answer (AnswerDraft — проект ответа).
type AnswerInput struct {
	// Text is the answer on the merits (art. 10 p.1).
	Text string
	// Attachments are the answer documents (the signed file SSTU wants).
	Attachments []appeal.Attachment
}

// DraftAnswer records a draft answer and sends it for approval; a registered appeal passes to
// the manager on the way. A draft after a rework replaces the previous one.
func (e *Engine) DraftAnswer(ctx context.Context, actor Actor, id uuid.UUID, in AnswerInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdDraft, event: appeal.ActionDraftAnswer, mutate: func(c *change) error {
		if strings.TrimSpace(in.Text) == "" {
			return refuse(CmdDraft, "answer.text", RuleAnswerText, nil)
		}
		c.rec.Answer = &Answer{Text: in.Text, Attachments: append([]appeal.Attachment(nil), in.Attachments...),
			DraftedBy: c.actor.ID, DraftedAt: c.now}
		c.decided() // the manager answers on the merits: accepted for consideration
		c.changed("answer")
		return nil
	}})
}

// Rework returns the draft answer to the executors with the reason.
func (e *Engine) Rework(ctx context.Context, actor Actor, id uuid.UUID, reason string) (*Record, error) {
	return e.run(ctx, actor, id, command{input: struct{ Reason string }{reason}, name: CmdRework, event: appeal.ActionRework, mutate: func(c *change) error {
		if c.rec.Answer != nil {
			c.rec.Answer.ApprovedBy, c.rec.Answer.ApprovedAt, c.rec.Answer.Signature = "", time.Time{}, nil
		}
		c.ev.Reason = reason
		c.changed("answer.approved")
		return nil
	}})
}

// Approve approves and signs the draft answer (Approval — согласование; art. 10 p.3).
func (e *Engine) Approve(ctx context.Context, actor Actor, id uuid.UUID) (*Record, error) {
	return e.run(ctx, actor, id, command{name: CmdApprove, event: appeal.ActionApprove, mutate: func(c *change) error {
		if c.rec.Answer == nil || strings.TrimSpace(c.rec.Answer.Text) == "" {
			return refuse(CmdApprove, "answer.text", RuleAnswerText, nil)
		}
		ans := c.rec.Answer
		ans.ApprovedBy, ans.ApprovedAt = c.actor.ID, c.now
		c.changed("answer.approved")
		if c.e.opt.Signer == nil {
			return nil
		}
		sig, err := c.e.opt.Signer.Sign(c.ctx, Document{AppealID: c.rec.Appeal.ID, Number: c.rec.Appeal.Number,
			Text: ans.Text, Attachments: ans.Attachments, Signer: c.actor.ID})
		if err != nil {
			return fmt.Errorf("sign: %w", err)
		}
		if sig.By == "" {
			sig.By = c.actor.ID
		}
		if sig.At.IsZero() {
			sig.At = c.now
		}
		ans.Signature = &sig
		c.changed("answer.signature")
		return nil
	}})
}

// ResultInput is a question's result of consideration (результат рассмотрения).
type ResultInput struct {
	// Status is Explained, Supported, NotSupported or Answered.
	Status appeal.QuestionStatus
	// MeasuresTaken is SSTU's «меры приняты», only with Supported.
	MeasuresTaken bool
}

// SetResult sets the result of the question with the code.
func (e *Engine) SetResult(ctx context.Context, actor Actor, id uuid.UUID, code string, in ResultInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: struct {
		Code string
		In   ResultInput
	}{code, in}, name: CmdResult, states: working[1:], mutate: func(c *change) error {
		switch {
		case !in.Status.Result():
			return refuse(CmdResult, "status", RuleResult, nil)
		case in.MeasuresTaken && in.Status != appeal.StatusSupported:
			return refuse(CmdResult, "measuresTaken", RuleMeasures, nil)
		}
		k, err := c.question(code)
		if err != nil {
			return err
		}
		q := &c.rec.Appeal.Questions[k]
		if err := setStatus(q, in.Status); err != nil {
			return err
		}
		q.MeasuresTaken = in.MeasuresTaken
		c.changed("questions[" + q.Code + "].status")
		return nil
	}})
}

// SendInput is the sending of the approved answer.
type SendInput struct {
	// Number is the answer's outgoing number (исходящий номер).
	Number string
}

// Send sends the approved answer to the applicant (Answer — ответ, art. 10 p.4) under the
// outgoing number. Every question must be final (a result, a transfer or no answer); those
// with a result get the answer's date. An answer after the consideration term is sent and
// recorded as late (Event.Late).
func (e *Engine) Send(ctx context.Context, actor Actor, id uuid.UUID, in SendInput) (*Record, error) {
	number := in.Number
	return e.run(ctx, actor, id, command{input: in, name: CmdSend, event: appeal.ActionSend, mutate: func(c *change) error {
		a, ans := c.rec.Appeal, c.rec.Answer
		switch {
		case a.Anonymous:
			return refuse(CmdSend, "appeal.anonymous", RuleNoAnswer, nil)
		case ans == nil || strings.TrimSpace(ans.Text) == "":
			return refuse(CmdSend, "answer.text", RuleAnswerText, nil)
		case ans.ApprovedAt.IsZero():
			return refuse(CmdSend, "answer.approvedBy", RuleAnswerApproved, nil)
		case c.e.opt.Org.RequireSignature && ans.Signature == nil:
			return refuse(CmdSend, "answer.signature", RuleAnswerSigned, nil)
		case len(a.Questions) == 0:
			return refuse(CmdSend, "questions", RuleQuestionsExist, nil)
		}
		var measures []string
		for i := range a.Questions {
			q := &a.Questions[i]
			if !q.Status.Final() {
				return refuse(CmdSend, "questions["+q.Code+"]", RuleQuestionsFinal, nil)
			}
			if q.Status.Result() && q.AnsweredOn.IsZero() {
				q.AnsweredOn = c.today
			}
			if q.MeasuresTaken {
				measures = append(measures, q.Code)
			}
		}
		ans.SentAt, ans.Number = c.now, number
		c.changed("answer.sent", "questions")
		detail := ""
		if len(measures) > 0 {
			detail = "Приняты меры по вопросам " + strings.Join(measures, ", ")
		}
		c.public("Дан ответ", deadline.Date{}, detail)
		return c.notifyApplicant(KindAnswer, NoticeData{Text: ans.Text, AnswerNumber: number})
	}})
}
