// Package access owns the applicant's secret for looking up an appeal's status by its
// registration number and a PIN (DESIGN.md: "nobody else's appeal is reachable that way"):
// making a random PIN at registration, keeping only a salted slow hash of it, checking an
// entered PIN in constant time, and the hook through which the host rate-limits attempts.
//
//	pin, sec, err := access.NewPIN()           // show pin once; store workflow.Access(sec)
//	ok := access.Verify(access.Secret(*rec.Access), entered)
//	err = limiter.Allow(ctx, number)           // before every lookup; refuse when non-nil
//
// The package does not import workflow (the engine imports it); Secret has the shape of
// workflow.Access, so each converts to the other.
package access
