package workflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/access"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusByNumberAndPIN(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(classified)
	issued, err := f.eng.IssuePIN(f.ctx, clerk, id)
	pin, rec := issued.PIN, issued.Record
	require.NoError(t, err)
	require.NotNil(t, rec.Access)
	assert.GreaterOrEqual(t, access.PINBits, 40, "issue 8: at least 40 bits")

	ps, err := f.eng.StatusByPIN(f.ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin})
	require.NoError(t, err)
	assert.Equal(t, rec.Appeal.Number, ps.Number)
	assert.Equal(t, appeal.StateRegistered, ps.State)
	assert.False(t, ps.Planned.IsZero())

	// A re-issued PIN replaces the old one.
	issued, err = f.eng.IssuePIN(f.ctx, clerk, id)
	pin2 := issued.PIN
	require.NoError(t, err)
	assert.NotEqual(t, pin, pin2)
	_, err = f.eng.Lookup(f.ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin})
	assert.ErrorIs(t, err, workflow.ErrNoAccess)
	got, err := f.eng.Lookup(f.ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin2})
	require.NoError(t, err)
	assert.Equal(t, workflow.ApplicantFor(id), got, "the applicant bound to the appeal")
}

// A wrong PIN, an unknown number and a number that was never given a PIN answer alike: the
// same error value, the same text (DESIGN.md: nobody else's appeal is reachable that way).
func TestLookupAnswersAlike(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(registered)
	issued, err := f.eng.IssuePIN(f.ctx, clerk, id)
	pin, rec := issued.PIN, issued.Record
	require.NoError(t, err)
	noPIN := f.appealAt(registered)
	other, err := f.eng.Get(f.ctx, auditor, noPIN)
	require.NoError(t, err)

	cases := []struct{ name, number, pin string }{
		{"wrong PIN", rec.Appeal.Number, "0000-0000-0000"},
		{"unknown number", "Ж-2025-999999", pin},
		{"number without a PIN", other.Appeal.Number, pin},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.eng.Lookup(f.ctx, workflow.LookupInput{Number: c.number, PIN: c.pin})
			assert.Zero(t, got)
			assert.Same(t, workflow.ErrNoAccess, err) // not wrapped: nothing that differs
			_, err = f.eng.StatusByPIN(f.ctx, workflow.LookupInput{Number: c.number, PIN: c.pin})
			assert.Same(t, workflow.ErrNoAccess, err)
		})
	}
}

func TestLookupAsksTheLimiter(t *testing.T) {
	var calls atomic.Int32
	limited := errors.New("slow down")
	f := newFixture(t, func(o *workflow.Options) {
		o.Limiter = access.LimiterFunc(func(_ context.Context, _ access.Attempt) error {
			if calls.Add(1) > 2 {
				return limited
			}
			return nil
		})
	})
	id := f.appealAt(registered)
	issued, err := f.eng.IssuePIN(f.ctx, clerk, id)
	pin, rec := issued.PIN, issued.Record
	require.NoError(t, err)
	for range 2 {
		_, err = f.eng.Lookup(f.ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin})
		require.NoError(t, err)
	}
	_, err = f.eng.Lookup(f.ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin})
	assert.ErrorIs(t, err, limited)
}

// Without Options.Limiter the engine limits lookups itself (access.MemoryLimiter): a client
// guessing at a number is locked out, the applicant on their own client still gets in, and
// the applicant's successful lookups do not count.
func TestLookupLimitedByDefault(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(registered)
	issuedPIN, err := f.eng.IssuePIN(f.ctx, clerk, id)
	pin, rec := issuedPIN.PIN, issuedPIN.Record
	require.NoError(t, err)
	guess := workflow.LookupInput{Number: rec.Appeal.Number, PIN: "0000-0000-0000", Client: "198.51.100.9"}
	for range 10 {
		_, err = f.eng.Lookup(f.ctx, guess)
		require.ErrorIs(t, err, workflow.ErrNoAccess)
	}
	_, err = f.eng.Lookup(f.ctx, guess)
	assert.ErrorIs(t, err, access.ErrLimited)
	own := workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin, Client: "203.0.113.7"}
	for range 20 {
		got, err := f.eng.Lookup(f.ctx, own)
		require.NoError(t, err)
		assert.Equal(t, id, got.Appeal)
	}
}

