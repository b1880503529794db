package sqlitestore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/fz59/appeals/workflow/pgstore"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// The benchmarks run each measurement on every store in one run: memstore (the floor),
// sqlitestore, and pgstore when APPEALS_PG_DSN names a server (.ci/postgres.sh starts one).
// Durability is on for both databases: synchronous=FULL here, PostgreSQL's defaults there
// (fsync, synchronous_commit). benchClients goroutines share the store, as pgbench's -c.
const benchClients = 8

// benchStore opens an empty store of one kind for a benchmark.
type benchStore struct {
	name string
	open func(b *testing.B) workflow.Store
}

// eachStore runs bench as a sub-benchmark on an empty store of each kind.
func eachStore(b *testing.B, bench func(b *testing.B, s workflow.Store)) {
	stores := []benchStore{
		{"memstore", func(*testing.B) workflow.Store { return memstore.New(memstore.Options{}) }},
		{"sqlite", func(b *testing.B) workflow.Store { return newStore(b) }},
	}
	if dsn := os.Getenv("APPEALS_PG_DSN"); dsn != "" {
		stores = append(stores, benchStore{"pgstore", func(b *testing.B) workflow.Store { return pgStore(b, dsn) }})
	}
	for _, bs := range stores {
		b.Run(bs.name, func(b *testing.B) { bench(b, bs.open(b)) })
	}
}

// pgStore returns a migrated pgstore in a schema of its own, dropped when b ends, with a pool
// of benchClients connections (a pgBench).
func pgStore(b *testing.B, dsn string) workflow.Store {
	ctx := context.Background()
	schema := "sqlitestore_bench_" + rand.Text()[:10]
	admin, err := pgx.Connect(ctx, dsn)
	require.NoError(b, err)
	b.Cleanup(func() {
		_, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
		require.NoError(b, err)
		require.NoError(b, admin.Close(ctx))
	})
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(b, err)
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(b, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns, cfg.MinConns = benchClients, benchClients
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(b, err)
	b.Cleanup(pool.Close)
	s := pgstore.New(pool)
	require.NoError(b, s.Migrate(ctx))
	return pgBench{s, pool}
}

// pgBench is a pgstore with its pool, so that a benchmark can have the planner's statistics
// taken after it filled the store.
type pgBench struct {
	*pgstore.Store
	pool *pgxpool.Pool
}

// analyze takes the planner's statistics of the appeals table and merges the pending entries of
// its GIN indexes into the indexes (a VACUUM, as autovacuum would do after a bulk load).
func (p pgBench) analyze(b *testing.B) {
	_, err := p.pool.Exec(b.Context(), "VACUUM ANALYZE appeals")
	require.NoError(b, err)
}

// benchRecord returns a record the size of a registered appeal in work: card, applicant,
// questions, deadlines and a resolution with two assignments.
func benchRecord(b testing.TB) *workflow.Record {
	rec := newRecord(b, "")
	a := rec.Appeal
	a.State, a.Number, a.Responsible = appeal.StateInExecution, "Ж-1/2025", "head-1"
	a.Summary = "О ремонте дороги во дворе дома"
	a.Applicants[0].PostalAddress = "г. Пермь, ул. Ленина, д. 1, кв. 2"
	a.Questions = append(a.Questions, appeal.Question{Code: "0003.0008.0086.0555", Status: appeal.StatusInWork})
	rec.Resolution = &workflow.Resolution{By: "head-1", At: t0, Text: "Рассмотреть, подготовить ответ", Assignees: []string{"exec-1", "exec-2"}}
	rec.Assignments = []workflow.Assignment{{ID: "1", Executor: "exec-1", Task: "Подготовить ответ"}, {ID: "2", Executor: "exec-2", CoExecutor: true, Task: "Справка"}}
	return rec
}

// parallel runs op from benchClients goroutines, each with its own index, until b.N calls are
// done, and reports calls per second of wall time as unit/s.
func parallel(b *testing.B, unit string, op func(client int) error) {
	var next atomic.Int64
	b.SetParallelism(max(1, benchClients/runtime.GOMAXPROCS(0)))
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := int(next.Add(1) - 1)
		for pb.Next() {
			if err := op(client); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), unit+"/s")
}

// BenchmarkGet: Get of one of 1,000 records, 8 clients.
func BenchmarkGet(b *testing.B) {
	eachStore(b, func(b *testing.B, s workflow.Store) {
		recs := fill(b, s, 1000)
		parallel(b, "gets", func(client int) error {
			_, err := s.Get(b.Context(), recs[client].Appeal.ID)
			return err
		})
	})
}

