package workflow

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
)

// openStates are the states in which terms may run: awaiting registration or under
// consideration.
var openStates = append([]appeal.State{appeal.StateReceived}, working...)

// Monitor reminds of every running term (Record.RunningTerms) that is due soon or overdue on
// the day of at: registration, the competence decision, the art. 11 notice, each
// inter-agency request, each assignment and consideration. It queues one reminder per term
// and threshold (Options.Reminders) to the person who must act — the responsible person, the
// executor, the requester, or, when nobody is named yet, the organization's registry or
// manager. Due soon counts to the control date (контрольный срок), overdue from the legal
// date (срок по закону), and the overdue reminder repeats every OverdueEvery days while the
// term runs. Record.Reminders keeps the thresholds crossed, so running it again queues nothing
// new, and a closed term is reminded of no more. Records changed meanwhile by a command
// (ErrConflict) are left for the next run. It returns how many reminders it queued.
func (e *Engine) Monitor(ctx context.Context, at time.Time) (queued int, err error) {
	today := e.counter.DateOf(at)
	f := Filter{States: openStates}
	if n := len(e.opt.Reminders.Before); n > 0 {
		f.ControlTo = today.AddDays(e.opt.Reminders.Before[n-1]) // due soon, and every overdue term (control ≤ legal)
	} else {
		f.DueTo = today.AddDays(-1) // overdue only
	}
	var errs []error
	for rec, lerr := range e.store.List(ctx, f) {
		if lerr != nil {
			errs = append(errs, lerr)
			break
		}
		due := e.reminders(rec, today)
		if len(due) == 0 {
			continue
		}
		n := 0
		_, serr := e.exec(ctx, Actor{ID: systemActor}, rec, command{name: CmdRemind, states: openStates, system: true,
			mutate: func(c *change) error {
				n = 0
				c.rec.Reminders = pruneReminders(c.rec)
				for _, r := range due {
					c.rec.Reminders = append(c.rec.Reminders, r.keys...)
					if err := c.notifyStaff(r.kind, r.keys[0], r.role, r.staff, r.data); err != nil {
						return err
					}
					n++
				}
				c.changed("reminders")
				return nil
			}}, execSave)
		switch {
		case serr == nil:
			queued += n
		case !errors.Is(serr, ErrConflict):
			errs = append(errs, serr)
		}
	}
	return queued, errors.Join(errs...)
}

// reminder is one reminder to queue: the keys it marks crossed (the tightest first), the
// notice and its recipient.
type reminder struct {
	keys  []string
	kind  NoticeKind
	role  RecipientRole
	staff string
	data  NoticeData
}

// reminders lists the reminders rec is due on day today and has not had yet.
func (e *Engine) reminders(rec *Record, today deadline.Date) []reminder {
	var out []reminder
	for _, t := range rec.RunningTerms() {
		r, ok := e.crossing(rec, t, today)
		if !ok {
			continue
		}
		r.role, r.staff = t.Role, t.Staff
		if r.staff == "" {
			r.role, r.staff = RecipientManager, e.opt.Reminders.Manager
			if t.Kind == TermRegistration {
				r.role, r.staff = RecipientClerk, e.opt.Reminders.Registry
			}
		}
		r.data.Term, r.data.Article = t.Kind.Title(), t.Article
		r.data.Legal, r.data.Control = t.Deadline.Legal, t.Deadline.Control
		switch t.Kind {
		case TermAssignment:
			if as := rec.assignment(t.Ref); as != nil {
				r.data.Task, r.data.Due = as.Task, as.Due
			}
		case TermRequest:
			if q := rec.request(t.Ref); q != nil {
				r.data.Target = q.Body
			}
		}
		out = append(out, r)
	}
	return out
}

// crossing returns the reminder for term t, if a threshold not yet reminded of is crossed on
// today. Keys are "kind:ref|legal|threshold", so a moved date starts new keys.
func (e *Engine) crossing(rec *Record, t Term, today deadline.Date) (reminder, bool) {
	legal, control := t.Deadline.Legal, t.Deadline.Control
	base := t.id() + "|" + legal.String() + "|"
	var r reminder
	if today.After(legal) {
		late := today.DaysSince(legal)
		r.kind, r.data = KindReminderOverdue, NoticeData{DaysOverdue: late}
		r.keys = []string{base + "overdue" + strconv.Itoa((late-1)/e.opt.Reminders.OverdueEvery)}
	} else {
		left := control.DaysSince(today)
		r.kind, r.data = KindReminderDueSoon, NoticeData{DaysLeft: max(left, 0)}
		for _, th := range e.opt.Reminders.Before {
			if left <= th {
				r.keys = append(r.keys, base+strconv.Itoa(th))
			}
		}
	}
	r.keys = slices.DeleteFunc(r.keys, func(k string) bool { return slices.Contains(rec.Reminders, k) })
	return r, len(r.keys) > 0
}

// pruneReminders drops the crossed keys of terms that no longer run, so the list stays as
// short as the running terms need.
func pruneReminders(rec *Record) []string {
	running := rec.RunningTerms()
	return slices.DeleteFunc(rec.Reminders, func(k string) bool {
		id, _, _ := strings.Cut(k, "|")
		return !slices.ContainsFunc(running, func(t Term) bool { return t.id() == id })
	})
}

// assignment returns the assignment with the id, or nil.
func (r *Record) assignment(id string) *Assignment {
	for i := range r.Assignments {
		if r.Assignments[i].ID == id {
			return &r.Assignments[i]
		}
	}
	return nil
}

// request returns the request with the id, or nil.
func (r *Record) request(id string) *InterAgencyRequest {
	for i := range r.Requests {
		if r.Requests[i].ID == id {
			return &r.Requests[i]
		}
	}
	return nil
}
