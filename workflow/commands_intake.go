package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
)

// Intake is a received appeal (поступление): the draft card and how to file it.
type Intake struct {
	// Card is the draft card. A zero ID gets a fresh one and a zero ReceivedAt the engine's
	// clock; the state must be received.
	Card *appeal.Appeal
	// IntakeKey makes the receipt idempotent (a form token, an e-mail's Message-ID): a second
	// receipt with the same key fails with a *DuplicateError naming the first record.
	IntakeKey string
	// Series is the registration-number series; empty means Organization.Series.
	Series string
}

// Receive files a draft card (Receipt — поступление) and starts the 3-day registration term
// (art. 8 p.2), counted from the receipt day in the organization's zone.
func (e *Engine) Receive(ctx context.Context, actor Actor, in Intake) (*Record, error) {
	if in.Card == nil || in.Card.State != appeal.StateReceived {
		return nil, fmt.Errorf("workflow: receive: %w", refuse(CmdReceive, "card", RuleCard, nil))
	}
	card := in.Card.Clone()
	if card.ID == uuid.Nil {
		id, err := e.opt.NewID()
		if err != nil {
			return nil, fmt.Errorf("workflow: receive: new id: %w", err)
		}
		card.ID = id
	}
	series := in.Series
	if series == "" {
		series = e.opt.Org.Series
	}
	rec := &Record{Appeal: card, IntakeKey: in.IntakeKey, Series: series}
	return e.exec(ctx, actor, rec, command{input: in, name: CmdReceive, states: []appeal.State{appeal.StateReceived},
		mutate: func(c *change) error {
			a := c.rec.Appeal
			if a.ReceivedAt.IsZero() {
				a.ReceivedAt = c.now
			}
			d, err := c.e.counter.Due(deadline.Registration, c.e.counter.DateOf(a.ReceivedAt))
			if err != nil {
				return refuse(CmdReceive, "receivedAt", "art. 8 p.2: the receipt day", err)
			}
			c.rec.Deadlines.Registration = Limit{Deadline: d}
			c.changed("appeal", "deadlines.registration")
			var n textnorm.Normalizer
			doc := document(c.rec, &n) // its text's tokens are the words' too
			c.rec.Words, c.rec.Keys = c.e.words(c.rec, known{similar.DocumentText(a), doc.Tokens}), applicantKeys(a)
			c.suggest()
			c.relate(doc)
			c.public("Поступило", deadline.Date{}, "")
			return nil
		}}, execCreate)
}

// RegisterInput are the choices made at registration.
type RegisterInput struct {
	// IssuePIN issues the applicant's PIN for the status lookup (IssuePIN) with the number and
	// puts it in the registration notice: the applicant gets both in one letter.
	IssuePIN bool
}

// WithPIN is the result of a command that may issue the applicant's PIN: the record and the
// PIN in clear, shown only here and in the registration notice (only a hash is stored).
type WithPIN struct {
	// Record is the record as saved.
	Record *Record
	// PIN is empty when none was issued.
	PIN string
}

