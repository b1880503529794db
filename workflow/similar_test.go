package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const liftText = "Прошу принять меры: в нашем доме по улице Садовой, дом 17, второй месяц не работает лифт. " +
	"Управляющая компания на звонки не отвечает, заявки не принимает. Пожилые жильцы не могут выйти из квартир. " +
	"Прошу обязать управляющую компанию отремонтировать лифт и сообщить о сроках ремонта."

// liftCard is a letter about the lift by the given applicant, received at the given time.
func liftCard(p appeal.Applicant, at time.Time, text string) *appeal.Appeal {
	a := card()
	a.ReceivedAt, a.Text = at, text
	a.Applicants = []appeal.Applicant{p}
	return a
}

func relatedIDs(rs []workflow.Related) []uuid.UUID {
	var ids []uuid.UUID
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	return ids
}

// From receipt on, the record names its duplicate candidates (the same applicant,
// a like text, within the window) and the similar appeals of anyone, each with why.
func TestDuplicateCandidates(t *testing.T) {
	f := newFixture(t)
	first := f.receiveCard(liftCard(citizen(), start, liftText))

	// The same letter again, re-sent a week later with a greeting, ё and a typo.
	f.clock.Add(7 * 24 * time.Hour)
	again := liftCard(citizen(), start.Add(7*24*time.Hour),
		"Здравствуйте! "+liftText[:len(liftText)-len("ремонта.")]+"ремонта. Ещё раз прошу помочь, лифт не работает.")
	rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: again})
	require.NoError(t, err)
	require.Equal(t, []uuid.UUID{first}, relatedIDs(rec.Duplicates), "a duplicate candidate at receipt")
	d := rec.Duplicates[0]
	assert.True(t, d.SameApplicant)
	assert.Greater(t, d.Score, 0.5)
	assert.NotEmpty(t, d.Phrases, "the reason: shared phrases")
	stored, err := f.eng.Get(f.ctx, auditor, rec.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, rec.Duplicates, stored.Duplicates, "kept in the store")

	// A neighbour writes the same complaint: similar, not a duplicate (another applicant).
	neighbour := appeal.Applicant{Surname: "Петров", GivenName: "Петр", Email: "petrov@example.ru",
		PostalAddress: "г. N, ул. Садовая, д. 17, кв. 9", AnswerChannel: appeal.AnswerByEmail, Consent: true}
	rec, err = f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: liftCard(neighbour, start.Add(7*24*time.Hour), liftText)})
	require.NoError(t, err)
	assert.Empty(t, rec.Duplicates, "another applicant is no duplicate")
	require.Contains(t, relatedIDs(rec.Similar), first)
	for _, s := range rec.Similar {
		assert.False(t, s.SameApplicant)
	}

	// The same applicant on another matter: neither.
	rec, err = f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: liftCard(citizen(), start.Add(7*24*time.Hour),
		"Прошу разъяснить порядок получения налогового вычета за обучение ребёнка в вузе.")})
	require.NoError(t, err)
	assert.Empty(t, rec.Duplicates)
	assert.Empty(t, rec.Similar)

	// The same letter a year later is outside the default 60-day window: similar, not a duplicate.
	late := start.AddDate(1, 0, 0)
	f.clock.Add(late.Sub(f.clock.Now()))
	rec, err = f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: liftCard(citizen(), late, liftText)})
	require.NoError(t, err)
	assert.Empty(t, rec.Duplicates, "outside the window")
	assert.Contains(t, relatedIDs(rec.Similar), first)

	// The registered record carries them.
	reg, err := f.eng.Register(f.ctx, clerk, rec.Appeal.ID, workflow.RegisterInput{})
	require.NoError(t, err)
	assert.Contains(t, relatedIDs(reg.Record.Similar), first)
	assert.NotContains(t, relatedIDs(reg.Record.Similar), rec.Appeal.ID, "not itself")
}

