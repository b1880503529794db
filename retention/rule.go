package retention

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Edition names the list a Rule comes from: the Rosarchive list of typical
// administrative documents (Перечень типовых управленческих архивных
// документов) of 2010 or 2019, or a host's own nomenclature.
type Edition string

// The editions of the Rosarchive list in the standard schedule.
const (
	// Edition2010 is the list approved by приказ Минкультуры России от
	// 25.08.2010 № 558; appeals are its art. 183 (unverified).
	Edition2010 Edition = "2010"
	// Edition2019 is the list approved by приказ Росархива от 20.12.2019
	// № 236; appeals are its art. 154 (unverified).
	Edition2019 Edition = "2019"
	// CurrentEdition is the edition a File without one is judged by.
	CurrentEdition = Edition2019
)

// Category is the kind of appeal file a Rule covers. Hosts may add their own
// categories by registering rules for them.
type Category string

// The categories of appeal files in both editions of the list (items а, б, в).
const (
	// CategorySerious: proposals, letters of a creative nature, statements
	// and complaints with information on serious shortcomings, abuses or
	// corruption; kept permanently.
	CategorySerious Category = "serious"
	// CategoryPersonal: appeals of a personal nature; 5 years ЭПК.
	CategoryPersonal Category = "personal"
	// CategoryOperational: appeals of an operational nature; 5 years.
	CategoryOperational Category = "operational"
)

// MaxYears bounds a temporary period; no list period is longer.
const MaxYears = 100

// RetentionPeriod (срок хранения) is a number of years, or
// permanent storage, with the ЭПК mark that sends the file to expert review
// when the years run out.
type RetentionPeriod struct {
	Years     int  // 0 when Permanent
	Permanent bool // постоянно
	EPK       bool // the ЭПК mark; only on temporary periods
}

// String gives the period as the list writes it: "Постоянно", "5 лет ЭПК".
func (p RetentionPeriod) String() string {
	if p.Permanent {
		return "Постоянно"
	}
	s := strconv.Itoa(p.Years) + " " + plural(p.Years, "год", "года", "лет")
	if p.EPK {
		s += " ЭПК"
	}
	return s
}

// plural picks the Russian word form for n: 1 год, 2 года, 5 лет.
func plural(n int, one, few, many string) string {
	n %= 100
	if n < 0 {
		n = -n
	}
	switch {
	case n >= 11 && n <= 14:
		return many
	case n%10 == 1:
		return one
	case n%10 >= 2 && n%10 <= 4:
		return few
	}
	return many
}

// Rule is one item of a list or of a host's nomenclature: which Period
// applies to a Category of files.
type Rule struct {
	// Edition is the list the rule comes from.
	Edition  Edition
	Article  string // "154"
	Item     string // "б"; may be empty
	Category Category
	Period   RetentionPeriod
	// Repeated is the list's note for repeated appeals: the file is kept
	// this many years after the last consideration; 0 means no such note.
	Repeated int
	Title    string // the list's wording, for people
}

// Ref gives the article as acts cite it: "ст. 154 «б» (2019)".
func (r Rule) Ref() string {
	s := "ст. " + r.Article
	if r.Item != "" {
		s += " «" + r.Item + "»"
	}
	return s + " (" + string(r.Edition) + ")"
}

func (r Rule) validate() error {
	p := r.Period
	switch {
	case r.Edition == "" || r.Category == "" || r.Article == "":
		return errors.New("edition, article and category are required")
	case p.Permanent && (p.Years != 0 || p.EPK || r.Repeated != 0):
		return errors.New("a permanent period has no years, ЭПК mark or repeated-appeal note")
	case !p.Permanent && (p.Years < 1 || p.Years > MaxYears):
		return fmt.Errorf("years %d outside 1..%d", p.Years, MaxYears)
	case r.Repeated < 0 || r.Repeated > MaxYears:
		return fmt.Errorf("repeated %d outside 0..%d", r.Repeated, MaxYears)
	}
	return nil
}

type ruleKey struct {
	ed  Edition
	cat Category
}

// Schedule holds the rules files are judged by, one per edition and
// category. Build it with Standard or NewSchedule and Register the host's
// items before sharing it; after that it is safe for concurrent use.
type Schedule struct {
	rules map[ruleKey]Rule
}

// NewSchedule returns a Schedule of the given rules; a malformed or
// duplicate rule gives an error wrapping ErrBadRule.
func NewSchedule(rules ...Rule) (*Schedule, error) {
	s := &Schedule{rules: make(map[ruleKey]Rule, len(rules))}
	for _, r := range rules {
		if err := s.Register(r); err != nil {
			return nil, err
		}
	}
	return s, nil
}

