package workflow

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
)

// Record is what a Store keeps for one appeal: the card and the engine's working data
// (deadlines, resolution, assignments, forwarding, answer). Stores treat it as a document
// (memstore copies it; pgstore keeps it as JSONB) and index it by Index.
type Record struct {
	// Appeal is the card.
	Appeal *appeal.Appeal `json:"appeal"`
	// Version is the record's version in the store: 1 after Create, +1 after every Save.
	// Stores set it; it is not part of the stored document.
	Version int64 `json:"-"`
	// IntakeKey makes intake idempotent: a form token or an e-mail's Message-ID. Two records
	// never share a non-empty key (Store.Create returns a *DuplicateError).
	IntakeKey string `json:"intakeKey,omitempty"`
	// Series is the registration-number series (e.g. the organization's journal); with the
	// registration year it scopes the numbers a registration draws (NumberDraw).
	Series string `json:"series,omitempty"`
	// Deadlines are the time limits running for the appeal.
	Deadlines Deadlines `json:"deadlines"`
	// Words are the normalized tokens the appeal is found by (Engine.Search): its number,
	// applicants, address, summary, text and question titles, distinct and sorted, kept by the
	// engine on the commands that change them.
	Words []string `json:"words,omitempty"`
	// Duplicates are the duplicate candidates found at receipt (kept through registration) — the same
	// applicant, a similar text, within Options.DuplicateWindow — and Similar the similar
	// appeals of any applicant, best first. Links are the duplicates a person linked.
	Duplicates []Related `json:"duplicates,omitempty"`
	Similar    []Related `json:"similar,omitempty"`
	Links      []Link    `json:"links,omitempty"`
	// Suggestions are the classifier codes suggested for the appeal's text (Options.Suggester)
	// at receipt and at classification, the best first.
	Suggestions []Suggestion `json:"suggestions,omitempty"`
	// Route is the routing rule that chose the department and the responsible person when the
	// appeal was classified (Options.Routing), if any fired.
	Route *Route `json:"route,omitempty"`
	// Resolution is the manager's decision (резолюция), once given.
	Resolution *Resolution `json:"resolution,omitempty"`
	// Assignments are the tasks given to executors (поручения).
	Assignments []Assignment `json:"assignments,omitempty"`
	// Requests are requests for documents to other bodies (art. 10 p.2).
	Requests []InterAgencyRequest `json:"requests,omitempty"`
	// Forwardings are the forwardings of the appeal or of some of its questions by competence,
	// and copies sent to several bodies (art. 8 pp.3–4).
	Forwardings []Forwarding `json:"forwardings,omitempty"`
	// Answer is the answer, from draft to sent.
	Answer *Answer `json:"answer,omitempty"`
	// Outcome is the art. 11 outcome (left without answer, returned, end of correspondence).
	Outcome *Outcome `json:"outcome,omitempty"`
	// Access holds what the applicant's status lookup needs (only a hash of the PIN).
	Access *Access `json:"access,omitempty"`
	// ClosedAt is when the appeal was closed and filed (снято с контроля, Close); zero before.
	// The archival period of its file counts from the year it closed (RetentionFile).
	ClosedAt time.Time `json:"closedAt,omitzero"`
	// Reminders records the reminder thresholds already crossed, so Monitor never queues one
	// twice; keys are opaque to stores.
	Reminders []string `json:"reminders,omitempty"`
}

