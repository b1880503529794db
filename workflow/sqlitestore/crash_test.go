package sqlitestore

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crash child's environment: the file, the acknowledgements, and the round (which sets
// its clock apart from the earlier children's).
const (
	crashFileVar  = "APPEALS_SQLITE_CRASH_FILE"
	crashAcksVar  = "APPEALS_SQLITE_CRASH_ACKS"
	crashRoundVar = "APPEALS_SQLITE_CRASH_ROUND"
)

// TestCrash kills a child process that drives lifecycles through the real engine on one file
// (four at a time, with Monitor saving reminders on the same appeals and a dispatcher
// settling their notices) with SIGKILL at random moments, 20 times, and after each kill
// opens the file and checks it: every acknowledged command is there, every record is the
// replay of its events, no registration number was issued twice and the numbers of each
// series are 1…last, and every notification in the outbox was queued by a command whose
// event was committed.
func TestCrash(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file, acks := filepath.Join(dir, "appeals.db"), filepath.Join(dir, "acks")
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 59))
	const maxDelay = 400 * time.Millisecond // under -race the children do less in it, as they should: seconds in CI
	for round := range 20 {
		child := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.timeout=2m")
		child.Env = append(os.Environ(), crashFileVar+"="+file, crashAcksVar+"="+acks, crashRoundVar+"="+strconv.Itoa(round))
		child.Stderr = os.Stderr
		out, err := child.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, child.Start())
		// The child says "ready" once it has the store open, then only "error: …" lines.
		lines := bufio.NewReader(out)
		first, err := lines.ReadString('\n')
		require.NoError(t, err, "child %d did not start", round)
		require.Equal(t, "ready\n", first)
		rest := make(chan string, 1)
		go func() {
			b, _ := io.ReadAll(lines)
			rest <- string(b)
		}()
		time.Sleep(time.Duration(r.Int64N(int64(maxDelay))))
		require.NoError(t, child.Process.Kill())
		assert.Error(t, child.Wait(), "the child was killed, it did not finish")
		if out := <-rest; strings.Contains(out, "error:") {
			first, _, _ := strings.Cut(out[strings.Index(out, "error:"):], "\n")
			t.Errorf("the child's commands failed %d times, first: %s", strings.Count(out, "error:"), first)
		}

		t.Logf("kill %2d: %s", round+1, checkCrash(t, file, acks))
		if t.Failed() {
			return
		}
	}
}

// crashAcks are what the children acknowledged: the version each command left, the numbers
// registrations issued.
type crashAcks struct {
	versions map[uuid.UUID]int64
	numbers  map[string]bool
}

func readCrashAcks(t *testing.T, name string) crashAcks {
	t.Helper()
	acks := crashAcks{versions: map[uuid.UUID]int64{}, numbers: map[string]bool{}}
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	for line := range strings.Lines(string(b)) {
		kind, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		switch kind {
		case "v":
			ids, v, _ := strings.Cut(rest, " ")
			id, err := uuid.Parse(ids)
			require.NoError(t, err)
			n, err := strconv.ParseInt(v, 10, 64)
			require.NoError(t, err)
			acks.versions[id] = max(acks.versions[id], n)
		case "n":
			acks.numbers[rest] = true
		default:
			t.Fatalf("bad ack line %q", line)
		}
	}
	return acks
}

