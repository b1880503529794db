package appeal

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Rule names a requirement a card breaks, with the article it comes from.
type Rule string

// The rules Validate checks. Each names the article of 59-FZ (or the other source) it enforces.
const (
	RuleRequired          Rule = "required"            // a field the card cannot do without
	RuleChannel           Rule = "art. 4 p.1: channel" // an unknown channel
	RuleEmailChannel      Rule = "art. 4 p.1 (547-ФЗ): no e-mail channel since 2025-03-30"
	RuleEPGUChannel       Rule = "art. 4 p.1 (480-ФЗ): ЕПГУ channel from 2023-09-01"
	RuleIdentification    Rule = "art. 4 p.1 (547-ФЗ): identified applicant" // e-appeals via an identified site
	RuleKind              Rule = "art. 4: kind"                              // proposal, statement, complaint, request
	RuleAddressee         Rule = "art. 7 p.1: addressee"                     // body, official or position
	RuleName              Rule = "art. 7 p.1, p.3: surname and given name"   // of a citizen
	RuleOrganizationName  Rule = "art. 1 p.4: organization name"             // of an organization
	RulePostalAddress     Rule = "art. 7 p.1: postal address"                // for a paper answer
	RuleEmailAddress      Rule = "art. 7 p.3: e-mail address"                // for an electronic answer
	RuleAccount           Rule = "art. 7 p.3 (480-ФЗ): personal account"     // ЕПГУ personal account
	RuleEssence           Rule = "art. 7 p.1: essence of the appeal"         // summary or text
	RuleSignature         Rule = "art. 7 p.1: personal signature"            // written appeals
	RuleDate              Rule = "art. 7 p.1: date of the appeal"            // written appeals, not after receipt
	RuleCoverLetter       Rule = "art. 8 p.3: cover letter"                  // appeals sent on by a body
	RuleCoverLetterDate   Rule = "cover letter date not after receipt"       // SSTU: createDate ≤ incomingDate
	RuleCollective        Rule = "collective appeal: signers"                // count of signers
	RuleApplicants        Rule = "applicants"                                // count of applicants
	RuleApplicantKind     Rule = "art. 1 p.4: applicant kind"                // citizen or organization
	RuleAnswerChannel     Rule = "art. 10 p.4: answer channel"               // where the answer goes
	RuleConsent           Rule = "152-ФЗ art. 9: consent to personal data processing"
	RulePhone             Rule = "phone number format"                      // digits and + ( ) - space
	RuleAttachment        Rule = "attachment"                               // name, size, hash, reference
	RuleQuestionCode      Rule = "question code"                            // dotted four-digit blocks
	RuleQuestionDuplicate Rule = "question code repeated"                   // one question per code
	RuleQuestionStatus    Rule = "SSTU question status"                     // docs/sstu.md
	RuleTransfer          Rule = "art. 8 p.3: transfer target"              // with StatusTransferred
	RuleMeasures          Rule = "measures taken only with Supported"       // docs/sstu.md
	RuleRegistration      Rule = "art. 8 p.2: registration number and date" // once registered
	RuleRegistrationOrder Rule = "registration not before receipt"          // registeredAt ≥ receivedAt
	RuleState             Rule = "lifecycle state"                          // a known state
	RuleOpinion           Rule = "feedback opinion"                         // satisfied, not satisfied, no opinion
)

// Editions of the law that change what a valid card is, keyed by the receipt moment in Moscow
// time (laws come into force at the start of the day in the capital; docs/law.md).
var (
	// law480InForce: appeals via ЕПГУ (480-ФЗ, 01.09.2023).
	law480InForce = time.Date(2023, time.September, 1, 0, 0, 0, 0, moscow)
	// law547InForce: e-appeals only via ЕПГУ or an identified site or system, not e-mail
	// (547-ФЗ, 30.03.2025).
	law547InForce = time.Date(2025, time.March, 30, 0, 0, 0, 0, moscow)
)

// moscow is UTC+3 without DST since 2014; a fixed zone keeps the package free of tzdata.
var moscow = time.FixedZone("MSK", 3*60*60)

// Problem is one thing wrong with a card: the field (a path such as "applicants[0].surname")
// and the rule it breaks. It never holds the field's value.
type Problem struct {
	// Field is the field's path, Rule the rule it breaks.
	Field string `json:"field"`
	Rule  Rule   `json:"rule"`
	// Detail says more where the rule alone does not, without personal data.
	Detail string `json:"detail,omitempty"`
}

// String is "field: rule", with the detail in brackets.
func (p Problem) String() string {
	if p.Detail != "" {
		return fmt.Sprintf("%s: %s (%s)", p.Field, p.Rule, p.Detail)
	}
	return fmt.Sprintf("%s: %s", p.Field, p.Rule)
}

// ErrInvalid is matched (errors.Is) by every *ValidationError.
var ErrInvalid = errors.New("appeal: invalid card")

// ValidationError carries every problem Validate found.
type ValidationError struct {
	// Problems are every problem found, in the order of the card's fields.
	Problems []Problem
}

