package appeal

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	testID      = uuid.MustParse("019a0000-0000-7000-8000-000000000001")
	after547    = time.Date(2025, time.June, 2, 10, 0, 0, 0, moscow)
	before547   = time.Date(2025, time.March, 29, 20, 59, 0, 0, time.UTC) // 23:59 in Moscow
	before480   = time.Date(2023, time.August, 31, 12, 0, 0, 0, moscow)
	letterDate  = deadline.NewDate(2025, time.May, 30)
	personalPII = []string{"Иванов", "Иван", "Иванович", "Москва", "ivanov@example.ru", "+7 (495) 123-45-67", "ЕПГУ-12345"}
)

// paperCard is a valid paper appeal by post: every art. 7 p.1 requisite present.
func paperCard() *Appeal {
	a := New(testID, after547, ChannelPost)
	a.Kind = Complaint
	a.Addressee = "Администрация города"
	a.Text = "Прошу отремонтировать крышу дома."
	a.Signed = true
	a.Dated = deadline.NewDate(2025, time.May, 28)
	a.Applicants = []Applicant{{
		Surname: "Иванов", GivenName: "Иван", Patronymic: "Иванович",
		PostalAddress: "г. Москва, ул. Тверская, д. 1", Email: "ivanov@example.ru",
		Phone: "+7 (495) 123-45-67", AnswerChannel: AnswerByPost,
	}}
	a.Questions = []Question{{Code: "0005.0005.0055.1122"}}
	return a
}

func webCard() *Appeal {
	a := paperCard()
	a.Channel = ChannelWebForm
	a.Signed, a.Dated = false, deadline.Date{}
	a.Identified = true
	a.Applicants[0].Consent = true
	a.Applicants[0].AnswerChannel = AnswerByEmail
	return a
}

func epguCard() *Appeal {
	a := webCard()
	a.Channel = ChannelEPGU
	a.Applicants[0].Account = "ЕПГУ-12345"
	a.Applicants[0].AnswerChannel = AnswerToAccount
	return a
}

func bodyCard(ch Channel) *Appeal {
	a := paperCard()
	a.Channel = ch
	a.CoverLetter = &CoverLetter{Sender: "Управление Президента РФ по работе с обращениями", Number: "А26-05-84857211-СО1", Date: letterDate}
	return a
}

