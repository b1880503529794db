package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/classifier/suggest"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// msk is the organization's zone.
var msk = time.FixedZone("MSK", 3*60*60)

// endDay is the scenario's "today": the simulated year ends the day before, and the monitor,
// the reports and the export run on it.
var endDay = deadline.NewDate(2025, time.December, 15)

// The staff. Executors are numbered (exec-000 …), so that the control report has people to
// count.
var (
	clerk   = workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	manager = workflow.Actor{ID: "head-1", Roles: []workflow.Role{workflow.RoleManager}}
	auditor = workflow.Actor{ID: "audit-1", Roles: []workflow.Role{workflow.RoleAuditor}}
)

// org is the organization the scenario runs for: a region's government, on Moscow time.
var org = workflow.Organization{Name: "Правительство Московской области", Location: msk, Series: "П",
	DepartmentID: "5900f059-0000-4000-8000-000000000059", Signatory: "Заместитель Председателя Правительства"}

// The commands of a day an item does, in the order they run.
const (
	bReceive uint16 = 1 << iota
	bRegister
	bRefuse
	bClassify
	bResolve
	bDecide // and close
	bExtend
	bReport
	bDraft // the draft answer and each question's result
	bApprove
	bSend // and close

	intakeBits = bReceive | bRegister | bRefuse
)

// commands counts the commands the bits of mask run for an appeal with q questions.
func commands(mask uint16, q int) int {
	n := 0
	for b := uint16(1); b <= bSend; b <<= 1 {
		if mask&b == 0 {
			continue
		}
		switch b {
		case bDecide, bSend:
			n += 2
		case bDraft:
			n += 1 + q
		default:
			n++
		}
	}
	return n
}

// scenario is one store's run: the appeals, their schedule over the simulated days, the
// engine and the measurements.
type scenario struct {
	cfg     config
	gen     *generator
	store   workflow.Store
	eng     *workflow.Engine
	index   *similar.MemIndex
	cal     *deadline.Calendar
	now     atomic.Int64 // the fake clock, Unix nanoseconds
	start   deadline.Date
	days    int
	ids     []uuid.UUID
	intake  [][]uint64 // per day: appeal<<16 | bits
	life    [][]uint64
	planned int64 // commands scheduled
	workers []worker
	sampler *sampler
	steps   []*step
	// model is the suggester warm trained, for suggest; suggestHits counts the sample's
	// classified codes among its suggestions.
	model       *suggest.Model
	suggestHits int
}

// worker is one goroutine's tally, merged into the steps after each batch.
type worker struct {
	lat hist
	n   int64
}

func newScenario(cfg config, store workflow.Store, smp *sampler) (*scenario, error) {
	s := &scenario{cfg: cfg, gen: newGenerator(cfg.seed, cfg.n), store: store, sampler: smp,
		index: similar.NewMemIndex(similar.Options{}), days: cfg.days, start: endDay.AddDays(-cfg.days),
		ids: make([]uuid.UUID, cfg.n), workers: make([]worker, cfg.workers)}
	eng, err := workflow.New(store, workflow.Options{Clock: s.clock, Org: org, Similar: s.index})
	if err != nil {
		return nil, err
	}
	s.eng, s.cal = eng, eng.Counter().Calendar()
	s.schedule()
	return s, nil
}

func (s *scenario) clock() time.Time { return time.Unix(0, s.now.Load()).In(msk) }

func (s *scenario) setClock(day int, hour int) {
	s.now.Store(s.start.AddDays(day).In(msk).Add(time.Duration(hour) * time.Hour).UnixNano())
}

// receipt is the day (from the start) appeal i arrives and the moment, in the night or the
// morning before the registry opens at 9.
func (s *scenario) receipt(i int) (int, time.Time) {
	day := int(int64(i) * int64(s.days) / int64(s.cfg.n))
	at := s.start.AddDays(day).In(msk).Add(time.Duration(i*7919%540) * time.Minute)
	return day, at
}

