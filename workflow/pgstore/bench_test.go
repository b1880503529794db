package pgstore

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// benchClients is how many goroutines (and connections) the benchmarks use: pgbench's -c.
const benchClients = 8

// countingConn counts the messages the client sends. pgx writes a query's messages with one
// Write and then waits for the reply, so writes are round-trips.
type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(b []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(b)
}

// countingStore returns a migrated store in a fresh schema whose pool of conns connections
// counts round-trips.
func countingStore(b testing.TB, conns int32) (*Store, *atomic.Int64) {
	schema := newSchema(b)
	cfg, err := pgxpool.ParseConfig(testDSN(b))
	require.NoError(b, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns, cfg.MinConns = conns, conns
	writes := &atomic.Int64{}
	dial := cfg.ConnConfig.DialFunc
	cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{c, writes}, nil
	}
	pool, err := pgxpool.NewWithConfig(b.Context(), cfg)
	require.NoError(b, err)
	b.Cleanup(pool.Close)
	s := New(pool)
	require.NoError(b, s.Migrate(b.Context()))
	return s, writes
}

// benchRecord returns a record the size of a registered appeal in work: card, applicant,
// questions, deadlines and a resolution with two assignments.
func benchRecord(b *testing.B) *workflow.Record {
	rec := newRecord(b, "")
	a := rec.Appeal
	a.Kind, a.Summary = appeal.Complaint, "О ремонте дороги во дворе дома"
	a.Text = "Прошу отремонтировать дорогу во дворе дома, ямы не засыпают третий год."
	a.Applicants[0].PostalAddress = "г. Пермь, ул. Ленина, д. 1, кв. 2"
	a.Questions = append(a.Questions, appeal.Question{Code: "0003.0008.0086.0555"})
	rec.Resolution = &workflow.Resolution{By: "head-1", At: t0, Text: "Рассмотреть, подготовить ответ", Assignees: []string{"exec-1", "exec-2"}}
	rec.Assignments = []workflow.Assignment{{ID: "a", Executor: "exec-1", Task: "Подготовить ответ"}, {ID: "b", Executor: "exec-2", CoExecutor: true, Task: "Справка"}}
	return rec
}

// benchStep is one command's write: the state, one event and one notification.
func benchStep(b *testing.B, rec *workflow.Record, to appeal.State) ([]workflow.Event, []workflow.Notification) {
	id := rec.Appeal.ID
	ev := workflow.Event{AppealID: id, At: time.Now(), Actor: "clerk-1", Command: "step", From: rec.Appeal.State, To: to,
		Public: &workflow.PublicNote{Stage: "На рассмотрении"}}
	rec.Appeal.State = to
	return []workflow.Event{ev}, []workflow.Notification{newNote(b, id)}
}

// report adds per-second and round-trip metrics: per op, ops per second over the wall time.
func report(b *testing.B, start time.Time, writes *atomic.Int64, before int64, unit string) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), unit+"/s")
	b.ReportMetric(float64(writes.Load()-before)/float64(b.N), "round-trips/op")
}

// BenchmarkSave: a command's write alone (Save of state + event + notification), 8 clients.
func BenchmarkSave(b *testing.B) {
	benchCommands(b, false)
}

// BenchmarkCommand: a whole command as the engine runs it (Get, then Save), 8 clients.
func BenchmarkCommand(b *testing.B) {
	benchCommands(b, true)
}

