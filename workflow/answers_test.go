package workflow_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/answers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The draft answer starts from a template: the most specific for the appeal's questions,
// filled from the card and the record; the organization's own templates replace defaults.
func TestProposeAnswer(t *testing.T) {
	f := newFixture(t, func(o *workflow.Options) { o.Org.Signatory = "Глава города N И. И. Петров" })
	id := f.appealAt(inExecution)
	text, err := f.eng.ProposeAnswer(f.ctx, executor, id, answers.Answer)
	require.NoError(t, err)
	assert.Contains(t, text, "Уважаемый(ая) Мария Петровна!")
	assert.Contains(t, text, "рег. № Ж-2025-000001")
	assert.Contains(t, text, "По вопросу «", "each question with its classifier title")
	assert.Contains(t, text, "Глава города N И. И. Петров")

	host, err := answers.Parse(fstest.MapFS{"h.tmpl": {Data: []byte(
		`{{define "answer:0005.0005"}}О ЖКХ: {{.Number}}{{end}}`)}}, "*.tmpl")
	require.NoError(t, err)
	f2 := newFixture(t, func(o *workflow.Options) { o.Answers = host })
	id2 := f2.appealAt(inExecution)
	text, err = f2.eng.ProposeAnswer(f2.ctx, executor, id2, answers.Answer)
	require.NoError(t, err)
	assert.Equal(t, "О ЖКХ: Ж-2025-000001\n", text, "a topic template beats the default")
	text, err = f2.eng.ProposeAnswer(f2.ctx, executor, id2, answers.Extension)
	require.NoError(t, err)
	assert.Contains(t, text, "ч. 2 ст. 12", "defaults stay for the rest")

	_, err = f.eng.ProposeAnswer(f.ctx, executor2, id, answers.Answer)
	assert.ErrorIs(t, err, workflow.ErrDenied, "only who may read the appeal")
}

// The Signer signs the approved answer; who signed, when and the signature's reference are
// recorded; an organization that requires a signature sends only signed answers; a rework
// drops it.
func TestSignature(t *testing.T) {
	var signed []workflow.Document
	signer := workflow.SignerFunc(func(_ context.Context, d workflow.Document) (workflow.Signature, error) {
		signed = append(signed, d)
		return workflow.Signature{Ref: "sig/" + d.Number}, nil
	})
	f := newFixture(t, func(o *workflow.Options) { o.Signer, o.Org.RequireSignature = signer, true })
	id := f.appealAt(approved)
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	require.NotNil(t, rec.Answer.Signature)
	assert.Equal(t, workflow.Signature{Ref: "sig/Ж-2025-000001", By: manager.ID, At: f.clock.Now()}, *rec.Answer.Signature)
	require.Len(t, signed, 1)
	assert.Equal(t, "Вывоз мусора восстановлен.", signed[0].Text)
	_, err = f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
	require.NoError(t, err)

	// A failing signer refuses the approval; without a signer, a required signature refuses
	// the sending.
	f2 := newFixture(t, func(o *workflow.Options) {
		o.Signer = workflow.SignerFunc(func(context.Context, workflow.Document) (workflow.Signature, error) {
			return workflow.Signature{}, errors.New("token not inserted")
		})
	})
	id2 := f2.appealAt(resulted)
	before := f2.snap(id2)
	_, err = f2.eng.Approve(f2.ctx, manager, id2)
	require.Error(t, err)
	assert.Equal(t, before, f2.snap(id2))

	f3 := newFixture(t, func(o *workflow.Options) { o.Org.RequireSignature = true })
	id3 := f3.appealAt(approved)
	_, err = f3.eng.Send(f3.ctx, clerk, id3, workflow.SendInput{Number: "исх-1"})
	var pe *workflow.PrerequisiteError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, workflow.RuleAnswerSigned, pe.Rule)

	id4 := f.appealAt(approved)
	rec, err = f.eng.Rework(f.ctx, manager, id4, "уточнить")
	require.NoError(t, err)
	assert.Nil(t, rec.Answer.Signature, "a reworked answer is signed again")
}
