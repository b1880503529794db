package storetest

import (
	"errors"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullSpec has every part a record can have, so round trips cover them all.
var fullSpec = spec{
	state: appeal.StateInExecution, number: "ОГ-7/2025", registered: day0, due: day0.AddDays(30),
	responsible: "head-1", executors: []string{"exec-1", "exec-2"},
	codes: []string{"0005.0005.0055.1122", "0003.0008.0086.0555"}, applicant: ivanov, intake: "form-7",
}

func testCreateGet(t *testing.T, s workflow.Store) {
	id := newID(t)
	rec := build(id, fullSpec)
	events := []workflow.Event{event(id, "receive", "1"), event(id, "register", "2")}
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec, Events: events, Notifications: []workflow.Notification{note(t, id, "registration", t0)}}))
	assert.Equal(t, int64(1), rec.Version, "Create sets Version")

	got, err := s.Get(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, rec, got)

	h, err := s.History(t.Context(), id)
	require.NoError(t, err)
	events[0].Seq, events[1].Seq = 1, 2
	assert.Equal(t, events, utcEvents(h))
}

func testCreateExists(t *testing.T, s workflow.Store) {
	id := newID(t)
	first := build(id, fullSpec)
	n1 := note(t, id, "registration", t0)
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: first, Events: []workflow.Event{event(id, "receive", "")}, Notifications: []workflow.Notification{n1}}))

	again := build(id, spec{intake: "another-form"})
	again.Appeal.Summary = "другое"
	err := s.Create(t.Context(), workflow.Change{Record: again, Events: []workflow.Event{event(id, "receive", "again")}, Notifications: []workflow.Notification{note(t, id, "registration", t0)}})
	require.ErrorIs(t, err, workflow.ErrExists)

	got, err := s.Get(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, first, got, "the first record stays")
	h, err := s.History(t.Context(), id)
	require.NoError(t, err)
	assert.Len(t, h, 1)
	assert.Equal(t, []uuid.UUID{n1.ID}, drain(t, s), "the refused create queued nothing")
}

func testCreateDuplicateIntake(t *testing.T, s workflow.Store) {
	first, second := newID(t), newID(t)
	n1 := note(t, first, "registration", t0)
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: build(first, spec{intake: "msg-1@mail"}), Notifications: []workflow.Notification{n1}}))

	err := s.Create(t.Context(), workflow.Change{Record: build(second, spec{intake: "msg-1@mail"}), Events: []workflow.Event{event(second, "receive", "")}, Notifications: []workflow.Notification{note(t, second, "registration", t0)}})
	var dup *workflow.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.Equal(t, first, dup.Existing)
	assert.ErrorIs(t, err, workflow.ErrDuplicate)

	_, err = s.Get(t.Context(), second)
	assert.ErrorIs(t, err, workflow.ErrNotFound, "nothing stored")
	_, err = s.History(t.Context(), second)
	assert.ErrorIs(t, err, workflow.ErrNotFound, "no events stored")
	assert.Equal(t, []uuid.UUID{n1.ID}, drain(t, s), "no notification queued")
}

func testCreateEmptyIntakeKeys(t *testing.T, s workflow.Store) {
	for range 3 {
		id := newID(t)
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: build(id, spec{})}), "an empty intake key is never a duplicate")
	}
}

func testGetNotFound(t *testing.T, s workflow.Store) {
	create(t, s, newID(t), spec{})
	unknown := newID(t)
	_, err := s.Get(t.Context(), unknown)
	assert.ErrorIs(t, err, workflow.ErrNotFound)
	_, err = s.History(t.Context(), unknown)
	assert.ErrorIs(t, err, workflow.ErrNotFound)
}

func testSave(t *testing.T, s workflow.Store) {
	id := newID(t)
	create(t, s, id, spec{})
	for v := int64(1); v <= 3; v++ {
		rec, err := s.Get(t.Context(), id)
		require.NoError(t, err)
		require.Equal(t, v, rec.Version)
		rec.Appeal.Summary = string(rune('A' + v))
		rec.Reminders = append(rec.Reminders, rec.Appeal.Summary)
		require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec, Events: []workflow.Event{event(id, "edit", rec.Appeal.Summary)}}))
		assert.Equal(t, v+1, rec.Version, "Save increments Version")

		got, err := s.Get(t.Context(), id)
		require.NoError(t, err)
		assert.Equal(t, rec, got)
	}
}