// Error lists the problems.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "appeal: invalid card: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Has reports whether the problems include rule r for field f ("" matches any field).
func (e *ValidationError) Has(f string, r Rule) bool {
	for _, p := range e.Problems {
		if p.Rule == r && (f == "" || p.Field == f) {
			return true
		}
	}
	return false
}

// ValidateOptions tunes Validate to the organization.
type ValidateOptions struct {
	// AcceptEmail lets e-mail stay a filing channel after 30.03.2025: for organizations that
	// are not bound by art. 4 p.1 as amended by 547-ФЗ (docs/law.md).
	AcceptEmail bool
}

// Validate checks the card's requisites (59-FZ art. 7) by channel and by the law's edition in
// force on the receipt moment, and its internal consistency. It returns nil or a
// *ValidationError with every problem found; it never panics.
func Validate(a *Appeal, opt ValidateOptions) error {
	if a == nil {
		return &ValidationError{Problems: []Problem{{Field: "appeal", Rule: RuleRequired}}}
	}
	v := &validator{a: a, opt: opt}
	v.card()
	for i := range a.Applicants {
		v.applicant(i, &a.Applicants[i])
	}
	for i := range a.Attachments {
		v.attachment(i, &a.Attachments[i])
	}
	v.questions()
	v.registration()
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

type validator struct {
	a        *Appeal
	opt      ValidateOptions
	problems []Problem
}

func (v *validator) add(field string, r Rule, detail string) {
	v.problems = append(v.problems, Problem{Field: field, Rule: r, Detail: detail})
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func (v *validator) card() {
	a := v.a
	if a.ID == [16]byte{} {
		v.add("id", RuleRequired, "")
	}
	if a.ReceivedAt.IsZero() {
		v.add("receivedAt", RuleRequired, "")
	}
	switch {
	case a.Channel == "":
		v.add("channel", RuleRequired, "")
	case !a.Channel.valid():
		v.add("channel", RuleChannel, "unknown channel")
	case a.Channel == ChannelEmail && !v.opt.AcceptEmail && !a.ReceivedAt.Before(law547InForce):
		v.add("channel", RuleEmailChannel, "")
	case a.Channel == ChannelEPGU && !a.ReceivedAt.IsZero() && a.ReceivedAt.Before(law480InForce):
		v.add("channel", RuleEPGUChannel, "")
	}
	switch {
	case a.Kind == "":
		v.add("kind", RuleRequired, "")
	case !a.Kind.valid():
		v.add("kind", RuleKind, "unknown kind")
	}
	if !stateKnown(a.State) {
		v.add("state", RuleState, "unknown state")
	}
	if blank(a.Summary) && blank(a.Text) && len(a.Attachments) == 0 {
		v.add("text", RuleEssence, "")
	}
	v.requisitesOf()
	if !a.Dated.IsZero() && !a.ReceivedAt.IsZero() && a.Dated.In(moscow).After(a.ReceivedAt.Add(14*time.Hour)) {
		v.add("dated", RuleDate, "after receipt") // a day's slack covers every Russian zone
	}
	v.coverLetter()
	v.applicantCount()
	if f := a.Feedback; f != nil {
		if !f.Result.valid() {
			v.add("feedback.result", RuleOpinion, "")
		}
		if f.Measures != "" && !f.Measures.valid() {
			v.add("feedback.measures", RuleOpinion, "")
		}
	}
}

func (v *validator) coverLetter() {
	a := v.a
	cl := a.CoverLetter
	if !a.Channel.FromBody() {
		return
	}
	if cl == nil {
		v.add("coverLetter", RuleCoverLetter, "")
		return
	}
	if blank(cl.Sender) {
		v.add("coverLetter.sender", RuleCoverLetter, "")
	}
	if blank(cl.Number) {
		v.add("coverLetter.number", RuleCoverLetter, "")
	}
	if cl.Date.IsZero() {
		v.add("coverLetter.date", RuleCoverLetter, "")
	} else if !a.ReceivedAt.IsZero() && cl.Date.In(time.UTC).After(a.ReceivedAt.UTC().Add(14*time.Hour)) {
		// The letter's date is a civil date in the sender's zone; a day's slack covers every
		// Russian zone (UTC+2 … UTC+12).
		v.add("coverLetter.date", RuleCoverLetterDate, "")
	}
}

func (v *validator) applicantCount() {
	a := v.a
	n := len(a.Applicants)
	switch {
	case n == 0 && !a.Anonymous:
		v.add("applicants", RuleApplicants, "at least one")
	case a.Collective && a.Signers < 2:
		v.add("signers", RuleCollective, "a collective appeal has two or more signers")
	case a.Collective && a.Signers < n:
		v.add("signers", RuleCollective, "fewer signers than applicants")
	case !a.Collective && n > 1:
		v.add("collective", RuleCollective, "several applicants make a collective appeal")
	case !a.Collective && a.Signers > 1:
		v.add("collective", RuleCollective, "several signers make a collective appeal")
	}
}

func (v *validator) applicant(i int, p *Applicant) {
	a := v.a
	f := "applicants[" + strconv.Itoa(i) + "]."
	switch p.Kind {
	case "", Citizen:
		if !a.Anonymous {
			if blank(p.Surname) {
				v.add(f+"surname", RuleName, "")
			}
			if blank(p.GivenName) {
				v.add(f+"givenName", RuleName, "")
			}
		}
	case Organization:
		if blank(p.OrganizationName) {
			v.add(f+"organizationName", RuleOrganizationName, "")
		}
	default:
		v.add(f+"kind", RuleApplicantKind, "unknown kind")
	}
	if p.Email != "" {
		if addr, err := mail.ParseAddress(p.Email); err != nil || addr.Address != strings.TrimSpace(p.Email) {
			v.add(f+"email", RuleEmailAddress, "not an e-mail address")
		}
	}
	if p.Phone != "" && !phoneOK(p.Phone) {
		v.add(f+"phone", RulePhone, "")
	}
	// Only the first applicant receives the answer; the others need only be named.
	if i == 0 && !a.Anonymous {
		v.answerAddress(f, p)
	}
	if a.Channel == ChannelWebForm && !p.Consent {
		v.add(f+"consent", RuleConsent, "")
	}
}

// answerAddress checks that an answer channel the first applicant chose has its address
// (art. 10 p.4); the addresses each form needs are requisites (requisitesOf).
func (v *validator) answerAddress(f string, p *Applicant) {
	if p.AnswerChannel == "" {
		return
	}
	for _, c := range answerChannels {
		if c.ch == p.AnswerChannel {
			if blank(c.addr(*p)) {
				v.add(f+c.field, RuleAnswerChannel, "answer by "+string(c.ch))
			}
			return
		}
	}
	v.add(f+"answerChannel", RuleAnswerChannel, "unknown answer channel")
}

func phoneOK(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r) && r < 128:
			digits++
		case r == '+' || r == '(' || r == ')' || r == '-' || r == ' ':
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}

func (v *validator) attachment(i int, at *Attachment) {
	f := "attachments[" + strconv.Itoa(i) + "]."
	if blank(at.Name) {
		v.add(f+"name", RuleAttachment, "name required")
	}
	if at.Size < 0 {
		v.add(f+"size", RuleAttachment, "negative size")
	}
	if at.SHA256 != "" {
		if b, err := hex.DecodeString(at.SHA256); err != nil || len(b) != 32 || strings.ToLower(at.SHA256) != at.SHA256 {
			v.add(f+"sha256", RuleAttachment, "64 lower-case hex digits")
		}
	}
	if blank(at.Ref) {
		v.add(f+"ref", RuleAttachment, "reference required")
	}
}

func (v *validator) questions() {
	seen := make(map[string]bool, len(v.a.Questions))
	for i, q := range v.a.Questions {
		f := "questions[" + strconv.Itoa(i) + "]."
		switch {
		case !codeShapeOK(q.Code):
			v.add(f+"code", RuleQuestionCode, "four or five dotted blocks of four digits")
		case seen[q.Code]:
			v.add(f+"code", RuleQuestionDuplicate, "")
		}
		seen[q.Code] = true
		if q.Status != "" && !q.Status.Valid() {
			v.add(f+"status", RuleQuestionStatus, "unknown status")
		}
		if q.Status == StatusTransferred && (q.Transfer == nil || blank(q.Transfer.Body) && blank(q.Transfer.DepartmentID)) {
			v.add(f+"transfer", RuleTransfer, "")
		}
		if q.MeasuresTaken && q.Status != StatusSupported {
			v.add(f+"measuresTaken", RuleMeasures, "")
		}
	}
}

// codeShapeOK accepts a canonical question code: four or five blocks of four digits. Whether
// the code exists is the classifier's business, not the card's.
func codeShapeOK(s string) bool {
	blocks := strings.Split(s, ".")
	if len(blocks) != 4 && len(blocks) != 5 {
		return false
	}
	for _, b := range blocks {
		if len(b) != 4 {
			return false
		}
		for i := 0; i < 4; i++ {
			if b[i] < '0' || b[i] > '9' {
				return false
			}
		}
	}
	return true
}

func (v *validator) registration() {
	a := v.a
	// Withdrawn and closed cards may never have been registered (art. 5 withdrawal of a draft).
	afterRegistration := a.State != StateReceived && a.State != StateWithdrawn && a.State != StateClosed
	if !afterRegistration && a.Number == "" && a.RegisteredAt.IsZero() {
		return
	}
	if blank(a.Number) {
		v.add("number", RuleRegistration, "")
	}
	if a.RegisteredAt.IsZero() {
		v.add("registeredAt", RuleRegistration, "")
	} else if !a.ReceivedAt.IsZero() && a.RegisteredAt.Before(a.ReceivedAt) {
		v.add("registeredAt", RuleRegistrationOrder, "")
	}
}
