// Package routing sends an appeal to the department and person answerable for its topic
// (маршрутизация по тематике): rules as data — a classifier code or a code's subtree, the
// department, the responsible person — where the most specific rule wins. An organization
// keeps its rules in a CSV or JSON file; Load checks every code against the classifier
// edition, so a rule for a code that does not exist fails at load, not at run time.
//
//	table, err := routing.Load(f, routing.CSV, classifier.Embedded())
//	rule, ok := table.Route([]string{"0005.0005.0056.1147"}) // the longest prefix that matches
//	eng, err := workflow.New(store, workflow.Options{Routing: table})
//
// The engine applies the table when an appeal is classified and records the rule that fired;
// a person may name another responsible afterwards, which the history records as an override.
package routing

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fz59/appeals/classifier"
)

// Rule routes the appeals whose questions fall under Code (a section, theme, topic, question
// or refinement) to a department and a responsible person.
type Rule struct {
	// Code is the classifier code the rule covers, with its subtree, in the canonical form
	// of its level: "0005" is not accepted, "0005.0005.0000.0000" is written "0005.0005".
	Code string `json:"code"`
	// Department is the department's name or id, as the host knows it.
	Department string `json:"department"`
	// Responsible is the staff id of the person answerable (ответственный); it may be empty
	// when the department distributes the work itself.
	Responsible string `json:"responsible,omitempty"`
}

// Table is a set of routing rules, safe for concurrent use once loaded.
type Table struct {
	rules []rule // the most specific first
}

type rule struct {
	Rule
	code classifier.Code
}

// Format is the format of a rules file.
type Format string

// The formats Load reads.
const (
	// CSV is a header line "code,department,responsible" and one rule a line.
	CSV Format = "csv"
	// JSON is an array of {"code", "department", "responsible"} objects.
	JSON Format = "json"
)

// MaxRules bounds a rules file: an organization's routing is a few hundred rules at most.
const MaxRules = 10_000

// ErrRules is matched (errors.Is) by every *RuleError.
var ErrRules = errors.New("routing: bad rules")

// RuleError refuses a rules file: the rule's position and what is wrong with it, never the
// rule's text.
type RuleError struct {
	// Rule is the rule's number in the file, from 1 (a CSV file's header is not a rule); 0
	// when the file as a whole is not a rules file.
	Rule int
	// Problem says what is wrong.
	Problem string
}

// Error names the rule and the problem.
func (e *RuleError) Error() string {
	return fmt.Sprintf("routing: rule %d: %s", e.Rule, e.Problem)
}

// Is makes errors.Is(err, ErrRules) true.
func (e *RuleError) Is(target error) bool { return target == ErrRules }

// Load reads rules in format f and checks each against cls: the code must be a node of the
// edition; two rules for one code are refused.
func Load(r io.Reader, f Format, cls *classifier.Classifier) (*Table, error) {
	var rules []Rule
	switch f {
	case CSV:
		cr := csv.NewReader(io.LimitReader(r, 16<<20))
		cr.FieldsPerRecord = 3
		head, err := cr.Read()
		if err != nil || strings.Join(head, ",") != "code,department,responsible" {
			return nil, &RuleError{Rule: 0, Problem: `want the header "code,department,responsible"`}
		}
		for n := 1; ; n++ {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, &RuleError{Rule: n, Problem: "not a CSV line of three fields"}
			}
			if n > MaxRules {
				return nil, &RuleError{Rule: n, Problem: fmt.Sprintf("more than %d rules", MaxRules)}
			}
			rules = append(rules, Rule{Code: rec[0], Department: rec[1], Responsible: rec[2]})
		}
	case JSON:
		dec := json.NewDecoder(io.LimitReader(r, 16<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rules); err != nil {
			return nil, &RuleError{Rule: 0, Problem: "not a JSON array of rules"}
		}
		if len(rules) > MaxRules {
			return nil, &RuleError{Rule: MaxRules + 1, Problem: fmt.Sprintf("more than %d rules", MaxRules)}
		}
	default:
		return nil, fmt.Errorf("routing: unknown format %q (csv or json)", string(f))
	}
	return New(rules, cls)
}

// New makes a table of rules checked against cls (see Load); errors number them from 1.
func New(rules []Rule, cls *classifier.Classifier) (*Table, error) {
	t := &Table{rules: make([]rule, 0, len(rules))}
	seen := map[classifier.Code]bool{}
	for i, r := range rules {
		n := i + 1
		code, err := classifier.ParsePrefix(r.Code)
		if err != nil {
			return nil, &RuleError{Rule: n, Problem: "not a classifier code"}
		}
		if _, ok := cls.Lookup(code); !ok {
			return nil, &RuleError{Rule: n, Problem: "no such code in the classifier edition " + cls.Edition().Name}
		}
		if strings.TrimSpace(r.Department) == "" {
			return nil, &RuleError{Rule: n, Problem: "no department"}
		}
		if seen[code] {
			return nil, &RuleError{Rule: n, Problem: "a second rule for the same code"}
		}
		seen[code] = true
		r.Code = code.String()
		t.rules = append(t.rules, rule{Rule: r, code: code})
	}
	// The most specific rule first: deeper levels before their ancestors.
	slices.SortStableFunc(t.rules, func(a, b rule) int { return int(b.code.Level()) - int(a.code.Level()) })
	return t, nil
}

// Route returns the most specific rule that covers one of the codes (canonical or not), and
// whether any does: a rule for a question beats one for its topic, which beats one for its
// theme. Among rules of one level, the first code's wins.
func (t *Table) Route(codes []string) (Rule, bool) {
	if t == nil {
		return Rule{}, false
	}
	parsed := make([]classifier.Code, 0, len(codes))
	for _, c := range codes {
		if code, err := classifier.Parse(c); err == nil {
			parsed = append(parsed, code)
		}
	}
	best := -1
	for _, c := range parsed {
		for i, r := range t.rules {
			if r.code.Contains(c) {
				// t.rules is ordered by level, deepest first: i is this code's most specific
				// rule; a deeper one for a later code still wins.
				if best < 0 || r.code.Level() > t.rules[best].code.Level() {
					best = i
				}
				break
			}
		}
	}
	if best < 0 {
		return Rule{}, false
	}
	return t.rules[best].Rule, true
}

// Rules returns the table's rules, the most specific first.
func (t *Table) Rules() []Rule {
	out := make([]Rule, len(t.rules))
	for i, r := range t.rules {
		out[i] = r.Rule
	}
	return out
}
