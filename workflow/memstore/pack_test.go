package memstore

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// finishedAppeal is a closed appeal with a history and a notice, as a lifecycle leaves it.
func finishedAppeal(t *testing.T, i int, state appeal.State) workflow.Change {
	t.Helper()
	at := time.Date(2025, 11, 10, 9, 0, 0, 0, time.UTC)
	a := appeal.New(uuid.Must(uuid.NewV7()), at, appeal.ChannelWebForm)
	a.State, a.Number = state, fmt.Sprintf("Ж-2025-%06d", i)
	a.Text = fmt.Sprintf("Во дворе дома %d третий месяц не вывозят мусор, контейнеры переполнены. Прошу принять меры.", i)
	a.Applicants = []appeal.Applicant{{Surname: "Иванова", GivenName: "Мария", Email: fmt.Sprintf("m%d@example.ru", i)}}
	rec := &workflow.Record{Appeal: a, Series: "Ж", Words: []string{"мусор", "вывоз"}}
	var evs []workflow.Event
	for _, c := range []workflow.Command{workflow.CmdReceive, workflow.CmdRegister, workflow.CmdSend, workflow.CmdClose} {
		evs = append(evs, workflow.Event{AppealID: a.ID, At: at, Actor: "clerk-1", Command: c, Changed: []string{"appeal"}})
	}
	n := workflow.Notification{ID: uuid.Must(uuid.NewV7()), AppealID: a.ID, Kind: workflow.KindRegistration,
		Subject: "Ваше обращение зарегистрировано под № " + a.Number, Body: "Уважаемая Мария! " + a.Text,
		CreatedAt: at, Status: workflow.NotificationPending, NextAttempt: at}
	return workflow.Change{Record: rec, Events: evs, Notifications: []workflow.Notification{n}}
}

// Past PackAfter finished appeals the store trains its dictionary and keeps finished appeals
// and notices compressed, several times smaller, and reads them back exactly; an open appeal
// stays as it is, and a finished one saved again stays packed with its history grown.
func TestPack(t *testing.T) {
	ctx := t.Context()
	st := New(Options{PackAfter: 50})
	var changes []workflow.Change
	for i := range 60 {
		state := appeal.StateClosed
		if i%10 == 9 {
			state = appeal.StateInExecution
		}
		ch := finishedAppeal(t, i, state)
		want := ch.Record.Clone()
		require.NoError(t, st.Create(ctx, ch))
		want.Version = 1
		ch.Record = want
		changes = append(changes, ch)
	}
	require.NotNil(t, st.pack.dict, "trained once 50 appeals were finished")
	raw, packed := 0, 0
	for _, ch := range changes {
		id := ch.Record.Appeal.ID
		e := st.records[id]
		assert.Equal(t, ch.Record.Appeal.State.Terminal(), e.packed, "only finished appeals are packed")
		if e.packed {
			packed += len(e.rec) + len(e.events)
			raw += len(st.pack.unpack(e.rec, true)) + len(st.pack.unpack(e.events, true))
		}
		got, err := st.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, ch.Record, got)
		h, err := st.History(ctx, id)
		require.NoError(t, err)
		require.Len(t, h, len(ch.Events))
		assert.Equal(t, ch.Events[3].Command, h[3].Command)
		assert.Equal(t, int64(4), h[3].Seq)
		ns := st.Notifications(id)
		require.Len(t, ns, 1)
		assert.Equal(t, ch.Notifications[0].Body, ns[0].Body)
	}
	assert.Less(t, packed*3, raw, "packed at least three times smaller")

	// A notice queued after training is packed and claimed whole.
	later := finishedAppeal(t, 100, appeal.StateClosed)
	require.NoError(t, st.Create(ctx, later))
	assert.True(t, st.outbox[len(st.outbox)-1].packed)
	claimed, err := st.ClaimNotifications(ctx, later.Notifications[0].CreatedAt, 1000, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 61)
	assert.Equal(t, later.Notifications[0].Body, claimed[60].Body)

	// Feedback after closing: saved again, still packed, the history one longer.
	rec := changes[0].Record.Clone()
	rec.Appeal.Feedback = &appeal.Feedback{Result: appeal.Satisfied}
	ev := workflow.Event{AppealID: rec.Appeal.ID, Command: workflow.CmdFeedback, Changed: []string{"feedback"}}
	require.NoError(t, st.Save(ctx, workflow.Change{Record: rec, Events: []workflow.Event{ev}}))
	assert.True(t, st.records[rec.Appeal.ID].packed)
	got, err := st.Get(ctx, rec.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, rec.Appeal.Feedback, got.Appeal.Feedback)
	h, err := st.History(ctx, rec.Appeal.ID)
	require.NoError(t, err)
	require.Len(t, h, 5)
	assert.Equal(t, workflow.CmdFeedback, h[4].Command)
}