// Register registers the appeal (Registration — регистрация, art. 8 p.2): it validates the
// card (art. 7), draws the number from the series and year in the same atomic step as the
// save (a refused registration spends no number), starts the consideration term (30 days,
// art. 12 p.1; 20 for an appeal on migration law to the head of a subject, art. 12 p.1.1) and
// the competence decision (7 days, 5 on migration law, art. 8 pp.3, 3.1), puts the questions
// in work and tells the applicant the number (and the PIN, when asked). A registration after
// the 3-day term is done and recorded as late (Event.Late).
func (e *Engine) Register(ctx context.Context, actor Actor, id uuid.UUID, in RegisterInput) (WithPIN, error) {
	var pin string
	rec, err := e.run(ctx, actor, id, command{input: in, name: CmdRegister, event: appeal.ActionRegister, mutate: func(c *change) error {
		a := c.rec.Appeal
		if err := c.e.validateForRegistration(a, c.now); err != nil {
			return err
		}
		a.RegisteredAt = c.now
		rule := deadline.Consideration
		if a.MigrationViolation && c.e.opt.Org.HeadOfSubject {
			rule = deadline.ConsiderationMigration
		}
		due, err := c.e.counter.Due(rule, c.today)
		if err != nil {
			return refuse(CmdRegister, "registeredAt", "art. 12 p.1: the registration day", err)
		}
		comp, err := c.e.counter.Due(forwardingRule(a), c.today)
		if err != nil {
			return refuse(CmdRegister, "registeredAt", "art. 8 p.3: the registration day", err)
		}
		c.rec.Deadlines.Registration.Closed = c.today
		c.rec.Deadlines.Consideration = Limit{Deadline: due}
		c.rec.Deadlines.Competence = Limit{Deadline: comp}
		for i := range a.Questions {
			if err := setStatus(&a.Questions[i], appeal.StatusInWork); err != nil {
				return err
			}
		}
		data := NoticeData{}
		pin = ""
		if in.IssuePIN {
			p, err := c.issuePIN()
			if err != nil {
				return err
			}
			pin, data.PIN = p, p
			c.changed("access")
		}
		c.changed("number", "registeredAt", "deadlines", "questions")
		c.public("Зарегистрировано", due.Legal, "")
		series, base, words := c.rec.Series, len(c.out), c.rec.Words
		c.number = &NumberDraw{Series: series, Year: c.today.Year, Apply: func(ch *Change, n int64) error {
			a.Number = c.e.opt.Org.Number(series, c.today.Year, n)
			c.rec.Words = c.e.addWords(words, c.rec, a.Number) // the card had no number
			c.out = c.out[:base]
			if err := c.notifyApplicant(KindRegistration, data); err != nil {
				return err
			}
			ch.Notifications = c.out
			return nil
		}}
		return nil
	}})
	if err != nil {
		return WithPIN{}, err
	}
	return WithPIN{Record: rec, PIN: pin}, nil
}

// validateForRegistration checks the card's requisites (art. 7) as received — the number and
// date are issued after — and that registration at now does not precede receipt.
func (e *Engine) validateForRegistration(a *appeal.Appeal, now time.Time) error {
	received := *a
	received.State = appeal.StateReceived
	var problems []appeal.Problem
	if err := appeal.Validate(&received, e.validateOptions()); err != nil {
		var ve *appeal.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		problems = ve.Problems
	}
	if now.Before(a.ReceivedAt) {
		problems = append(problems, appeal.Problem{Field: "registeredAt", Rule: appeal.RuleRegistrationOrder})
	}
	if len(problems) > 0 {
		return &appeal.ValidationError{Problems: problems}
	}
	return nil
}

// setStatus moves a question to status to, as SSTU statuses may follow each other.
func setStatus(q *appeal.Question, to appeal.QuestionStatus) error {
	if err := appeal.CheckQuestionStatus(q.Status, to); err != nil {
		return fmt.Errorf("question %s: %w", q.Code, err)
	}
	q.Status = to
	return nil
}

