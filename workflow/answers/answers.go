// Package answers drafts the letters of an appeal's consideration from templates (шаблоны
// ответов): the answer on the merits, the notices of forwarding and extension, each art. 11
// notice and the refusal of registration. A set holds Go templates per outcome and, where an
// organization wants its own wording for a topic, per classifier code; the most specific
// template for the appeal's questions wins. A template that uses a field Data lacks fails when
// the set is loaded, not when a clerk drafts.
//
//	set, err := answers.Default()                              // the Russian set, embedded
//	text, err := set.Render(answers.Answer, codes, data)        // the most specific template
//	set, err = answers.Parse(hostFiles, "*.tmpl")               // an organization's own set
//
// The engine renders a proposal with Engine.ProposeAnswer; the executor edits it and drafts.
package answers

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
)

//go:embed templates/*.tmpl
var defaults embed.FS

// Outcome names the letter a template writes.
type Outcome string

// The outcomes a set has templates for. Each template is named "<outcome>" for every appeal,
// or "<outcome>:<code>" for the appeals with a question under that classifier code.
const (
	Answer              Outcome = "answer"                // the answer on the merits (art. 10)
	Forwarding          Outcome = "forwarding"            // forwarding by competence (art. 8 p.3)
	Extension           Outcome = "extension"             // extension of the term (art. 12 p.2)
	Return              Outcome = "return"                // return (art. 11 p.2, art. 8 p.7)
	LeftWithoutAnswer   Outcome = "left_without_answer"   // art. 11 pp.3, 4, 4.1, 5.1, 6
	EndOfCorrespondence Outcome = "end_of_correspondence" // art. 11 p.5
	Refusal             Outcome = "refusal"               // refusal of registration
)

// Outcomes lists every outcome; the default set has a template for each.
func Outcomes() []Outcome {
	return []Outcome{Answer, Forwarding, Extension, Return, LeftWithoutAnswer, EndOfCorrespondence, Refusal}
}

// Data is what an answer template sees. The engine fills it from the card and the record.
type Data struct {
	// Org, OrgGenitive and OrgPrepositional are the organization's name in three cases.
	Org, OrgGenitive, OrgPrepositional string
	// Surname, GivenName, Patronymic and OrganizationName are the applicant's, cleaned to
	// one line.
	Surname, GivenName, Patronymic, OrganizationName string
	// Number, ReceivedOn and RegisteredOn identify the appeal; Planned is its legal due date.
	Number                            string
	ReceivedOn, RegisteredOn, Planned deadline.Date
	// Summary is the clerk's summary of the appeal.
	Summary string
	// Questions are the appeal's questions with their classifier titles.
	Questions []Question
	// Target is where it was forwarded; Days and Reason an extension's; Ground an art. 11
	// ground's machine name; Decision the art. 11 decision or web address; Earlier the earlier
	// appeals' numbers (art. 11 p.5).
	Target, Reason, Ground, Decision, Earlier string
	Days                                      int
	// Signatory is the official who signs (name and position, as the host gives it).
	Signatory string
	// Today is the letter's date.
	Today deadline.Date
}

// Question is one question of the appeal as a template sees it.
type Question struct {
	// Code is the classifier code and Title its title.
	Code, Title string
}

// Set is a set of answer templates, safe for concurrent use once parsed.
type Set struct {
	t *template.Template
}

// Funcs are the functions templates may use: "date" writes a deadline.Date as ДД.ММ.ГГГГ.
func Funcs() template.FuncMap {
	return template.FuncMap{"date": func(d deadline.Date) string {
		if d.IsZero() {
			return ""
		}
		return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
	}}
}

// Default returns the embedded Russian set.
func Default() (*Set, error) { return Parse(defaults, "templates/*.tmpl") }