// A configured window, and Warm: an engine started over a filled store finds what an earlier
// engine stored.
func TestDuplicateWindowAndWarm(t *testing.T) {
	store := memstore.New(memstore.Options{})
	c := &clock{t: start}
	opt := func() workflow.Options {
		return workflow.Options{Clock: c.Now, DuplicateWindow: 3 * 24 * time.Hour,
			Org: workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"}}
	}
	eng, err := workflow.New(store, opt())
	require.NoError(t, err)
	ctx := t.Context()
	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: liftCard(citizen(), start, liftText)})
	require.NoError(t, err)
	first := rec.Appeal.ID

	restarted, err := workflow.New(store, opt())
	require.NoError(t, err)
	rec, err = restarted.Receive(ctx, clerk, workflow.Intake{Card: liftCard(citizen(), start.Add(24*time.Hour), liftText)})
	require.NoError(t, err)
	assert.Empty(t, rec.Duplicates, "a cold index knows nothing")

	warm, err := workflow.New(store, opt())
	require.NoError(t, err)
	require.NoError(t, warm.Warm(ctx))
	rec, err = warm.Receive(ctx, clerk, workflow.Intake{Card: liftCard(citizen(), start.Add(2*24*time.Hour), liftText)})
	require.NoError(t, err)
	assert.Len(t, rec.Duplicates, 2, "both earlier letters, after Warm")
	assert.Contains(t, relatedIDs(rec.Duplicates), first)

	rec, err = warm.Receive(ctx, clerk, workflow.Intake{Card: liftCard(citizen(), start.Add(5*24*time.Hour), liftText)})
	require.NoError(t, err)
	assert.NotContains(t, relatedIDs(rec.Duplicates), first, "five days is past a three-day window")
}

// A person links a duplicate: both appeals name each other, each with an event; linking again
// writes nothing; unlinking undoes both sides. The engine never links by itself.
func TestLinkDuplicate(t *testing.T) {
	f := newFixture(t)
	a := f.receiveCard(liftCard(citizen(), start, liftText))
	b := f.receiveCard(liftCard(citizen(), start.Add(time.Hour), liftText))
	for _, id := range []uuid.UUID{a, b} {
		rec, err := f.eng.Get(f.ctx, auditor, id)
		require.NoError(t, err)
		assert.Empty(t, rec.Links, "no link without a person")
	}
	f.clock.Add(time.Minute)
	rec, err := f.eng.LinkDuplicate(f.ctx, clerk, b, workflow.LinkInput{With: a})
	require.NoError(t, err)
	require.Len(t, rec.Links, 1)
	assert.Equal(t, workflow.Link{With: a, By: clerk.ID, At: f.clock.Now()}, rec.Links[0])
	other, err := f.eng.Get(f.ctx, auditor, a)
	require.NoError(t, err)
	require.Len(t, other.Links, 1)
	assert.Equal(t, b, other.Links[0].With, "two-way")
	for id, with := range map[uuid.UUID]uuid.UUID{a: b, b: a} {
		ev := f.lastEvent(id)
		assert.Equal(t, workflow.CmdLink, ev.Command)
		assert.Equal(t, with.String(), ev.Reason)
	}

	before := [2]snapshot{f.snap(a), f.snap(b)}
	_, err = f.eng.LinkDuplicate(f.ctx, manager, a, workflow.LinkInput{With: b})
	require.NoError(t, err)
	assert.Equal(t, before, [2]snapshot{f.snap(a), f.snap(b)}, "linking linked appeals writes nothing")

	_, err = f.eng.LinkDuplicate(f.ctx, executor, a, workflow.LinkInput{With: b})
	require.ErrorIs(t, err, workflow.ErrDenied, "an executor may not link, even a no-op")
	_, err = f.eng.LinkDuplicate(f.ctx, clerk, a, workflow.LinkInput{With: a})
	require.ErrorIs(t, err, workflow.ErrPrerequisite, "not with itself")
	_, err = f.eng.LinkDuplicate(f.ctx, clerk, a, workflow.LinkInput{With: uuid.New()})
	require.ErrorIs(t, err, workflow.ErrNotFound)

	_, err = f.eng.UnlinkDuplicate(f.ctx, clerk, a, workflow.LinkInput{With: b})
	require.NoError(t, err)
	for _, id := range []uuid.UUID{a, b} {
		rec, err := f.eng.Get(f.ctx, auditor, id)
		require.NoError(t, err)
		assert.Empty(t, rec.Links, "undone on both")
		assert.Equal(t, workflow.CmdUnlink, f.lastEvent(id).Command)
	}
}