// Classify sets the appeal's questions to codes of the organization's classifier (Options.
// Classifier; levels question or refinement). Questions already there keep their status; new
// ones are put in work when the appeal is registered; a question may be dropped only while in
// work.
func (e *Engine) Classify(ctx context.Context, actor Actor, id uuid.UUID, codes []string) (*Record, error) {
	states := append([]appeal.State{appeal.StateReceived}, working[:3]...)
	return e.run(ctx, actor, id, command{input: struct{ Codes []string }{codes}, name: CmdClassify, states: states, mutate: func(c *change) error {
		a := c.rec.Appeal
		if len(codes) == 0 {
			return refuse(CmdClassify, "codes", RuleQuestionCode, nil)
		}
		qs := make([]appeal.Question, 0, len(codes))
		for i, s := range codes {
			code, err := classifier.Parse(s)
			if err == nil {
				err = c.e.opt.Classifier.Assignable(code)
			}
			if err != nil {
				return refuse(CmdClassify, "codes["+strconv.Itoa(i)+"]", RuleQuestionCode, err)
			}
			canon := code.String()
			if slices.ContainsFunc(qs, func(q appeal.Question) bool { return q.Code == canon }) {
				continue
			}
			q := appeal.Question{Code: canon}
			if k := questionIndex(a, canon); k >= 0 {
				q = a.Questions[k]
			} else if a.State != appeal.StateReceived {
				q.Status = appeal.StatusInWork
			}
			qs = append(qs, q)
		}
		for _, q := range a.Questions {
			if q.Status.Final() && !slices.ContainsFunc(qs, func(n appeal.Question) bool { return n.Code == q.Code }) {
				return refuse(CmdClassify, "questions["+q.Code+"]", RuleQuestionKept, nil)
			}
		}
		before := make([]string, len(a.Questions))
		for i, q := range a.Questions {
			before[i] = q.Code
		}
		a.Questions = qs
		c.changed("questions")
		chosen := make([]string, len(qs))
		for i, q := range qs {
			chosen[i] = q.Code
		}
		if c.e.opt.Suggester != nil {
			c.ev.Picks = picks(c.rec.Suggestions, chosen)
		}
		c.route()
		c.suggest()
		c.rec.Words = c.classifiedWords(before)
		c.after(func() { c.e.learn(suggestText(a), before, chosen) })
		return nil
	}})
}

// classifiedWords are the record's words once its questions' codes were before: the new
// codes' titles added when no code was taken away (the usual case), else all computed again.
func (c *change) classifiedWords(before []string) []string {
	var titles []string
	for _, q := range c.rec.Appeal.Questions {
		if slices.Contains(before, q.Code) {
			continue
		}
		if title, ok := c.e.codeTitle(q.Code); ok {
			titles = append(titles, title)
		}
	}
	for _, code := range before {
		if !slices.ContainsFunc(c.rec.Appeal.Questions, func(q appeal.Question) bool { return q.Code == code }) {
			return c.e.words(c.rec, known{})
		}
	}
	return c.e.addWords(c.rec.Words, c.rec, titles...)
}

// route applies Options.Routing to the classified questions: the rule that fires names the
// department and, unless a person has named another (an overridden route), the responsible
// person; the event records the rule.
func (c *change) route() {
	codes := make([]string, len(c.rec.Appeal.Questions))
	for i, q := range c.rec.Appeal.Questions {
		codes[i] = q.Code
	}
	r, ok := c.e.opt.Routing.Route(codes)
	if !ok || c.rec.Route != nil && c.rec.Route.Overridden {
		return
	}
	a := c.rec.Appeal
	if r.Responsible != "" && (a.Responsible == "" || c.rec.Route != nil && a.Responsible == c.rec.Route.Responsible) {
		a.Responsible = r.Responsible
		c.changed("responsible")
	}
	c.rec.Route = &Route{Code: r.Code, Department: r.Department, Responsible: r.Responsible}
	c.ev.Reason = "route " + r.Code
	c.changed("route")
}

// questionIndex returns the index of the question with the code, or -1.
func questionIndex(a *appeal.Appeal, code string) int {
	return slices.IndexFunc(a.Questions, func(q appeal.Question) bool { return q.Code == code })
}

// question returns the index of the question with the code (parsed and canonicalized), or a
// refusal.
func (c *change) question(code string) (int, error) {
	if parsed, err := classifier.Parse(code); err == nil {
		code = parsed.String()
	}
	k := questionIndex(c.rec.Appeal, code)
	if k < 0 {
		return -1, refuse(c.cmd, "code", RuleQuestionKnown, nil)
	}
	return k, nil
}

