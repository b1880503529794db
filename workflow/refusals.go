package workflow

import (
	"errors"
	"fmt"

	"github.com/fz59/appeals/deadline"
)

// ErrPrerequisite is matched (errors.Is) by every *PrerequisiteError.
var ErrPrerequisite = errors.New("legal prerequisite missing")

// PrerequisiteError refuses a command that lacks what the law or the procedure requires: an
// answer without text, a forwarding without a target, an extension without a reason, closing
// with a question still in work. It names the field and the rule, never a value. Nothing was
// saved.
type PrerequisiteError struct {
	// Command is the refused command.
	Command Command
	// Field is the input or record field at fault, e.g. "answer.text", "questions[0]".
	Field string
	// Rule is the requirement with its article, e.g. RuleAnswerText.
	Rule Rule
	// Err is a more specific cause (deadline.ErrNoReason, classifier.ErrUnknownCode, …), or nil.
	Err error
}

// Error names the field and the rule, and the cause when there is one.
func (e *PrerequisiteError) Error() string {
	s := e.Field + ": " + string(e.Rule)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrPrerequisite) true.
func (e *PrerequisiteError) Is(target error) bool { return target == ErrPrerequisite }

// Unwrap returns the specific cause.
func (e *PrerequisiteError) Unwrap() error { return e.Err }

// Rule names a requirement of the law or the procedure that a PrerequisiteError refuses a
// command for, with its article.
type Rule string

// The rules a PrerequisiteError names.
const (
	RuleAnswerText       Rule = "art. 10 p.1: a written answer on the merits"
	RuleAnswerSigned     Rule = "art. 10 p.3: the answer signed, as the organization requires"
	RuleAnswerApproved   Rule = "art. 10 p.3: the answer is signed by the head or an authorized person"
	RuleQuestionsFinal   Rule = "every question has a result, a transfer or no answer (SSTU)"
	RuleQuestionsExist   Rule = "the appeal has classified questions (SSTU)"
	RuleQuestionsOpen    Rule = "no question still in work"
	RuleTarget           Rule = "art. 8 p.3: the one competent body to forward to (several get copies, art. 8 p.4)"
	RuleMigrationTargets Rule = "art. 8 p.3.1: both the territorial МВД body and the head of the subject"
	RuleCopyTargets      Rule = "art. 8 p.4: the bodies to send copies to"
	RuleExtensionReason  Rule = "art. 12 p.2: extension with a reason"
	RuleApprover         Rule = "art. 12 p.2: extension by the head or an authorized person"
	RuleExtensionDays    Rule = "art. 12 p.2: once, by 1–30 days"
	RuleQuestionCode     Rule = "a question or refinement of the organization's classifier"
	RuleQuestionKnown    Rule = "a question of this appeal"
	RuleQuestionKept     Rule = "a question with a final status stays on the card"
	RuleResult           Rule = "a result: explained, supported, not supported or answered (SSTU)"
	RuleMeasures         Rule = "measures taken only with Supported (SSTU actionsTaken)"
	RuleAssignment       Rule = "an assignment of this appeal"
	RuleOwnAssignment    Rule = "an executor reports on their own assignment"
	RuleReport           Rule = "an execution report with text"
	RuleExecutor         Rule = "each assignment names its executor and task"
	RuleAssignmentDue    Rule = "assignment due within the consideration term (art. 12)"
	RuleResolution       Rule = "a resolution with text"
	RuleResponsible      Rule = "a responsible staff member"
	RuleGround           Rule = "an art. 11 ground"
	RuleDecision         Rule = "art. 11 pp.5, 5.1: the decision or the web address of the answer"
	RuleRequestBody      Rule = "art. 10 p.2: the body asked for documents"
	RuleRequest          Rule = "a request of this appeal, not yet answered"
	RuleOpinion          Rule = "feedback: satisfied, not satisfied or no opinion, after the answer"
	RuleFeedbackOnce     Rule = "the applicant gives feedback once"
	RuleCard             Rule = "a card in the received state"
	RuleAssignmentOpen   Rule = "an assignment still running (not reported)"
	RuleRedateReason     Rule = "a reason for changing an assignment"
	RuleRequestReceipt   Rule = "art. 10 p.2: the day the body received the request, between sending and today"
	RuleGroundNotice     Rule = "art. 11: a ground known before its outcome"
	RuleAnonymous        Rule = "art. 11 p.1: an appeal marked anonymous (no name or no address to answer)"
	RuleRepeated         Rule = "art. 11 p.5: at least two earlier appeals of the applicant on the question, answered on the merits by this body"
	RuleNoAnswer         Rule = "art. 11 p.1: no answer to an anonymous appeal"
	RuleInputLength      Rule = "an input within the engine's limits (Options.Inputs): length, count, valid UTF-8"
	RuleDateRange        Rule = "a date within the years 1900–2199"
	RuleLinkOther        Rule = "another appeal to link with"
	RuleRefusalReason    Rule = "a reason the intake is not an appeal: channel, not an appeal, empty, duplicate"
)

// ErrExpired is matched (errors.Is) by every *ExpiredError.
var ErrExpired = errors.New("term expired")

// ExpiredError refuses a command that the law allows only while a term runs — an extension
// after the consideration term's legal date (art. 12 p.2): granting it then would erase a
// violation already committed. Nothing was saved.
type ExpiredError struct {
	// Command is the refused command.
	Command Command
	// Term is the term that expired and Legal its legal date.
	Term  TermKind
	Legal deadline.Date
}

// Error names the term and the day it expired.
func (e *ExpiredError) Error() string {
	return fmt.Sprintf("the %s term expired on %s (art. 12 p.2: extension while the term runs)", e.Term, e.Legal)
}

// Is makes errors.Is(err, ErrExpired) true.
func (e *ExpiredError) Is(target error) bool { return target == ErrExpired }

// refuse returns a *PrerequisiteError.
func refuse(cmd Command, field string, rule Rule, cause error) error {
	return &PrerequisiteError{Command: cmd, Field: field, Rule: rule, Err: cause}
}