// Clone returns a deep copy of the record: a command works on a clone, so a refused command
// leaves the caller's record untouched.
func (r *Record) Clone() *Record {
	c := *r
	if r.Appeal != nil {
		c.Appeal = r.Appeal.Clone()
	}
	c.Suggestions = cloneSuggestions(r.Suggestions)
	c.Words = slices.Clone(r.Words)
	c.Duplicates, c.Similar, c.Links = cloneRelated(r.Duplicates), cloneRelated(r.Similar), slices.Clone(r.Links)
	if r.Route != nil {
		rt := *r.Route
		c.Route = &rt
	}
	if r.Resolution != nil {
		res := *r.Resolution
		res.Assignees = append([]string(nil), r.Resolution.Assignees...)
		c.Resolution = &res
	}
	c.Assignments = append([]Assignment(nil), r.Assignments...)
	c.Requests = append([]InterAgencyRequest(nil), r.Requests...)
	c.Forwardings = make([]Forwarding, len(r.Forwardings))
	for i, f := range r.Forwardings {
		f.Questions = append([]string(nil), f.Questions...)
		c.Forwardings[i] = f
	}
	if r.Forwardings == nil {
		c.Forwardings = nil
	}
	if r.Answer != nil {
		a := *r.Answer
		a.Attachments = append([]appeal.Attachment(nil), r.Answer.Attachments...)
		if r.Answer.Signature != nil {
			sig := *r.Answer.Signature
			a.Signature = &sig
		}
		c.Answer = &a
	}
	if r.Outcome != nil {
		o := *r.Outcome
		o.Earlier = append([]string(nil), r.Outcome.Earlier...)
		c.Outcome = &o
	}
	if r.Access != nil {
		a := *r.Access
		a.PINHash = append([]byte(nil), r.Access.PINHash...)
		a.Salt = append([]byte(nil), r.Access.Salt...)
		c.Access = &a
	}
	c.Reminders = append([]string(nil), r.Reminders...)
	return &c
}

// Deadlines are the appeal's own time limits, each computed by package deadline and closed by
// the step that ends it (requests and assignments carry their own).
type Deadlines struct {
	// Registration: 3 days from receipt (art. 8 p.2).
	Registration Limit `json:"registration,omitzero"`
	// Competence: the decision to consider, forward or give an art. 11 outcome, 7 days from
	// registration (5 for an appeal on migration law; art. 8 pp.3, 3.1).
	Competence Limit `json:"competence,omitzero"`
	// Notice: the art. 11 notice or return, 7 days from registration (art. 11 pp.2, 4, 4.1,
	// 5.1), started when the ground is known.
	Notice Limit `json:"notice,omitzero"`
	// Consideration: 30 days (20, art. 12 p.1.1) from registration (art. 12 p.1); an extension
	// (art. 12 p.2) is recorded on it.
	Consideration Limit `json:"consideration,omitzero"`
}

// Route records the routing rule applied to an appeal (маршрутизация по тематике).
type Route struct {
	// Code is the rule's classifier code; Department and Responsible what it named.
	Code        string `json:"code"`
	Department  string `json:"department"`
	Responsible string `json:"responsible,omitempty"`
	// Overridden marks that a person named another responsible afterwards.
	Overridden bool `json:"overridden,omitempty"`
}

// Resolution is the manager's decision on who does what (резолюция).
type Resolution struct {
	// By is the manager's staff id.
	By string `json:"by"`
	// At is when it was given.
	At time.Time `json:"at"`
	// Text is the resolution's wording.
	Text string `json:"text"`
	// Assignees are the executors' staff ids, the responsible one first.
	Assignees []string `json:"assignees"`
}

// Assignment is a task given to an executor (поручение) with its own due date.
type Assignment struct {
	// ID identifies the assignment within the appeal.
	ID string `json:"id"`
	// Executor is the staff id of the executor (исполнитель).
	Executor string `json:"executor"`
	// CoExecutor marks a co-executor (соисполнитель).
	CoExecutor bool `json:"coExecutor,omitempty"`
	// Task is what is to be done.
	Task string `json:"task"`
	// From is the day it was given; Due its own due date.
	From deadline.Date `json:"from,omitzero"`
	Due  deadline.Date `json:"due"`
	// Report is the executor's report (отчет об исполнении); empty until reported.
	Report string `json:"report,omitempty"`
	// ReportedAt is when the report was given; zero until reported.
	ReportedAt time.Time `json:"reportedAt,omitzero"`
	// Closed is the day the assignment stopped running: reported, or the appeal out of
	// consideration.
	Closed deadline.Date `json:"closed,omitzero"`
}

