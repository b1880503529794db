package workflow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/retention"
	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sendResults gives the drafted answer's two questions their results (supported with
// measures, explained), approves the answer and sends it under number.
func (f *fixture) sendResults(id uuid.UUID, number string) {
	f.t.Helper()
	for code, st := range map[string]appeal.QuestionStatus{qUtilities: appeal.StatusSupported, qWages: appeal.StatusExplained} {
		_, err := f.eng.SetResult(f.ctx, executor, id, code, workflow.ResultInput{Status: st, MeasuresTaken: st == appeal.StatusSupported})
		require.NoError(f.t, err)
	}
	_, err := f.eng.Approve(f.ctx, manager, id)
	require.NoError(f.t, err)
	_, err = f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: number})
	require.NoError(f.t, err)
}

// A month with an anonymous appeal, a refused intake sent on by another body, a forwarded
// migration appeal and an answered one exports to ССТУ.РФ, validates strictly with no problem,
// and reads back with the statuses the engine gave (docs/sstu.md: Q7, anonymous appeals).
func TestMonthExportEndToEnd(t *testing.T) {
	f := newFixture(t, func(o *workflow.Options) {
		o.Org.DepartmentID = "6bc82a49-6a97-43f4-9e42-a07d417b60b6"
		o.Org.AnonymousName = "Анонимное обращение"
	})
	var blobs appeal.MemoryBlobs
	answer := "%PDF-1.4 ответ по существу"
	ref, err := blobs.Put(f.ctx, "Ответ.pdf", "application/pdf", strings.NewReader(answer))
	require.NoError(t, err)

	// Answered on the merits, with the signed answer document.
	answered := f.appealAt(reported)
	_, err = f.eng.DraftAnswer(f.ctx, executor, answered, workflow.AnswerInput{Text: "Вывоз мусора восстановлен.",
		Attachments: []appeal.Attachment{{Name: "Ответ.pdf", MediaType: "application/pdf", Size: int64(len(answer)), Ref: ref}}})
	require.NoError(t, err)
	f.sendResults(answered, "исх-1")

	// Anonymous, left without an answer (art. 11 p.1).
	anon := card()
	anon.Applicants, anon.Anonymous = nil, true
	anonID := f.receiveCard(anon)
	_, err = f.eng.Register(f.ctx, clerk, anonID, workflow.RegisterInput{})
	require.NoError(t, err)
	_, err = f.eng.Classify(f.ctx, clerk, anonID, []string{qUtilities})
	require.NoError(t, err)
	_, err = f.eng.Decide(f.ctx, manager, anonID, workflow.OutcomeInput{Ground: workflow.GroundAnonymous})
	require.NoError(t, err)

	// On migration law, forwarded to the МВД body and the head of the subject (art. 8 p.3.1).
	mig := card()
	mig.MigrationViolation = true
	migID := f.receiveCard(mig)
	_, err = f.eng.Register(f.ctx, clerk, migID, workflow.RegisterInput{})
	require.NoError(t, err)
	_, err = f.eng.Classify(f.ctx, clerk, migID, []string{"0004.0016.0162.1212"})
	require.NoError(t, err)
	_, err = f.eng.Forward(f.ctx, clerk, migID, workflow.ForwardInput{To: []workflow.Target{
		{Body: "УМВД России по городу N", DepartmentID: "0a4f6c3e-2b51-4f7e-9c1d-8e7b6a5d4c3b", Role: workflow.TargetMVD},
		{Body: "Губернатор области", Role: workflow.TargetHeadOfSubject}}})
	require.NoError(t, err)

	// An e-mail another body sent on, which is not an appeal here: refused registration,
	// reported NotRegistered under the cover letter's number (Q7).
	sent := card()
	sent.Channel, sent.Identified, sent.Electronic = appeal.ChannelOtherBody, false, true
	sent.CoverLetter = &appeal.CoverLetter{Sender: "Управление Президента РФ по работе с обращениями",
		SenderID: "3b3a3f1e-8e1b-4f9a-9d6e-2c4b5a6d7e8f", Number: "А26-05-84857211", Date: deadline.NewDate(2025, 11, 7)}
	sent.Questions = []appeal.Question{{Code: qUtilities}}
	sentID := f.receiveCard(sent)
	_, err = f.eng.RefuseRegistration(f.ctx, clerk, sentID, workflow.RefusalInput{Reason: workflow.RefusalNotAppeal})
	require.NoError(t, err)
	// A direct e-mail refused at registration has no number and is not reported.
	direct := f.receiveCard(emailCard())
	_, err = f.eng.RefuseRegistration(f.ctx, clerk, direct, workflow.RefusalInput{Reason: workflow.RefusalChannel})
	require.NoError(t, err)

	var parts sstu.Memory
	res, err := f.eng.ExportSSTU(f.ctx, clerk, workflow.SSTUExport{Month: sstu.Month{Year: 2025, Month: time.November},
		Dest: &parts, Blobs: &blobs})
	require.NoError(t, err)
	assert.Empty(t, res.Refusals)
	assert.Equal(t, 4, res.Exported, "answered, anonymous, forwarded, refused from another body")
	assert.Empty(t, (&sstu.Validator{Strict: true}).Zip(parts.Parts()...), "strictly valid")

	byStatus := map[appeal.QuestionStatus]sstu.Record{}
	for r, err := range (&sstu.Reader{}).Zip(parts.Parts()...) {
		require.NoError(t, err)
		for _, q := range r.Questions {
			byStatus[q.Status] = r
		}
	}
	assert.Contains(t, byStatus, appeal.StatusSupported)
	assert.Contains(t, byStatus, appeal.StatusTransferred)
	assert.Equal(t, "Анонимное обращение", byStatus[appeal.StatusLeftWithoutAnswer].Name, "the placeholder from Organization")
	notReg, ok := byStatus[appeal.StatusNotRegistered]
	require.True(t, ok, "the refused appeal another body sent on")
	assert.Equal(t, "А26-05-84857211", notReg.Number)

	// An export reads every appeal: an executor may not.
	var none sstu.Memory
	_, err = f.eng.ExportSSTU(f.ctx, executor, workflow.SSTUExport{Month: sstu.Month{Year: 2025, Month: time.November},
		Dest: &none, Blobs: &blobs})
	assert.ErrorIs(t, err, workflow.ErrDenied)
	assert.Empty(t, none.Parts(), "no part written")
}

