package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
)

// Role is a staff role in the default role model.
type Role string

// The roles.
const (
	// RoleClerk — делопроизводитель: receives, registers, forwards, sends.
	RoleClerk Role = "clerk"
	// RoleManager — руководитель: resolutions, extensions, approvals, art. 11 decisions.
	RoleManager Role = "manager"
	// RoleExecutor — исполнитель: reports, drafts answers, sets results.
	RoleExecutor Role = "executor"
	// RoleAuditor — reads everything (an inspection, the prosecutor's office); runs no command.
	RoleAuditor Role = "auditor"
	// RoleAdmin may run every command.
	RoleAdmin Role = "admin"
	// RoleApplicant is the applicant acting for themselves, on the one appeal they opened:
	// withdrawal, feedback, their status.
	RoleApplicant Role = "applicant"
)

// Actor is who runs a command or reads: a staff id with roles, or the applicant bound to one
// appeal (ApplicantFor, as Lookup returns it). The id is written to the history and the logs,
// so it must not be personal data.
type Actor struct {
	// ID is the staff id, or "applicant"; Roles are the roles it holds.
	ID    string
	Roles []Role
	// Appeal binds an applicant actor to the appeal they opened by number and PIN: they may
	// act on and read that appeal only.
	Appeal uuid.UUID
}

// Has reports whether the actor has role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// ApplicantFor is the applicant acting for themselves on the appeal with the id (withdrawal,
// art. 5; feedback; status). Lookup returns it after checking the number and the PIN; a host
// that identifies the applicant otherwise (its personal account, ЕСИА) builds it the same way.
func ApplicantFor(id uuid.UUID) Actor {
	return Actor{ID: "applicant", Roles: []Role{RoleApplicant}, Appeal: id}
}

// systemActor runs Monitor.
const systemActor = "system"

// Command names a command of the engine; it is the Event.Command of the event it writes.
type Command string

// The commands.
const (
	CmdReceive         Command = "receive"          // Receipt — поступление
	CmdRegister        Command = "register"         // Registration — регистрация
	CmdClassify        Command = "classify"         // questions by the classifier
	CmdAssign          Command = "assign"           // the Responsible — ответственный
	CmdSubmit          Command = "submit"           // to the manager for a resolution
	CmdResolve         Command = "resolve"          // Resolution — резолюция, with assignments
	CmdReport          Command = "report"           // ExecutionReport — отчет об исполнении
	CmdForward         Command = "forward"          // Forwarding — перенаправление по компетенции
	CmdCopy            Command = "copy"             // copies to several bodies (art. 8 p.4)
	CmdExtend          Command = "extend"           // Extension — продление срока
	CmdRequest         Command = "request"          // InterAgencyRequest — запрос в другой орган
	CmdRequestDone     Command = "request_done"     // the body's reply to a request
	CmdRequestReceived Command = "request_received" // the day the body received a request
	CmdAddAssignment   Command = "add_assignment"   // one more Assignment after the resolution
	CmdRedate          Command = "redate"           // an assignment's new due date
	CmdReassign        Command = "reassign"         // an assignment to another executor
	CmdGround          Command = "ground"           // an art. 11 ground known, before its outcome
	CmdRefuse          Command = "refuse"           // refusal to register: not a 59-FZ appeal
	CmdLink            Command = "link"             // a duplicate linked, both ways
	CmdUnlink          Command = "unlink"           // a duplicate link undone
	CmdDraft           Command = "draft"            // AnswerDraft — проект ответа
	CmdRework          Command = "rework"           // the draft back to the executors
	CmdApprove         Command = "approve"          // Approval — согласование
	CmdSend            Command = "send"             // Answer — ответ
	CmdResult          Command = "result"           // a question's result
	CmdOutcome         Command = "outcome"          // art. 11: LeftWithoutAnswer, Return, EndOfCorrespondence
	CmdWithdraw        Command = "withdraw"         // Withdrawal — отзыв обращения
	CmdFeedback        Command = "feedback"         // Feedback — мнение заявителя
	CmdClose           Command = "close"            // снятие с контроля
	CmdIssuePIN        Command = "issue_pin"        // the applicant's PIN for status lookup
	CmdRemind          Command = "remind"           // Monitor's reminders

	// CmdRead is reading an appeal (its card, history, status, a line of a list or worklist);
	// it writes no event, and Options.AccessLog may record it (152-ФЗ).
	CmdRead Command = "read"
	// CmdExport is reading appeals in bulk for a report: the ССТУ.РФ export, the archive.
	CmdExport Command = "export"
)

