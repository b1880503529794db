package appeal

import (
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
)

// Appeal is the appeal card (карточка обращения, РК): one proposal, statement or complaint
// (59-FZ art. 4) from one or more applicants, with its questions and its lifecycle state.
//
// The zero value is not a valid card; start from New. An Appeal is a plain value: copy it with
// Clone before handing it to code that may change it.
type Appeal struct {
	// ID identifies the card; a UUID v7, so ids sort by creation time.
	ID uuid.UUID `json:"id"`
	// Number is the registration number (регистрационный номер); empty until registration.
	Number string `json:"number,omitempty"`
	// RegisteredAt is the moment of registration (регистрация); zero until registration.
	RegisteredAt time.Time `json:"registeredAt,omitzero"`
	// ReceivedAt is the moment the appeal reached the organization (поступление). The law's
	// edition used for validation is the one in force on this moment.
	ReceivedAt time.Time `json:"receivedAt"`
	// Channel is how the appeal arrived (канал поступления).
	Channel Channel `json:"channel"`
	// CoverLetter is the cover letter (сопроводительное письмо) of the body that sent the
	// appeal on; required for ChannelOtherBody and ChannelMEDO.
	CoverLetter *CoverLetter `json:"coverLetter,omitempty"`
	// Kind is proposal, statement, complaint (art. 4) or information request.
	Kind Kind `json:"kind"`
	// Collective marks a collective appeal (коллективное обращение).
	Collective bool `json:"collective,omitempty"`
	// Signers is the number of people who signed a collective appeal; it may exceed the
	// number of Applicants recorded in full.
	Signers int `json:"signers,omitempty"`
	// Applicants are the authors (заявители); the first is the one the answer goes to.
	Applicants []Applicant `json:"applicants"`
	// Addressee is the body, official's name or position the appeal is addressed to (art. 7 p.1).
	Addressee string `json:"addressee,omitempty"`
	// Summary is the clerk's short statement of the essence (краткое содержание).
	Summary string `json:"summary,omitempty"`
	// Text is the appeal's own text, or the record of an oral appeal.
	Text string `json:"text,omitempty"`
	// Signed records that a written appeal bears the applicant's personal signature
	// (art. 7 p.1).
	Signed bool `json:"signed,omitempty"`
	// Dated is the date the applicant put on a written appeal (art. 7 p.1).
	Dated deadline.Date `json:"dated,omitzero"`
	// Electronic marks an appeal sent on by another body (ChannelOtherBody, ChannelMEDO) that
	// the applicant filed as an electronic document: art. 7 p.3 applies to it, not the paper
	// rules, and its answer is electronic (Form, AnswerTo).
	Electronic bool `json:"electronic,omitempty"`
	// Oral marks an oral appeal recorded on a personal reception card (art. 13).
	Oral bool `json:"oral,omitempty"`
	// Identified records that the applicant was identified or authenticated by the site or
	// information system the appeal came through (ЕСИА); required for e-appeals since 30.03.2025
	// (art. 4 p.1 as amended by 547-ФЗ).
	Identified bool `json:"identified,omitempty"`
	// Anonymous marks an anonymous appeal (анонимное обращение, art. 11 p.1): no surname or no
	// postal address (for an e-appeal, no e-mail or account address) to answer to. The clerk
	// sets it; the card is then registered without those requisites, gets no answer and no
	// notice, and is forwarded to the competent state body only when it reports an unlawful
	// act and who does it. Every other card is checked in full.
	Anonymous bool `json:"anonymous,omitempty"`
	// MigrationViolation marks an appeal reporting a possible violation of migration law
	// (art. 8 p.3.1, art. 12 p.1.1): its forwarding and consideration terms are shorter.
	MigrationViolation bool `json:"migrationViolation,omitempty"`
	// Attachments are the files sent with the appeal.
	Attachments []Attachment `json:"attachments,omitempty"`
	// Questions are the classifier questions the appeal raises, each with its own status.
	Questions []Question `json:"questions,omitempty"`
	// Responsible is the staff id of the person answerable for the appeal (ответственный).
	Responsible string `json:"responsible,omitempty"`
	// Feedback is the applicant's opinion of the results, once given.
	Feedback *Feedback `json:"feedback,omitempty"`
	// State is the lifecycle state; change it only through Apply.
	State State `json:"state"`
}

// New returns a draft card in StateReceived with the given id, receipt moment and channel.
func New(id uuid.UUID, receivedAt time.Time, ch Channel) *Appeal {
	return &Appeal{ID: id, ReceivedAt: receivedAt, Channel: ch, State: StateReceived}
}

// NewID returns a fresh card id: a UUID version 7, ordered by time.
func NewID() (uuid.UUID, error) { return uuid.NewV7() }

