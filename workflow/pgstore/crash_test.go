package pgstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crash child's environment: the schema to work in and the file of acknowledged writes.
const (
	crashSchemaVar = "APPEALS_PG_CRASH_SCHEMA"
	crashAcksVar   = "APPEALS_PG_CRASH_ACKS"
)

// lifecycle is the path every crash-test appeal travels, one Save per step.
var lifecycle = []struct {
	command string
	to      appeal.State
}{
	{"register", appeal.StateRegistered}, {"submit", appeal.StateUnderReview}, {"resolve", appeal.StateInExecution},
	{"draft_answer", appeal.StateAnswerDrafting}, {"approve", appeal.StateAnswerApproved},
	{"send", appeal.StateAnswered}, {"close", appeal.StateClosed},
}

// crashNoteID is the id of the notification queued with an appeal's version v: written in
// the same statement, so it exists exactly when version v was committed.
func crashNoteID(appealID uuid.UUID, v int64) uuid.UUID {
	return uuid.NewSHA1(appealID, []byte(strconv.FormatInt(v, 10)))
}

// TestCrash kills a child process that drives lifecycles through the Store (with racing
// writers and a dispatcher) with SIGKILL at random moments, 20 times, and after each kill
// checks that what PostgreSQL kept is consistent: every record equals the replay of its
// events, every acknowledged write is there, no registration number was issued twice, and
// the outbox holds exactly the notifications of committed versions.
func TestCrash(t *testing.T) {
	testDSN(t)
	t.Parallel()
	schema := newSchema(t)
	s := New(poolIn(t, schema, 4))
	require.NoError(t, s.Migrate(t.Context()))
	acks := t.TempDir() + "/acks"
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 59))

	for i := range 20 {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.timeout=2m")
		cmd.Env = append(os.Environ(), crashSchemaVar+"="+schema, crashAcksVar+"="+acks, "PGAPPNAME="+schema)
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		ready := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if sc.Text() == "ready" {
					ready <- true
				}
			}
			close(ready)
		}()
		require.True(t, <-ready, "child %d did not start", i)
		time.Sleep(time.Duration(r.IntN(700)) * time.Millisecond)
		require.NoError(t, cmd.Process.Kill())
		assert.Error(t, cmd.Wait(), "the child was killed, it did not finish")
		// A statement the child sent may still run, and commit, after the kill: check once
		// the server has closed every session of the child.
		waitSessionsGone(t, s, schema)

		stats := checkCrashInvariants(t, s, acks)
		t.Logf("kill %2d: %s", i+1, stats)
		if t.Failed() {
			return
		}
	}
}

// waitSessionsGone waits until the server has no session with application_name app.
func waitSessionsGone(t *testing.T, s *Store, app string) {
	t.Helper()
	for range 3000 { // 30 s: a backend ends as soon as its statement does
		var n int
		require.NoError(t, s.pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n))
		if n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the killed child's sessions are still open")
}