// A negative PackAfter never packs.
func TestPackNever(t *testing.T) {
	st := New(Options{PackAfter: -1})
	for i := range 1200 {
		require.NoError(t, st.Create(t.Context(), finishedAppeal(t, i, appeal.StateClosed)))
	}
	assert.Nil(t, st.pack.dict)
}

// What the store returns cuts its strings from the stored bytes (codec.decode), so those
// bytes must never change: records, histories and notices read before keep every string
// while the store goes on writing, packing and reading, open appeals and finished ones.
func TestReadStringsStay(t *testing.T) {
	ctx := t.Context()
	st := New(Options{PackAfter: 5})
	type read struct {
		rec     *workflow.Record
		history []workflow.Event
		notes   []workflow.Notification
		was     string // all three in JSON when read
	}
	snapshot := func(r read) string {
		b, err := json.Marshal(r.rec)
		require.NoError(t, err)
		h, err := json.Marshal(r.history)
		require.NoError(t, err)
		n, err := json.Marshal(r.notes)
		require.NoError(t, err)
		return string(b) + string(h) + string(n)
	}
	var reads []read
	for i := range 20 {
		state := appeal.StateClosed
		if i%3 == 0 {
			state = appeal.StateInExecution
		}
		ch := finishedAppeal(t, i, state)
		require.NoError(t, st.Create(ctx, ch))
		id := ch.Record.Appeal.ID
		rec, err := st.Get(ctx, id)
		require.NoError(t, err)
		h, err := st.History(ctx, id)
		require.NoError(t, err)
		r := read{rec: rec, history: h, notes: st.Notifications(id)}
		r.was = snapshot(r)
		reads = append(reads, r)

		again := rec.Clone()
		again.Appeal.Summary = fmt.Sprintf("Сводка %d, записанная поверх", i)
		ev := workflow.Event{AppealID: id, Command: workflow.CmdFeedback, Changed: []string{"summary"}, Reason: "другая причина"}
		require.NoError(t, st.Save(ctx, workflow.Change{Record: again, Events: []workflow.Event{ev}}))
	}
	for i, r := range reads {
		assert.Equal(t, r.was, snapshot(r), "read %d", i)
	}
	assert.NotNil(t, st.pack.dict, "the test covers packed entries")
}

// A Save staged on one entry that finds another stored at its version under the lock stages
// again on what is stored: here the caller's record claims version 2 before the store has it,
// and a write to version 2 comes between; no event of the history is lost.
func TestSaveStagesAgainOnWhatIsStored(t *testing.T) {
	ctx := t.Context()
	st := New(Options{PackAfter: -1})
	ch := finishedAppeal(t, 1, appeal.StateInExecution)
	require.NoError(t, st.Create(ctx, ch))
	id := ch.Record.Appeal.ID
	event := func(c workflow.Command) []workflow.Event {
		return []workflow.Event{{AppealID: id, Command: c, Changed: []string{"answer"}}}
	}

	late := ch.Record.Clone()
	late.Version = 2
	staged, err := st.prepare(ctx, "Save", workflow.Change{Record: late, Events: event(workflow.CmdSend)}, 3)
	require.NoError(t, err)

	between, err := st.Get(ctx, id)
	require.NoError(t, err)
	require.NoError(t, st.Save(ctx, workflow.Change{Record: between, Events: event(workflow.CmdDraft)}))

	_, err = st.save(workflow.Change{Record: late, Events: event(workflow.CmdSend)}, staged, 2)
	require.NoError(t, err)
	h, err := st.History(ctx, id)
	require.NoError(t, err)
	var got []workflow.Command
	for _, ev := range h {
		got = append(got, ev.Command)
	}
	assert.Equal(t, []workflow.Command{workflow.CmdReceive, workflow.CmdRegister, workflow.CmdSend, workflow.CmdClose,
		workflow.CmdDraft, workflow.CmdSend}, got)
	assert.Equal(t, int64(6), h[5].Seq)
}