func TestValidateAcceptsGoodCards(t *testing.T) {
	tests := []struct {
		name string
		card func() *Appeal
		opt  ValidateOptions
	}{
		{"paper by post (art. 7 p.1)", paperCard, ValidateOptions{}},
		{"web form, identified (art. 4 p.1, 547-ФЗ)", webCard, ValidateOptions{}},
		{"ЕПГУ with personal account (art. 7 p.3, 480-ФЗ)", epguCard, ValidateOptions{}},
		{"from another body with cover letter (art. 8 p.3)", func() *Appeal { return bodyCard(ChannelOtherBody) }, ValidateOptions{}},
		{"МЭДО", func() *Appeal { return bodyCard(ChannelMEDO) }, ValidateOptions{}},
		{"e-mail before 547-ФЗ", func() *Appeal {
			a := webCard()
			a.Channel, a.ReceivedAt = ChannelEmail, before547
			return a
		}, ValidateOptions{}},
		{"e-mail after 547-ФЗ where the organization accepts it", func() *Appeal {
			a := webCard()
			a.Channel = ChannelEmail
			return a
		}, ValidateOptions{AcceptEmail: true}},
		{"web form before 547-ФЗ, not identified", func() *Appeal {
			a := webCard()
			a.ReceivedAt, a.Identified = before547, false
			return a
		}, ValidateOptions{}},
		{"oral at personal reception (art. 13)", func() *Appeal {
			a := paperCard()
			a.Channel, a.Oral, a.Signed, a.Addressee = ChannelReception, true, false, ""
			a.Applicants[0].PostalAddress, a.Applicants[0].AnswerChannel = "", ""
			return a
		}, ValidateOptions{}},
		{"organization (art. 1 p.4)", func() *Appeal {
			a := paperCard()
			a.Applicants[0] = Applicant{Kind: Organization, OrganizationName: "ТСЖ «Рассвет»", PostalAddress: "г. Пермь"}
			return a
		}, ValidateOptions{}},
		{"collective with 120 signers", func() *Appeal {
			a := paperCard()
			a.Collective, a.Signers = true, 120
			a.Applicants = append(a.Applicants, Applicant{Surname: "Петров", GivenName: "Петр"})
			return a
		}, ValidateOptions{}},
		{"anonymous, registered to be left without answer (art. 11 p.1)", func() *Appeal {
			a := paperCard()
			a.Applicants, a.Signed, a.Anonymous = nil, false, true
			return a
		}, ValidateOptions{}},
		{"anonymous with a name and no address (art. 11 p.1)", func() *Appeal {
			a := paperCard()
			a.Applicants[0].PostalAddress, a.Applicants[0].AnswerChannel, a.Anonymous = "", "", true
			return a
		}, ValidateOptions{}},
		{"written appeal handed in at a personal reception (art. 13 p.4)", func() *Appeal {
			a := paperCard()
			a.Channel = ChannelReception
			return a
		}, ValidateOptions{}},
		{"electronic appeal sent on by another body: art. 7 p.3, e-mail enough", func() *Appeal {
			a := bodyCard(ChannelOtherBody)
			a.Electronic, a.Signed, a.Dated, a.Addressee = true, false, deadline.Date{}, ""
			a.Applicants[0].PostalAddress, a.Applicants[0].AnswerChannel = "", AnswerByEmail
			return a
		}, ValidateOptions{}},
		{"electronic through МЭДО with only a postal address: a paper answer (art. 7 p.3)", func() *Appeal {
			a := bodyCard(ChannelMEDO)
			a.Electronic, a.Signed, a.Dated = true, false, deadline.Date{}
			a.Applicants[0].Email, a.Applicants[0].AnswerChannel = "", ""
			return a
		}, ValidateOptions{}},
		{"registered, refinement code, results", func() *Appeal {
			a := paperCard()
			a.State, a.Number, a.RegisteredAt = StateAnswered, "Ж-2025-000001", after547.Add(time.Hour)
			a.Questions = []Question{
				{Code: "0001.0001.0006.0013.0001", Status: StatusSupported, MeasuresTaken: true},
				{Code: "0005.0005.0055.1122", Status: StatusTransferred, Transfer: &Transfer{Body: "Минстрой"}},
			}
			a.Feedback = &Feedback{Result: Satisfied, Measures: NoOpinion, At: after547}
			return a
		}, ValidateOptions{}},
		{"withdrawn before registration (art. 5)", func() *Appeal {
			a := paperCard()
			a.State = StateWithdrawn
			return a
		}, ValidateOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NoError(t, Validate(tt.card(), tt.opt))
		})
	}
}