// AssignResponsible names the person answerable for the appeal (Responsible — ответственный).
func (e *Engine) AssignResponsible(ctx context.Context, actor Actor, id uuid.UUID, staff string) (*Record, error) {
	states := append([]appeal.State{appeal.StateReceived}, working...)
	return e.run(ctx, actor, id, command{input: struct{ Staff string }{staff}, name: CmdAssign, states: states, mutate: func(c *change) error {
		if strings.TrimSpace(staff) == "" {
			return refuse(CmdAssign, "staff", RuleResponsible, nil)
		}
		c.rec.Appeal.Responsible = staff
		c.changed("responsible")
		if rt := c.rec.Route; rt != nil && rt.Responsible != staff {
			rt.Overridden = true
			c.ev.Reason = "override of route " + rt.Code
			c.changed("route")
		}
		return nil
	}})
}

// Submit passes the registered appeal to the manager for a resolution (на рассмотрение
// руководителю). Resolve and DraftAnswer imply it.
func (e *Engine) Submit(ctx context.Context, actor Actor, id uuid.UUID) (*Record, error) {
	return e.run(ctx, actor, id, command{name: CmdSubmit, event: appeal.ActionSubmit, mutate: func(c *change) error {
		c.public("На рассмотрении", c.rec.Deadlines.Consideration.Legal, "")
		return nil
	}})
}

// RefusalReason says why what arrived is not registered as a 59-FZ appeal.
type RefusalReason string

// The refusal reasons.
const (
	// RefusalChannel — it came by a channel the organization may not take appeals by: e-mail
	// since 30.03.2025 for a body bound by art. 4 p.1 as amended by 547-ФЗ.
	RefusalChannel RefusalReason = "channel"
	// RefusalNotAppeal — spam, advertising, a message with no proposal, statement or complaint.
	RefusalNotAppeal RefusalReason = "not_appeal"
	// RefusalEmpty — an empty message.
	RefusalEmpty RefusalReason = "empty"
	// RefusalDuplicate — the same submission again (a person spotted it; RefusalInput.Note
	// names the first).
	RefusalDuplicate RefusalReason = "duplicate"
)

var refusalLabels = map[RefusalReason]string{
	RefusalChannel:   "обращение направлено способом, не предусмотренным ч. 1 ст. 4 Федерального закона № 59-ФЗ",
	RefusalNotAppeal: "сообщение не является обращением",
	RefusalEmpty:     "сообщение не содержит текста",
	RefusalDuplicate: "повторная отправка уже поступившего обращения",
}

// Label is the reason in Russian, as the notice and the applicant's status page say it.
func (r RefusalReason) Label() string { return refusalLabels[r] }

// RefusalInput is a refusal to register (отказ в регистрации).
type RefusalInput struct {
	// Reason is why.
	Reason RefusalReason
	// Note is the clerk's note for the file (e.g. the number of the appeal it duplicates).
	Note string
	// Notify sends the sender a notice that says why and how to file an appeal properly
	// (through ЕПГУ, the organization's site with identification, or by post), where an
	// address is known.
	Notify bool
}

// RefuseRegistration refuses to register what arrived because it is not an appeal under
// 59-FZ — an e-mail a body may no longer take (547-ФЗ), spam, an empty message, a duplicate
// submission — instead of leaving it received and overdue. The card goes to its own terminal
// state, appeal.StateRefused: it has no number and never had a term, so no registration is
// recorded as missed. With Notify, the sender learns how to file properly. The SSTU report
// leaves it out, unless another body sent it on (NotRegistered; docs/sstu.md).
func (e *Engine) RefuseRegistration(ctx context.Context, actor Actor, id uuid.UUID, in RefusalInput) (*Record, error) {
	return e.run(ctx, actor, id, command{input: in, name: CmdRefuse, event: appeal.ActionRefuse, mutate: func(c *change) error {
		label := in.Reason.Label()
		if label == "" {
			return refuse(CmdRefuse, "reason", RuleRefusalReason, nil)
		}
		c.rec.Deadlines.Registration = Limit{} // not an appeal: the term never applied
		c.ev.Reason = string(in.Reason)
		c.changed("state", "deadlines.registration")
		c.public("Отказано в регистрации", deadline.Date{}, label)
		if !in.Notify {
			return nil
		}
		return c.notifyApplicant(KindRefusal, NoticeData{Reason: label, RefusalReason: in.Reason})
	}})
}
