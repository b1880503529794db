// Package intake turns what arrives from outside — the internet reception's web form
// (интернет-приемная) and e-mail — into draft appeal cards for the workflow engine. It owns
// decoding and checking a form (characters, limits, consent, the art. 7 requisites by channel,
// all problems at once), parsing an e-mail (MIME, transfer encodings, Russian charsets, HTML
// to text, a letter without a sender taken in as anonymous), streaming attachments to the
// host's appeal.Blobs with size and SHA-256, and the intake key that makes a double-submitted
// form or a re-read e-mail one appeal.
//
//	f, err := intake.DecodeMultipart(ctx, r.MultipartForm, lim, blobs) // or DecodeForm(r.PostForm)
//	d, err := intake.FromForm(f, appeal.ChannelWebForm, lim, now)      // or ParseEmail(ctx, msg, lim, blobs, now)
//	rec, err := eng.Receive(ctx, actor, workflow.Intake{Card: d.Appeal, IntakeKey: d.IntakeKey}) // a duplicate: *workflow.DuplicateError
//
// The functions take their arguments in one order: the context, what arrived (and on which
// channel), the Limits, the Blobs, the moment of receipt. Limits bound the work and memory
// spent on hostile input; their defaults suit an internet reception.
//
// No error string of this package holds the content of a form or message: a problem names the
// form field and the rule, a *PartError the MIME part and the rule.
package intake