// Done reports whether the executor has reported.
func (a Assignment) Done() bool { return !a.ReportedAt.IsZero() }

// InterAgencyRequest is a request for documents to another body (запрос в другой орган,
// art. 10 p.2): the body must answer within 15 days.
type InterAgencyRequest struct {
	// ID identifies the request within the appeal: "1", "2", …
	ID string `json:"id"`
	// Body is the body asked.
	Body string `json:"body"`
	// By is the staff id of the requester, reminded of the other body's term.
	By string `json:"by,omitempty"`
	// Number and SentAt are those of the outgoing request.
	Number string    `json:"number,omitempty"`
	SentAt time.Time `json:"sentAt"`
	// ReceivedOn is the day the other body received the request, once known: the 15 days
	// count from it (art. 10 p.2). Until then they count from the day sent.
	ReceivedOn deadline.Date `json:"receivedOn,omitzero"`
	// Due is the 15-day limit.
	Due deadline.Deadline `json:"due"`
	// AnsweredAt is when the body answered; zero until then.
	AnsweredAt time.Time `json:"answeredAt,omitzero"`
	// Closed is the day the request stopped running: answered, or the appeal out of
	// consideration.
	Closed deadline.Date `json:"closed,omitzero"`
}

// Forwarding is the forwarding of an appeal, or of some of its questions, to the competent
// body (перенаправление по компетенции, art. 8 p.3), or a copy to one of several bodies
// (art. 8 p.4).
type Forwarding struct {
	// Body is the receiving body's name; DepartmentID its SSTU GUID when known.
	Body         string `json:"body"`
	DepartmentID string `json:"departmentId,omitempty"`
	// Questions are the codes forwarded; empty means the whole appeal.
	Questions []string `json:"questions,omitempty"`
	// Copy marks a copy sent to one of several competent bodies (art. 8 p.4).
	Copy bool `json:"copy,omitempty"`
	// Number and At are those of the outgoing cover letter.
	Number string    `json:"number,omitempty"`
	At     time.Time `json:"at"`
}

// Answer is the answer to the applicant: drafted, approved, sent (проект ответа /
// согласование / ответ).
type Answer struct {
	// Text is the answer's text (art. 10 p.1: an answer on the merits).
	Text string `json:"text"`
	// Attachments are the answer documents (the signed answer file SSTU wants).
	Attachments []appeal.Attachment `json:"attachments,omitempty"`
	// DraftedBy and DraftedAt record the draft.
	DraftedBy string    `json:"draftedBy,omitempty"`
	DraftedAt time.Time `json:"draftedAt,omitzero"`
	// ApprovedBy and ApprovedAt record the approval and signature (art. 10 p.3).
	ApprovedBy string    `json:"approvedBy,omitempty"`
	ApprovedAt time.Time `json:"approvedAt,omitzero"`
	// Signature is the answer's signature when the organization signs through Options.Signer.
	Signature *Signature `json:"signature,omitempty"`
	// SentAt is when it went to the applicant (art. 10 p.4); Number is the outgoing number.
	SentAt time.Time `json:"sentAt,omitzero"`
	Number string    `json:"number,omitempty"`
}

// Ground is an art. 11 ground for leaving an appeal without an answer or returning it.
type Ground string