// checkCrash opens the file the child was killed on, checks it against the acknowledgements
// and the replay of the events, and describes what it found.
func checkCrash(t *testing.T, file, acksFile string) string {
	t.Helper()
	ctx := t.Context()
	s := openStore(t, file) // recovers the log
	acks := readCrashAcks(t, acksFile)

	var ok string
	require.NoError(t, s.readers.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&ok))
	require.Equal(t, "ok", ok, "the file is intact")

	records := map[uuid.UUID]*workflow.Record{}
	numbered := map[string]uuid.UUID{}
	for rec, err := range s.List(ctx, workflow.Filter{}) {
		require.NoError(t, err)
		records[rec.Appeal.ID] = rec
		if n := rec.Appeal.Number; n != "" {
			assert.NotContains(t, numbered, n, "number %s on two appeals", n)
			numbered[n] = rec.Appeal.ID
		}
	}
	unacked := 0
	for id, rec := range records {
		if v, ok := acks.versions[id]; !ok || rec.Version > v {
			unacked++ // committed as the child was killed, or by Monitor
		}
	}
	for id, v := range acks.versions {
		if rec, ok := records[id]; assert.True(t, ok, "acknowledged receipt of %s lost", id) {
			assert.GreaterOrEqual(t, rec.Version, v, "acknowledged command on %s lost", id)
		}
	}
	for n := range acks.numbers {
		assert.Contains(t, numbered, n, "acknowledged number %s lost", n)
	}
	// Numbers are spent only with their registrations: each series is 1…last, no hole.
	rows, err := s.readers.QueryContext(ctx, `SELECT series, year, last FROM numbering`)
	require.NoError(t, err)
	issued := 0
	for rows.Next() {
		var (
			series     string
			year, last int
		)
		require.NoError(t, rows.Scan(&series, &year, &last))
		for n := 1; n <= last; n++ {
			assert.Contains(t, numbered, workflow.DefaultNumber(series, year, int64(n)), "number %d spent without its registration", n)
		}
		issued += last
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, issued, len(numbered), "every number on an appeal was drawn")

	// Every record is the replay of its events: one event per command, in a chain of states.
	events := map[uuid.UUID]map[string]bool{} // the moments of each appeal's commands
	total := 0
	for id, rec := range records {
		h, err := s.History(ctx, id)
		require.NoError(t, err)
		require.Len(t, h, int(rec.Version), "%s: one event per committed command", id)
		total += len(h)
		state, at := appeal.StateReceived, map[string]bool{}
		for i, ev := range h {
			assert.Equal(t, int64(i+1), ev.Seq, "%s: contiguous seq", id)
			assert.Equal(t, state, ev.From, "%s: event %d starts where the last ended", id, ev.Seq)
			state = ev.To
			at[stamp(ev.At)] = true
		}
		assert.Equal(t, state, rec.Appeal.State, "%s: the state is the replay of the events", id)
		events[id] = at
	}
	// A notification is queued by the command that appends its event, at the same moment: an
	// outbox row without that event comes from a change that was not committed.
	rows, err = s.readers.QueryContext(ctx, `SELECT appeal_id, created_at FROM outbox`)
	require.NoError(t, err)
	queued := 0
	for rows.Next() {
		var (
			appealID []byte
			created  string
		)
		require.NoError(t, rows.Scan(&appealID, &created))
		id := uuid.UUID(appealID)
		assert.True(t, events[id][created], "notification of %s at %s from an uncommitted command", id, created)
		queued++
	}
	require.NoError(t, rows.Err())
	return fmt.Sprintf("%d appeals, %d events, %d notifications, %d numbers; %d records with unacknowledged commands",
		len(records), total, queued, issued, unacked)
}

// TestCrashChild is the process TestCrash kills: it runs lifecycles until killed (or for a
// minute at most) and acknowledges each command the store confirmed. It skips unless TestCrash
// started it.
func TestCrashChild(t *testing.T) {
	file := os.Getenv(crashFileVar)
	if file == "" {
		t.Skip("the child process of TestCrash")
	}
	round, err := strconv.Atoi(os.Getenv(crashRoundVar))
	require.NoError(t, err)
	acks, err := os.OpenFile(os.Getenv(crashAcksVar), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	require.NoError(t, err)
	s, err := Open(file, Options{})
	require.NoError(t, err)
	// Each command a moment of its own, after every earlier child's.
	var tick atomic.Int64
	base := t0.Add(time.Duration(round) * time.Hour)
	clock := func() time.Time { return base.Add(time.Duration(tick.Add(1)) * time.Microsecond) }
	eng := newEngine(t, s, clock)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()

	var mu sync.Mutex
	ack := func(rec *workflow.Record) { // one write a line, so a kill never tears one
		mu.Lock()
		defer mu.Unlock()
		line := fmt.Sprintf("v %s %d\n", rec.Appeal.ID, rec.Version)
		if rec.Appeal.Number != "" {
			line += "n " + rec.Appeal.Number + "\n"
		}
		if _, err := acks.WriteString(line); err != nil {
			panic(err)
		}
	}
	// The parent reads failures on stdout: a killed test prints none of its own.
	fail := func(err error) {
		if err != nil && ctx.Err() == nil {
			fmt.Println("error:", err)
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for ctx.Err() == nil {
				fail(lifecycle(ctx, eng, ack))
			}
		})
	}
	wg.Go(func() { // reminders on the appeals in flight, racing the lifecycles
		for ctx.Err() == nil {
			_, err := eng.Monitor(ctx, clock().AddDate(0, 0, 40))
			fail(err)
		}
	})
	wg.Go(func() {
		d := workflow.NewDispatcher(s, workflow.NotifierFunc(func(context.Context, workflow.Notification) error { return nil }),
			workflow.DispatcherOptions{Clock: clock, Batch: 10})
		for ctx.Err() == nil {
			n, err := d.RunOnce(ctx)
			fail(err)
			if n == 0 {
				time.Sleep(2 * time.Millisecond)
			}
		}
	})
	fmt.Println("ready")
	wg.Wait()
}
