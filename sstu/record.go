package sstu

import (
	"errors"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
)

// Record is one appeal as ССТУ.РФ receives it (docs/sstu.md §1): the JSON object of one
// `<uuid>.json` file. Its JSON form is exactly the documented one: camelCase names, dates as
// "YYYY-MM-DD", fields that do not apply omitted, UTF-8 without BOM.
type Record struct {
	// DepartmentID is the reporting body's GUID in the SSTU directory.
	DepartmentID string `json:"departmentId"`
	// IsDirect is true when the appeal came from the applicant, false when another body sent
	// it on with a cover letter.
	IsDirect bool `json:"isDirect"`
	// Format is Electronic for an appeal another body sent through МЭДО, else Other.
	Format Format `json:"format"`
	// Number is the cover letter's number when not direct, else the body's own registration
	// number.
	Number string `json:"number"`
	// CreateDate is the cover letter's date; required when not direct.
	CreateDate deadline.Date `json:"createDate,omitzero"`
	// Name is the applicant's name.
	Name string `json:"name"`
	// Address is the applicant's postal address, if any.
	Address string `json:"address,omitempty"`
	// Email is the applicant's e-mail, if any.
	Email string `json:"email,omitempty"`
	// Questions are the appeal's questions, one per classifier code.
	Questions []Question `json:"questions"`
}

// Question is one question of a Record (docs/sstu.md §1). Which fields apply depends on
// Status; the rest stay zero and are omitted.
type Question struct {
	// Code is the classifier code, e.g. "0005.0005.0055.1122".
	Code string `json:"code"`
	// Status is the SSTU status; its string value is the JSON name.
	Status appeal.QuestionStatus `json:"status"`
	// IncomingDate is the day the appeal reached the body (дата поступления).
	IncomingDate deadline.Date `json:"incomingDate,omitzero"`
	// RegistrationDate is the day of registration in the body.
	RegistrationDate deadline.Date `json:"registrationDate,omitzero"`
	// IsExtend is the 2023 flag «рассмотрение продлено», with InWork or InWorkExtended.
	IsExtend *bool `json:"isExtend,omitempty"`
	// ResponseDate is the day of the answer.
	ResponseDate deadline.Date `json:"responseDate,omitzero"`
	// ActionsTaken is «меры приняты», with Supported only.
	ActionsTaken *bool `json:"actionsTaken,omitempty"`
	// Attachment is the answer document, with Explained, Supported, NotSupported, Answered.
	Attachment *Attachment `json:"attachment,omitempty"`
	// Transfer is the forwarding to the competent body, with Transferred.
	Transfer *Transfer `json:"transfer,omitempty"`
}

// Attachment is the answer document embedded in a question. In JSON, content is the Base64 of
// the file's bytes.
//
// The bytes are either in Content (a record read back, or built by hand) or at the host under
// Ref, Size bytes long (a record the Exporter maps from an appeal: the Exporter streams them
// through its Blobs and never holds them whole).
type Attachment struct {
	// Name is the file name with its extension.
	Name string `json:"name"`
	// Content is the file's bytes, when held in memory.
	Content []byte `json:"content"`
	// Ref is the host's reference to the bytes when Content is nil.
	Ref string `json:"-"`
	// Size is the length of the bytes under Ref.
	Size int64 `json:"-"`
}

// EncodedLen is the length of the Base64 content in JSON: 4·⌈n/3⌉ for n bytes.
func (a *Attachment) EncodedLen() int64 {
	n := a.Size
	if a.Ref == "" {
		n = int64(len(a.Content))
	}
	return base64Len(n)
}

func base64Len(n int64) int64 { return (n + 2) / 3 * 4 }

// Transfer is the forwarding of a question to the competent body (перенаправление по
// компетенции).
type Transfer struct {
	// DepartmentID is the receiving body's SSTU GUID.
	DepartmentID string `json:"departmentId"`
	// TransferDate is the date of the outgoing cover letter.
	TransferDate deadline.Date `json:"transferDate,omitzero"`
	// TransferNumber is the outgoing cover letter's number.
	TransferNumber string `json:"transferNumber"`
}

// Format is the SSTU `format` of an appeal.
type Format string

// The formats (docs/sstu.md §1). There is no paper or oral value.
const (
	// FormatElectronic — «Электронный»: came from another body through МЭДО.
	FormatElectronic Format = "Electronic"
	// FormatOther — «Другое»: any other way.
	FormatOther Format = "Other"
)

// ErrNotLoaded is returned by Record.MarshalJSON for an attachment whose bytes are at the host
// (Ref set): only the Exporter, which reads them through its Blobs, can write such a record.
var ErrNotLoaded = errors.New("sstu: attachment bytes are at the host")

// MarshalJSON writes the record's compact JSON, the bytes the Exporter puts in the zip.
func (r Record) MarshalJSON() ([]byte, error) {
	var w recordWriter
	w.append(&r)
	if len(w.holes) > 0 {
		return nil, ErrNotLoaded
	}
	return w.buf, nil
}
