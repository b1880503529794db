package workflow_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answerBlobs serves the one answer document under any reference.
type answerBlobs []byte

func (b answerBlobs) Open(context.Context, string) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (b answerBlobs) Put(context.Context, string, string, io.Reader) (string, error) {
	return "answers/1", nil
}

// An appeal taken through the engine exports to ССТУ.РФ as a valid record: the engine's
// statuses, dates and answer document are what the report wants (Указ № 171).
func TestSSTUExportOfEngineRecords(t *testing.T) {
	f := newFixture(t)
	answer := []byte("%PDF-1.4 ответ")
	id := f.appealAt(reported)
	_, err := f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: "Вывоз мусора восстановлен.",
		Attachments: []appeal.Attachment{{Name: "Ответ.pdf", MediaType: "application/pdf", Size: int64(len(answer)), Ref: "answers/1"}}})
	require.NoError(t, err)
	_, err = f.eng.SetResult(f.ctx, executor, id, qUtilities, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
	require.NoError(t, err)
	_, err = f.eng.SetResult(f.ctx, executor, id, qWages, workflow.ResultInput{Status: appeal.StatusExplained})
	require.NoError(t, err)
	_, err = f.eng.Approve(f.ctx, manager, id)
	require.NoError(t, err)
	_, err = f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
	require.NoError(t, err)
	inWork := f.appealAt(classified)

	x := &sstu.Exporter{
		Org:   sstu.Org{DepartmentID: "6bc82a49-6a97-43f4-9e42-a07d417b60b6", Location: msk},
		Blobs: answerBlobs(answer),
	}
	var parts sstu.Memory
	res, err := x.Export(f.ctx, sstu.Month{Year: 2025, Month: time.November}, f.eng.SSTUEntries(f.ctx, auditor, workflow.Filter{}), &parts)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Exported)
	assert.Empty(t, res.Refusals)

	assert.Empty(t, (&sstu.Validator{Strict: true}).Zip(parts.Parts()...))
	byNumber := map[string]sstu.Record{}
	for r, err := range (&sstu.Reader{}).Zip(parts.Parts()...) {
		require.NoError(t, err)
		byNumber[r.Number] = r
	}
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	r := byNumber[rec.Appeal.Number]
	require.Len(t, r.Questions, 2)
	assert.Equal(t, appeal.StatusSupported, r.Questions[0].Status)
	assert.Equal(t, "Ответ.pdf", r.Questions[0].Attachment.Name)
	assert.Equal(t, answer, r.Questions[0].Attachment.Content)
	other, err := f.eng.Get(f.ctx, auditor, inWork)
	require.NoError(t, err)
	assert.Equal(t, appeal.StatusInWork, byNumber[other.Appeal.Number].Questions[0].Status)
}
