// Package access owns the applicant's secret for looking up an appeal's status by its
// registration number and a PIN ("nobody else's appeal is reachable that way"):
// making a random PIN at registration, keeping only a salted slow hash of it, checking an
// entered PIN in the same time whether the number is known or not, and limiting the attempts
// (MemoryLimiter, the engine's default Limiter) so that guessing locks out the guesser, not
// the citizen.
//
//	pin, sec, err := access.NewPIN()                                   // show pin once; store workflow.Access(sec)
//	err = limiter.Allow(ctx, access.Attempt{Client: ip, Number: number}) // refused: answer "try later"
//	ok := access.Verify(access.Secret(*rec.Access), entered)           // then limiter.Done(ctx, at, !ok)
//
// The package does not import workflow (the engine imports it); Secret has the shape of
// workflow.Access, so each converts to the other.
package access
