package appeal

import "time"

// Form is the form an appeal takes in law (форма обращения): written on paper, an electronic
// document, or oral. It decides which requisites the card needs (art. 7) and where the answer
// goes (art. 10 p.4).
type Form string

// The forms.
const (
	// FormWritten is a written appeal on paper (письменное обращение, art. 7 p.1): by post, handed
	// in at a personal reception (art. 13 p.4), or sent on on paper by another body.
	FormWritten Form = "written"
	// FormElectronic is an appeal as an electronic document (art. 7 p.3): through ЕПГУ, the
	// organization's identified site or system, e-mail before 30.03.2025, or sent on
	// electronically by another body or through МЭДО.
	FormElectronic Form = "electronic"
	// FormOral is an oral appeal recorded on a personal reception card (art. 13).
	FormOral Form = "oral"
)

// Form returns the appeal's form: oral when recorded at a reception as oral; electronic for
// the electronic channels, and for an appeal sent on by another body when it is marked
// Electronic; written otherwise.
func (a *Appeal) Form() Form {
	switch {
	case a.Oral:
		return FormOral
	case a.Channel.Electronic(), a.Channel.FromBody() && a.Electronic:
		return FormElectronic
	}
	return FormWritten
}

// Requisite is a field a card of some form must fill (реквизит обращения), with the rule and
// article it comes from, as the validator checks it. Requisites lists them all; the package
// documentation's table is generated from that list.
type Requisite struct {
	// Form is the form the requisite applies to.
	Form Form
	// Field is the card field ("addressee", "applicants[0].postalAddress", …).
	Field string
	// Rule is the rule a missing field breaks.
	Rule Rule
	// When says when it applies, in words ("" for always); an anonymous appeal (art. 11 p.1)
	// is exempt from the applicant's name and addresses and from the signature.
	When string
	// Since is the first receipt day it applies to (zero for every edition in the library).
	Since time.Time
}

// requisite is a Requisite with its check: missing reports whether the card lacks it.
type requisite struct {
	Requisite
	applies func(a *Appeal) bool
	missing func(a *Appeal, p *Applicant) bool
}

func always(*Appeal) bool { return true }

// applicant0 is the first applicant, the one the answer goes to, or nil.
func (a *Appeal) applicant0() *Applicant {
	if len(a.Applicants) == 0 {
		return nil
	}
	return &a.Applicants[0]
}

var requisites = []requisite{
	{Requisite{Form: FormWritten, Field: "addressee", Rule: RuleAddressee}, always,
		func(a *Appeal, _ *Applicant) bool { return blank(a.Addressee) }},
	{Requisite{Form: FormWritten, Field: "applicants[0].postalAddress", Rule: RulePostalAddress,
		When: "not anonymous"}, notAnonymous,
		func(_ *Appeal, p *Applicant) bool { return p != nil && blank(p.PostalAddress) }},
	{Requisite{Form: FormWritten, Field: "signed", Rule: RuleSignature, When: "not anonymous"}, notAnonymous,
		func(a *Appeal, _ *Applicant) bool { return !a.Signed }},
	{Requisite{Form: FormWritten, Field: "dated", Rule: RuleDate}, always,
		func(a *Appeal, _ *Applicant) bool { return a.Dated.IsZero() }},
	{Requisite{Form: FormElectronic, Field: "applicants[0].email", Rule: RuleEmailAddress,
		When: "not anonymous, not ЕПГУ, an electronic answer: no paper answer asked for and no account of the system it came by"},
		func(a *Appeal) bool { return !a.Anonymous && a.Channel != ChannelEPGU },
		func(_ *Appeal, p *Applicant) bool {
			return p != nil && blank(p.Email) && blank(p.Account) && !paperAnswer(p)
		}},
	{Requisite{Form: FormElectronic, Field: "applicants[0].account", Rule: RuleAccount,
		When: "not anonymous, ЕПГУ, no e-mail and no paper answer asked for", Since: law480InForce},
		func(a *Appeal) bool { return !a.Anonymous && a.Channel == ChannelEPGU },
		func(_ *Appeal, p *Applicant) bool {
			return p != nil && blank(p.Account) && blank(p.Email) && !paperAnswer(p)
		}},
	{Requisite{Form: FormElectronic, Field: "identified", Rule: RuleIdentification,
		When: "the organization's own site or system", Since: law547InForce},
		func(a *Appeal) bool { return a.Channel == ChannelWebForm && !a.ReceivedAt.Before(law547InForce) },
		func(a *Appeal, _ *Applicant) bool { return !a.Identified }},
}

func notAnonymous(a *Appeal) bool { return !a.Anonymous }

// paperAnswer reports whether the applicant of an electronic appeal wants the answer on paper
// and gave the postal address it needs (art. 7 p.3): asked for it, or gave a postal address
// and no electronic one.
func paperAnswer(p *Applicant) bool {
	if blank(p.PostalAddress) {
		return false
	}
	return p.AnswerChannel == AnswerByPost || p.AnswerChannel == "" && blank(p.Email) && blank(p.Account)
}

// Requisites lists the form-specific requisites the validator checks (art. 7 pp.1, 3; 480-ФЗ;
// 547-ФЗ), in a stable order. Every form also needs the essence (summary, text or an
// attachment; art. 7 p.1), the kind (art. 4) and a citizen applicant's surname and given name
// unless the appeal is anonymous (art. 7 pp.1, 3; art. 11 p.1).
func Requisites() []Requisite {
	out := make([]Requisite, len(requisites))
	for i, r := range requisites {
		out[i] = r.Requisite
	}
	return out
}

// requisitesOf adds the problems of the card's form.
func (v *validator) requisitesOf() {
	a, form := v.a, v.a.Form()
	p := a.applicant0()
	for _, r := range requisites {
		if r.Form == form && !a.ReceivedAt.Before(r.Since) && r.applies(a) && r.missing(a, p) {
			v.add(r.Field, r.Rule, "")
		}
	}
}

// AnswerTo says where the answer to the appeal goes by law (art. 10 p.4, art. 7 p.3): on paper
// to the postal address for a written or oral appeal; for an electronic one, on paper when the
// applicant asked for it and gave a postal address, else as an electronic document to the
// personal account (ЕПГУ, or the system it came through) or the e-mail — the one the applicant
// chose first, then the account for ЕПГУ and the e-mail otherwise. A contact preference never
// turns a paper appeal's answer into an e-mail. It reports false when there is no address (an
// anonymous appeal, art. 11 p.1).
func (a *Appeal) AnswerTo() (AnswerChannel, string, bool) {
	p := a.applicant0()
	if p == nil || a.Anonymous {
		return "", "", false
	}
	var order []AnswerChannel
	switch {
	case a.Form() != FormElectronic:
		order = []AnswerChannel{AnswerByPost}
	case paperAnswer(p):
		order = []AnswerChannel{AnswerByPost}
	case p.AnswerChannel == AnswerByEmail || p.AnswerChannel == AnswerToAccount:
		order = []AnswerChannel{p.AnswerChannel, AnswerToAccount, AnswerByEmail}
	case a.Channel == ChannelEPGU:
		order = []AnswerChannel{AnswerToAccount, AnswerByEmail}
	default:
		order = []AnswerChannel{AnswerByEmail, AnswerToAccount}
	}
	for _, ch := range order {
		if addr := p.Address(ch); !blank(addr) {
			return ch, addr, true
		}
	}
	return "", "", false
}
