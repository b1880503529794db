// Package appeal models the appeal card (карточка обращения): the shared vocabulary of
// fz59/appeals. It owns the card's fields (applicants, questions, channels, kinds, attachments),
// the validation of the requisites that 59-FZ art. 7 demands, and the lifecycle of an appeal
// from receipt to closing, built on github.com/looplab/fsm behind a typed facade.
//
// The main calls:
//
//	a := appeal.New(id, receivedAt, appeal.ChannelPost)  // a draft card in StateReceived
//	err := appeal.Validate(a, appeal.ValidateOptions{})  // all art. 7 problems at once
//	err = a.Apply(appeal.ActionRegister)                  // a lifecycle step, or *TransitionError
//
// Card fields that hold personal data (names, addresses, phones, e-mails) never appear in the
// error strings of this package: a problem names the field and the rule, never the value.
package appeal