func benchCommands(b *testing.B, get bool) {
	s, writes := countingStore(b, benchClients)
	var next atomic.Int64
	recs := make([]*workflow.Record, 64)
	for i := range recs {
		recs[i] = benchRecord(b)
		require.NoError(b, s.Create(b.Context(), workflow.Change{Record: recs[i]}))
	}
	b.SetParallelism(max(1, benchClients/runtimeProcs()))
	before, start := writes.Load(), time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rec := recs[next.Add(1)-1] // one appeal per client: no conflicts
		for pb.Next() {
			if get {
				var err error
				if rec, err = s.Get(b.Context(), rec.Appeal.ID); err != nil {
					b.Error(err)
					return
				}
			}
			evs, out := benchStep(b, rec, appeal.StateInExecution)
			if err := s.Save(b.Context(), workflow.Change{Record: rec, Events: evs, Notifications: out}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	report(b, start, writes, before, "commands")
}

// BenchmarkLifecycle: an appeal from receipt to closing, 8 clients: Create, NextNumber and
// seven commands (Get, Save).
func BenchmarkLifecycle(b *testing.B) {
	s, writes := countingStore(b, benchClients)
	b.SetParallelism(max(1, benchClients/runtimeProcs()))
	before, start := writes.Load(), time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := benchLifecycle(b, s); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	report(b, start, writes, before, "lifecycles")
}

func benchLifecycle(b *testing.B, s *Store) error {
	ctx := b.Context()
	rec := benchRecord(b)
	rec.Assignments, rec.Resolution = nil, nil
	ev := workflow.Event{AppealID: rec.Appeal.ID, At: time.Now(), Actor: "applicant", Command: workflow.CmdReceive, To: appeal.StateReceived}
	if err := s.Create(ctx, workflow.Change{Record: rec, Events: []workflow.Event{ev}}); err != nil {
		return err
	}
	for _, st := range lifecycle {
		got, err := s.Get(ctx, rec.Appeal.ID)
		if err != nil {
			return err
		}
		evs, out := benchStep(b, got, st.to)
		ch := workflow.Change{Record: got, Events: evs, Notifications: out}
		if st.to == appeal.StateRegistered {
			ch.Number = &workflow.NumberDraw{Series: "ОГ", Year: 2025, Apply: func(ch *workflow.Change, n int64) error {
				ch.Record.Appeal.Number = fmt.Sprintf("ОГ-%d/2025", n)
				return nil
			}}
		}
		if err := s.Save(ctx, ch); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkPgbench runs pgbench's TPC-B (scale 10, 8 clients, 2 threads, 10 s) against the
// same server, in a schema of its own, for comparison: ns/op is per transaction.
func BenchmarkPgbench(b *testing.B) {
	dsn := testDSN(b)
	bin, err := exec.LookPath("pgbench")
	if err != nil {
		b.Skip("pgbench not found in PATH (.ci/postgres.sh adds PostgreSQL's bin directory)")
	}
	schema := newSchema(b)
	run := func(args ...string) string {
		cmd := exec.CommandContext(b.Context(), bin, append(args, dsn)...)
		cmd.Env = append(os.Environ(), "PGOPTIONS=-c search_path="+schema)
		out, err := cmd.CombinedOutput()
		require.NoError(b, err, "%s", out)
		return string(out)
	}
	run("-i", "-s", "10", "-q")
	b.ResetTimer()
	out := run("-c", strconv.Itoa(benchClients), "-j", "2", "-T", "10")
	b.StopTimer()
	m := regexp.MustCompile(`tps = ([0-9.]+)`).FindStringSubmatch(out)
	require.NotNil(b, m, "%s", out)
	tps, err := strconv.ParseFloat(m[1], 64)
	require.NoError(b, err)
	b.ReportMetric(tps, "tps")
	b.ReportMetric(1e9/tps, "ns/op")
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }

// BenchmarkEngineLifecycle: the real engine on PostgreSQL, 8 clients, each appeal taken
// through ten commands — receive, register, classify, resolve with one assignment, report,
// draft, result, approve, send, close — with every notice queued in the same transaction.
// "load" reads the record before every command (Get + Save: two round-trips); "recent" lets
// the engine keep copies of the records it saved (Options.RecentRecords: one round-trip).
func BenchmarkEngineLifecycle(b *testing.B) {
	for _, bc := range []struct {
		name   string
		recent int
	}{{"load", 0}, {"recent", 4096}} {
		b.Run(bc.name, func(b *testing.B) { benchEngineLifecycle(b, bc.recent) })
	}
}

func benchEngineLifecycle(b *testing.B, recent int) {
	s, writes := countingStore(b, benchClients)
	eng, err := workflow.New(s, workflow.Options{RecentRecords: recent,
		Org: workflow.Organization{Name: "Администрация", Series: "Ж"}})
	require.NoError(b, err)
	clerk := workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	head := workflow.Actor{ID: "head-1", Roles: []workflow.Role{workflow.RoleManager}}
	exec := workflow.Actor{ID: "exec-1", Roles: []workflow.Role{workflow.RoleExecutor}}
	const code, commands = "0005.0005.0056.1147", 10
	lifecycle := func(ctx context.Context) error {
		rec := benchRecord(b)
		card := rec.Appeal
		card.Questions, card.Responsible = nil, ""
		card.Applicants[0].Consent = true
		rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: card})
		if err != nil {
			return err
		}
		id := rec.Appeal.ID
		for _, step := range []func() (*workflow.Record, error){
			func() (*workflow.Record, error) {
				r, err := eng.Register(ctx, clerk, id, workflow.RegisterInput{})
				return r.Record, err
			},
			func() (*workflow.Record, error) { return eng.Classify(ctx, clerk, id, []string{code}) },
			func() (*workflow.Record, error) {
				return eng.Resolve(ctx, head, id, workflow.ResolutionInput{Text: "Рассмотреть",
					Assignments: []workflow.AssignmentInput{{Executor: exec.ID, Task: "Проверить"}}})
			},
			func() (*workflow.Record, error) {
				return eng.Report(ctx, exec, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"})
			},
			func() (*workflow.Record, error) {
				return eng.DraftAnswer(ctx, exec, id, workflow.AnswerInput{Text: "Дорога отремонтирована."})
			},
			func() (*workflow.Record, error) {
				return eng.SetResult(ctx, exec, id, code, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
			},
			func() (*workflow.Record, error) { return eng.Approve(ctx, head, id) },
			func() (*workflow.Record, error) {
				return eng.Send(ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
			},
			func() (*workflow.Record, error) { return eng.Close(ctx, clerk, id) },
		} {
			if _, err := step(); err != nil {
				return err
			}
		}
		return nil
	}
	b.SetParallelism(max(1, benchClients/runtimeProcs()))
	before, start := writes.Load(), time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := lifecycle(b.Context()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N)/elapsed, "lifecycles/s")
	b.ReportMetric(float64(b.N*commands)/elapsed, "commands/s")
	b.ReportMetric(float64(writes.Load()-before)/float64(b.N*commands), "round-trips/command")
}