// The applicant's history lists the earlier appeals with their questions and outcomes, and
// hints at art. 11 p.5 when a question was answered on the merits twice before.
func TestApplicantHistory(t *testing.T) {
	f := newFixture(t)
	first := f.appealAt(answered)
	f.clock.Add(24 * time.Hour)
	cur := f.appealAt(inExecution)
	h, err := f.eng.ApplicantHistory(f.ctx, manager, cur)
	require.NoError(t, err)
	require.Len(t, h.Earlier, 1)
	e := h.Earlier[0]
	assert.Equal(t, first, e.ID)
	assert.True(t, e.Answered)
	assert.Equal(t, appeal.StateAnswered, e.State)
	require.Len(t, e.Questions, 2)
	assert.Equal(t, appeal.StatusSupported, e.Questions[0].Status)
	assert.Empty(t, h.Repeated, "one answer is no hint")

	second := f.appealAt(answered)
	f.clock.Add(24 * time.Hour)
	third := f.appealAt(inExecution)
	// Another applicant's appeal is not in the history.
	other := card()
	other.Applicants[0] = appeal.Applicant{Surname: "Петров", GivenName: "Петр", Email: "petrov@example.ru", Consent: true}
	f.receiveCard(other)

	h, err = f.eng.ApplicantHistory(f.ctx, manager, third)
	require.NoError(t, err)
	ids := []uuid.UUID{}
	for _, e := range h.Earlier {
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []uuid.UUID{first, cur, second}, ids, "oldest first, the applicant's only")
	numbers := func(ids ...uuid.UUID) []string {
		var out []string
		for _, id := range ids {
			rec, err := f.eng.Get(f.ctx, auditor, id)
			require.NoError(t, err)
			out = append(out, rec.Appeal.Number)
		}
		return out
	}
	assert.Equal(t, []workflow.Repeated{{Code: qUtilities, Numbers: numbers(first, second)},
		{Code: qWages, Numbers: numbers(first, second)}}, h.Repeated, "answered on the merits twice")

	early, err := f.eng.ApplicantHistory(f.ctx, manager, cur)
	require.NoError(t, err)
	require.Len(t, early.Earlier, 1, "what came later is not history")

	// The decision the hint supports names the same appeals.
	rec, err := f.eng.Decide(f.ctx, manager, third, workflow.OutcomeInput{Ground: workflow.GroundRepeated, Decision: "Решение"})
	require.NoError(t, err)
	assert.Equal(t, h.Repeated[0].Numbers, rec.Outcome.Earlier)

	// An executor sees only the appeals assigned to them.
	h, err = f.eng.ApplicantHistory(f.ctx, executor2, third)
	require.ErrorIs(t, err, workflow.ErrDenied)
	assert.Empty(t, h.Earlier)
}

// recordingIndex is a similar.Index that remembers what was put, in order, and fails the
// call of Put numbered failAt (from 1), if set, and no other.
type recordingIndex struct {
	similar.Index
	mu     sync.Mutex
	puts   []similar.Document
	calls  int
	failAt int
}

var errIndexFull = errors.New("index full")

func (x *recordingIndex) Put(d similar.Document) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.calls++; x.calls == x.failAt {
		return errIndexFull
	}
	x.puts = append(x.puts, d)
	return x.Index.Put(d)
}

func docIDs(ds []similar.Document) []uuid.UUID {
	ids := make([]uuid.UUID, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}

// Warm makes the documents on several cores but puts them as the commands did: every appeal,
// in the store's order, each the document its receipt put.
func TestWarmPutsInStoreOrder(t *testing.T) {
	store := memstore.New(memstore.Options{})
	c := &clock{t: start}
	opt := func(x similar.Index) workflow.Options {
		return workflow.Options{Clock: c.Now, Similar: x,
			Org: workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"}}
	}
	live := &recordingIndex{Index: similar.NewMemIndex(similar.Options{})}
	eng, err := workflow.New(store, opt(live))
	require.NoError(t, err)
	ctx := t.Context()
	const n = 3*256 + 17 // several batches and a short one
	for i := range n {
		p := citizen()
		p.Surname = fmt.Sprintf("Иванова-%d", i%50)
		_, err := eng.Receive(ctx, clerk, workflow.Intake{Card: liftCard(p, start.Add(time.Duration(i)*time.Minute),
			fmt.Sprintf("%s Письмо %d, подъезд %d.", liftText, i, i%7))})
		require.NoError(t, err)
	}
	require.Len(t, live.puts, n)

	warmed := &recordingIndex{Index: similar.NewMemIndex(similar.Options{})}
	restarted, err := workflow.New(store, opt(warmed))
	require.NoError(t, err)
	require.NoError(t, restarted.Warm(ctx))
	assert.Equal(t, docIDs(live.puts), docIDs(warmed.puts), "in the same order")
	assert.True(t, reflect.DeepEqual(live.puts, warmed.puts), "the same documents")

	failing := &recordingIndex{Index: similar.NewMemIndex(similar.Options{}), failAt: 300}
	restarted, err = workflow.New(store, opt(failing))
	require.NoError(t, err)
	assert.ErrorIs(t, restarted.Warm(ctx), errIndexFull)
	assert.Equal(t, 299, len(failing.puts), "nothing put after the failure")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	restarted, err = workflow.New(store, opt(similar.NewMemIndex(similar.Options{})))
	require.NoError(t, err)
	assert.ErrorIs(t, restarted.Warm(cancelled), context.Canceled)
}