// Authorizer decides whether an actor may run a command on a record (nil for a receipt, the
// record not existing yet). It returns nil or an error; the engine wraps a refusal in a
// *DeniedError unless it already is one.
type Authorizer interface {
	Authorize(ctx context.Context, a Actor, cmd Command, rec *Record) error
}

// ErrDenied is matched (errors.Is) by every *DeniedError.
var ErrDenied = errors.New("not authorized")

// DeniedError is an authorization refusal: the actor's id and the command, never personal data.
type DeniedError struct {
	// Actor is the actor's id and Command the command refused.
	Actor   string
	Command Command
	// Reason says why, when the authorizer gave one.
	Reason string
}

// Error says who may not run which command, and why.
func (e *DeniedError) Error() string {
	s := fmt.Sprintf("%s may not %s", e.Actor, e.Command)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Is makes errors.Is(err, ErrDenied) true.
func (e *DeniedError) Is(target error) bool { return target == ErrDenied }

// RoleAuthorizer is the role model: each command (reads included) lists the roles that may run
// it; RoleAdmin may run every command. Two roles are bound to appeals: an executor acts and
// reads only on appeals where they hold an assignment or are responsible, and an applicant
// only on the appeal they opened (Actor.Appeal). With a nil record (a receipt, or the question
// "may this actor read every appeal?") only the unbound roles pass.
type RoleAuthorizer map[Command][]Role

// DefaultAuthorizer returns the default role model (a fresh map the host may change).
func DefaultAuthorizer() RoleAuthorizer {
	clerk, manager, executor, applicant := RoleClerk, RoleManager, RoleExecutor, RoleApplicant
	return RoleAuthorizer{
		CmdReceive:         {clerk},
		CmdRegister:        {clerk},
		CmdClassify:        {clerk, manager},
		CmdAssign:          {clerk, manager},
		CmdSubmit:          {clerk},
		CmdResolve:         {manager},
		CmdReport:          {executor, manager},
		CmdForward:         {clerk, manager},
		CmdCopy:            {clerk, manager},
		CmdExtend:          {manager},
		CmdRequest:         {clerk, manager, executor},
		CmdRequestDone:     {clerk, manager, executor},
		CmdRequestReceived: {clerk, manager, executor},
		CmdAddAssignment:   {manager},
		CmdRedate:          {manager},
		CmdReassign:        {manager},
		CmdGround:          {clerk, manager},
		CmdRefuse:          {clerk, manager},
		CmdLink:            {clerk, manager},
		CmdUnlink:          {clerk, manager},
		CmdDraft:           {executor, manager},
		CmdRework:          {manager},
		CmdApprove:         {manager},
		CmdSend:            {clerk},
		CmdResult:          {executor, manager},
		CmdOutcome:         {manager},
		CmdWithdraw:        {clerk, applicant},
		CmdFeedback:        {clerk, applicant},
		CmdClose:           {clerk, manager},
		CmdIssuePIN:        {clerk},
		CmdRead:            {clerk, manager, executor, RoleAuditor, applicant},
		CmdExport:          {clerk, manager, RoleAuditor},
	}
}

// Authorize implements Authorizer.
func (m RoleAuthorizer) Authorize(_ context.Context, a Actor, cmd Command, rec *Record) error {
	if a.Has(RoleAdmin) {
		return nil
	}
	reason := "no role for the command"
	for _, r := range m[cmd] {
		if !a.Has(r) {
			continue
		}
		switch r {
		case RoleExecutor:
			if rec != nil && rec.involves(a.ID) {
				return nil
			}
			reason = "an executor acts only on appeals with their assignment"
		case RoleApplicant:
			if rec != nil && a.Appeal != uuid.Nil && rec.Appeal.ID == a.Appeal {
				return nil
			}
			reason = "the applicant acts only on the appeal they opened"
		default:
			return nil
		}
	}
	return &DeniedError{Actor: a.ID, Command: cmd, Reason: reason}
}

// involves reports whether staff holds an assignment of the record or is its responsible.
func (r *Record) involves(staff string) bool {
	if r.Appeal != nil && r.Appeal.Responsible == staff {
		return true
	}
	return slices.ContainsFunc(r.Assignments, func(as Assignment) bool { return as.Executor == staff })
}