// A result recorded on a draft answer that is not sent yet is reported as still in work —
// extended when the term was — and the month exports valid; once the answer is sent, the
// result goes with the answer's date and document (Указ № 171: a result is the answer's).
func TestMonthExportResultBeforeSending(t *testing.T) {
	for _, extended := range []bool{false, true} {
		t.Run(map[bool]string{false: "in term", true: "extended"}[extended], func(t *testing.T) {
			f := newFixture(t, func(o *workflow.Options) {
				o.Org.DepartmentID = "6bc82a49-6a97-43f4-9e42-a07d417b60b6"
				o.ExtendedStatus = true
			})
			var blobs appeal.MemoryBlobs
			ref, err := blobs.Put(f.ctx, "Ответ.pdf", "application/pdf", strings.NewReader("%PDF-1.4"))
			require.NoError(t, err)
			id := f.appealAt(reported)
			if extended {
				_, err = f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 10, Reason: "Запрос", ApprovedBy: "head-1"})
				require.NoError(t, err)
			}
			_, err = f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: "Вывоз мусора восстановлен.",
				Attachments: []appeal.Attachment{{Name: "Ответ.pdf", MediaType: "application/pdf", Size: 8, Ref: ref}}})
			require.NoError(t, err)
			for _, code := range []string{qUtilities, qWages} {
				_, err = f.eng.SetResult(f.ctx, executor, id, code, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
				require.NoError(t, err)
			}
			_, err = f.eng.Approve(f.ctx, manager, id)
			require.NoError(t, err)

			export := func() []sstu.Question {
				t.Helper()
				var parts sstu.Memory
				res, err := f.eng.ExportSSTU(f.ctx, clerk, workflow.SSTUExport{Month: sstu.Month{Year: 2025, Month: time.November},
					Dest: &parts, Blobs: &blobs})
				require.NoError(t, err)
				require.Empty(t, res.Refusals)
				require.Equal(t, 1, res.Exported)
				require.Empty(t, (&sstu.Validator{Strict: true}).Zip(parts.Parts()...), "strictly valid")
				var qs []sstu.Question
				for r, err := range (&sstu.Reader{}).Zip(parts.Parts()...) {
					require.NoError(t, err)
					qs = append(qs, r.Questions...)
				}
				return qs
			}
			want := appeal.StatusInWork
			if extended {
				want = appeal.StatusInWorkExtended
			}
			for _, q := range export() {
				assert.Equal(t, want, q.Status, "a result before its answer is sent")
				assert.True(t, q.ResponseDate.IsZero())
				assert.Nil(t, q.Attachment)
			}
			rec, err := f.store.Get(f.ctx, id)
			require.NoError(t, err)
			assert.Equal(t, appeal.StatusSupported, rec.Appeal.Questions[0].Status, "the record keeps the result")

			_, err = f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
			require.NoError(t, err)
			for _, q := range export() {
				assert.Equal(t, appeal.StatusSupported, q.Status, "sent")
				assert.False(t, q.ResponseDate.IsZero())
				assert.NotNil(t, q.Attachment)
			}
		})
	}
}

