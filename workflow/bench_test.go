package workflow_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
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

// The synthetic mix of the benchmarks: surnames, streets and complaints from short lists, so
// that texts differ but cluster by topic as real letters do.
var (
	benchSurnames = [...]string{"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
		"Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров"}
	benchGiven   = [...]string{"Иван", "Мария", "Пётр", "Анна", "Сергей", "Ольга", "Алексей", "Елена"}
	benchStreets = [...]string{"Садовая", "Ленина", "Мира", "Советская", "Школьная", "Лесная", "Заречная", "Полевая"}
	benchIssues  = [...]string{
		"второй месяц не вывозят мусор, контейнерная площадка переполнена",
		"не работает лифт, управляющая компания заявки не принимает",
		"протекает крыша, после дождя вода течёт по стенам подъезда",
		"нет горячей воды уже три недели, перерасчёт не сделан",
		"во дворе не убирают снег, тротуары не посыпают",
		"задерживают выплату заработной платы за два месяца",
		"не отвечают на заявление о постановке на очередь в детский сад",
		"в квартире холодно, батареи едва тёплые, температура ниже нормы",
		"разбита дорога у школы, ямы не ремонтируют",
		"не горят фонари во дворе, вечером темно и опасно",
	}
	benchDetails = [...]string{
		"Обращались в управляющую компанию дважды, ответа нет.",
		"Жители подъезда собрали подписи, но ничего не изменилось.",
		"В доме живут пожилые люди и дети-инвалиды.",
		"Прошлой зимой было то же самое.",
		"Диспетчер обещал прислать мастера, никто не пришёл.",
		"Плату за услугу при этом начисляют в полном размере.",
		"Фотографии прилагаю к обращению.",
		"Участковый сказал, что это не его вопрос.",
		"Администрация района отвечает отписками.",
		"Сосед сверху тоже писал жалобу в прошлом месяце.",
		"Ситуация продолжается с начала осени.",
		"Прошу не пересылать обращение в ту же управляющую компанию.",
	}
	benchRequests = [...]string{
		"Прошу разобраться и принять меры.", "Прошу провести проверку и наказать виновных.",
		"Прошу сообщить, в какие сроки вопрос будет решён.", "Прошу обязать исполнителя устранить нарушения.",
		"Прошу сделать перерасчёт платы.", "Прошу дать письменный ответ по существу.",
	}
)

