package retention

import (
	"fmt"
	"time"

	"github.com/fz59/appeals/deadline"
)

// File is a closed appeal file (дело): the archival unit an item of the
// nomenclature assigns a period to.
type File struct {
	Number     string        // index of the file by the nomenclature, e.g. "02-15/2024"
	Title      string        // the file's title (заголовок дела)
	Registered deadline.Date // first registration of an appeal in the file; zero if unknown
	Closed     deadline.Date // closed for office work (окончено делопроизводством)
	// Repeated marks a file of repeated appeals by the same applicant; a
	// rule with a repeated-appeal note then counts its period from
	// LastConsidered.
	Repeated       bool
	LastConsidered deadline.Date // the last consideration of a repeated appeal; zero means Closed
	Edition        Edition       // the list the nomenclature cites; "" means CurrentEdition
	Category       Category      // chosen by a person, perhaps from a Suggestion
	Review         ExpertReview  // the expert commission's decision on an ЭПК file, if any
	Volumes        int           // volumes (тома) of the file; 0 counts as 1
	Note           string        // printed in the act's note column
}

// ExpertReview is the expert commission's decision on the value of an ЭПК
// file (экспертиза ценности), reached when its period has run out.
type ExpertReview string

// The decisions of an ExpertReview.
const (
	// ReviewNone: not reviewed yet.
	ReviewNone ExpertReview = ""
	// ReviewDestroy: no lasting value; the file may go into a DestructionAct.
	ReviewDestroy ExpertReview = "destroy"
	// ReviewKeep: selected for permanent storage; never destroyed.
	ReviewKeep ExpertReview = "keep"
)

// Status is where a file stands on a given date.
type Status int

// The statuses a Decision can have.
const (
	StatusKeep       Status = iota // the period has not run out
	StatusPermanent                // kept permanently, by its rule or by the expert review
	StatusReviewDue                // an ЭПК file whose period has run out: the commission reviews it
	StatusDestroyDue               // the period has run out: the file may go into a DestructionAct
	statusCount
)

var statusNames = [statusCount]string{"keep", "permanent", "review due", "destroy due"}

// String returns "keep", "permanent", "review due" or "destroy due".
func (s Status) String() string {
	if s < 0 || s >= statusCount {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// Decision is what the Schedule decides for one file on one date.
type Decision struct {
	// Rule is the schedule's rule that applies to the file.
	Rule Rule
	// Years is the period applied: the rule's, or its repeated-appeal
	// note's; 0 when permanent.
	Years int
	// From is the date the period counts from: Closed, or LastConsidered
	// for repeated appeals under a rule with the note.
	From deadline.Date
	// Eligible is 1 January of (From's year + Years + 1): the first day the
	// file may be destroyed or, with the ЭПК mark, reviewed. Zero when the
	// file is kept permanently.
	Eligible deadline.Date
	Status   Status
}

// Decide finds the file's rule and its eligible date, and the file's Status
// on the date on. Bad input gives a *FileError wrapping ErrUnknownCategory,
// ErrNotClosed, ErrClosedBeforeRegistered or ErrBadFile.
func (s *Schedule) Decide(f File, on deadline.Date) (Decision, error) {
	if err := f.validate(); err != nil {
		return Decision{}, err
	}
	rule, err := s.Rule(f.Edition, f.Category)
	if err != nil {
		return Decision{}, &FileError{File: f.Number, Detail: fmt.Sprintf("category %q, edition %q", f.Category, f.Edition), Err: ErrUnknownCategory}
	}
	d := Decision{Rule: rule, From: f.Closed, Years: rule.Period.Years}
	if f.Repeated && rule.Repeated > 0 {
		d.Years = rule.Repeated
		if f.LastConsidered.After(d.From) {
			d.From = f.LastConsidered
		}
	}
	if rule.Period.Permanent || f.Review == ReviewKeep {
		d.Years, d.Status = 0, StatusPermanent
		return d, nil
	}
	d.Eligible = deadline.NewDate(d.From.Year+d.Years+1, time.January, 1)
	switch {
	case on.Before(d.Eligible):
		d.Status = StatusKeep
	case rule.Period.EPK && f.Review != ReviewDestroy:
		d.Status = StatusReviewDue
	default:
		d.Status = StatusDestroyDue
	}
	return d, nil
}

// CheckDestroy returns nil when the file may be destroyed on the date on,
// and otherwise a *FileError wrapping ErrPermanent, ErrNotYetEligible or
// ErrReviewRequired (or what Decide refuses).
func (s *Schedule) CheckDestroy(f File, on deadline.Date) error {
	d, err := s.Decide(f, on)
	if err != nil {
		return err
	}
	e := &FileError{File: f.Number, Rule: d.Rule.Ref() + ", " + d.Rule.Period.String()}
	switch d.Status {
	case StatusDestroyDue:
		return nil
	case StatusPermanent:
		e.Err = ErrPermanent
		if f.Review == ReviewKeep {
			e.Detail = "selected for permanent storage by the expert review"
		}
	case StatusReviewDue:
		e.Err, e.Detail = ErrReviewRequired, "ЭПК mark, no decision of the expert commission"
	default:
		e.Err, e.Detail = ErrNotYetEligible, "may be destroyed from "+d.Eligible.String()+", not on "+on.String()
	}
	return e
}

func (f File) validate() error {
	bad := func(err error, detail string) error {
		return &FileError{File: f.Number, Detail: detail, Err: err}
	}
	for _, c := range [...]struct {
		name string
		d    deadline.Date
	}{{"registered", f.Registered}, {"closed", f.Closed}, {"last considered", f.LastConsidered}} {
		if !c.d.IsZero() && !valid(c.d) {
			return bad(ErrBadFile, fmt.Sprintf("%s date %d-%d-%d does not exist", c.name, c.d.Year, int(c.d.Month), c.d.Day))
		}
	}
	switch {
	case f.Closed.IsZero():
		return bad(ErrNotClosed, "no closing date")
	case f.Closed.Before(f.Registered):
		return bad(ErrClosedBeforeRegistered, "closed "+f.Closed.String()+", registered "+f.Registered.String())
	case !f.LastConsidered.IsZero() && f.LastConsidered.Before(f.Registered):
		return bad(ErrClosedBeforeRegistered, "last considered "+f.LastConsidered.String()+", registered "+f.Registered.String())
	case f.Volumes < 0:
		return bad(ErrBadFile, fmt.Sprintf("%d volumes", f.Volumes))
	case f.Review != ReviewNone && f.Review != ReviewDestroy && f.Review != ReviewKeep:
		return bad(ErrBadFile, fmt.Sprintf("expert review %q", f.Review))
	}
	return nil
}

// valid reports whether d names a real day of the years 1–9999.
func valid(d deadline.Date) bool {
	return d.Year >= 1 && d.Year <= 9999 && deadline.NewDate(d.Year, d.Month, d.Day) == d
}