// One bad record never stops the month: the engine's export writes the valid records and
// hands back the refused one with its field and rule.
func TestMonthExportRefusesOneRecord(t *testing.T) {
	f := newFixture(t, func(o *workflow.Options) { o.Org.DepartmentID = "6bc82a49-6a97-43f4-9e42-a07d417b60b6" })
	good := f.appealAt(classified)
	bad := f.appealAt(answered) // its answer document is missing from Blobs
	rec, err := f.store.Get(f.ctx, bad)
	require.NoError(t, err)
	rec.Answer.Attachments = []appeal.Attachment{{Name: "Ответ.pdf", Size: 10, Ref: "nowhere"}}
	require.NoError(t, f.store.Save(f.ctx, workflow.Change{Record: rec}))

	var parts sstu.Memory
	res, err := f.eng.ExportSSTU(context.Background(), clerk, workflow.SSTUExport{Month: sstu.Month{Year: 2025, Month: time.November},
		Dest: &parts, Blobs: &appeal.MemoryBlobs{}})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Exported)
	require.Len(t, res.Refusals, 1)
	assert.Equal(t, bad, res.Refusals[0].Appeal)
	assert.NotEmpty(t, res.Refusals[0].Problems)
	_ = good
}

// A closed appeal becomes the retention package's file: the destruction act is drafted from
// the store (the ЭПК files go to the review list).
func TestRetentionFilesFromTheStore(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(closed)
	open := f.appealAt(inExecution)
	var files []retention.File
	for file, err := range f.eng.RetentionFiles(f.ctx, clerk, workflow.Filter{}) {
		require.NoError(t, err)
		files = append(files, file)
	}
	require.Len(t, files, 1, "only closed appeals are files")
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	assert.Equal(t, rec.Appeal.Number, files[0].Number)
	assert.Equal(t, day(2025, 11, 10), files[0].Closed)
	assert.NotEmpty(t, files[0].Category, "the suggested category, for a person to confirm")

	act := retention.DestructionAct{Number: "1", Date: deadline.NewDate(2031, 2, 1), Organization: "Администрация города N",
		Approval: "протокол ЭК от 20.01.2031 № 1"}
	var destroy, review strings.Builder
	tot, err := retention.Standard().Draft(act, f.eng.RetentionFiles(f.ctx, clerk, workflow.Filter{}),
		retention.NewCSVSheet(&destroy), retention.NewCSVSheet(&review))
	require.NoError(t, err)
	assert.Equal(t, 1, tot.Destroy.Files+tot.Review.Files, "the file is due in 2031: 5 years from 2026")

	_, ok := f.eng.RetentionFile(func() *workflow.Record { r, _ := f.eng.Get(f.ctx, auditor, open); return r }())
	assert.False(t, ok, "an open appeal is no file yet")
}

