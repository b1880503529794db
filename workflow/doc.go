// Package workflow is the engine an EDMS embeds to handle appeals under 59-FZ: intake,
// registration, resolutions and assignments, forwarding, extensions, answers, art. 11
// outcomes, notifications through an outbox, reminders and the audit trail.
//
// The host implements two small interfaces: Store keeps records, their events and the outbox
// (workflow/memstore is the in-memory reference, workflow/storetest the conformance suite
// every adapter passes), and Notifier delivers one notification.
//
//	eng, err := workflow.New(memstore.New(), notifier, workflow.Options{...})
//	rec, err := eng.Receive(ctx, actor, card)
//	rec, err = eng.Register(ctx, actor, rec.Appeal.ID)
package workflow