// BenchmarkSave: a command's write alone (Save of the record with one event and one
// notification), 8 clients, each on an appeal of its own.
func BenchmarkSave(b *testing.B) {
	eachStore(b, func(b *testing.B, s workflow.Store) {
		recs := fill(b, s, 64)
		parallel(b, "saves", func(client int) error {
			rec := recs[client]
			id := rec.Appeal.ID
			ev := workflow.Event{AppealID: id, At: time.Now(), Actor: "exec-1", Command: workflow.CmdReport,
				From: rec.Appeal.State, To: rec.Appeal.State, Public: &workflow.PublicNote{Stage: "На рассмотрении"}}
			note := workflow.Notification{ID: uuid.Must(uuid.NewV7()), AppealID: id, Kind: "report",
				To:      workflow.Recipient{Role: workflow.RecipientResponsible, Staff: "head-1", Channel: workflow.ChannelInternal},
				Subject: "Отчёт по поручению", Body: "Исполнитель представил отчёт.", CreatedAt: ev.At,
				Status: workflow.NotificationPending, NextAttempt: ev.At}
			return s.Save(b.Context(), workflow.Change{Record: rec, Events: []workflow.Event{ev}, Notifications: []workflow.Notification{note}})
		})
	})
}

// BenchmarkEngineLifecycle: the real engine, 8 clients, each appeal taken through the ten
// commands of lifecycle with every notice queued in the same transaction; each command loads
// the record (Get) and saves it. ns/op is per lifecycle.
func BenchmarkEngineLifecycle(b *testing.B) {
	eachStore(b, func(b *testing.B, s workflow.Store) {
		eng := newEngine(b, s, nil)
		start := time.Now()
		parallel(b, "lifecycles", func(int) error { return lifecycle(b.Context(), eng, nil) })
		b.ReportMetric(float64(b.N*lifecycleCommands)/time.Since(start).Seconds(), "commands/s")
	})
}

// BenchmarkList10000: one List of all of 10,000 records, streamed to the end.
func BenchmarkList10000(b *testing.B) {
	eachStore(b, func(b *testing.B, s workflow.Store) {
		fill(b, s, 10000)
		for b.Loop() {
			n := 0
			for _, err := range s.List(b.Context(), workflow.Filter{}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 10000 {
				b.Fatalf("listed %d, want 10000", n)
			}
		}
		b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "records/s")
	})
}

// fill stores n bench records from benchClients goroutines (a database store commits each
// create, so one goroutine would wait for n syncs) and returns them.
func fill(b *testing.B, s workflow.Store, n int) []*workflow.Record {
	recs := make([]*workflow.Record, n)
	errs := make(chan error, benchClients)
	for c := range benchClients {
		go func() {
			var err error
			for i := c; i < n && err == nil; i += benchClients {
				recs[i] = benchRecord(b)
				err = s.Create(b.Context(), workflow.Change{Record: recs[i]})
			}
			errs <- err
		}()
	}
	for range benchClients {
		require.NoError(b, <-errs)
	}
	return recs
}

// BenchmarkDocs reads and writes a record's document as the store does (CBOR) and as it did
// before schema version 2 (encoding/json): a record of the size of the scenario's, with a
// text, its search words and its deadlines.
func BenchmarkDocs(b *testing.B) {
	d, err := newDocs()
	require.NoError(b, err)
	rec := benchRecord(b)
	rec.Appeal.Text = strings.Repeat("Прошу отремонтировать лифт в нашем подъезде, он не работает с января. ", 6)
	rec.Words = strings.Fields(strings.Repeat("лифт подъезд ремонт январ прош работа наш дом ул садовая ", 5))
	rec.Keys = []string{"иванова м и|tel:79001234567", "иванова м и|addr:г пермь ул ленина д 1 кв 2"}
	day := deadline.NewDate(2025, time.March, 3)
	rec.Deadlines.Registration = workflow.Limit{Deadline: deadline.Deadline{Rule: deadline.Registration, From: day, Days: 3,
		Nominal: day.AddDays(3), Legal: day.AddDays(3), Control: day.AddDays(3)}, Closed: day.AddDays(1)}
	rec.Deadlines.Consideration = workflow.Limit{Deadline: deadline.Deadline{Rule: deadline.Consideration, From: day, Days: 30,
		Nominal: day.AddDays(30), Legal: day.AddDays(30), Control: day.AddDays(28)}}
	for _, c := range []struct {
		name      string
		marshal   func(any) ([]byte, error)
		unmarshal func([]byte, any) error
	}{
		{"format=cbor", d.marshal, d.unmarshal},
		{"format=json", json.Marshal, json.Unmarshal},
	} {
		doc, err := c.marshal(rec)
		require.NoError(b, err)
		b.Run("read/"+c.name, func(b *testing.B) {
			for b.Loop() {
				var r workflow.Record
				if err := c.unmarshal(doc, &r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(doc)), "bytes/doc")
		})
		b.Run("write/"+c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.marshal(rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