// checkCrashInvariants checks the store against the replay of its events and the
// acknowledgements, and describes what it saw.
func checkCrashInvariants(t *testing.T, s *Store, acksFile string) string {
	t.Helper()
	ctx := t.Context()
	ackedVersion, issued := readAcks(t, acksFile)

	records := map[uuid.UUID]*workflow.Record{}
	numbers := map[string]uuid.UUID{}
	for rec, err := range s.List(ctx, workflow.Filter{}) {
		require.NoError(t, err)
		id := rec.Appeal.ID
		records[id] = rec
		if n := rec.Appeal.Number; n != "" {
			assert.NotContains(t, numbers, n, "number %s on two appeals", n)
			numbers[n] = id
		}
	}
	unacked, open := 0, 0
	for id, rec := range records {
		v, ok := ackedVersion[id]
		if !ok || rec.Version > v {
			unacked++ // committed while the child was being killed
		}
		if rec.Appeal.State != appeal.StateClosed {
			open++
		}
	}
	for id, v := range ackedVersion {
		rec, ok := records[id]
		if assert.True(t, ok, "acknowledged create of %s lost", id) {
			assert.GreaterOrEqual(t, rec.Version, v, "acknowledged save of %s lost", id)
		}
	}
	slices.Sort(issued)
	assert.Len(t, slices.Compact(slices.Clone(issued)), len(issued), "a registration number was issued twice")
	// A number is spent only with the registration that drew it: the numbers on the appeals are
	// 1…last, without a hole, and every acknowledged one is among them.
	var last int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(last), 0) FROM numbering`).Scan(&last)
	require.NoError(t, err)
	assert.Len(t, numbers, int(last), "numbers 1…%d, no hole", last)
	for n := int64(1); n <= last; n++ {
		assert.Contains(t, numbers, fmt.Sprintf("ОГ-%d/2025", n), "number %d spent without its registration", n)
	}
	for _, n := range issued {
		assert.Contains(t, numbers, fmt.Sprintf("ОГ-%d/2025", n), "acknowledged number %d lost", n)
	}

	events := 0
	for id, rec := range records {
		h, err := s.History(ctx, id)
		require.NoError(t, err)
		events += len(h)
		require.Len(t, h, int(rec.Version), "%s: one event per committed version", id)
		state := appeal.StateReceived
		var reasons []string
		for i, ev := range h {
			assert.Equal(t, int64(i+1), ev.Seq, "%s: contiguous seq", id)
			assert.Equal(t, state, ev.From, "%s: event %d starts where the last ended", id, ev.Seq)
			state = ev.To
			if i > 0 {
				reasons = append(reasons, ev.Reason)
			}
		}
		assert.Equal(t, state, rec.Appeal.State, "%s: state is the replay of the events", id)
		assert.Equal(t, reasons, rec.Reminders, "%s: every committed change, in order", id)
	}

	rows, err := s.pool.Query(ctx, `SELECT id, appeal_id, doc->>'kind' FROM outbox`)
	require.NoError(t, err)
	queued := map[uuid.UUID]bool{}
	for rows.Next() {
		var (
			id, appealID uuid.UUID
			kind         string
		)
		require.NoError(t, rows.Scan(&id, &appealID, &kind))
		v, err := strconv.ParseInt(strings.TrimPrefix(kind, "v"), 10, 64)
		require.NoError(t, err)
		rec, ok := records[appealID]
		if assert.True(t, ok, "notification %s of an appeal never committed", id) {
			assert.LessOrEqual(t, v, rec.Version, "notification %s of an uncommitted version", id)
			assert.Equal(t, crashNoteID(appealID, v), id)
		}
		queued[id] = true
	}
	require.NoError(t, rows.Err())
	for id, rec := range records {
		for v := int64(1); v <= rec.Version; v++ {
			assert.True(t, queued[crashNoteID(id, v)], "%s: version %d committed without its notification", id, v)
		}
	}
	return fmt.Sprintf("%d appeals (%d not closed), %d events, %d notifications, %d numbers issued; %d writes committed unacknowledged",
		len(records), open, events, len(queued), len(issued), unacked)
}

// readAcks reads the child's acknowledgements: "v <id> <version>" after each committed
// write, "n <number>" after each number issued.
func readAcks(t *testing.T, name string) (map[uuid.UUID]int64, []int64) {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	versions := map[uuid.UUID]int64{}
	var issued []int64
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		switch {
		case len(f) == 3 && f[0] == "v":
			id, err := uuid.Parse(f[1])
			require.NoError(t, err)
			v, err := strconv.ParseInt(f[2], 10, 64)
			require.NoError(t, err)
			versions[id] = max(versions[id], v)
		case len(f) == 2 && f[0] == "n":
			n, err := strconv.ParseInt(f[1], 10, 64)
			require.NoError(t, err)
			issued = append(issued, n)
		default:
			t.Fatalf("bad ack line %q", line)
		}
	}
	return versions, issued
}

// TestCrashChild is the process TestCrash kills: it runs lifecycles until killed (or for a
// minute at most). It skips unless TestCrash started it.
func TestCrashChild(t *testing.T) {
	schema := os.Getenv(crashSchemaVar)
	if schema == "" {
		t.Skip("the child process of TestCrash")
	}
	s := New(poolIn(t, schema, 8))
	acks, err := os.OpenFile(os.Getenv(crashAcksVar), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	require.NoError(t, err)
	c := &crashChild{s: s, acks: acks, recent: make(chan uuid.UUID, 64)}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()

	rec, err := c.create(ctx)
	require.NoError(t, err)
	c.recent <- rec.Appeal.ID
	fmt.Println("ready")

	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := c.lifecycle(ctx); err != nil && ctx.Err() == nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for range 2 {
		wg.Go(func() { c.meddle(ctx) })
	}
	wg.Go(func() { c.dispatch(ctx) })
	wg.Wait()
}

// crashChild drives the store and acknowledges what it committed.
type crashChild struct {
	s      workflow.Store
	mu     sync.Mutex
	acks   *os.File
	recent chan uuid.UUID // appeals in flight, for meddle
}

// ack appends one line to the acknowledgements in one write, so a kill never tears it.
func (c *crashChild) ack(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintf(c.acks, format+"\n", args...); err != nil {
		panic(err)
	}
}

func (c *crashChild) create(ctx context.Context) (*workflow.Record, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	a := appeal.New(id, t0, appeal.ChannelWebForm)
	a.Questions = []appeal.Question{{Code: "0005.0005.0055.1122"}}
	rec := &workflow.Record{Appeal: a, Series: "ОГ", IntakeKey: "form-" + id.String()}
	ev := workflow.Event{AppealID: id, At: time.Now(), Actor: "applicant", Command: "receive", From: appeal.StateReceived, To: appeal.StateReceived}
	if err := c.s.Create(ctx, workflow.Change{Record: rec, Events: []workflow.Event{ev}, Notifications: []workflow.Notification{crashNote(id, 1)}}); err != nil {
		return nil, err
	}
	c.ack("v %s 1", id)
	return rec, nil
}

func crashNote(appealID uuid.UUID, v int64) workflow.Notification {
	now := time.Now()
	return workflow.Notification{ID: crashNoteID(appealID, v), AppealID: appealID, Kind: workflow.NoticeKind(fmt.Sprintf("v%d", v)),
		To: workflow.Recipient{Role: "clerk", Channel: "internal"}, CreatedAt: now, Status: workflow.NotificationPending, NextAttempt: now}
}

// step saves one change of the appeal made by change on its latest version, reloading on a
// conflict, with an event tagged tag and the version's notification; a registration draws its
// number in the save.
func (c *crashChild) step(ctx context.Context, id uuid.UUID, command, tag string, change func(*workflow.Record) appeal.State) error {
	for {
		rec, err := c.s.Get(ctx, id)
		if err != nil {
			return err
		}
		from := rec.Appeal.State
		to := change(rec)
		rec.Appeal.State = to
		rec.Reminders = append(rec.Reminders, tag)
		ev := workflow.Event{AppealID: id, At: time.Now(), Actor: "clerk-1", Command: workflow.Command(command), From: from, To: to, Reason: tag}
		ch := workflow.Change{Record: rec, Events: []workflow.Event{ev}, Notifications: []workflow.Notification{crashNote(id, rec.Version+1)}}
		var drawn int64
		if to == appeal.StateRegistered && from != to {
			ch.Number = &workflow.NumberDraw{Series: "ОГ", Year: 2025, Apply: func(ch *workflow.Change, n int64) error {
				ch.Record.Appeal.Number, drawn = fmt.Sprintf("ОГ-%d/2025", n), n
				return nil
			}}
		}
		err = c.s.Save(ctx, ch)
		if errors.Is(err, workflow.ErrConflict) {
			continue
		}
		if err != nil {
			return err
		}
		if drawn > 0 {
			c.ack("n %d", drawn)
		}
		c.ack("v %s %d", id, rec.Version)
		return nil
	}
}

// lifecycle takes one new appeal from receipt to closing, drawing its number at
// registration.
func (c *crashChild) lifecycle(ctx context.Context) error {
	rec, err := c.create(ctx)
	if err != nil {
		return err
	}
	id := rec.Appeal.ID
	select {
	case c.recent <- id:
	default:
	}
	for _, st := range lifecycle {
		err := c.step(ctx, id, st.command, st.command, func(*workflow.Record) appeal.State { return st.to })
		if err != nil {
			return err
		}
	}
	return nil
}

// meddle saves reminders on appeals in flight, racing lifecycle for their versions.
func (c *crashChild) meddle(ctx context.Context) {
	for i := 0; ctx.Err() == nil; i++ {
		var id uuid.UUID
		select {
		case id = <-c.recent:
		case <-ctx.Done():
			return
		}
		_ = c.step(ctx, id, "remind", fmt.Sprintf("remind-%d", i), func(r *workflow.Record) appeal.State { return r.Appeal.State })
	}
}

// dispatch claims and delivers notifications, so the outbox is written to when the kill
// comes.
func (c *crashChild) dispatch(ctx context.Context) {
	for ctx.Err() == nil {
		ns, _ := c.s.ClaimNotifications(ctx, time.Now(), 20, time.Minute)
		for _, n := range ns {
			n.Status = workflow.NotificationDelivered
			_ = c.s.UpdateNotification(ctx, n)
		}
		if len(ns) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
	}
}
