package sstu

import (
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
)

// Org is the reporting organization's SSTU settings.
type Org struct {
	// DepartmentID is the organization's GUID in the SSTU directory of bodies.
	DepartmentID string
	// Location is the organization's time zone: receipt and registration moments become
	// incomingDate and registrationDate in it. Nil means Moscow time, UTC+3 (Moscow()), the
	// default of workflow.Organization too, so that the report's days are the engine's.
	Location *time.Location
	// AnonymousName is the name reported for an anonymous appeal (art. 11 p.1), or one whose
	// card has no applicant's name: ССТУ requires a name and no source says what bodies send
	// (docs/sstu.md §3). Empty means DefaultAnonymousName.
	AnonymousName string
	// Bodies maps other bodies' names (appeal.Transfer.Body) to their SSTU GUIDs, for transfers
	// whose card does not carry the GUID itself.
	Bodies map[string]string
	// Extension is how a question whose consideration was extended is reported.
	Extension Extension
}

// DefaultAnonymousName is the name reported for an anonymous appeal by default. Unverified:
// no source shows what ССТУ.РФ expects there (docs/sstu.md §3).
const DefaultAnonymousName = "Аноним"

// moscow is the default zone: UTC+3 without DST since 2014, fixed so that no tzdata is needed.
var moscow = time.FixedZone("MSK", 3*60*60)

// Moscow returns the zone an Org without a Location reports in: Moscow time, a fixed UTC+3
// named MSK, as workflow.Organization assumes.
func Moscow() *time.Location { return moscow }

// Extension chooses how extended consideration is reported (docs/sstu.md §3, Q5).
type Extension int

// The ways to report an extended question.
const (
	// ExtensionInWork reports it as InWork, which every implementation accepts (the default).
	ExtensionInWork Extension = iota
	// ExtensionStatus reports it as InWorkExtended (the 2023 variant).
	ExtensionStatus
	// ExtensionFlag reports InWork with isExtend: true, and isExtend: false on other
	// questions in work (the 2023 variant).
	ExtensionFlag
)

// Entry is what the report needs of one appeal: the card and what is not on it. The workflow
// package adapts its records to it.
type Entry struct {
	// Appeal is the card.
	Appeal *appeal.Appeal
	// Answer is the answer document sent to the applicant; its Ref is opened through the
	// Exporter's Blobs and its Size must be the length of the bytes. It is attached to every question with a
	// result (Explained, Supported, NotSupported, Answered).
	Answer *appeal.Attachment
	// StatusChanges are the moments a question's status changed; InMonth looks at them.
	StatusChanges []time.Time
}

// Record maps an entry to its record (docs/sstu.md §3). Questions without a status,
// NotReceived (never exported, Q7) and NotRegistered (reported only as below) are left out;
// each remaining question gets the fields its status has (docs/sstu.md §1).
//
// An appeal refused at registration (appeal.StateRefused) that another body sent on is
// reported with every question NotRegistered, under the cover letter's number; one that came
// directly has no number and no question is reported (Q7). An anonymous appeal, or one
// without an applicant's name, is reported under AnonymousName.
//
// The answer's bytes are not read: the attachment keeps its Ref. Record does not validate;
// Validator.Record does.
func (o *Org) Record(e *Entry) Record {
	var r Record
	o.fill(&r, e)
	return r
}

// fill maps e into r, reusing r's question slice.
func (o *Org) fill(r *Record, e *Entry) {
	qs := r.Questions[:0]
	*r = Record{DepartmentID: o.DepartmentID, Format: FormatOther, Questions: qs}
	a := e.Appeal
	if a == nil {
		return
	}
	r.IsDirect = !a.Channel.FromBody()
	r.Number = a.Number
	if !r.IsDirect && a.CoverLetter != nil {
		r.Number = a.CoverLetter.Number
		r.CreateDate = a.CoverLetter.Date
	}
	if a.Channel == appeal.ChannelMEDO {
		r.Format = FormatElectronic
	}
	if len(a.Applicants) > 0 {
		p := a.Applicants[0]
		r.Name = p.FullName()
		r.Address = p.PostalAddress
		r.Email = p.Email
	}
	if a.Anonymous || r.Name == "" {
		r.Name = o.AnonymousName
		if r.Name == "" {
			r.Name = DefaultAnonymousName
		}
	}
	refused := a.State == appeal.StateRefused
	if refused && r.IsDirect {
		return
	}
	received := deadline.DateOf(a.ReceivedAt, o.loc())
	var registered deadline.Date
	if !a.RegisteredAt.IsZero() {
		registered = deadline.DateOf(a.RegisteredAt, o.loc())
	}
	for i := range a.Questions {
		cq := &a.Questions[i]
		if refused {
			if cq.Code != "" {
				r.Questions = append(r.Questions, Question{Code: canonical(cq.Code), Status: appeal.StatusNotRegistered, IncomingDate: received})
			}
			continue
		}
		if q, ok := o.question(cq, e.Answer, received, registered); ok {
			r.Questions = append(r.Questions, q)
		}
	}
}

