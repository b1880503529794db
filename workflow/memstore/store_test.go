package memstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

func newRecord(t testing.TB, intake string) *workflow.Record {
	t.Helper()
	id, err := uuid.NewV7()
	require.NoError(t, err)
	a := appeal.New(id, t0, appeal.ChannelWebForm)
	a.Questions = []appeal.Question{{Code: "0005.0005.0055.1122"}}
	a.Responsible = "clerk-1"
	return &workflow.Record{Appeal: a, IntakeKey: intake}
}

func newNote(t testing.TB, appealID uuid.UUID) workflow.Notification {
	t.Helper()
	id, err := uuid.NewV7()
	require.NoError(t, err)
	return workflow.Notification{ID: id, AppealID: appealID, Kind: "registration", CreatedAt: t0,
		Status: workflow.NotificationPending, NextAttempt: t0}
}

func TestWithFault(t *testing.T) {
	errDown := errors.New("disk on fire")
	down := map[string]bool{}
	st := memstore.New(memstore.Options{Fault: func(op string) error {
		if down[op] {
			return errDown
		}
		return nil
	}})
	ctx := t.Context()
	rec := newRecord(t, "")
	require.NoError(t, st.Create(ctx, workflow.Change{Record: rec, Notifications: []workflow.Notification{newNote(t, rec.Appeal.ID)}}))
	claimed, err := st.ClaimNotifications(ctx, t0, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 1)

	for _, op := range []string{"Save", "UpdateNotification", "Get"} {
		down[op] = true
	}
	saved := rec.Clone()
	err = st.Save(ctx, workflow.Change{Record: saved, Events: []workflow.Event{{AppealID: rec.Appeal.ID, Command: "edit"}}})
	require.ErrorIs(t, err, errDown)
	assert.Equal(t, int64(1), saved.Version, "nothing saved")
	n := claimed[0]
	n.Status = workflow.NotificationDelivered
	require.ErrorIs(t, st.UpdateNotification(ctx, n), errDown)
	_, err = st.Get(ctx, rec.Appeal.ID)
	require.ErrorIs(t, err, errDown)
	assert.ErrorContains(t, err, "memstore: Get")

	h, err := st.History(ctx, rec.Appeal.ID)
	require.NoError(t, err)
	assert.Empty(t, h)
	ns := st.Notifications(rec.Appeal.ID)
	require.Len(t, ns, 1)
	assert.Equal(t, workflow.NotificationPending, ns[0].Status, "the failed update changed nothing")
	assert.Equal(t, 1, ns[0].Attempts)
}

func TestNotifications(t *testing.T) {
	st := memstore.New(memstore.Options{})
	ctx := t.Context()
	a, b := newRecord(t, ""), newRecord(t, "")
	na1, na2, nb := newNote(t, a.Appeal.ID), newNote(t, a.Appeal.ID), newNote(t, b.Appeal.ID)
	require.NoError(t, st.Create(ctx, workflow.Change{Record: a, Notifications: []workflow.Notification{na1}}))
	require.NoError(t, st.Create(ctx, workflow.Change{Record: b, Notifications: []workflow.Notification{nb}}))
	require.NoError(t, st.Save(ctx, workflow.Change{Record: a, Notifications: []workflow.Notification{na2}}))

	assert.Equal(t, []workflow.Notification{na1, na2}, st.Notifications(a.Appeal.ID), "queue order, one appeal")
	assert.Empty(t, st.Notifications(uuid.New()))

	got := st.Notifications(a.Appeal.ID)
	got[0].Status = workflow.NotificationFailed
	assert.Equal(t, workflow.NotificationPending, st.Notifications(a.Appeal.ID)[0].Status, "a copy")
}