// Only a hash of the PIN is kept: not in the record, not in the history, not in the outbox.
func TestPINNotStoredInClear(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(classified)
	issued, err := f.eng.IssuePIN(f.ctx, clerk, id)
	pin, _ := issued.PIN, issued.Record
	require.NoError(t, err)
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	h, err := f.eng.History(f.ctx, auditor, id)
	require.NoError(t, err)
	stored, err := json.Marshal([]any{rec, h, f.store.Notifications(id)})
	require.NoError(t, err)
	for _, form := range []string{pin, strings.ReplaceAll(pin, "-", ""), strings.ToLower(pin)} {
		assert.NotContains(t, string(stored), form)
	}
	assert.NotContains(t, f.logs.String(), strings.ReplaceAll(pin, "-", ""))
}

func TestIssuePINRefusals(t *testing.T) {
	f := newFixture(t)
	draft := f.appealAt(received)
	before := f.snap(draft)
	_, err := f.eng.IssuePIN(f.ctx, clerk, draft)
	assert.ErrorIs(t, err, appeal.ErrForbidden, "no number before registration")
	assert.Equal(t, before, f.snap(draft))

	id := f.appealAt(registered)
	_, err = f.eng.IssuePIN(f.ctx, executor, id)
	assert.ErrorIs(t, err, workflow.ErrDenied)
}

// The survey: after the answer, once (issue 8; the two opinions of the card).
func TestSurveyOnce(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(answered)
	issued, err := f.eng.IssuePIN(f.ctx, clerk, id)
	pin, rec := issued.PIN, issued.Record
	require.NoError(t, err)
	got, err := f.eng.Lookup(f.ctx, workflow.LookupInput{Number: rec.Appeal.Number, PIN: pin})
	require.NoError(t, err)
	rec, err = f.eng.Feedback(f.ctx, got, id, workflow.FeedbackInput{Result: appeal.Satisfied, Measures: appeal.NotSatisfied})
	require.NoError(t, err)
	assert.Equal(t, appeal.Satisfied, rec.Appeal.Feedback.Result)

	before := f.snap(id)
	_, err = f.eng.Feedback(f.ctx, workflow.ApplicantFor(id), id, workflow.FeedbackInput{Result: appeal.NotSatisfied, Measures: appeal.NotSatisfied})
	var pe *workflow.PrerequisiteError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, workflow.RuleFeedbackOnce, pe.Rule)
	assert.Equal(t, before, f.snap(id))
	h, err := f.eng.History(f.ctx, auditor, id)
	require.NoError(t, err)
	assert.Equal(t, workflow.CmdFeedback, h[len(h)-1].Command, "stored as an event")
}

// A double-submitted web form creates one appeal, not two (issue 8).
func TestDoubleSubmittedFormCreatesOneAppeal(t *testing.T) {
	f := newFixture(t)
	form := intake.DecodeForm(url.Values{
		"surname": {"Петров"}, "given_name": {"Петр"}, "email": {"petrov@example.ru"},
		"text": {"Прошу починить фонарь у дома 3."}, "kind": {"statement"}, "consent": {"yes"},
		"token": {"4f1c0a9e-form-token-000000000001"},
	})
	form.Identified = true // the host's ЕСИА session, never the browser
	var ids []string
	for range 2 {
		d, err := intake.FromForm(form, appeal.ChannelWebForm, intake.Limits{}, f.clock.Now())
		require.NoError(t, err)
		rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: d.Appeal, IntakeKey: d.IntakeKey})
		if err == nil {
			ids = append(ids, rec.Appeal.ID.String())
			continue
		}
		var de *workflow.DuplicateError
		require.ErrorAs(t, err, &de)
		assert.ErrorIs(t, err, workflow.ErrDuplicate)
		assert.Equal(t, ids[0], de.Existing.String())
	}
	n, err := f.eng.Count(f.ctx, auditor, workflow.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Len(t, ids, 1)
}

// Registration validates the card as received (art. 7) and refuses a registration dated before
// the receipt (art. 8 p.2), saving nothing.
func TestRegisterBeforeReceiptRefused(t *testing.T) {
	f := newFixture(t)
	c := card()
	c.ReceivedAt = start.Add(48 * time.Hour) // a host's clock ahead of the engine's
	rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: c})
	require.NoError(t, err)
	before := f.snap(rec.Appeal.ID)
	_, err = recOf(f.eng.Register(f.ctx, clerk, rec.Appeal.ID, workflow.RegisterInput{}))
	var ve *appeal.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has("registeredAt", appeal.RuleRegistrationOrder))
	assert.Equal(t, before, f.snap(rec.Appeal.ID))
}