// historyCount counts the histories read from the store.
type historyCount struct {
	workflow.Store
	n int
}

func (h *historyCount) History(ctx context.Context, id uuid.UUID) ([]workflow.Event, error) {
	h.n++
	return h.Store.History(ctx, id)
}

// The engine's export does not read the history of an appeal closed over a day before the
// month (nothing of it can fall in the month), and exports what the month's entries of every
// appeal give (SSTUEntries): here the December report, with two appeals closed in November
// (one given feedback in December), one closed late on 30 November, one in work since
// November, one whose results were set and sent in December, and one registered in December.
func TestMonthExportSkipsAppealsClosedBefore(t *testing.T) {
	const department = "6bc82a49-6a97-43f4-9e42-a07d417b60b6"
	f := newFixture(t, func(o *workflow.Options) { o.Org.DepartmentID = department })
	longClosed := f.appealAt(closed)
	f.appealAt(closed)
	lateInMonth := f.appealAt(approved)
	resultsInDecember := f.appealAt(drafted)
	f.appealAt(inExecution)
	f.advanceTo(time.Date(2025, time.November, 30, 22, 0, 0, 0, msk))
	_, err := f.eng.Send(f.ctx, clerk, lateInMonth, workflow.SendInput{Number: "исх-2"})
	require.NoError(t, err)
	_, err = f.eng.Close(f.ctx, clerk, lateInMonth)
	require.NoError(t, err)
	f.advanceTo(time.Date(2025, time.December, 2, 10, 0, 0, 0, msk))
	f.sendResults(resultsInDecember, "исх-3")
	_, err = f.eng.Close(f.ctx, clerk, resultsInDecember)
	require.NoError(t, err)
	_, err = f.eng.Feedback(f.ctx, clerk, longClosed, workflow.FeedbackInput{Result: appeal.Satisfied, Measures: appeal.NoOpinion})
	require.NoError(t, err)
	f.appealAt(classified)

	counted := &historyCount{Store: f.store}
	eng, err := workflow.New(counted, workflow.Options{Clock: f.clock.Now,
		Org: workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж", DepartmentID: department}})
	require.NoError(t, err)
	december := sstu.Month{Year: 2025, Month: time.December}
	var got, want sstu.Memory
	res, err := eng.ExportSSTU(f.ctx, clerk, workflow.SSTUExport{Month: december, Dest: &got, Blobs: &appeal.MemoryBlobs{}})
	require.NoError(t, err)
	assert.Equal(t, 4, counted.n, "the two closed over a day before December are not read")
	// The fixture's answer has no document: the one with results is refused, the other written.
	assert.Equal(t, 1, res.Exported, "the one registered in December")
	require.Len(t, res.Refusals, 1, "the one with results in December")
	assert.Equal(t, resultsInDecember, res.Refusals[0].Appeal)

	x := &sstu.Exporter{Org: sstu.Org{DepartmentID: department, Location: msk, Extension: sstu.ExtensionInWork},
		Blobs: &appeal.MemoryBlobs{}}
	all, err := x.Export(f.ctx, december, eng.SSTUEntries(f.ctx, clerk, workflow.Filter{}), &want)
	require.NoError(t, err)
	assert.Equal(t, all.Exported, res.Exported)
	assert.Equal(t, all.Refusals[0].Error(), res.Refusals[0].Error())
	assert.Equal(t, all.Seen-2, res.Seen, "Seen counts the appeals whose history was read")
	records := func(m *sstu.Memory) []sstu.Record {
		var out []sstu.Record
		for r, err := range (&sstu.Reader{}).Zip(m.Parts()...) {
			require.NoError(t, err)
			out = append(out, r)
		}
		return out
	}
	assert.Equal(t, records(&want), records(&got))
}