func TestValidateReportsFieldAndRule(t *testing.T) {
	tests := []struct {
		name  string
		card  func() *Appeal
		field string
		rule  Rule
	}{
		{"no id", func() *Appeal { a := paperCard(); a.ID = uuid.Nil; return a }, "id", RuleRequired},
		{"no receipt moment", func() *Appeal { a := paperCard(); a.ReceivedAt = time.Time{}; return a }, "receivedAt", RuleRequired},
		{"no channel", func() *Appeal { a := paperCard(); a.Channel = ""; return a }, "channel", RuleRequired},
		{"unknown channel", func() *Appeal { a := paperCard(); a.Channel = "pigeon"; return a }, "channel", RuleChannel},
		{"e-mail after 30.03.2025 (art. 4 p.1, 547-ФЗ)", func() *Appeal { a := webCard(); a.Channel = ChannelEmail; return a }, "channel", RuleEmailChannel},
		{"e-mail on 30.03.2025 00:00 Moscow", func() *Appeal {
			a := webCard()
			a.Channel, a.ReceivedAt = ChannelEmail, time.Date(2025, 3, 29, 21, 0, 0, 0, time.UTC)
			return a
		}, "channel", RuleEmailChannel},
		{"ЕПГУ before 01.09.2023 (480-ФЗ)", func() *Appeal { a := epguCard(); a.ReceivedAt = before480; return a }, "channel", RuleEPGUChannel},
		{"web form not identified (art. 4 p.1, 547-ФЗ)", func() *Appeal { a := webCard(); a.Identified = false; return a }, "identified", RuleIdentification},
		{"no kind", func() *Appeal { a := paperCard(); a.Kind = ""; return a }, "kind", RuleRequired},
		{"unknown kind (art. 4)", func() *Appeal { a := paperCard(); a.Kind = "petition"; return a }, "kind", RuleKind},
		{"unknown state", func() *Appeal { a := paperCard(); a.State = "limbo"; return a }, "state", RuleState},
		{"no addressee on paper (art. 7 p.1)", func() *Appeal { a := paperCard(); a.Addressee = "  "; return a }, "addressee", RuleAddressee},
		{"no essence (art. 7 p.1)", func() *Appeal { a := paperCard(); a.Text = ""; return a }, "text", RuleEssence},
		{"unsigned letter (art. 7 p.1)", func() *Appeal { a := paperCard(); a.Signed = false; return a }, "signed", RuleSignature},
		{"undated letter (art. 7 p.1)", func() *Appeal { a := paperCard(); a.Dated = deadline.Date{}; return a }, "dated", RuleDate},
		{"letter dated after receipt", func() *Appeal { a := paperCard(); a.Dated = deadline.NewDate(2025, time.June, 4); return a }, "dated", RuleDate},
		{"unsigned written appeal at a personal reception (art. 13 p.4, art. 7 p.1)", func() *Appeal {
			a := paperCard()
			a.Channel, a.Signed = ChannelReception, false
			return a
		}, "signed", RuleSignature},
		{"undated written appeal at a personal reception (art. 13 p.4)", func() *Appeal {
			a := paperCard()
			a.Channel, a.Dated = ChannelReception, deadline.Date{}
			return a
		}, "dated", RuleDate},
		{"paper appeal sent on by another body follows the paper rules", func() *Appeal {
			a := bodyCard(ChannelOtherBody)
			a.Signed = false
			return a
		}, "signed", RuleSignature},
		{"electronic appeal sent on by МЭДО without an address to answer (art. 7 p.3)", func() *Appeal {
			a := bodyCard(ChannelMEDO)
			a.Electronic = true
			a.Applicants[0].PostalAddress, a.Applicants[0].Email, a.Applicants[0].AnswerChannel = "", "", ""
			return a
		}, "applicants[0].email", RuleEmailAddress},
		{"paper appeal: a contact preference does not replace the postal address (art. 7 p.1)", func() *Appeal {
			a := paperCard()
			a.Applicants[0].PostalAddress, a.Applicants[0].AnswerChannel = "", AnswerByEmail
			return a
		}, "applicants[0].postalAddress", RulePostalAddress},
		{"no cover letter from another body (art. 8 p.3)", func() *Appeal { a := bodyCard(ChannelOtherBody); a.CoverLetter = nil; return a }, "coverLetter", RuleCoverLetter},
		{"cover letter without number", func() *Appeal { a := bodyCard(ChannelMEDO); a.CoverLetter.Number = ""; return a }, "coverLetter.number", RuleCoverLetter},
		{"cover letter without sender", func() *Appeal { a := bodyCard(ChannelMEDO); a.CoverLetter.Sender = ""; return a }, "coverLetter.sender", RuleCoverLetter},
		{"cover letter without date", func() *Appeal { a := bodyCard(ChannelOtherBody); a.CoverLetter.Date = deadline.Date{}; return a }, "coverLetter.date", RuleCoverLetter},
		{"cover letter dated after receipt", func() *Appeal {
			a := bodyCard(ChannelOtherBody)
			a.CoverLetter.Date = deadline.NewDate(2025, time.June, 5)
			return a
		}, "coverLetter.date", RuleCoverLetterDate},
		{"no applicants", func() *Appeal { a := paperCard(); a.Applicants = nil; return a }, "applicants", RuleApplicants},
		{"collective with one signer", func() *Appeal { a := paperCard(); a.Collective, a.Signers = true, 1; return a }, "signers", RuleCollective},
		{"collective: fewer signers than applicants", func() *Appeal {
			a := paperCard()
			a.Collective, a.Signers = true, 2
			a.Applicants = append(a.Applicants, a.Applicants[0], a.Applicants[0])
			return a
		}, "signers", RuleCollective},
		{"two applicants, not collective", func() *Appeal { a := paperCard(); a.Applicants = append(a.Applicants, a.Applicants[0]); return a }, "collective", RuleCollective},
		{"many signers, not collective", func() *Appeal { a := paperCard(); a.Signers = 30; return a }, "collective", RuleCollective},
		{"no surname (art. 7 p.1)", func() *Appeal { a := paperCard(); a.Applicants[0].Surname = ""; return a }, "applicants[0].surname", RuleName},
		{"no given name (art. 7 p.3)", func() *Appeal { a := webCard(); a.Applicants[0].GivenName = "\t"; return a }, "applicants[0].givenName", RuleName},
		{"organization without name (art. 1 p.4)", func() *Appeal {
			a := paperCard()
			a.Applicants[0].Kind = Organization
			return a
		}, "applicants[0].organizationName", RuleOrganizationName},
		{"unknown applicant kind", func() *Appeal { a := paperCard(); a.Applicants[0].Kind = "robot"; return a }, "applicants[0].kind", RuleApplicantKind},
		{"bad e-mail", func() *Appeal { a := paperCard(); a.Applicants[0].Email = "ivanov at example"; return a }, "applicants[0].email", RuleEmailAddress},
		{"e-mail with display name", func() *Appeal { a := paperCard(); a.Applicants[0].Email = "Ivan <i@example.ru>"; return a }, "applicants[0].email", RuleEmailAddress},
		{"bad phone", func() *Appeal { a := paperCard(); a.Applicants[0].Phone = "call me"; return a }, "applicants[0].phone", RulePhone},
		{"short phone", func() *Appeal { a := paperCard(); a.Applicants[0].Phone = "12"; return a }, "applicants[0].phone", RulePhone},
		{"paper appeal without postal address (art. 7 p.1)", func() *Appeal {
			a := paperCard()
			a.Applicants[0].PostalAddress, a.Applicants[0].AnswerChannel = "", ""
			return a
		}, "applicants[0].postalAddress", RulePostalAddress},
		{"e-appeal with no address at all (art. 7 p.3)", func() *Appeal {
			a := webCard()
			a.Applicants[0].Email, a.Applicants[0].PostalAddress, a.Applicants[0].AnswerChannel = "", "", ""
			return a
		}, "applicants[0].email", RuleEmailAddress},
		{"ЕПГУ with no account or address (480-ФЗ)", func() *Appeal {
			a := epguCard()
			p := &a.Applicants[0]
			p.Account, p.Email, p.PostalAddress, p.AnswerChannel = "", "", "", ""
			return a
		}, "applicants[0].account", RuleAccount},
		{"answer by e-mail without e-mail (art. 10 p.4)", func() *Appeal {
			a := paperCard()
			a.Applicants[0].Email, a.Applicants[0].AnswerChannel = "", AnswerByEmail
			return a
		}, "applicants[0].email", RuleAnswerChannel},
		{"answer by post without address", func() *Appeal {
			a := webCard()
			a.Applicants[0].PostalAddress, a.Applicants[0].AnswerChannel = "", AnswerByPost
			return a
		}, "applicants[0].postalAddress", RuleAnswerChannel},
		{"answer to account without account", func() *Appeal { a := webCard(); a.Applicants[0].AnswerChannel = AnswerToAccount; return a }, "applicants[0].account", RuleAnswerChannel},
		{"unknown answer channel", func() *Appeal { a := paperCard(); a.Applicants[0].AnswerChannel = "fax"; return a }, "applicants[0].answerChannel", RuleAnswerChannel},
		{"web form without consent", func() *Appeal { a := webCard(); a.Applicants[0].Consent = false; return a }, "applicants[0].consent", RuleConsent},
		{"attachment without name", func() *Appeal {
			a := paperCard()
			a.Attachments = []Attachment{{Size: 10, Ref: "s3://x"}}
			return a
		}, "attachments[0].name", RuleAttachment},
		{"attachment with negative size", func() *Appeal {
			a := paperCard()
			a.Attachments = []Attachment{{Name: "a.pdf", Size: -1, Ref: "k"}}
			return a
		}, "attachments[0].size", RuleAttachment},
		{"attachment with bad hash", func() *Appeal {
			a := paperCard()
			a.Attachments = []Attachment{{Name: "a.pdf", SHA256: "abc", Ref: "k"}}
			return a
		}, "attachments[0].sha256", RuleAttachment},
		{"attachment without reference", func() *Appeal {
			a := paperCard()
			a.Attachments = []Attachment{{Name: "a.pdf"}}
			return a
		}, "attachments[0].ref", RuleAttachment},
		{"question code of three blocks", func() *Appeal { a := paperCard(); a.Questions[0].Code = "0005.0005.0055"; return a }, "questions[0].code", RuleQuestionCode},
		{"question code with letters", func() *Appeal { a := paperCard(); a.Questions[0].Code = "0005.0005.0055.11x2"; return a }, "questions[0].code", RuleQuestionCode},
		{"question repeated", func() *Appeal { a := paperCard(); a.Questions = append(a.Questions, a.Questions[0]); return a }, "questions[1].code", RuleQuestionDuplicate},
		{"unknown SSTU status", func() *Appeal { a := paperCard(); a.Questions[0].Status = "Done"; return a }, "questions[0].status", RuleQuestionStatus},
		{"transferred without target (art. 8 p.3)", func() *Appeal { a := paperCard(); a.Questions[0].Status = StatusTransferred; return a }, "questions[0].transfer", RuleTransfer},
		{"measures without Supported", func() *Appeal {
			a := paperCard()
			a.Questions[0].Status, a.Questions[0].MeasuresTaken = StatusExplained, true
			return a
		}, "questions[0].measuresTaken", RuleMeasures},
		{"registered without number (art. 8 p.2)", func() *Appeal {
			a := paperCard()
			a.State, a.RegisteredAt = StateRegistered, after547
			return a
		}, "number", RuleRegistration},
		{"registered without date", func() *Appeal { a := paperCard(); a.State, a.Number = StateInExecution, "1"; return a }, "registeredAt", RuleRegistration},
		{"registered before receipt", func() *Appeal {
			a := paperCard()
			a.State, a.Number, a.RegisteredAt = StateRegistered, "1", after547.Add(-time.Minute)
			return a
		}, "registeredAt", RuleRegistrationOrder},
		{"bad feedback opinion", func() *Appeal { a := paperCard(); a.Feedback = &Feedback{Result: "meh"}; return a }, "feedback.result", RuleOpinion},
		{"bad measures opinion", func() *Appeal {
			a := paperCard()
			a.Feedback = &Feedback{Result: Satisfied, Measures: "?"}
			return a
		}, "feedback.measures", RuleOpinion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.card(), ValidateOptions{})
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Truef(t, ve.Has(tt.field, tt.rule), "want %s: %s, got %v", tt.field, tt.rule, ve.Problems)
			for _, pii := range personalPII {
				assert.NotContains(t, err.Error(), pii, "personal data in the error string")
			}
		})
	}
}

