package workflow

import (
	"embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/template"
	"unicode"

	"github.com/fz59/appeals/deadline"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

// NoticeData is what a notice template sees. Dates are civil dates in the organization's zone;
// the template function "date" writes one as ДД.ММ.ГГГГ.
type NoticeData struct {
	// Kind is the notice kind, e.g. KindRegistration.
	Kind NoticeKind
	// Org is the organization's name in the nominative, OrgGenitive in the genitive («в адрес
	// Администрации города N») and OrgPrepositional in the prepositional («в Администрации
	// города N»); each falls back to the nominative when Organization leaves it empty.
	Org, OrgGenitive, OrgPrepositional string
	// Surname, GivenName and Patronymic are the first applicant's name, OrganizationName an
	// organization's: the templates build the greeting from them (template "greeting"), so a
	// host fixes its grammar in a template. They are cleaned of line breaks and control
	// characters; empty for staff notices and anonymous appeals.
	Surname, GivenName, Patronymic, OrganizationName string
	// Number, ReceivedOn and RegisteredOn identify the appeal.
	Number       string
	ReceivedOn   deadline.Date
	RegisteredOn deadline.Date
	// Planned is the planned answer date (the legal due date).
	Planned deadline.Date
	// Target is where the appeal was forwarded; Questions the codes forwarded, if not all.
	Target    string
	Questions string
	// Days is the extension's length.
	Days int
	// PIN is the applicant's PIN for the status lookup, in the registration notice when it was
	// issued at registration; empty otherwise.
	PIN string
	// Reason is the extension's reason, or a refusal's or an assignment change's.
	Reason string
	// RefusalReason is a refusal's reason as a value, for templates that choose by it.
	RefusalReason RefusalReason
	// Ground is the art. 11 ground.
	Ground Ground
	// Text is the answer's text, or an art. 11 decision or web address.
	Text string
	// Earlier are the numbers of the earlier appeals answered on the merits, for the end of
	// correspondence (art. 11 p.5).
	Earlier string
	// AnswerNumber is the answer's outgoing number.
	AnswerNumber string
	// Task and Due describe an assignment: its task and due date.
	Task string
	Due  deadline.Date
	// Term, Article, Legal and Control describe the term a reminder is about: what must be
	// done (e.g. «регистрация обращения»), the provision, its legal date (LegalDue) and its
	// control date (ControlDate).
	Term, Article  string
	Legal, Control deadline.Date
	// DaysLeft is the calendar days from today to the control date while it is ahead (0 on
	// the day), DaysOverdue the days since the legal date once it has passed; both 0
	// otherwise (between the two dates).
	DaysLeft, DaysOverdue int
}

// NoticeFuncs are the functions the default templates use; parse replacement templates with
// them (template.New("").Funcs(workflow.NoticeFuncs())).
func NoticeFuncs() template.FuncMap {
	return template.FuncMap{
		"date": func(d deadline.Date) string {
			if d.IsZero() {
				return ""
			}
			b := make([]byte, 0, 10)
			b = append(b, byte('0'+d.Day/10), byte('0'+d.Day%10), '.', byte('0'+int(d.Month)/10), byte('0'+int(d.Month)%10), '.')
			return string(strconv.AppendInt(b, int64(d.Year), 10))
		},
	}
}

// notices parses the embedded default templates and puts the host's replacements over them.
func notices(host *template.Template) (*template.Template, error) {
	t, err := template.New("notices").Funcs(NoticeFuncs()).ParseFS(templateFiles, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("workflow: default templates: %w", err)
	}
	if host == nil {
		return t, nil
	}
	for _, h := range host.Templates() {
		if h.Tree == nil || t.Lookup(h.Name()) == nil {
			continue
		}
		if _, err := t.AddParseTree(h.Name(), h.Tree); err != nil {
			return nil, fmt.Errorf("workflow: template %s: %w", h.Name(), err)
		}
	}
	// Try every notice on a sample, so that a template naming a field NoticeData lacks fails
	// here, at New, not when a command sends it.
	for _, k := range NoticeKinds() {
		d := sampleNotice
		for _, part := range []string{".subject", ".body"} {
			if err := t.ExecuteTemplate(io.Discard, string(k)+part, &d); err != nil {
				return nil, fmt.Errorf("workflow: template %s%s: %w", k, part, err)
			}
		}
	}
	return t, nil
}

// sampleNotice is what New tries the notice templates on.
var sampleNotice = NoticeData{Org: "Администрация", OrgGenitive: "Администрации", OrgPrepositional: "Администрации",
	Surname: "Иванова", GivenName: "Мария", Patronymic: "Петровна", Number: "Ж-2025-000001",
	ReceivedOn: deadline.NewDate(2025, 11, 10), RegisteredOn: deadline.NewDate(2025, 11, 10), Planned: deadline.NewDate(2025, 12, 10),
	Target: "Инспекция", Questions: "0005.0005.0056.1147", Days: 30, Reason: "запрос", PIN: "ABCD-EFGH-JKMN", Ground: GroundUnreadable,
	Text: "Ответ", Earlier: "Ж-2024-000001", AnswerNumber: "исх-1", Task: "Проверить", Due: deadline.NewDate(2025, 12, 1),
	Term: "рассмотрение обращения", Article: "ст. 12 ч. 1", Legal: deadline.NewDate(2025, 12, 10), Control: deadline.NewDate(2025, 12, 10),
	DaysLeft: 3, DaysOverdue: 1}

// render executes the kind's subject and body templates.
func (e *Engine) render(kind NoticeKind, d *NoticeData) (subject, body string, err error) {
	d.Kind = kind
	var b strings.Builder
	if err := e.tmpl.ExecuteTemplate(&b, string(kind)+".subject", d); err != nil {
		return "", "", fmt.Errorf("workflow: notice %s: %w", kind, err)
	}
	subject = strings.TrimSpace(b.String())
	b.Reset()
	if err := e.tmpl.ExecuteTemplate(&b, string(kind)+".body", d); err != nil {
		return "", "", fmt.Errorf("workflow: notice %s: %w", kind, err)
	}
	return subject, strings.TrimSpace(b.String()) + "\n", nil
}

// oneLine returns s with line breaks, tabs and other control and bidi-override characters
// replaced by spaces and runs of space folded: a name reaches a template as one clean line.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Bidi_Control, r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