//go:embed schedule.csv
var standardCSV []byte

// Standard returns a new Schedule of the Rosarchive lists of 2010 and 2019
// (items а, б, в of art. 183 and art. 154), read from the embedded
// schedule.csv. The article numbers and wording are unverified
// (docs/retention.md): they are data so that one edit of schedule.csv fixes
// them.
func Standard() *Schedule {
	rules, err := ParseRules(bytes.NewReader(standardCSV))
	if err == nil {
		var s *Schedule
		if s, err = NewSchedule(rules...); err == nil {
			return s
		}
	}
	panic("retention: embedded schedule.csv: " + err.Error()) // caught by TestStandard
}

// Register adds a host's nomenclature item. A rule for an edition and
// category the Schedule already has is refused with ErrBadRule: replace
// the standard list by building a Schedule from the host's own rules.
func (s *Schedule) Register(r Rule) error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("retention: rule %s: %w: %v", r.Ref(), ErrBadRule, err)
	}
	k := ruleKey{r.Edition, r.Category}
	if old, ok := s.rules[k]; ok {
		return fmt.Errorf("retention: rule %s: %w: edition %s already has category %q in %s",
			r.Ref(), ErrBadRule, r.Edition, r.Category, old.Ref())
	}
	s.rules[k] = r
	return nil
}

// Rule returns the rule for a category in an edition ("" means
// CurrentEdition), or an error wrapping ErrUnknownCategory.
func (s *Schedule) Rule(ed Edition, c Category) (Rule, error) {
	if ed == "" {
		ed = CurrentEdition
	}
	r, ok := s.rules[ruleKey{ed, c}]
	if !ok {
		return Rule{}, fmt.Errorf("retention: %w %q in edition %q", ErrUnknownCategory, c, ed)
	}
	return r, nil
}

// Rules returns every rule, ordered by edition, article and item.
func (s *Schedule) Rules() []Rule {
	out := make([]Rule, 0, len(s.rules))
	for _, r := range s.rules {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Rule) int {
		return cmp.Or(cmp.Compare(a.Edition, b.Edition), cmp.Compare(a.Article, b.Article),
			cmp.Compare(a.Item, b.Item), cmp.Compare(a.Category, b.Category))
	})
	return out
}

// csvHeader is the header line of a schedule CSV.
var csvHeader = []string{"edition", "article", "item", "category", "years", "epk", "repeated", "title"}

// ParseRules reads a schedule CSV, the format of the embedded schedule.csv:
// lines starting with # are comments, then the header
// edition,article,item,category,years,epk,repeated,title and one rule a line.
// years is a number or "permanent"; epk is true or false (empty: false);
// repeated is a number of years or empty. Errors wrap ErrBadRule and name
// the line. ParseRules does not check for duplicates; NewSchedule does.
func ParseRules(r io.Reader) ([]Rule, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = len(csvHeader)
	cr.ReuseRecord = true
	var rules []Rule
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			if first {
				return nil, fmt.Errorf("retention: schedule: %w: no header", ErrBadRule)
			}
			return rules, nil
		}
		if err != nil { // a *csv.ParseError names its line
			return nil, fmt.Errorf("retention: schedule: %w: %v", ErrBadRule, err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			if !slices.Equal(rec, csvHeader) {
				return nil, fmt.Errorf("retention: schedule line %d: %w: header is not %s",
					line, ErrBadRule, strings.Join(csvHeader, ","))
			}
			continue
		}
		rule, err := parseRule(rec)
		if err == nil {
			err = rule.validate()
		}
		if err != nil {
			return nil, fmt.Errorf("retention: schedule line %d: %w: %v", line, ErrBadRule, err)
		}
		rules = append(rules, rule)
	}
}

func parseRule(rec []string) (Rule, error) {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	r := Rule{Edition: Edition(rec[0]), Article: rec[1], Item: rec[2], Category: Category(rec[3]), Title: rec[7]}
	var err error
	if rec[4] == "permanent" {
		r.Period.Permanent = true
	} else if r.Period.Years, err = strconv.Atoi(rec[4]); err != nil {
		return r, fmt.Errorf("years %q: want a number or permanent", rec[4])
	}
	if rec[5] != "" {
		if r.Period.EPK, err = strconv.ParseBool(rec[5]); err != nil {
			return r, fmt.Errorf("epk %q: want true or false", rec[5])
		}
	}
	if rec[6] != "" {
		if r.Repeated, err = strconv.Atoi(rec[6]); err != nil {
			return r, fmt.Errorf("repeated %q: want a number of years", rec[6])
		}
	}
	return r, nil
}