// The art. 11 grounds.
const (
	// GroundAnonymous — no surname or postal address (art. 11 p.1).
	GroundAnonymous Ground = "anonymous"
	// GroundCourtDecision — disputes a court decision: returned (art. 11 p.2).
	GroundCourtDecision Ground = "court_decision"
	// GroundAbusive — obscene or insulting language, threats (art. 11 p.3).
	GroundAbusive Ground = "abusive"
	// GroundUnreadable — the text cannot be read (art. 11 p.4).
	GroundUnreadable Ground = "unreadable"
	// GroundNoEssence — the essence cannot be determined (art. 11 p.4.1).
	GroundNoEssence Ground = "no_essence"
	// GroundRepeated — repeated, answered several times: end of correspondence (art. 11 p.5).
	GroundRepeated Ground = "repeated"
	// GroundAnsweredOnSite — answered on the official site (art. 11 p.5.1).
	GroundAnsweredOnSite Ground = "answered_on_site"
	// GroundSecret — an answer would disclose a protected secret (art. 11 p.6).
	GroundSecret Ground = "secret"
	// GroundComplaintAgainstBody — the only competent body is the one complained about: returned
	// (art. 8 pp.6–7).
	GroundComplaintAgainstBody Ground = "complaint_against_body"
)

// Outcome is an art. 11 outcome: the ground, the decision and the notice to the applicant.
type Outcome struct {
	// Ground is the art. 11 ground.
	Ground Ground `json:"ground"`
	// Decision is the official's decision text (e.g. to end correspondence, art. 11 p.5), or
	// the web address of the answer already posted (art. 11 p.5.1).
	Decision string `json:"decision,omitempty"`
	// Earlier are the numbers of the earlier appeals answered on the merits that make this one
	// repeated (art. 11 p.5).
	Earlier []string `json:"earlier,omitempty"`
	// By and At record who decided and when.
	By string    `json:"by"`
	At time.Time `json:"at"`
	// NoticeSentAt is when the applicant was told; zero until then.
	NoticeSentAt time.Time `json:"noticeSentAt,omitzero"`
}

// Access is what the applicant's status lookup by number and PIN needs. The PIN itself is
// shown once at registration and never stored.
type Access struct {
	// PINHash is the hash of the PIN with Salt; compared in constant time.
	PINHash []byte `json:"pinHash"`
	Salt    []byte `json:"salt"`
}

// Index is what a Store indexes a record by, derived from the record by Record.Index. Store
// adapters call it on every write and never derive these values themselves, so that every
// store filters alike.
type Index struct {
	// ID, State and Number are the card's.
	ID     uuid.UUID    `json:"id"`
	State  appeal.State `json:"state"`
	Number string       `json:"number,omitempty"`
	// Series and Year scope registration numbers.
	Series string `json:"series,omitempty"`
	// RegisteredOn is the registration day in the organization's zone (zero before):
	// Deadlines.Consideration.From.
	RegisteredOn deadline.Date `json:"registeredOn,omitzero"`
	// Terms are the running terms (Record.RunningTerms): every time limit that still runs,
	// with its legal and control dates; none when nothing runs (closed, forwarded, …).
	Terms []IndexTerm `json:"terms,omitempty"`
	// People are the staff ids answerable: the responsible person and every executor.
	People []string `json:"people,omitempty"`
	// Codes are the question codes.
	Codes []string `json:"codes,omitempty"`
	// Applicants are the applicants' match keys (ApplicantKey).
	Applicants []string `json:"applicants,omitempty"`
	// IntakeKey is Record.IntakeKey.
	IntakeKey string `json:"intakeKey,omitempty"`
	// Words are Record.Words: what a Searcher finds the record by.
	Words []string `json:"words,omitempty"`
}

// IndexTerm is a running term as the index holds it.
type IndexTerm struct {
	// Kind is the term's kind; Legal and Control its legal and control dates.
	Kind    TermKind      `json:"kind"`
	Legal   deadline.Date `json:"legal"`
	Control deadline.Date `json:"control"`
}

