package workflow

import (
	"context"
	"iter"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/retention"
)

// RetentionFacts are what retention.Suggester reads of an appeal to suggest its file's
// archival category (срок хранения): the kind (art. 4) and the question codes. Whether the
// matter is operational is a person's call, so Operational stays false.
func RetentionFacts(rec *Record) retention.Facts {
	a := rec.Appeal
	f := retention.Facts{Kind: a.Kind}
	for _, q := range a.Questions {
		f.Questions = append(f.Questions, q.Code)
	}
	return f
}

// RetentionFile is a closed appeal as the retention package's File (дело): numbered by the
// registration number, titled by it, registered and closed on the days of the record in the
// organization's zone, marked repeated for an end of correspondence (art. 11 p.5), with the
// category the Suggester proposes from RetentionFacts (a person confirms it). It reports false
// for an appeal not yet closed.
func (e *Engine) RetentionFile(rec *Record) (retention.File, bool) {
	if rec.ClosedAt.IsZero() {
		return retention.File{}, false
	}
	a := rec.Appeal
	f := retention.File{Number: a.Number, Title: "Обращение № " + a.Number,
		Registered: rec.Deadlines.Consideration.From, Closed: e.counter.DateOf(rec.ClosedAt)}
	if rec.Outcome != nil && rec.Outcome.Ground == GroundRepeated {
		f.Repeated, f.LastConsidered = true, f.Closed
	}
	if c, err := retention.NewSuggester().Suggest(RetentionFacts(rec)); err == nil {
		f.Category = c.Category
	}
	return f, true
}

// RetentionFiles streams the closed appeals f selects, for an actor who may export, as the
// files a destruction act is drafted from (retention.Schedule.Draft).
func (e *Engine) RetentionFiles(ctx context.Context, actor Actor, f Filter) iter.Seq2[retention.File, error] {
	f.States = []appeal.State{appeal.StateClosed}
	return func(yield func(retention.File, error) bool) {
		for rec, err := range e.listAs(ctx, actor, CmdExport, f, PurposeRetention) {
			if err != nil {
				yield(retention.File{}, err)
				return
			}
			if file, ok := e.RetentionFile(rec); ok && !yield(file, nil) {
				return
			}
		}
	}
}