// schedule lays every appeal's commands out on the days they run: the receipt on its day,
// the staff's steps on working days after it, as the plan's outcome goes. Steps that would
// fall on or after the end day are left undone: those appeals are still open at the end.
func (s *scenario) schedule() {
	s.intake = make([][]uint64, s.days)
	s.life = make([][]uint64, s.days)
	for i := range s.cfg.n {
		p := s.gen.plan(i)
		q := len(p.codes())
		day, _ := s.receipt(i)
		r := s.start.AddDays(day)
		for !s.cal.IsWorking(r) {
			r = r.AddDays(1)
		}
		put := func(offset int, b uint16) {
			d := s.cal.AddWorkingDays(r, offset).DaysSince(s.start)
			if b == bReceive {
				d = day
			}
			if d >= s.days {
				return
			}
			days := s.life
			if b&intakeBits != 0 {
				days = s.intake
			}
			s.planned += int64(commands(b, q))
			if l := days[d]; len(l) > 0 && l[len(l)-1]>>16 == uint64(i) {
				l[len(l)-1] |= uint64(b)
				return
			}
			days[d] = append(days[d], uint64(i)<<16|uint64(b))
		}
		put(0, bReceive)
		switch p.out {
		case outRefused:
			put(0, bRefuse)
			continue
		case outArt11:
			put(0, bRegister)
			put(1, bClassify)
			put(2, bDecide)
			continue
		}
		put(0, bRegister)
		put(1, bClassify|bResolve)
		report, draft, approve, send := 7, 9, 10, 11
		switch p.out {
		case outLate:
			report, draft, approve, send = 24, 25, 25, 26
		case outExtended:
			put(12, bExtend)
			report, draft, approve, send = 25, 27, 28, 29
		}
		put(report, bReport)
		put(draft, bDraft)
		put(approve, bApprove)
		put(send, bSend)
	}
}

// simulate runs the days in order: each day's receipts and registrations (the intake step),
// then the staff's commands (the lifecycle step), each a batch spread over the workers.
func (s *scenario) simulate(ctx context.Context, bar progress) error {
	intake := &step{name: "intake+registration"}
	life := &step{name: "lifecycle commands"}
	s.steps = append(s.steps, intake, life)
	for d := range s.days {
		s.setClock(d, 9)
		if err := s.batch(ctx, intake, s.intake[d], bar); err != nil {
			return err
		}
		s.setClock(d, 11)
		if err := s.batch(ctx, life, s.life[d], bar); err != nil {
			return err
		}
	}
	s.intake, s.life = nil, nil
	return nil
}

