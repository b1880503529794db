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
//	rec, err = eng.Register(ctx, clerk, rec.Appeal.ID) // number, 30-day term, notice
//
// Refusals are typed: *DeniedError (ErrDenied) for authorization, *appeal.TransitionError
// (appeal.ErrForbidden) for the lifecycle, *appeal.ValidationError for the card and
// *PrerequisiteError (ErrPrerequisite) for what the law requires; a refused command saves
// nothing. Deadlines are days in the organization's zone (Organization.Location), counted by
// package deadline. Logs and error strings carry ids, numbers, states and commands, never
// personal data.
package workflow