// benchCard is a card of the mix: one applicant of 16×8×8 names, one of 720 complaints.
func benchCard(r *rand.Rand) *appeal.Appeal {
	a := card()
	p := citizen()
	p.Surname, p.GivenName = benchSurnames[r.IntN(len(benchSurnames))], benchGiven[r.IntN(len(benchGiven))]
	p.Patronymic = benchGiven[r.IntN(len(benchGiven))] + "ович"
	p.Email = fmt.Sprintf("user%d@example.ru", r.IntN(1_000_000))
	house := 1 + r.IntN(90)
	p.PostalAddress = fmt.Sprintf("г. N, ул. %s, д. %d, кв. %d", benchStreets[r.IntN(len(benchStreets))], house, 1+r.IntN(120))
	a.Applicants = []appeal.Applicant{p}
	a.Text = fmt.Sprintf("Здравствуйте. Пишу по поводу дома %d по улице %s: %s. %s %s", house,
		benchStreets[r.IntN(len(benchStreets))], benchIssues[r.IntN(len(benchIssues))],
		benchDetails[r.IntN(len(benchDetails))], benchRequests[r.IntN(len(benchRequests))])
	return a
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
		r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		for pb.Next() {
			if fresh > 0 && done%fresh == 0 {
				eng = newEngine()
			}
			done++
			if err := lifecycle(ctx, eng, benchCard(r)); err != nil {
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

// BenchmarkEngineCost sets the engine's own cost beside the store's: the CPU of a command of
// the lifecycle on memstore (filled with engineCostFill appeals of the mix) against a bare memstore Get
// and Save of the same records with one event, in one run. The goal is a ratio of at most 3
// and at most 12 allocations per command. "similar=none" runs the engine with an index that
// finds nothing, to show what the similar-appeal lookup at receipt costs of the rest: the
// mix is repetitive (720 complaints), so each receipt compares hundreds of candidates.
func BenchmarkEngineCost(b *testing.B) {
	for _, bc := range []struct {
		name  string
		index similar.Index
	}{{"similar=memindex", nil}, {"similar=none", noIndex{}}} {
		b.Run(bc.name, func(b *testing.B) { benchEngineCost(b, bc.index) })
	}
}

// engineCostFill is how many lifecycles BenchmarkEngineCost runs before it measures: enough
// that the similarity index's lists are as long as a year's would make them (a band's list is
// read for its last 256), so that the cost does not grow with b.N.
const engineCostFill = 10_000

// noIndex is a similar.Index that holds nothing.
type noIndex struct{}

func (noIndex) Put(similar.Document) error            { return nil }
func (noIndex) Remove(uuid.UUID)                      {}
func (noIndex) Query(similar.Document) similar.Result { return similar.Result{} }
func (noIndex) Len() int                              { return 0 }

func benchEngineCost(b *testing.B, index similar.Index) {
	now := start
	st := memstore.New(memstore.Options{PackAfter: -1}) // the store's basic cost; packing is BenchmarkStoredScale's
	eng, err := workflow.New(st, workflow.Options{
		Clock:   func() time.Time { return now },
		Org:     workflow.Organization{Name: "Администрация", Location: msk, Series: "Ж"},
		Similar: index,
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	for range engineCostFill {
		if err := lifecycle(ctx, eng, benchCard(r)); err != nil {
			b.Fatal(err)
		}
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := cpuTime()
	for b.Loop() {
		if err := lifecycle(ctx, eng, benchCard(r)); err != nil {
			b.Fatal(err)
		}
	}
	engineCPU := cpuTime() - cpu0
	runtime.ReadMemStats(&ms1)
	commands := float64(b.N * lifecycleCommands)

	var ids []uuid.UUID
	for rec, err := range st.List(ctx, workflow.Filter{}) {
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, rec.Appeal.ID)
	}
	cpu0 = cpuTime()
	for i := range b.N * lifecycleCommands {
		id := ids[i%len(ids)]
		rec, err := st.Get(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		ev := workflow.Event{AppealID: id, At: now, Actor: clerk.ID, Command: workflow.CmdAssign, Changed: []string{"responsible"}}
		if err := st.Save(ctx, workflow.Change{Record: rec, Events: []workflow.Event{ev}}); err != nil {
			b.Fatal(err)
		}
	}
	bareCPU := cpuTime() - cpu0
	b.ReportMetric(float64(engineCPU.Microseconds())/commands, "engine-cpu-µs/command")
	b.ReportMetric(float64(bareCPU.Microseconds())/commands, "bare-cpu-µs/command")
	b.ReportMetric(float64(engineCPU)/float64(bareCPU), "engine/bare")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/commands, "allocs/command")
}

// filledStore returns a memstore holding n appeals of the mix as a finished lifecycle leaves
// them (record, history and notices), copied from a few hundred real ones with new ids.
func filledStore(b *testing.B, n int) *memstore.Store {
	b.Helper()
	now := start
	src := memstore.New(memstore.Options{})
	eng, err := workflow.New(src, workflow.Options{Clock: func() time.Time { return now },
		Org: workflow.Organization{Name: "Администрация", Location: msk, Series: "Ж"}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	type sample struct {
		rec    *workflow.Record
		events []workflow.Event
		notes  []workflow.Notification
	}
	var samples []sample
	for range min(n, 300) {
		if err := lifecycle(ctx, eng, benchCard(r)); err != nil {
			b.Fatal(err)
		}
	}
	for rec, err := range src.List(ctx, workflow.Filter{}) {
		if err != nil {
			b.Fatal(err)
		}
		h, err := src.History(ctx, rec.Appeal.ID)
		if err != nil {
			b.Fatal(err)
		}
		samples = append(samples, sample{rec, h, src.Notifications(rec.Appeal.ID)})
	}
	st := memstore.New(memstore.Options{})
	for i := range n {
		s := samples[i%len(samples)]
		rec := s.rec.Clone()
		rec.Appeal.ID, rec.Appeal.Number = uuid.Must(uuid.NewV7()), fmt.Sprintf("Ж-2025-%07d", i)
		rec.Version = 0
		notes := slices.Clone(s.notes)
		for k := range notes {
			notes[k].ID, notes[k].AppealID = uuid.Must(uuid.NewV7()), rec.Appeal.ID
		}
		events := slices.Clone(s.events)
		for k := range events {
			events[k].AppealID = rec.Appeal.ID
		}
		if err := st.Create(ctx, workflow.Change{Record: rec, Events: events, Notifications: notes}); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// BenchmarkStoredScale runs the lifecycle on a memstore that already holds 1,000 appeals and
// on one that holds 1,000,000 (-short: 100,000), in one run: the throughput with the large
// store against the small one (goal ≥ 0.8), and the heap each stored appeal takes (goal
// ≤ 3 KB). Run with -benchtime 2000x; the set-up takes a minute.
func BenchmarkStoredScale(b *testing.B) {
	large := 1_000_000
	if testing.Short() {
		large = 100_000
	}
	ctx := context.Background()
	run := func(st *memstore.Store) (perSecond float64) {
		now := start
		eng, err := workflow.New(st, workflow.Options{Clock: func() time.Time { return now },
			Org: workflow.Organization{Name: "Администрация", Location: msk, Series: "Ж"}})
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(9, 9))
		t0 := time.Now()
		for range b.N {
			if err := lifecycle(ctx, eng, benchCard(r)); err != nil {
				b.Fatal(err)
			}
		}
		return float64(b.N) / time.Since(t0).Seconds()
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	b.StopTimer()
	small := filledStore(b, 1000)
	smallRate := run(small)
	small = nil
	base := heap()
	big := filledStore(b, large)
	perAppeal := float64(heap()-base) / float64(large)
	b.StartTimer()
	bigRate := run(big)
	b.StopTimer()
	runtime.KeepAlive(big)
	b.ReportMetric(smallRate, "appeals/s@1k")
	b.ReportMetric(bigRate, "appeals/s@large")
	b.ReportMetric(bigRate/smallRate, "large/small")
	b.ReportMetric(perAppeal, "heap-B/stored-appeal")
	b.ReportMetric(float64(large), "stored")
}