func TestValidateReportsAllProblemsAtOnce(t *testing.T) {
	a := paperCard()
	a.Kind = ""
	a.Addressee = ""
	a.Applicants[0].Surname = ""
	a.Questions[0].Code = "bad"
	err := Validate(a, ValidateOptions{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 4)
	for _, want := range []struct {
		f string
		r Rule
	}{{"kind", RuleRequired}, {"addressee", RuleAddressee}, {"applicants[0].surname", RuleName}, {"questions[0].code", RuleQuestionCode}} {
		assert.True(t, ve.Has(want.f, want.r), want.f)
	}
}

func TestValidateNil(t *testing.T) {
	err := Validate(nil, ValidateOptions{})
	assert.True(t, errors.Is(err, ErrInvalid))
}

func TestCardJSONRoundTrip(t *testing.T) {
	a := bodyCard(ChannelMEDO)
	a.State, a.Number, a.RegisteredAt = StateRegistered, "Ж-1", after547.Add(time.Hour)
	a.Questions[0].Status = StatusTransferred
	a.Questions[0].Transfer = &Transfer{Body: "Минстрой", Number: "01-15/123", Date: deadline.NewDate(2025, 6, 4)}
	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"date":"2025-05-30"`)
	assert.NotContains(t, string(b), "feedback")
	var back Appeal
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.ReceivedAt.Equal(a.ReceivedAt))
	back.ReceivedAt, back.RegisteredAt = a.ReceivedAt, a.RegisteredAt
	assert.Equal(t, a, &back)
}

func TestCloneIsDeep(t *testing.T) {
	a := bodyCard(ChannelOtherBody)
	a.Questions[0].Transfer = &Transfer{Body: "X"}
	a.Feedback = &Feedback{Result: Satisfied}
	c := a.Clone()
	c.Applicants[0].Surname = "Петров"
	c.Questions[0].Transfer.Body = "Y"
	c.CoverLetter.Number = "2"
	c.Feedback.Result = NotSatisfied
	assert.Equal(t, "Иванов", a.Applicants[0].Surname)
	assert.Equal(t, "X", a.Questions[0].Transfer.Body)
	assert.NotEqual(t, "2", a.CoverLetter.Number)
	assert.Equal(t, Satisfied, a.Feedback.Result)
	assert.Equal(t, a, a.Clone())
}

func TestFullName(t *testing.T) {
	assert.Equal(t, "Иванов Иван Иванович", paperCard().Applicants[0].FullName())
	assert.Equal(t, "Иван", Applicant{GivenName: "Иван"}.FullName())
	assert.Equal(t, "ТСЖ", Applicant{Kind: Organization, OrganizationName: "ТСЖ"}.FullName())
}

func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{}`))
	b, _ := json.Marshal(paperCard())
	f.Add(b)
	b, _ = json.Marshal(epguCard())
	f.Add(b)
	b, _ = json.Marshal(bodyCard(ChannelMEDO))
	f.Add(b)
	f.Add([]byte(`{"channel":"email","receivedAt":"2025-03-30T00:00:00+03:00","applicants":[{"email":"a@b","phone":"+7"}],"questions":[{"code":"....."}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Appeal
		if json.Unmarshal(data, &a) != nil {
			return
		}
		err := Validate(&a, ValidateOptions{})
		if err == nil {
			return
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) == 0 {
			t.Fatalf("want *ValidationError with problems, got %v", err)
		}
		for _, p := range ve.Problems {
			if p.Field == "" || p.Rule == "" {
				t.Fatalf("problem without field or rule: %+v", p)
			}
		}
	})
}

func TestApplicantAddress(t *testing.T) {
	p := paperCard().Applicants[0]
	p.Account = "ЕПГУ-12345"
	assert.Equal(t, p.PostalAddress, p.Address(AnswerByPost))
	assert.Equal(t, p.Email, p.Address(AnswerByEmail))
	assert.Equal(t, p.Account, p.Address(AnswerToAccount))
	assert.Empty(t, p.Address("fax"))
}