// batch runs items on the workers, each item's commands in order, and adds the workers'
// latencies to st.
func (s *scenario) batch(ctx context.Context, st *step, items []uint64, bar progress) error {
	if len(items) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	errs := make([]error, len(s.workers))
	var wg sync.WaitGroup
	s.sampler.begin(st)
	for w := range s.workers {
		wg.Go(func() {
			wk := &s.workers[w]
			for {
				k := next.Add(1) - 1
				if k >= int64(len(items)) || ctx.Err() != nil {
					return
				}
				if err := s.do(ctx, wk, int(items[k]>>16), uint16(items[k])); err != nil {
					errs[w] = err
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	s.sampler.end(st)
	done := int64(0)
	for w := range s.workers {
		wk := &s.workers[w]
		st.lat.merge(&wk.lat)
		st.n += wk.n
		done += wk.n
		*wk = worker{}
	}
	bar.add(done)
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// do runs the commands of mask for appeal i.
func (s *scenario) do(ctx context.Context, w *worker, i int, mask uint16) error {
	p := s.gen.plan(i)
	eng, id := s.eng, s.ids[i]
	var failed error
	run := func(name string, cmd func() error) {
		if failed != nil {
			return
		}
		t0 := time.Now()
		err := cmd()
		w.lat.add(time.Since(t0))
		w.n++
		if err != nil {
			failed = fmt.Errorf("appeal %d: %s: %w", i, name, err)
		}
	}
	exec := executor(p.executor)
	if mask&bReceive != 0 {
		_, at := s.receipt(i)
		card := s.gen.card(i, p, at)
		run("receive", func() error {
			rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: card})
			if err == nil {
				id = rec.Appeal.ID
				s.ids[i] = id
			}
			return err
		})
	}
	if mask&bRegister != 0 {
		run("register", func() error { _, err := eng.Register(ctx, clerk, id, workflow.RegisterInput{}); return err })
	}
	if mask&bRefuse != 0 {
		run("refuse", func() error {
			_, err := eng.RefuseRegistration(ctx, clerk, id, workflow.RefusalInput{Reason: workflow.RefusalNotAppeal})
			return err
		})
	}
	codes := p.codes()
	if mask&bClassify != 0 {
		run("classify", func() error { _, err := eng.Classify(ctx, clerk, id, codes); return err })
	}
	if mask&bResolve != 0 {
		run("resolve", func() error {
			_, err := eng.Resolve(ctx, manager, id, workflow.ResolutionInput{Text: "Рассмотреть, подготовить ответ заявителю",
				Assignments: []workflow.AssignmentInput{{Executor: exec.ID, Task: "Проверить изложенные факты и принять меры"}}})
			return err
		})
	}
	if mask&bDecide != 0 {
		run("decide", func() error {
			_, err := eng.Decide(ctx, manager, id, workflow.OutcomeInput{Ground: p.ground})
			return err
		})
		run("close", func() error { _, err := eng.Close(ctx, clerk, id); return err })
	}
	if mask&bExtend != 0 {
		run("extend", func() error {
			_, err := eng.Extend(ctx, manager, id, workflow.ExtensionInput{Days: 30, ApprovedBy: manager.ID,
				Reason: "Необходимо запросить документы в других органах"})
			return err
		})
	}
	if mask&bReport != 0 {
		run("report", func() error {
			_, err := eng.Report(ctx, exec, id, workflow.ReportInput{Assignment: "1", Text: "Проверка проведена, меры приняты"})
			return err
		})
	}
	if mask&bDraft != 0 {
		r := s.gen.rng(streamCard+100, uint64(i))
		ans := workflow.AnswerInput{Text: answer(r, p.topics[0]), Attachments: []appeal.Attachment{answerDocument(i)}}
		run("draft", func() error { _, err := eng.DraftAnswer(ctx, exec, id, ans); return err })
		for _, code := range codes {
			run("result", func() error {
				_, err := eng.SetResult(ctx, exec, id, code, workflow.ResultInput{Status: p.result,
					MeasuresTaken: p.result == appeal.StatusSupported})
				return err
			})
		}
	}
	if mask&bApprove != 0 {
		run("approve", func() error { _, err := eng.Approve(ctx, manager, id); return err })
	}
	if mask&bSend != 0 {
		run("send", func() error {
			_, err := eng.Send(ctx, clerk, id, workflow.SendInput{Number: "исх-" + strconv.Itoa(i+1)})
			return err
		})
		run("close", func() error { _, err := eng.Close(ctx, clerk, id); return err })
	}
	return failed
}

// executors are the executors' actors, made once.
var executors = func() []workflow.Actor {
	out := make([]workflow.Actor, 200)
	for i := range out {
		out[i] = workflow.Actor{ID: fmt.Sprintf("exec-%03d", i), Roles: []workflow.Role{workflow.RoleExecutor}}
	}
	return out
}()

func executor(k int) workflow.Actor { return executors[k%len(executors)] }

// answerDocument is appeal i's signed answer as the host would keep it: a reference that
// synthBlobs serves, of a few kilobytes.
func answerDocument(i int) appeal.Attachment {
	size := int64(2048 + i*7%6144)
	return appeal.Attachment{Name: "Ответ.pdf", MediaType: "application/pdf", Size: size,
		Ref: "synth:" + strconv.FormatInt(size, 10)}
}

// synthBlobs serves the answer documents: "synth:SIZE" opens SIZE bytes of a PDF-like text,
// so that the export reads and compresses them without the scenario holding them.
type synthBlobs struct{}

func (synthBlobs) Put(context.Context, string, string, io.Reader) (string, error) {
	return "", fmt.Errorf("scale: the answer documents are synthetic: %w", appeal.ErrNoBlob)
}

func (synthBlobs) Open(_ context.Context, ref string) (io.ReadCloser, error) {
	size, err := strconv.ParseInt(strings.TrimPrefix(ref, "synth:"), 10, 64)
	if err != nil || !strings.HasPrefix(ref, "synth:") {
		return nil, fmt.Errorf("scale: blob %q: %w", ref, appeal.ErrNoBlob)
	}
	return io.NopCloser(io.LimitReader(pdfFill{}, size)), nil
}

// pdfFill repeats a page of PDF-like text.
type pdfFill struct{}

const pdfPage = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\nstream BT /F1 12 Tf 72 712 Td (Otvet) Tj ET endstream\n"

func (pdfFill) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		n += copy(b[n:], pdfPage)
	}
	return n, nil
}
