package deadline

import "fmt"

// Rule is a 59-FZ time limit. The zero Rule is not a rule.
type Rule uint8

// The 59-FZ time limits (law.md Part A1). Days are calendar days counted
// from the day after the event (ГК art. 191); see RuleInfo for the data.
const (
	// Registration (регистрация): 3 days from receipt, art. 8 p.2.
	Registration Rule = iota + 1
	// Forwarding (перенаправление по компетенции) with notice to the
	// applicant: 7 days from registration, art. 8 p.3.
	Forwarding
	// ForwardingMigration: an appeal reporting possible violations of
	// migration law goes to the territorial MVD body and the head of the
	// subject of the RF: 5 days from registration, art. 8 p.3.1.
	ForwardingMigration
	// CopyToBodies: copies to each of several competent bodies: 7 days from
	// registration, art. 8 p.4.
	CopyToBodies
	// Consideration (рассмотрение): answer on the merits, 30 days from
	// registration, art. 12 p.1. Extendable once (art. 12 p.2).
	Consideration
	// ConsiderationMigration: an appeal to the head of a subject of the RF
	// reporting possible violations of migration law: 20 days from
	// registration, art. 12 p.1.1. Extendable once (law.md Decisions).
	ConsiderationMigration
	// InterAgencyRequest (запрос в другой орган): the requested body provides
	// documents within 15 days of receiving the request, art. 10 p.2.
	InterAgencyRequest
	// Art11Return (возврат обращения): an appeal disputing a court decision
	// is returned with an explanation: 7 days from registration, art. 11 p.2.
	Art11Return
	// Art11Notice: the applicant is told why there will be no answer or
	// where it is — unreadable text (art. 11 p.4), essence not determinable
	// (p.4.1), answer already on the website (p.5.1): 7 days from registration.
	Art11Notice
	ruleEnd
)

// MaxExtensionDays is the longest extension (продление срока) of the
// consideration term, once, with notice to the applicant: art. 12 p.2.
const MaxExtensionDays = 30

// Start is the event a time limit counts from (appeal.Action is a lifecycle step and
// workflow.Event a history entry: three different things).
type Start uint8

// Events that start the 59-FZ clocks.
const (
	Receipt        Start = iota + 1 // поступление обращения
	Registered                      // регистрация обращения
	RequestReceipt                  // поступление запроса (art. 10 p.2)
)

var eventNames = [...]string{"", "поступление", "регистрация", "поступление запроса"}

// String returns the event in Russian.
func (e Start) String() string {
	if int(e) < len(eventNames) {
		return eventNames[e]
	}
	return fmt.Sprintf("Start(%d)", uint8(e))
}

// RuleInfo is one time limit as data.
type RuleInfo struct {
	// Rule is the rule these data describe.
	Rule       Rule
	Name       string // machine name, as Rule.String: "consideration"
	Days       int    // calendar days
	From       Start  // what the period counts from
	Article    string // the article of 59-FZ, in Russian
	Title      string // what must be done, in Russian
	Extendable bool   // art. 12 p.2 extension applies
}

var rules = [ruleEnd]RuleInfo{
	Registration:           {Registration, "registration", 3, Receipt, "ст. 8 ч. 2", "регистрация письменного обращения", false},
	Forwarding:             {Forwarding, "forwarding", 7, Registered, "ст. 8 ч. 3", "перенаправление по компетенции с уведомлением автора", false},
	ForwardingMigration:    {ForwardingMigration, "forwarding-migration", 5, Registered, "ст. 8 ч. 3.1", "направление обращения о нарушении миграционного законодательства в МВД и высшему должностному лицу субъекта", false},
	CopyToBodies:           {CopyToBodies, "copy-to-bodies", 7, Registered, "ст. 8 ч. 4", "направление копий обращения в несколько органов", false},
	Consideration:          {Consideration, "consideration", 30, Registered, "ст. 12 ч. 1", "рассмотрение письменного обращения", true},
	ConsiderationMigration: {ConsiderationMigration, "consideration-migration", 20, Registered, "ст. 12 ч. 1.1", "рассмотрение высшим должностным лицом субъекта обращения о нарушении миграционного законодательства", true},
	InterAgencyRequest:     {InterAgencyRequest, "inter-agency-request", 15, RequestReceipt, "ст. 10 ч. 2", "представление документов по запросу другого органа", false},
	Art11Return:            {Art11Return, "art11-return", 7, Registered, "ст. 11 ч. 2", "возврат обращения, обжалующего судебное решение", false},
	Art11Notice:            {Art11Notice, "art11-notice", 7, Registered, "ст. 11 ч. 4, 4.1, 5.1", "уведомление автора (нечитаемый текст, суть не ясна, ответ размещен на сайте)", false},
}

// Rules returns every rule with its days, event and article.
func Rules() []RuleInfo { return append([]RuleInfo(nil), rules[1:]...) }

// Valid reports whether r is one of the defined rules.
func (r Rule) Valid() bool { return r > 0 && r < ruleEnd }

// Info returns the data of r; the zero RuleInfo for an unknown rule.
func (r Rule) Info() RuleInfo {
	if !r.Valid() {
		return RuleInfo{}
	}
	return rules[r]
}

// String returns the machine name of r ("consideration").
func (r Rule) String() string {
	if !r.Valid() {
		return fmt.Sprintf("Rule(%d)", uint8(r))
	}
	return rules[r].Name
}

// ParseRule returns the rule with the given machine name.
func ParseRule(name string) (Rule, error) {
	for _, info := range rules[1:] {
		if info.Name == name {
			return info.Rule, nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrUnknownRule, name)
}

// MarshalText encodes r as its machine name; the zero Rule as empty text.
func (r Rule) MarshalText() ([]byte, error) {
	if r == 0 {
		return []byte{}, nil
	}
	if !r.Valid() {
		return nil, fmt.Errorf("%w: %d", ErrUnknownRule, uint8(r))
	}
	return []byte(rules[r].Name), nil
}

// UnmarshalText decodes a machine name; empty text gives the zero Rule.
func (r *Rule) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = 0
		return nil
	}
	v, err := ParseRule(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
