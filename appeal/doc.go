// Package appeal models the appeal card (карточка обращения): the shared vocabulary of
// fz59/appeals. It owns the card's fields (applicants, questions, channels, kinds, attachments),
// the validation of the requisites that 59-FZ art. 7 demands, and the lifecycle of an appeal
// from receipt to closing, built on github.com/looplab/fsm behind a typed facade.
//
// The main calls:
//
//	a := appeal.New(id, receivedAt, appeal.ChannelPost)  // a draft card in StateReceived
//	err := appeal.Validate(a, appeal.ValidateOptions{})  // all art. 7 problems at once
//	err = a.Apply(appeal.ActionRegister)                 // a lifecycle step, or *TransitionError
//
// Card fields that hold personal data (names, addresses, phones, e-mails) never appear in the
// error strings of this package: a problem names the field and the rule, never the value.
//
// # Lifecycle
//
// Generated from the definition by looplab/fsm's visualizer (Diagram; the README holds the
// same text):
//
// Generated table lifecycle:
//
//	stateDiagram-v2
//	    [*] --> received
//	    answer_approved --> in_execution: rework
//	    answer_approved --> answered: send
//	    answer_approved --> withdrawn: withdraw
//	    answer_drafting --> answer_approved: approve
//	    answer_drafting --> in_execution: rework
//	    answer_drafting --> withdrawn: withdraw
//	    answered --> closed: close
//	    forwarded --> closed: close
//	    in_execution --> answer_drafting: draft_answer
//	    in_execution --> forwarded: forward
//	    in_execution --> left_without_answer: leave_without_answer
//	    in_execution --> returned: return
//	    in_execution --> withdrawn: withdraw
//	    left_without_answer --> closed: close
//	    received --> refused: refuse
//	    received --> registered: register
//	    received --> withdrawn: withdraw
//	    registered --> forwarded: forward
//	    registered --> left_without_answer: leave_without_answer
//	    registered --> returned: return
//	    registered --> under_review: submit
//	    registered --> withdrawn: withdraw
//	    returned --> closed: close
//	    under_review --> answer_drafting: draft_answer
//	    under_review --> forwarded: forward
//	    under_review --> left_without_answer: leave_without_answer
//	    under_review --> in_execution: resolve
//	    under_review --> returned: return
//	    under_review --> withdrawn: withdraw
//	    withdrawn --> closed: close
//
// # Requisites
//
// What Validate asks of each form of appeal (Form; art. 7 pp.1, 3), besides the essence, the
// kind and a citizen's surname and given name that every form needs; "since" is the edition
// of the law from which a row applies (Requisites):
//
// Generated table requisites:
//
//	form        field                        rule                                       since       when
//	written     addressee                    art. 7 p.1: addressee
//	written     applicants[0].postalAddress  art. 7 p.1: postal address                             not anonymous
//	written     signed                       art. 7 p.1: personal signature                         not anonymous
//	written     dated                        art. 7 p.1: date of the appeal
//	electronic  applicants[0].email          art. 7 p.3: e-mail address                             not anonymous, not ЕПГУ, an electronic answer: no paper answer asked for and no account of the system it came by
//	electronic  applicants[0].account        art. 7 p.3 (480-ФЗ): personal account      2023-09-01  not anonymous, ЕПГУ, no e-mail and no paper answer asked for
//	electronic  identified                   art. 4 p.1 (547-ФЗ): identified applicant  2025-03-30  the organization's own site or system
package appeal
