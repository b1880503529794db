// Package workflow is the engine an EDMS embeds to handle appeals under 59-FZ. It owns the
// commands on an appeal — receipt, registration, classification, resolution and assignments,
// reports, forwarding and copies, extension, inter-agency requests, draft, approval and
// sending of the answer, per-question results, art. 11 outcomes, withdrawal, feedback and
// closing — each one atomic and authorized, with its event in the audit trail and its notices
// in the outbox; the outbox Dispatcher; reminders (Monitor); and the applicant's view
// (PublicStatus).
//
// The host implements two small interfaces: Store keeps records, their events and the outbox
// (workflow/memstore is the in-memory reference, workflow/storetest the conformance suite
// every adapter passes), and Notifier delivers one notification. Notice texts are
// text/template templates in Russian that the host may replace (Options.Templates).
//
//	eng, err := workflow.New(memstore.New(memstore.Options{}), workflow.Options{Org: workflow.Organization{Name: "…"}})
//	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: card})
//	reg, err := eng.Register(ctx, clerk, rec.Appeal.ID, workflow.RegisterInput{IssuePIN: true})
//
// Refusals are typed: *DeniedError (ErrDenied) for authorization, *appeal.TransitionError
// (appeal.ErrForbidden) for the lifecycle, *appeal.ValidationError for the card and
// *PrerequisiteError (ErrPrerequisite) for what the law requires; a refused command saves
// nothing. Deadlines are days in the organization's zone (Organization.Location), counted by
// package deadline. Logs and error strings carry ids, numbers, states and commands, never
// personal data.
//
// # Terms
//
// Every running 59-FZ term is a deadline of the record (Record.Terms, Index.Terms): the
// registration (3 days from receipt, art. 8 p.2), the competence decision (7 days from
// registration, 5 on migration law, art. 8 pp.3, 3.1), the art. 11 notice (7 days), each
// inter-agency request (15 days from the other body's receipt, art. 10 p.2), each assignment,
// and consideration (30 days, 20 for the head of a subject on migration law, art. 12; one
// extension of up to 30, art. 12 p.2). Filter selects by them, Worklist shows them, Monitor
// reminds of them — due soon by the control date, overdue by the legal date — and a step done
// after its legal date is recorded in its event as late (Event.Late), never refused.
//
// # Roles
//
// The default role model (DefaultAuthorizer); an executor acts and reads only on appeals with
// their assignment, the applicant only on the appeal they opened (ApplicantFor).
//
// Generated table roles:
//
//	command           roles (admin: every command)
//	add_assignment    manager
//	approve           manager
//	assign            clerk, manager
//	classify          clerk, manager
//	close             clerk, manager
//	copy              clerk, manager
//	draft             executor, manager
//	export            clerk, manager, auditor
//	extend            manager
//	feedback          clerk, applicant
//	forward           clerk, manager
//	ground            clerk, manager
//	issue_pin         clerk
//	link              clerk, manager
//	outcome           manager
//	read              clerk, manager, executor, auditor, applicant
//	reassign          manager
//	receive           clerk
//	redate            manager
//	refuse            clerk, manager
//	register          clerk
//	report            executor, manager
//	request           clerk, manager, executor
//	request_done      clerk, manager, executor
//	request_received  clerk, manager, executor
//	resolve           manager
//	result            executor, manager
//	rework            manager
//	send              clerk
//	submit            clerk
//	unlink            clerk, manager
//	withdraw          clerk, applicant
//
// # Notices
//
// The default notice templates (workflow/templates/notices.tmpl), each kind with the
// NoticeData fields it uses; a host replaces any "<kind>.subject", "<kind>.body" or the shared
// "greeting" through Options.Templates.
//
// Generated table notices:
//
//	kind                   NoticeData fields used
//	registration           GivenName, Number, OrgPrepositional, OrganizationName, PIN, Patronymic, Planned, ReceivedOn, RegisteredOn
//	refusal                GivenName, OrgGenitive, OrganizationName, Patronymic, Reason, ReceivedOn, RefusalReason
//	forwarding             GivenName, Number, OrganizationName, Patronymic, Questions, RegisteredOn, Target
//	extension              Days, GivenName, Number, OrganizationName, Patronymic, Planned, Reason
//	answer                 AnswerNumber, GivenName, Number, Org, OrganizationName, Patronymic, Text
//	return                 GivenName, Ground, Number, OrganizationName, Patronymic, Text
//	left_without_answer    GivenName, Ground, Number, OrganizationName, Patronymic, Text
//	end_of_correspondence  Earlier, GivenName, Number, OrganizationName, Patronymic, Text
//	assignment             Due, Number, Task
//	assignment_changed     Due, Number, Reason, Task
//	assignment_removed     Number, Reason, Task
//	reminder_due_soon      Article, Control, DaysLeft, Legal, Number, ReceivedOn, Target, Task, Term
//	reminder_overdue       Article, DaysOverdue, Legal, Number, ReceivedOn, Target, Task, Term
package workflow