func TestRefused(t *testing.T) {
	ctx := t.Context()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name string
		run  func(st *memstore.Store, rec *workflow.Record) error
		want error
	}{
		{"create without card", func(st *memstore.Store, _ *workflow.Record) error {
			return st.Create(ctx, workflow.Change{Record: &workflow.Record{}})
		}, nil},
		{"save without card", func(st *memstore.Store, _ *workflow.Record) error {
			return st.Save(ctx, workflow.Change{Record: &workflow.Record{Version: 1}})
		}, nil},
		{"notification id queued twice", func(st *memstore.Store, rec *workflow.Record) error {
			return st.Save(ctx, workflow.Change{Record: rec, Notifications: st.Notifications(rec.Appeal.ID)})
		}, workflow.ErrExists},
		{"notification id twice in one save", func(st *memstore.Store, rec *workflow.Record) error {
			n := newNote(t, rec.Appeal.ID)
			return st.Save(ctx, workflow.Change{Record: rec, Notifications: []workflow.Notification{n, n}})
		}, workflow.ErrExists},
		{"save takes another record's intake key", func(st *memstore.Store, rec *workflow.Record) error {
			rec.IntakeKey = "taken"
			return st.Save(ctx, workflow.Change{Record: rec})
		}, workflow.ErrDuplicate},
		{"cancelled context", func(st *memstore.Store, rec *workflow.Record) error {
			return st.Save(cancelled, workflow.Change{Record: rec})
		}, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := memstore.New(memstore.Options{})
			require.NoError(t, st.Create(ctx, workflow.Change{Record: newRecord(t, "taken")}))
			rec := newRecord(t, "mine")
			require.NoError(t, st.Create(ctx, workflow.Change{Record: rec, Notifications: []workflow.Notification{newNote(t, rec.Appeal.ID)}}))
			before, err := st.Get(ctx, rec.Appeal.ID)
			require.NoError(t, err)

			err = tc.run(st, rec.Clone())
			require.Error(t, err)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			}
			after, err := st.Get(ctx, rec.Appeal.ID)
			require.NoError(t, err)
			assert.Equal(t, before, after, "nothing stored")
			assert.Len(t, st.Notifications(rec.Appeal.ID), 1)
		})
	}
}

func TestSaveMovesIntakeKey(t *testing.T) {
	st := memstore.New(memstore.Options{})
	ctx := t.Context()
	rec := newRecord(t, "old")
	require.NoError(t, st.Create(ctx, workflow.Change{Record: rec}))
	rec.IntakeKey = "new"
	require.NoError(t, st.Save(ctx, workflow.Change{Record: rec}))

	require.NoError(t, st.Create(ctx, workflow.Change{Record: newRecord(t, "old")}), "the old key is free")
	var dup *workflow.DuplicateError
	require.ErrorAs(t, st.Create(ctx, workflow.Change{Record: newRecord(t, "new")}), &dup)
	assert.Equal(t, rec.Appeal.ID, dup.Existing)
}

func TestListCancelled(t *testing.T) {
	st := memstore.New(memstore.Options{})
	for range 5 {
		require.NoError(t, st.Create(t.Context(), workflow.Change{Record: newRecord(t, "")}))
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got int
	var last error
	for rec, err := range st.List(ctx, workflow.Filter{}) {
		if err != nil {
			assert.Nil(t, rec)
			last = err
			continue
		}
		if got++; got == 2 {
			cancel()
		}
	}
	assert.Equal(t, 2, got)
	assert.ErrorIs(t, last, context.Canceled, "the error ends the iteration")
}

func TestErrorsCarryNoPersonalData(t *testing.T) {
	st := memstore.New(memstore.Options{})
	ctx := t.Context()
	rec := newRecord(t, "<ivanov@example.org>")
	rec.Appeal.Applicants = []appeal.Applicant{{Surname: "Иванов", Email: "ivanov@example.org"}}
	require.NoError(t, st.Create(ctx, workflow.Change{Record: rec}))
	twin := newRecord(t, rec.IntakeKey)
	twin.Appeal.Applicants = rec.Appeal.Applicants
	stale := rec.Clone()
	stale.Version = 7
	for _, err := range []error{
		st.Create(ctx, workflow.Change{Record: rec}),
		st.Create(ctx, workflow.Change{Record: twin}),
		st.Save(ctx, workflow.Change{Record: stale}),
	} {
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "ivanov")
		assert.NotContains(t, err.Error(), "Иванов")
	}
}
