package appeal

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Where the answer goes (art. 10 p.4, art. 7 p.3): by the appeal's form, never by a contact
// preference alone.
func TestAnswerTo(t *testing.T) {
	tests := []struct {
		name string
		card func() *Appeal
		ch   AnswerChannel
		ok   bool
	}{
		{"paper by post: on paper, whatever the preference (art. 10 p.4)", func() *Appeal {
			a := paperCard()
			a.Applicants[0].AnswerChannel = AnswerByEmail
			return a
		}, AnswerByPost, true},
		{"written at a reception: on paper", func() *Appeal {
			a := paperCard()
			a.Channel = ChannelReception
			return a
		}, AnswerByPost, true},
		{"web form: to the e-mail", webCard, AnswerByEmail, true},
		{"web form, paper asked for with a postal address (art. 7 p.3)", func() *Appeal {
			a := webCard()
			a.Applicants[0].AnswerChannel = AnswerByPost
			return a
		}, AnswerByPost, true},
		{"web form, only a postal address: on paper", func() *Appeal {
			a := webCard()
			a.Applicants[0].Email, a.Applicants[0].AnswerChannel = "", ""
			return a
		}, AnswerByPost, true},
		{"ЕПГУ: to the personal account (480-ФЗ)", func() *Appeal {
			a := epguCard()
			a.Applicants[0].AnswerChannel = ""
			return a
		}, AnswerToAccount, true},
		{"ЕПГУ, e-mail chosen", func() *Appeal {
			a := epguCard()
			a.Applicants[0].AnswerChannel = AnswerByEmail
			return a
		}, AnswerByEmail, true},
		{"electronic through МЭДО: electronic", func() *Appeal {
			a := bodyCard(ChannelMEDO)
			a.Electronic = true
			a.Applicants[0].AnswerChannel = ""
			return a
		}, AnswerByEmail, true},
		{"paper from another body: on paper", func() *Appeal { return bodyCard(ChannelOtherBody) }, AnswerByPost, true},
		{"anonymous: no answer (art. 11 p.1)", func() *Appeal {
			a := paperCard()
			a.Anonymous = true
			return a
		}, "", false},
		{"paper without a postal address: nowhere", func() *Appeal {
			a := paperCard()
			a.Applicants[0].PostalAddress = ""
			return a
		}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch, addr, ok := tc.card().AnswerTo()
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.ch, ch)
			assert.Equal(t, ok, addr != "")
		})
	}
}

func TestForm(t *testing.T) {
	assert.Equal(t, FormWritten, paperCard().Form())
	assert.Equal(t, FormElectronic, webCard().Form())
	assert.Equal(t, FormElectronic, epguCard().Form())
	oral := paperCard()
	oral.Channel, oral.Oral = ChannelReception, true
	assert.Equal(t, FormOral, oral.Form())
	medo := bodyCard(ChannelMEDO)
	assert.Equal(t, FormWritten, medo.Form())
	medo.Electronic = true
	assert.Equal(t, FormElectronic, medo.Form())
}

func TestRequisitesListed(t *testing.T) {
	rs := Requisites()
	assert.NotEmpty(t, rs)
	for _, r := range rs {
		assert.NotEmpty(t, r.Field)
		assert.Contains(t, string(r.Rule), "art.")
	}
}
