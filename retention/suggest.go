package retention

import (
	"fmt"
	"strings"

	"github.com/fz59/appeals/appeal"
)

// Facts are what the Suggester reads of an appeal; the workflow fills them
// in from its appeal card.
type Facts struct {
	// Kind is the appeal's kind (art. 4): proposal, statement, complaint or
	// information request.
	Kind appeal.Kind
	// Questions are the appeal's classifier codes, canonical, e.g.
	// "0004.0016.0162.1003" or a refinement "0004.0016.0162.1003.0012".
	Questions []string
	// Operational marks an appeal of an operational nature: a routine
	// matter that touches no right of the applicant's own.
	Operational bool
}

// DefaultCorruptionCodes returns the questions of the thematic classifier
// (edition of 31.10.2025) that name corruption: 0004.0015.0155.0943–0946
// «Факты коррупции …» (military service), 0004.0016.0159.0976 «Противодействие
// коррупции в органах внутренних дел» and 0004.0016.0162.1003 «Борьба с
// коррупцией». The classifier has no question on abuses or serious
// shortcomings as such: a person marks those by overriding the category.
func DefaultCorruptionCodes() []string {
	return []string{
		"0004.0015.0155.0943", "0004.0015.0155.0944", "0004.0015.0155.0945", "0004.0015.0155.0946",
		"0004.0016.0159.0976", "0004.0016.0162.1003",
	}
}

// Suggester proposes a Category from an appeal's Facts. A person confirms
// or overrides the suggestion.
type Suggester struct {
	// CorruptionCodes are the classifier codes that mean corruption or
	// abuses: a question matches a code it equals or lies under, and a
	// topic or theme code ("0004.0016.0162.0000") covers its questions.
	CorruptionCodes []string
}

// NewSuggester returns a Suggester with DefaultCorruptionCodes.
func NewSuggester() Suggester { return Suggester{CorruptionCodes: DefaultCorruptionCodes()} }

// Choice is a file's category with why it was chosen and by whom.
type Choice struct {
	// Category is the category chosen.
	Category  Category
	Suggested Category // what the Suggester proposed
	Reason    string
	By        string // the person who overrode the suggestion; "" while it stands
}

// Overridden reports whether a person replaced the suggestion.
func (c Choice) Overridden() bool { return c.By != "" }

// Override records a person's choice of category with the reason. Both who
// and why are required (ErrNoReason). The suggestion stays in Suggested.
func (c Choice) Override(cat Category, by, reason string) (Choice, error) {
	by, reason = strings.TrimSpace(by), strings.TrimSpace(reason)
	if by == "" || reason == "" || cat == "" {
		return c, fmt.Errorf("retention: category %q: %w", cat, ErrNoReason)
	}
	return Choice{Category: cat, Suggested: c.Suggested, Reason: reason, By: by}, nil
}

// Suggest proposes a category by the items of the list, in this order:
// a complaint or statement with a question under CorruptionCodes is serious
// (item а); a proposal is serious (item а of the 2019 list names proposals);
// an information request or an Operational appeal is operational (item в);
// any other is personal (item б), whose ЭПК mark sends it to the expert
// commission before destruction, the cautious default. An unknown kind
// gives ErrUnknownKind.
func (s Suggester) Suggest(f Facts) (Choice, error) {
	choose := func(c Category, reason string) (Choice, error) {
		return Choice{Category: c, Suggested: c, Reason: reason}, nil
	}
	switch f.Kind {
	case appeal.Complaint, appeal.Statement:
		if q, code, ok := s.corruption(f.Questions); ok {
			return choose(CategorySerious, fmt.Sprintf("%s with question %s under corruption code %s", f.Kind, q, code))
		}
	case appeal.Proposal:
		return choose(CategorySerious, "proposal")
	case appeal.InformationRequest:
		return choose(CategoryOperational, "information request")
	default:
		return Choice{}, fmt.Errorf("retention: %w %q", ErrUnknownKind, f.Kind)
	}
	if f.Operational {
		return choose(CategoryOperational, fmt.Sprintf("%s of an operational nature", f.Kind))
	}
	return choose(CategoryPersonal, fmt.Sprintf("%s of a personal nature", f.Kind))
}

// corruption returns the first question under one of the corruption codes.
func (s Suggester) corruption(questions []string) (question, code string, ok bool) {
	for _, q := range questions {
		for _, c := range s.CorruptionCodes {
			if under(q, c) {
				return q, c, true
			}
		}
	}
	return "", "", false
}

// under reports whether classifier code q is code c or lies beneath it.
// Trailing ".0000" groups of c stand for "any", as in a topic's code.
func under(q, c string) bool {
	for strings.HasSuffix(c, ".0000") {
		c = strings.TrimSuffix(c, ".0000")
	}
	return c != "" && c != "0000" && (q == c || strings.HasPrefix(q, c+"."))
}
