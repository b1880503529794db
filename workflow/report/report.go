package report

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// ErrOptions is wrapped by every error New returns for options it cannot work with.
var ErrOptions = errors.New("report: bad options")

// Period is the span a report covers, both days inclusive, in the organization's zone.
type Period struct {
	// From and To are the first and the last day.
	From, To deadline.Date
}

// Contains reports whether d lies within the period.
func (p Period) Contains(d deadline.Date) bool {
	return !d.IsZero() && !d.Before(p.From) && !d.After(p.To)
}

// Months lists the months the period touches, in order; none when To is before From.
func (p Period) Months() []Month {
	var out []Month
	if p.To.Before(p.From) {
		return nil
	}
	for m, last := MonthOf(p.From), MonthOf(p.To); ; m = m.next() {
		out = append(out, m)
		if m == last {
			return out
		}
	}
}

// Registered is the filter that reads only the appeals registered within the period: what
// Codes, Summary and Intake count. Every report selects its records itself, so a filter only
// saves reading.
func (p Period) Registered() workflow.Filter {
	return workflow.Filter{RegisteredFrom: p.From, RegisteredTo: p.To}
}

// Due is the filter that reads only the appeals with a running term whose legal date lies
// within the period: what ExpiringTerms lists.
func (p Period) Due() workflow.Filter {
	return workflow.Filter{DueFrom: p.From, DueTo: p.To}
}

// Options configure the reports.
type Options struct {
	// Period is what the reports cover; both days are required.
	Period Period
	// Today is the day the statuses of running terms are for (on time, due soon, overdue);
	// required, normally the organization's today.
	Today deadline.Date
	// Counter is the engine's deadline counter (Engine.Counter); required. Its due-soon
	// threshold gives the statuses and its zone (Policy.Location, the organization's) turns
	// moments into days.
	Counter *deadline.Counter
	// Classifier gives the titles of question codes; nil means classifier.Embedded().
	Classifier *classifier.Classifier
	// History, when set, lets MissedTerms read the history of the appeals with a late step:
	// the command that closed each late term, and the copies to several bodies (art. 8 p.4,
	// TermCopies), which only the history records. Nil: those are left out.
	History HistoryReader
}

// HistoryReader reads an appeal's events, oldest first. A workflow.Store is one (it reads
// without authorization and access log); EngineHistory reads through the engine for an actor.
type HistoryReader interface {
	History(ctx context.Context, id uuid.UUID) ([]workflow.Event, error)
}

// HistoryFunc adapts a function to HistoryReader.
type HistoryFunc func(ctx context.Context, id uuid.UUID) ([]workflow.Event, error)

// History calls f.
func (f HistoryFunc) History(ctx context.Context, id uuid.UUID) ([]workflow.Event, error) {
	return f(ctx, id)
}

// EngineHistory reads histories through the engine as actor (Engine.History): authorized, and
// told to the access log with the purpose "history".
func EngineHistory(eng *workflow.Engine, actor workflow.Actor) HistoryFunc {
	return func(ctx context.Context, id uuid.UUID) ([]workflow.Event, error) {
		return eng.History(ctx, actor, id)
	}
}

// Records is what every report reads: the stream Engine.List returns (so the engine's
// authorization and access log apply) or Store.List. A report ranges over it once, holding
// one record at a time.
type Records = iter.Seq2[*workflow.Record, error]

// Reporter computes the reports for one set of options. It is immutable and safe for
// concurrent use.
type Reporter struct {
	opt Options
}

// New checks the options and returns a Reporter.
func New(opt Options) (*Reporter, error) {
	switch {
	case opt.Period.From.IsZero():
		return nil, fmt.Errorf("report: Options.Period.From: required: %w", ErrOptions)
	case opt.Period.To.IsZero():
		return nil, fmt.Errorf("report: Options.Period.To: required: %w", ErrOptions)
	case opt.Period.To.Before(opt.Period.From):
		return nil, fmt.Errorf("report: Options.Period: To %s is before From %s: %w", opt.Period.To, opt.Period.From, ErrOptions)
	case opt.Today.IsZero():
		return nil, fmt.Errorf("report: Options.Today: required: %w", ErrOptions)
	case opt.Counter == nil:
		return nil, fmt.Errorf("report: Options.Counter: required (the engine's Engine.Counter): %w", ErrOptions)
	}
	if opt.Classifier == nil {
		opt.Classifier = classifier.Embedded()
	}
	return &Reporter{opt: opt}, nil
}

// each ranges over recs for the report named name, calling fn with every record; it stops at
// the first error of the stream, of the context or of fn, wrapped once with the report's name.
func each(ctx context.Context, name string, recs Records, fn func(*workflow.Record) error) error {
	for rec, err := range recs {
		if err == nil {
			err = ctx.Err()
		}
		if err == nil && (rec == nil || rec.Appeal == nil) {
			err = errNoAppeal
		}
		if err == nil {
			err = fn(rec)
		}
		if err != nil {
			return fmt.Errorf("report: %s: %w", name, err)
		}
	}
	return nil
}

// errNoAppeal is a stream's record without a card: a store fault.
var errNoAppeal = errors.New("record without appeal")

// registeredOn is the appeal's registration day: the start of its consideration term (zero
// before registration), the day Index.RegisteredOn and Filter.RegisteredFrom read.
func registeredOn(rec *workflow.Record) deadline.Date { return rec.Deadlines.Consideration.From }