// Index derives the record's index. The registration day is the start of the consideration
// deadline, which the engine computes at registration in the organization's zone.
func (r *Record) Index() Index {
	a := r.Appeal
	ix := Index{ID: a.ID, State: a.State, Number: a.Number, Series: r.Series, IntakeKey: r.IntakeKey,
		RegisteredOn: r.Deadlines.Consideration.From, Words: r.Words}
	var buf [8]Term
	for _, t := range r.appendTerms(buf[:0]) {
		if t.Running() {
			ix.Terms = append(ix.Terms, IndexTerm{Kind: t.Kind, Legal: t.Deadline.Legal, Control: t.Deadline.Control})
		}
	}
	people := make([]string, 0, 1+len(r.Assignments))
	if a.Responsible != "" {
		people = append(people, a.Responsible)
	}
	for _, as := range r.Assignments {
		people = appendUnique(people, as.Executor)
	}
	if len(people) > 0 {
		ix.People = people
	}
	if len(a.Questions) > 0 {
		ix.Codes = make([]string, 0, len(a.Questions))
		for _, q := range a.Questions {
			ix.Codes = appendUnique(ix.Codes, q.Code)
		}
	}
	if len(a.Applicants) > 0 {
		ix.Applicants = make([]string, 0, 3*len(a.Applicants))
		for _, p := range a.Applicants {
			for _, k := range ApplicantKeys(p) {
				ix.Applicants = appendUnique(ix.Applicants, k)
			}
		}
		if len(ix.Applicants) == 0 {
			ix.Applicants = nil
		}
	}
	return ix
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// ApplicantKey is the applicant's first match key (ApplicantKeys), the one to put in
// Filter.Applicant for a single query; empty when there is none. To find every
// earlier appeal of an applicant ("поднять историю"), list by each of ApplicantKeys.
func ApplicantKey(p appeal.Applicant) string {
	if keys := ApplicantKeys(p); len(keys) > 0 {
		return keys[0]
	}
	return ""
}

// ApplicantKeys are the keys under which an applicant's appeals are found again: the
// normalized name combined with each contact given — e-mail, phone, postal address, in that
// order — or the name alone when there is no contact. Two applicants match when they share a
// key, so "Иванов И.И." with an e-mail matches "ИВАНОВ Иван Иванович" with the same e-mail in
// another case, and a collective appeal is indexed under every signer.
//
// The name is folded: lower case, ё as е, spacing and dots folded, and for a citizen the
// surname with the initials of the given name and patronymic ("иванов и и"); for an
// organization its name without quotes. The e-mail is folded to lower case; the phone to its
// digits, a Russian number with a leading 8 or without the country code to 7…; the postal
// address to lower-case words with the usual abbreviations (улица → ул, дом → д, …) and
// without the postcode and the country. An applicant without a name (an e-mail whose sender
// gave none) is keyed by the contacts alone; one with neither name nor contact has no key.
func ApplicantKeys(p appeal.Applicant) []string {
	// All keys are built in one buffer and cut from one string: an index is built on every
	// save, so this is on the engine's hot path.
	var nameBuf, buf [384]byte
	var ends [3]int
	name := appendName(nameBuf[:0], p)
	b, n := buf[:0], 0
	add := func(kind string, contact []byte) {
		if len(contact) == 0 {
			return
		}
		b = append(append(append(append(b, name...), '|'), kind...), contact...)
		ends[n] = len(b)
		n++
	}
	var contact [128]byte
	add("email:", appendEmail(contact[:0], p.Email))
	add("tel:", appendPhone(contact[:0], p.Phone))
	add("addr:", appendAddress(contact[:0], p.PostalAddress))
	if n == 0 {
		if len(name) == 0 {
			return nil
		}
		return []string{string(name)}
	}
	all := string(b)
	keys := make([]string, n)
	start := 0
	for i := range keys {
		keys[i] = all[start:ends[i]]
		start = ends[i]
	}
	return keys
}

// words scans the folded words of a string: lower case, ё read as е; white space,
// punctuation other than '-' and '/', and '№' separate words. It allocates nothing: each word
// is valid until the next call of next.
type words struct {
	s   string
	buf [64]byte
}

// next returns the next word, or false at the end.
func (ws *words) next() ([]byte, bool) {
	w := ws.buf[:0]
	for len(ws.s) > 0 {
		r, size := utf8.DecodeRuneInString(ws.s)
		ws.s = ws.s[size:]
		if unicode.IsSpace(r) || r != '-' && r != '/' && unicode.IsPunct(r) || r == '№' {
			if len(w) > 0 {
				return w, true
			}
			continue
		}
		if r = unicode.ToLower(r); r == 'ё' {
			r = 'е'
		}
		w = utf8.AppendRune(w, r)
	}
	return w, len(w) > 0
}

// appendWord appends w to b, after a space unless b is empty or ends a key part.
func appendWord(b, w []byte, start int) []byte {
	if len(b) > start {
		b = append(b, ' ')
	}
	return append(b, w...)
}

// appendName appends the applicant's folded name: "org:" and the words of an organization's
// name; for a citizen the surname and the initials of the next two names.
func appendName(b []byte, p appeal.Applicant) []byte {
	if p.IsOrganization() {
		ws := words{s: p.OrganizationName}
		start := len(b)
		b = append(b, "org:"...)
		n := 0
		for w, ok := ws.next(); ok; w, ok = ws.next() {
			b = appendWord(b, w, start+4)
			n++
		}
		if n == 0 {
			return b[:start]
		}
		return b
	}
	n := 0
	for _, part := range [3]string{p.Surname, p.GivenName, p.Patronymic} {
		ws := words{s: part}
		for w, ok := ws.next(); ok && n < 3; w, ok = ws.next() {
			if n > 0 {
				r, size := utf8.DecodeRune(w)
				if r == utf8.RuneError && size <= 1 {
					size = len(w)
				}
				w = w[:size]
			}
			b = appendWord(b, w, 0)
			n++
		}
	}
	return b
}

// appendEmail appends the e-mail in lower case.
func appendEmail(b []byte, s string) []byte {
	for _, r := range strings.TrimSpace(s) {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// appendPhone appends the phone's digits; a Russian number written 8XXXXXXXXXX or
// XXXXXXXXXX (ten digits) as 7XXXXXXXXXX. Fewer than five digits is no phone.
func appendPhone(b []byte, s string) []byte {
	start := len(b)
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	d := b[start:]
	international := strings.HasPrefix(strings.TrimSpace(s), "+")
	switch {
	case len(d) < 5:
		return b[:start]
	case !international && len(d) == 11 && d[0] == '8':
		d[0] = '7'
	case !international && len(d) == 10 && d[0] == '9':
		b = append(b[:start+1], b[start:]...)
		b[start] = '7'
	}
	return b
}

// appendAddress appends the folded words of a postal address, with the usual abbreviations,
// without a six-digit postcode and the country.
func appendAddress(b []byte, s string) []byte {
	start := len(b)
	ws := words{s: s}
	for w, ok := ws.next(); ok; w, ok = ws.next() {
		if len(w) == 6 && allDigits(w) {
			continue
		}
		switch string(w) {
		case "россия", "рф", "российская", "федерация":
			continue
		}
		if a := addressAbbreviation(w); a != "" {
			if len(b) > start {
				b = append(b, ' ')
			}
			b = append(b, a...)
			continue
		}
		b = appendWord(b, w, start)
	}
	return b
}

func allDigits(w []byte) bool {
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// addressAbbreviation is the usual abbreviation of an address word, or "".
func addressAbbreviation(w []byte) string {
	switch string(w) {
	case "город":
		return "г"
	case "улица":
		return "ул"
	case "дом":
		return "д"
	case "квартира":
		return "кв"
	case "корпус", "корп":
		return "к"
	case "строение":
		return "стр"
	case "область":
		return "обл"
	case "район":
		return "р-н"
	case "поселок", "пос":
		return "п"
	case "село":
		return "с"
	case "деревня":
		return "дер"
	case "переулок":
		return "пер"
	case "проспект", "просп", "пр-т":
		return "пр-кт"
	case "бульвар":
		return "б-р"
	case "шоссе":
		return "ш"
	case "набережная":
		return "наб"
	case "площадь":
		return "пл"
	case "проезд":
		return "пр-д"
	case "микрорайон", "мкрн":
		return "мкр"
	}
	return ""
}
