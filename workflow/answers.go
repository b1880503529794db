package workflow

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/workflow/answers"
	"github.com/google/uuid"
)

// ProposeAnswer renders the letter for an outcome from the answer templates (Options.Answers,
// workflow/answers): the most specific template for the appeal's questions, filled from the
// card and the record. The executor edits it and drafts the answer (DraftAnswer); nothing is
// saved. The actor must be allowed to read the appeal.
func (e *Engine) ProposeAnswer(ctx context.Context, actor Actor, id uuid.UUID, o answers.Outcome) (string, error) {
	rec, err := e.Get(ctx, actor, id)
	if err != nil {
		return "", err
	}
	codes := make([]string, len(rec.Appeal.Questions))
	for i, q := range rec.Appeal.Questions {
		codes[i] = q.Code
	}
	text, err := e.answers.Render(o, codes, e.answerData(rec))
	if err != nil {
		return "", fmt.Errorf("workflow: propose answer %s: %w", id, err)
	}
	return text, nil
}

// answerData is what an answer template sees of a record.
func (e *Engine) answerData(rec *Record) answers.Data {
	a, org := rec.Appeal, e.opt.Org
	d := answers.Data{Org: org.Name, OrgGenitive: cmp.Or(org.NameGenitive, org.Name),
		OrgPrepositional: cmp.Or(org.NamePrepositional, org.Name), Number: a.Number, Summary: a.Summary,
		ReceivedOn: e.counter.DateOf(a.ReceivedAt), RegisteredOn: rec.Deadlines.Consideration.From,
		Planned: rec.Deadlines.Consideration.Legal, Signatory: org.Signatory, Today: e.counter.DateOf(e.opt.Clock())}
	if p := applicantOf(a); p != nil {
		d.Surname, d.GivenName, d.Patronymic, d.OrganizationName = nameParts(*p)
	}
	for _, q := range a.Questions {
		title := ""
		if code, err := classifier.Parse(q.Code); err == nil {
			if n, ok := e.opt.Classifier.Lookup(code); ok {
				title = n.Title
			}
		}
		d.Questions = append(d.Questions, answers.Question{Code: q.Code, Title: title})
	}
	var targets []string
	for _, f := range rec.Forwardings {
		if !f.Copy {
			targets = append(targets, Target{Body: f.Body, DepartmentID: f.DepartmentID}.name())
		}
	}
	d.Target = strings.Join(targets, "; ")
	if c := rec.Deadlines.Consideration; c.Extended {
		d.Days, d.Reason = c.ExtendedBy, c.Reason
	}
	if o := rec.Outcome; o != nil {
		d.Ground, d.Decision, d.Earlier = string(o.Ground), o.Decision, strings.Join(o.Earlier, ", ")
	}
	return d
}

// applicantOf is the first applicant of a card that is not anonymous, or nil.
func applicantOf(a *appeal.Appeal) *appeal.Applicant {
	if a.Anonymous || len(a.Applicants) == 0 {
		return nil
	}
	return &a.Applicants[0]
}

// Signer signs an approved answer document with the signature the organization uses (its
// CAdES through КриптоПро, a hardware token, a signing service): the host implements it. The
// engine calls it when the answer is approved and records who signed, when, and the
// signature's reference; it never sees the key.
type Signer interface {
	Sign(ctx context.Context, doc Document) (Signature, error)
}

// SignerFunc adapts a function to Signer.
type SignerFunc func(ctx context.Context, doc Document) (Signature, error)

// Sign calls f.
func (f SignerFunc) Sign(ctx context.Context, doc Document) (Signature, error) { return f(ctx, doc) }

// Document is an answer to sign: the appeal, its text and its files, and who signs.
type Document struct {
	// AppealID, Number, Text and Attachments are the answer's appeal and document.
	AppealID    uuid.UUID
	Number      string
	Text        string
	Attachments []appeal.Attachment
	// Signer is the staff id of the person approving and signing (art. 10 p.3).
	Signer string
}

// Signature is what a Signer returns and the answer keeps: a reference to the detached
// signature (the host's storage key), who signed and when.
type Signature struct {
	// Ref is the host's reference to the detached signature; By who signed and At when.
	Ref string    `json:"ref"`
	By  string    `json:"by"`
	At  time.Time `json:"at"`
}