func (o *Org) loc() *time.Location {
	if o.Location == nil {
		return moscow
	}
	return o.Location
}

// canonical returns a classifier code in its canonical form, or as it is when it does not
// parse (the validator reports it).
func canonical(code string) string {
	if c, err := classifier.Parse(code); err == nil {
		return c.String()
	}
	return code
}

// question maps one card question; false for a question that is not reported.
func (o *Org) question(cq *appeal.Question, answer *appeal.Attachment, received, registered deadline.Date) (Question, bool) {
	sf, ok := statusFields[cq.Status]
	if !ok || cq.Status == appeal.StatusNotReceived || cq.Status == appeal.StatusNotRegistered {
		return Question{}, false
	}
	q := Question{Code: canonical(cq.Code), Status: cq.Status}
	if q.Status == appeal.StatusInWorkExtended && o.Extension != ExtensionStatus {
		q.Status = appeal.StatusInWork
	}
	if o.Extension == ExtensionFlag && q.Status == appeal.StatusInWork {
		ext := cq.Status == appeal.StatusInWorkExtended
		q.IsExtend = &ext
	}
	if sf.allowed&fIncoming != 0 {
		q.IncomingDate = received
	}
	if sf.allowed&fRegistration != 0 {
		q.RegistrationDate = registered
	}
	if sf.allowed&fResponse != 0 {
		q.ResponseDate = cq.AnsweredOn
	}
	if sf.allowed&fActionsTaken != 0 {
		measures := cq.MeasuresTaken
		q.ActionsTaken = &measures
	}
	if sf.allowed&fAttachment != 0 && answer != nil {
		q.Attachment = &Attachment{Name: answer.Name, Ref: answer.Ref, Size: answer.Size}
	}
	if t := cq.Transfer; sf.allowed&fTransfer != 0 && t != nil {
		id := t.DepartmentID
		if id == "" {
			id = o.Bodies[t.Body]
		}
		q.Transfer = &Transfer{DepartmentID: id, TransferDate: t.Date, TransferNumber: t.Number}
	}
	return q, true
}

// Month is a calendar month of the report.
type Month struct {
	// Year and Month name the reporting month.
	Year  int
	Month time.Month
}

// String returns "YYYY-MM".
func (m Month) String() string {
	b := appendPadded(nil, m.Year, 4)
	b = append(b, '-')
	return string(appendPadded(b, int(m.Month), 2))
}

// Contains reports whether d falls in the month.
func (m Month) Contains(d deadline.Date) bool { return d.Year == m.Year && d.Month == m.Month }

// Selector decides whether an entry belongs to a month's report; loc is the organization's
// time zone.
type Selector func(e *Entry, m Month, loc *time.Location) bool

// InMonth is the default Selector: an appeal registered in the month, one refused at
// registration that was received in the month, or one with a question whose status changed in
// the month (Entry.StatusChanges), all as days in loc.
func InMonth(e *Entry, m Month, loc *time.Location) bool {
	if a := e.Appeal; a != nil {
		at := a.RegisteredAt
		if a.State == appeal.StateRefused {
			at = a.ReceivedAt
		}
		if !at.IsZero() && m.Contains(deadline.DateOf(at, loc)) {
			return true
		}
	}
	for _, t := range e.StatusChanges {
		if m.Contains(deadline.DateOf(t, loc)) {
			return true
		}
	}
	return false
}
