package workflow

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/sstu"
)

// SSTUExport is a month's export to ССТУ.РФ from the engine.
type SSTUExport struct {
	// Month is the reporting month.
	Month sstu.Month
	// Dest receives the zip parts: sstu.Dir writes them to a directory, all or none.
	Dest sstu.Destination
	// Blobs opens the answer documents (the host's attachment store).
	Blobs appeal.Blobs
	// Workers compress in parallel (0: one per CPU); the output is the same for any number.
	Workers int
}

// ExportSSTU writes the month's report (Указ № 171) for an actor who may export (CmdExport),
// with the organization's settings — department GUID, time zone, the placeholder name of
// anonymous appeals — taken from Organization, so the engine and the report can never disagree
// on a day. Every valid record is written; each refused one comes back in the result's
// Refusals (the appeal's id, the field and the rule), and a stopped export (context, I/O)
// leaves no part (sstu.Destination). An appeal closed over a day before the month began, and
// registered before it, has nothing in the month: its history is not read, and the result's
// Seen does not count it.
func (e *Engine) ExportSSTU(ctx context.Context, actor Actor, in SSTUExport) (sstu.Result, error) {
	o := e.opt.Org
	ext := sstu.ExtensionInWork
	if e.opt.ExtendedStatus {
		ext = sstu.ExtensionStatus
	}
	x := &sstu.Exporter{Org: sstu.Org{DepartmentID: o.DepartmentID, Location: o.Location, AnonymousName: o.AnonymousName,
		Extension: ext}, Blobs: in.Blobs, Workers: in.Workers}
	begins := time.Date(in.Month.Year, in.Month.Month, 1, 0, 0, 0, 0, o.Location)
	closedBy := begins.AddDate(0, 0, -1)
	res, err := x.Export(ctx, in.Month, e.sstuEntries(ctx, actor, Filter{}, func(rec *Record) bool {
		return !closedBefore(rec, begins, closedBy)
	}), in.Dest)
	if err != nil {
		return res, fmt.Errorf("workflow: export sstu %d-%02d: %w", in.Month.Year, int(in.Month.Month), err)
	}
	return res, nil
}

// SSTUEntries streams the records f selects, for an actor who may export (CmdExport), as the
// input of the ССТУ.РФ monthly report
// (sstu.Exporter.Export): the card, the answer document and the moments a question's status
// changed, read from each appeal's history. Give it a filter as wide as the month needs (e.g.
// RegisteredTo the month's last day); the exporter's Selector picks the month's entries.
func (e *Engine) SSTUEntries(ctx context.Context, actor Actor, f Filter) iter.Seq2[*sstu.Entry, error] {
	return e.sstuEntries(ctx, actor, f, nil)
}

// sstuEntries is SSTUEntries of the records keep keeps (all, when nil): the history of the
// others is not read.
func (e *Engine) sstuEntries(ctx context.Context, actor Actor, f Filter, keep func(*Record) bool) iter.Seq2[*sstu.Entry, error] {
	return func(yield func(*sstu.Entry, error) bool) {
		for rec, err := range e.listAs(ctx, actor, CmdExport, f, PurposeSSTU) {
			if err != nil {
				yield(nil, fmt.Errorf("workflow: sstu entries: %w", err))
				return
			}
			if keep != nil && !keep(rec) {
				continue
			}
			h, err := e.store.History(ctx, rec.Appeal.ID)
			if err != nil {
				yield(nil, fmt.Errorf("workflow: sstu entries %s: %w", rec.Appeal.ID, err))
				return
			}
			if !yield(SSTUEntry(rec, h), nil) {
				return
			}
		}
	}
}

// SSTUEntry is a record and its history as the ССТУ.РФ report needs them: the answer document
// is the first attachment of the sent answer, and a question's status changed at every event
// that changed the questions. A result (SetResult) is reported once the answer that gives it
// is sent: until then the question is still in work, extended when the term is (the portal
// asks a result's answer date and document, which an unsent answer has not).
func SSTUEntry(rec *Record, history []Event) *sstu.Entry {
	en := &sstu.Entry{Appeal: rec.Appeal}
	ans := rec.Answer
	sent := ans != nil && !ans.SentAt.IsZero()
	if sent && len(ans.Attachments) > 0 {
		doc := ans.Attachments[0]
		en.Answer = &doc
	}
	if !sent && slices.ContainsFunc(rec.Appeal.Questions, func(q appeal.Question) bool { return q.Status.Result() && q.AnsweredOn.IsZero() }) {
		a := *rec.Appeal
		a.Questions = slices.Clone(a.Questions)
		inWork := appeal.StatusInWork
		if rec.Deadlines.Consideration.Extended {
			inWork = appeal.StatusInWorkExtended
		}
		for i := range a.Questions {
			if q := &a.Questions[i]; q.Status.Result() && q.AnsweredOn.IsZero() {
				q.Status, q.MeasuresTaken = inWork, false
			}
		}
		en.Appeal = &a
	}
	for _, ev := range history {
		if changesQuestions(ev) {
			en.StatusChanges = append(en.StatusChanges, ev.At)
		}
	}
	return en
}

// closedBefore reports whether the appeal was registered before the month that begins then
// (its first midnight in the organization's zone) and closed before closedBy, a day earlier:
// then nothing of it falls in the month as sstu.InMonth sees it, since no command changes a
// closed appeal's questions (Feedback, links and PINs change other fields), so its history
// need not be read. The day's margin covers a clock set back over midnight between the last
// change of the questions and the closing.
func closedBefore(rec *Record, begins, closedBy time.Time) bool {
	a := rec.Appeal
	return a.State == appeal.StateClosed && !rec.ClosedAt.IsZero() && rec.ClosedAt.Before(closedBy) &&
		!a.RegisteredAt.IsZero() && a.RegisteredAt.Before(begins)
}

func changesQuestions(ev Event) bool {
	for _, c := range ev.Changed {
		if strings.HasPrefix(c, "questions") {
			return true
		}
	}
	return false
}