// Clone returns a deep copy of the card, safe to change without touching a.
func (a *Appeal) Clone() *Appeal {
	c := *a
	if a.CoverLetter != nil {
		cl := *a.CoverLetter
		c.CoverLetter = &cl
	}
	if a.Feedback != nil {
		f := *a.Feedback
		c.Feedback = &f
	}
	c.Applicants = append([]Applicant(nil), a.Applicants...)
	c.Attachments = append([]Attachment(nil), a.Attachments...)
	c.Questions = make([]Question, len(a.Questions))
	for i, q := range a.Questions {
		if q.Transfer != nil {
			t := *q.Transfer
			q.Transfer = &t
		}
		c.Questions[i] = q
	}
	if a.Questions == nil {
		c.Questions = nil
	}
	return &c
}

// Channel is how an appeal reached the organization (канал поступления).
type Channel string

// The channels.
const (
	// ChannelPost is a paper letter by post (почтовое отправление).
	ChannelPost Channel = "post"
	// ChannelReception is a personal reception (личный прием): an oral appeal or a written one
	// handed over (art. 13).
	ChannelReception Channel = "reception"
	// ChannelEmail is e-mail; a filing channel for e-appeals only before 30.03.2025 (547-ФЗ).
	ChannelEmail Channel = "email"
	// ChannelWebForm is the form on the organization's official site or its information system
	// (интернет-приемная).
	ChannelWebForm Channel = "web"
	// ChannelEPGU is the Gosuslugi portal (ЕПГУ, ПОС), since 01.09.2023 (480-ФЗ).
	ChannelEPGU Channel = "epgu"
	// ChannelOtherBody is an appeal sent on by another body with its cover letter (art. 8 p.3).
	ChannelOtherBody Channel = "other_body"
	// ChannelMEDO is interagency electronic document exchange (МЭДО) from another body.
	ChannelMEDO Channel = "medo"
)

// Channels lists every channel in a stable order.
func Channels() []Channel {
	return []Channel{ChannelPost, ChannelReception, ChannelEmail, ChannelWebForm, ChannelEPGU, ChannelOtherBody, ChannelMEDO}
}

// Electronic reports whether appeals on this channel are electronic documents (art. 7 p.3).
func (c Channel) Electronic() bool {
	return c == ChannelEmail || c == ChannelWebForm || c == ChannelEPGU
}

// FromBody reports whether the appeal was sent on by another body with a cover letter.
func (c Channel) FromBody() bool { return c == ChannelOtherBody || c == ChannelMEDO }

func (c Channel) valid() bool {
	for _, k := range Channels() {
		if c == k {
			return true
		}
	}
	return false
}

// Kind is the appeal's kind (вид обращения, art. 4).
type Kind string

// The kinds.
const (
	// Proposal is a recommendation to improve laws or activities (предложение, art. 4 p.2).
	Proposal Kind = "proposal"
	// Statement is a request for help in exercising rights, or a report of a violation
	// (заявление, art. 4 p.3).
	Statement Kind = "statement"
	// Complaint is a request to restore violated rights (жалоба, art. 4 p.4).
	Complaint Kind = "complaint"
	// InformationRequest is a request for information (запрос).
	InformationRequest Kind = "information_request"
)

func (k Kind) valid() bool {
	return k == Proposal || k == Statement || k == Complaint || k == InformationRequest
}

// CoverLetter is the cover letter (сопроводительное письмо) of the body that sent the appeal
// on; SSTU reports its number and date as `number` and `createDate`.
type CoverLetter struct {
	// Sender is the sending body's name.
	Sender string `json:"sender"`
	// SenderID is the sending body's SSTU department GUID, when known.
	SenderID string `json:"senderId,omitempty"`
	// Number is the cover letter's registration number.
	Number string `json:"number"`
	// Date is the cover letter's date.
	Date deadline.Date `json:"date"`
}

// ApplicantKind says whether an applicant is a citizen or an organization (art. 1 p.4).
type ApplicantKind string

// The applicant kinds.
const (
	// Citizen is a natural person (гражданин), including foreign citizens and stateless persons.
	Citizen ApplicantKind = "citizen"
	// Organization is an association of citizens or a legal entity (art. 1 p.4).
	Organization ApplicantKind = "organization"
)

// AnswerChannel is where the applicant wants the answer (art. 10 p.4).
type AnswerChannel string

// The answer channels.
const (
	// AnswerByPost sends a paper answer to the postal address.
	AnswerByPost AnswerChannel = "post"
	// AnswerByEmail sends an electronic document to the e-mail address.
	AnswerByEmail AnswerChannel = "email"
	// AnswerToAccount sends the answer to the applicant's personal account (личный кабинет) on
	// ЕПГУ or the system the appeal came through.
	AnswerToAccount AnswerChannel = "account"
)

// answerChannels maps each answer channel to the applicant's field that holds its address.
var answerChannels = [...]struct {
	ch    AnswerChannel
	field string // the JSON name, for validation problems
	addr  func(p Applicant) string
}{
	{AnswerByPost, "postalAddress", func(p Applicant) string { return p.PostalAddress }},
	{AnswerByEmail, "email", func(p Applicant) string { return p.Email }},
	{AnswerToAccount, "account", func(p Applicant) string { return p.Account }},
}