func testSaveConflict(t *testing.T, s workflow.Store) {
	id := newID(t)
	n0 := note(t, id, "registration", t0)
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: build(id, fullSpec), Events: []workflow.Event{event(id, "receive", "")}, Notifications: []workflow.Notification{n0}}))
	a, err := s.Get(t.Context(), id)
	require.NoError(t, err)
	b, err := s.Get(t.Context(), id)
	require.NoError(t, err)

	a.Appeal.Summary = "A"
	na := note(t, id, "edit", t0)
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: a, Events: []workflow.Event{event(id, "edit", "A")}, Notifications: []workflow.Notification{na}}))
	want, err := s.Get(t.Context(), id)
	require.NoError(t, err)

	for _, version := range []int64{b.Version, 0, 3, 100} {
		stale := b.Clone()
		stale.Version = version
		stale.Appeal.Summary = "B"
		stale.Appeal.State = appeal.StateClosed
		err := s.Save(t.Context(), workflow.Change{Record: stale, Events: []workflow.Event{event(id, "edit", "B")}, Notifications: []workflow.Notification{note(t, id, "edit", t0)}})
		require.ErrorIs(t, err, workflow.ErrConflict, "version %d", version)
		assert.Equal(t, version, stale.Version, "a refused Save leaves Version")
	}

	got, err := s.Get(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, want, got, "state untouched")
	h, err := s.History(t.Context(), id)
	require.NoError(t, err)
	require.Len(t, h, 2, "events untouched")
	assert.Equal(t, "A", h[1].Reason)
	assert.ElementsMatch(t, []uuid.UUID{n0.ID, na.ID}, drain(t, s), "outbox untouched")
}

func testSaveNotFound(t *testing.T, s workflow.Store) {
	id := newID(t)
	rec := build(id, spec{})
	rec.Version = 1
	err := s.Save(t.Context(), workflow.Change{Record: rec, Events: []workflow.Event{event(id, "edit", "")}, Notifications: []workflow.Notification{note(t, id, "edit", t0)}})
	require.ErrorIs(t, err, workflow.ErrNotFound)
	assert.False(t, errors.Is(err, workflow.ErrConflict))
	_, err = s.History(t.Context(), id)
	assert.ErrorIs(t, err, workflow.ErrNotFound)
	assert.Empty(t, drain(t, s))
}

// scribble changes every part of rec a store could share with its own copy.
func scribble(rec *workflow.Record) {
	a := rec.Appeal
	a.Summary = "scribbled"
	a.Questions[0].Code = "9999"
	a.Applicants[0].Surname = "X"
	a.Attachments[0].Ref = "X"
	rec.Reminders[0] = "X"
	rec.Assignments[0].Executor = "X"
	rec.Resolution.Assignees[0] = "X"
	rec.Access.PINHash[0] ^= 0xff
	rec.Deadlines.Consideration.Legal = day0
}

func scribbleEvents(evs []workflow.Event) {
	evs[0].Changed[0] = "X"
	evs[0].Public.Stage = "X"
	evs[0].Reason = "X"
}

func testNoAliasing(t *testing.T, s workflow.Store) {
	id := newID(t)
	rec := build(id, fullSpec)
	events := []workflow.Event{event(id, "receive", "")}
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec, Events: events}))
	want := rec.Clone()
	wantEvents := []workflow.Event{event(id, "receive", "")}
	wantEvents[0].Seq = 1
	check := func(step string) {
		t.Helper()
		got, err := s.Get(t.Context(), id)
		require.NoError(t, err)
		assert.Equal(t, want, got, step)
		h, err := s.History(t.Context(), id)
		require.NoError(t, err)
		assert.Equal(t, wantEvents, utcEvents(h), step)
	}

	for _, tc := range []struct {
		what   string
		change func()
	}{
		{"what was created", func() { scribble(rec); scribbleEvents(events) }},
		{"what Get returned", func() {
			got, err := s.Get(t.Context(), id)
			require.NoError(t, err)
			scribble(got)
		}},
		{"what List yielded", func() {
			for r, err := range s.List(t.Context(), workflow.Filter{}) {
				require.NoError(t, err)
				scribble(r)
			}
		}},
		{"what History returned", func() {
			h, err := s.History(t.Context(), id)
			require.NoError(t, err)
			scribbleEvents(h)
		}},
	} {
		tc.change()
		check("after changing " + tc.what)
	}

	saved, err := s.Get(t.Context(), id)
	require.NoError(t, err)
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: saved}))
	want.Version = saved.Version
	scribble(saved)
	check("after changing what was saved")
}

func testHistory(t *testing.T, s workflow.Store) {
	id := newID(t)
	rec := build(id, spec{})
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec, Events: []workflow.Event{event(id, "receive", "c1"), event(id, "check", "c2")}}))
	other := newID(t)
	create(t, s, other, spec{})
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec}))
	for _, batch := range [][]string{{"s1"}, {"s2", "s3", "s4"}} {
		var evs []workflow.Event
		for _, r := range batch {
			evs = append(evs, event(id, "edit", r))
		}
		require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec, Events: evs}))
	}

	h, err := s.History(t.Context(), id)
	require.NoError(t, err)
	var reasons []string
	for i, ev := range h {
		assert.Equal(t, int64(i+1), ev.Seq, "Seq of event %d", i)
		assert.Equal(t, id, ev.AppealID)
		reasons = append(reasons, ev.Reason)
	}
	assert.Equal(t, []string{"c1", "c2", "s1", "s2", "s3", "s4"}, reasons, "append order")

	h, err = s.History(t.Context(), other)
	require.NoError(t, err)
	require.Len(t, h, 1, "another appeal's history is its own")
	assert.Equal(t, int64(1), h[0].Seq)
}
