package workflow

import (
	"context"
	"errors"
	"fmt"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow/access"
	"github.com/google/uuid"
)

// ErrNoAccess is the one answer to a status lookup whose number is unknown or whose PIN is
// wrong: the two are indistinguishable to the caller, so numbers cannot be probed.
var ErrNoAccess = errors.New("workflow: unknown registration number or wrong PIN")

// afterRegistration are the states in which an appeal has a number.
var afterRegistration = append(append([]appeal.State(nil), working...), appeal.StateAnswered,
	appeal.StateForwarded, appeal.StateLeftWithoutAnswer, appeal.StateReturned, appeal.StateWithdrawn, appeal.StateClosed)

// IssuePIN gives the applicant a new PIN for looking up the appeal's status by its number
// (ПИН-код для проверки статуса) and returns it in clear, once. Register with
// RegisterInput.IssuePIN does the same and puts the PIN in the registration notice; this
// command re-issues a lost PIN (the new one replaces the old). Only a salted slow hash is
// stored.
func (e *Engine) IssuePIN(ctx context.Context, actor Actor, id uuid.UUID) (WithPIN, error) {
	var pin string
	rec, err := e.run(ctx, actor, id, command{name: CmdIssuePIN, states: afterRegistration, mutate: func(c *change) error {
		p, err := c.issuePIN()
		pin = p
		c.changed("access")
		return err
	}})
	if err != nil {
		return WithPIN{}, err
	}
	return WithPIN{Record: rec, PIN: pin}, nil
}

// issuePIN draws a new PIN and keeps its hash on the record.
func (c *change) issuePIN() (string, error) {
	p, sec, err := access.NewPIN()
	if err != nil {
		return "", err
	}
	acc := Access(sec)
	c.rec.Access = &acc
	return p, nil
}

// LookupInput is what the applicant enters to look their appeal up, and who asks.
type LookupInput struct {
	// Number is the registration number as entered.
	Number string
	// PIN is the PIN as entered.
	PIN string
	// Client identifies the caller for Options.Limiter (access.Attempt.Client): the client's
	// IP address (an IPv6 /64 prefix), a session. The host sets it; callers without one share
	// a single budget.
	Client string
}

// Lookup finds the appeal with the registration number and checks the applicant's PIN, and
// returns the applicant bound to that appeal (ApplicantFor): the actor the applicant's own
// commands (Withdraw, Feedback) and reads (PublicStatus) take, valid for that appeal only. It
// answers ErrNoAccess alike for an unknown number, a number without a PIN and a wrong PIN,
// and takes the same time for each: the PIN is checked against an empty secret when there is
// nothing to check it against. Options.Limiter is asked first, with the client and the number,
// and told afterwards whether the attempt failed.
func (e *Engine) Lookup(ctx context.Context, in LookupInput) (Actor, error) {
	at := access.Attempt{Client: in.Client, Number: in.Number}
	if err := e.opt.Limiter.Allow(ctx, at); err != nil {
		return Actor{}, fmt.Errorf("workflow: lookup: %w", err)
	}
	id, err := e.lookup(ctx, in)
	e.opt.Limiter.Done(ctx, at, errors.Is(err, ErrNoAccess))
	if err != nil {
		return Actor{}, err
	}
	return ApplicantFor(id), nil
}

func (e *Engine) lookup(ctx context.Context, in LookupInput) (uuid.UUID, error) {
	var found *Record
	if in.Number != "" {
		for rec, err := range e.store.List(ctx, Filter{Number: in.Number, Limit: 1}) {
			if err != nil {
				return uuid.Nil, fmt.Errorf("workflow: lookup: %w", err)
			}
			found = rec
		}
	}
	var sec access.Secret
	if found != nil && found.Access != nil {
		sec = access.Secret(*found.Access)
	}
	if !access.Verify(sec, in.PIN) || found == nil {
		return uuid.Nil, ErrNoAccess
	}
	return found.Appeal.ID, nil
}

// StatusByPIN is the applicant's status page: Lookup, then PublicStatus.
func (e *Engine) StatusByPIN(ctx context.Context, in LookupInput) (PublicStatus, error) {
	applicant, err := e.Lookup(ctx, in)
	if err != nil {
		return PublicStatus{}, err
	}
	return e.PublicStatus(ctx, applicant, applicant.Appeal)
}