// Address is where an answer by channel ch goes: the postal address, the e-mail or the
// personal account; "" when the applicant gave none or ch is unknown.
func (p Applicant) Address(ch AnswerChannel) string {
	for _, c := range answerChannels {
		if c.ch == ch {
			return c.addr(p)
		}
	}
	return ""
}

// Applicant is an author of the appeal (заявитель): a citizen or an organization.
type Applicant struct {
	// Kind is citizen or organization; empty means citizen.
	Kind ApplicantKind `json:"kind,omitempty"`
	// Surname (фамилия), GivenName (имя) and Patronymic (отчество, if any) of a citizen, or of
	// the person signing for an organization.
	Surname    string `json:"surname,omitempty"`
	GivenName  string `json:"givenName,omitempty"`
	Patronymic string `json:"patronymic,omitempty"`
	// OrganizationName is the organization's name, for an Organization.
	OrganizationName string `json:"organizationName,omitempty"`
	// PostalAddress is where a paper answer goes.
	PostalAddress string `json:"postalAddress,omitempty"`
	// Email is where an electronic answer goes.
	Email string `json:"email,omitempty"`
	// Phone is a contact phone number.
	Phone string `json:"phone,omitempty"`
	// Account is the identifier of the applicant's personal account (ЛК) on ЕПГУ or in the
	// system the appeal came through (art. 7 p.3, 480-ФЗ).
	Account string `json:"account,omitempty"`
	// AnswerChannel is the applicant's preferred answer channel.
	AnswerChannel AnswerChannel `json:"answerChannel,omitempty"`
	// Consent records consent to the processing of personal data.
	Consent bool `json:"consent,omitempty"`
}

// IsOrganization reports whether the applicant is an organization.
func (p Applicant) IsOrganization() bool { return p.Kind == Organization }

// FullName is "Surname GivenName Patronymic" for a citizen, or the organization's name.
func (p Applicant) FullName() string {
	if p.IsOrganization() {
		return p.OrganizationName
	}
	s := p.Surname
	for _, part := range []string{p.GivenName, p.Patronymic} {
		if part != "" {
			if s != "" {
				s += " "
			}
			s += part
		}
	}
	return s
}

// Attachment is a file sent with the appeal or with its answer. The bytes live with the host;
// Ref is an opaque reference the host resolves.
type Attachment struct {
	// Name is the file name with its extension.
	Name string `json:"name"`
	// MediaType is the MIME type, e.g. "application/pdf".
	MediaType string `json:"mediaType,omitempty"`
	// Size is the length in bytes.
	Size int64 `json:"size"`
	// SHA256 is the lower-case hex SHA-256 of the bytes.
	SHA256 string `json:"sha256,omitempty"`
	// Ref is the host's reference to the bytes (a storage key, a URL, a path).
	Ref string `json:"ref"`
}

// Question is one classifier question raised by the appeal (вопрос обращения), with its own
// SSTU status and result.
type Question struct {
	// Code is the canonical classifier code, e.g. "0005.0005.0055.1122" (levels 4 or 5).
	Code string `json:"code"`
	// Status is the question's SSTU status; empty means not yet registered.
	Status QuestionStatus `json:"status,omitempty"`
	// MeasuresTaken is SSTU's «меры приняты» flag; meaningful only with StatusSupported.
	MeasuresTaken bool `json:"measuresTaken,omitempty"`
	// Transfer names where the question was forwarded; set with StatusTransferred.
	Transfer *Transfer `json:"transfer,omitempty"`
	// AnsweredOn is the date of the answer on this question (SSTU responseDate).
	AnsweredOn deadline.Date `json:"answeredOn,omitzero"`
}

// Transfer is the forwarding of a question to the competent body (перенаправление по
// компетенции, art. 8 p.3).
type Transfer struct {
	// Body is the receiving body's name.
	Body string `json:"body"`
	// DepartmentID is the receiving body's SSTU department GUID.
	DepartmentID string `json:"departmentId,omitempty"`
	// Number and Date are those of the outgoing cover letter.
	Number string        `json:"number,omitempty"`
	Date   deadline.Date `json:"date,omitzero"`
}

// Opinion is the applicant's opinion in the survey after the answer.
type Opinion string

// The opinions.
const (
	// Satisfied — удовлетворен.
	Satisfied Opinion = "satisfied"
	// NotSatisfied — не удовлетворен.
	NotSatisfied Opinion = "not_satisfied"
	// NoOpinion — затрудняюсь ответить.
	NoOpinion Opinion = "no_opinion"
)

func (o Opinion) valid() bool { return o == Satisfied || o == NotSatisfied || o == NoOpinion }

// Feedback is the applicant's opinion of the result and of the measures taken (мнение
// заявителя о результатах рассмотрения / о принятых мерах).
type Feedback struct {
	// Result is the opinion on the result of consideration (ResultOpinion).
	Result Opinion `json:"result"`
	// Measures is the opinion on the measures taken (MeasuresOpinion); empty when none were.
	Measures Opinion `json:"measures,omitempty"`
	// At is when the applicant answered.
	At time.Time `json:"at"`
}
