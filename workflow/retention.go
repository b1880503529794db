package workflow

import (
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