// Parse reads the templates in the files of fsys that match pattern ({{define "answer"}} …,
// {{define "answer:0005.0005"}} …). Every template is executed once against a sample Data, so
// one that names a field Data lacks, or calls an unknown function, fails here; so does one
// whose name is not an outcome, or whose code is not a classifier code.
func Parse(fsys fs.FS, pattern string) (*Set, error) {
	t, err := template.New("").Funcs(Funcs()).Option("missingkey=error").ParseFS(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	s := &Set{t: t}
	return s, s.check()
}

// sample is the Data every template is tried on at load.
var sample = Data{Org: "Администрация", OrgGenitive: "Администрации", OrgPrepositional: "Администрации",
	Surname: "Иванова", GivenName: "Мария", Patronymic: "Петровна", Number: "Ж-2025-000001",
	ReceivedOn: deadline.NewDate(2025, time.November, 10), RegisteredOn: deadline.NewDate(2025, time.November, 10),
	Planned: deadline.NewDate(2025, time.December, 10), Summary: "о вывозе мусора",
	Questions: []Question{{Code: "0005.0005.0056.1147", Title: "Вывоз мусора"}}, Target: "Инспекция",
	Reason: "запрос", Ground: "unreadable", Decision: "https://example.org", Earlier: "Ж-2024-000001", Days: 30,
	Signatory: "Глава города", Today: deadline.NewDate(2025, time.December, 1)}

func (s *Set) check() error {
	for _, t := range s.t.Templates() {
		name := t.Name()
		if name == "" || t.Tree == nil || strings.HasPrefix(name, "_") || !strings.Contains(name, ":") && strings.Contains(name, ".") {
			continue // the root, a file's own text, and helpers named "_…"
		}
		outcome, code, _ := strings.Cut(name, ":")
		if !slices.Contains(Outcomes(), Outcome(outcome)) {
			return fmt.Errorf("answers: template %q: not an outcome (%v)", name, Outcomes())
		}
		if code != "" {
			if _, err := classifier.ParsePrefix(code); err != nil {
				return fmt.Errorf("answers: template %q: not a classifier code", name)
			}
		}
		if err := t.Execute(discard{}, sample); err != nil {
			return fmt.Errorf("answers: template %q: %w", name, err)
		}
	}
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Pick returns the name of the most specific template for the outcome and the appeal's codes:
// "<outcome>:<code>" for the deepest code that covers one of them, else "<outcome>"; false
// when the set has neither.
func (s *Set) Pick(o Outcome, codes []string) (string, bool) {
	best, level := "", -1
	for _, t := range s.t.Templates() {
		outcome, prefix, ok := strings.Cut(t.Name(), ":")
		if Outcome(outcome) != o || !ok {
			continue
		}
		p, err := classifier.ParsePrefix(prefix)
		if err != nil {
			continue
		}
		for _, c := range codes {
			if code, err := classifier.Parse(c); err == nil && p.Contains(code) && int(p.Level()) > level {
				best, level = t.Name(), int(p.Level())
			}
		}
	}
	if best != "" {
		return best, true
	}
	if s.t.Lookup(string(o)) != nil {
		return string(o), true
	}
	return "", false
}

// Render renders the most specific template for the outcome and codes with d.
func (s *Set) Render(o Outcome, codes []string, d Data) (string, error) {
	name, ok := s.Pick(o, codes)
	if !ok {
		return "", fmt.Errorf("answers: no template for %s", o)
	}
	var b strings.Builder
	if err := s.t.ExecuteTemplate(&b, name, d); err != nil {
		return "", fmt.Errorf("answers: %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()) + "\n", nil
}

// Over returns a set with host's templates over s's: each name host defines replaces s's.
// Parse host with Funcs.
func (s *Set) Over(host *Set) (*Set, error) {
	t, err := s.t.Clone()
	if err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	for _, h := range host.t.Templates() {
		if h.Tree == nil || h.Name() == "" {
			continue
		}
		if _, err := t.AddParseTree(h.Name(), h.Tree); err != nil {
			return nil, fmt.Errorf("answers: %s: %w", h.Name(), err)
		}
	}
	out := &Set{t: t}
	return out, out.check()
}
