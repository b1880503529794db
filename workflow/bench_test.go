package workflow_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
)

// lifecycleCommands is how many commands lifecycle runs.
const lifecycleCommands = 10

// lifecycle runs one appeal from receipt to closing: receive, register, classify, resolve
// with one assignment, report, draft, result, approve, send, close.
func lifecycle(ctx context.Context, eng *workflow.Engine, c *appeal.Appeal) error {
	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: c})
	if err != nil {
		return err
	}
	id := rec.Appeal.ID
	steps := [...]func() (*workflow.Record, error){
		func() (*workflow.Record, error) { return recOf(eng.Register(ctx, clerk, id, workflow.RegisterInput{})) },
		func() (*workflow.Record, error) { return eng.Classify(ctx, clerk, id, []string{qUtilities}) },
		func() (*workflow.Record, error) {
			return eng.Resolve(ctx, manager, id, workflow.ResolutionInput{Text: "Рассмотреть",
				Assignments: []workflow.AssignmentInput{{Executor: executor.ID, Task: "Проверить"}}})
		},
		func() (*workflow.Record, error) {
			return eng.Report(ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"})
		},
		func() (*workflow.Record, error) {
			return eng.DraftAnswer(ctx, executor, id, workflow.AnswerInput{Text: "Вывоз восстановлен."})
		},
		func() (*workflow.Record, error) {
			return eng.SetResult(ctx, executor, id, qUtilities, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
		},
		func() (*workflow.Record, error) { return eng.Approve(ctx, manager, id) },
		func() (*workflow.Record, error) {
			return eng.Send(ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
		},
		func() (*workflow.Record, error) { return eng.Close(ctx, clerk, id) },
	}
	for _, s := range steps {
		if _, err := s(); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkLifecycle: full lifecycles on memstore in parallel; appeals/s is per wall second
// over all GOMAXPROCS (run with -cpu 2 for the 2-core figure). "growing" keeps every appeal in
// one store, so the garbage collector scans an ever larger heap (b.N appeals with all their
// events and notices); "steady" gives each goroutine a fresh store every 1,000 appeals, the
// size of a department's open appeals, and so measures the engine at a steady heap.
func BenchmarkLifecycle(b *testing.B) {
	for _, bc := range []struct {
		name  string
		fresh int // appeals per store; 0: one store for all
	}{{"growing", 0}, {"steady", 1000}} {
		b.Run(bc.name, func(b *testing.B) { benchLifecycle(b, bc.fresh) })
	}
}

func benchLifecycle(b *testing.B, fresh int) {
	now := start
	newEngine := func() *workflow.Engine {
		eng, err := workflow.New(memstore.New(memstore.Options{}), workflow.Options{
			Clock: func() time.Time { return now },
			Org:   workflow.Organization{Name: "Администрация", Location: msk, Series: "Ж"},
		})
		if err != nil {
			b.Fatal(err)
		}
		return eng
	}
	shared := newEngine()
	ctx := context.Background()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		eng, done := shared, 0
		for pb.Next() {
			if fresh > 0 && done%fresh == 0 {
				eng = newEngine()
			}
			done++
			if err := lifecycle(ctx, eng, card()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	cpu := cpuTime() - cpu0
	runtime.ReadMemStats(&ms1)
	// CPU time per appeal does not depend on what else the machine runs; 2 cores give at most
	// 2 s of it per second.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/appeal")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appeals/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(b.N*lifecycleCommands), "allocs/command")
}
