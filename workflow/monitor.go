package workflow

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/fz59/appeals/deadline"
)

// Monitor finds the appeals under consideration whose term, or an assignment's, is due soon
// or overdue on the day of at, and queues one reminder per threshold crossing (Options.
// Reminders) to the responsible person or the executor. Record.Reminders keeps the crossed
// keys, so running it again queues nothing new; an overdue term is reminded of again every
// OverdueEvery days until there is a result or an extension (which starts new keys). Records
// changed meanwhile by a command (ErrConflict) are left for the next run. It returns how many
// reminders it queued.
func (e *Engine) Monitor(ctx context.Context, at time.Time) (queued int, err error) {
	today := e.counter.DateOf(at)
	var errs []error
	for rec, lerr := range e.store.List(ctx, Filter{States: working}) {
		if lerr != nil {
			errs = append(errs, lerr)
			break
		}
		due := e.reminders(rec, today)
		if len(due) == 0 {
			continue
		}
		n := 0
		_, serr := e.exec(ctx, Actor{ID: systemActor}, rec, command{name: CmdRemind, states: working, system: true,
			mutate: func(c *change) error {
				n = 0
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
	kind  string
	role  Role
	staff string
	data  NoticeData
}

// reminders lists the reminders rec is due on day today and has not had yet.
func (e *Engine) reminders(rec *Record, today deadline.Date) []reminder {
	var out []reminder
	cons := rec.Deadlines.Consideration
	if who := rec.Appeal.Responsible; who != "" && !cons.Legal.IsZero() {
		if r, ok := e.crossing(rec, "c", cons.Legal, cons.Control, today); ok {
			r.role, r.staff = RoleManager, who
			out = append(out, r)
		}
	}
	for _, as := range rec.Assignments {
		if as.Done() {
			continue
		}
		if r, ok := e.crossing(rec, "a"+as.ID, as.Due, as.Due, today); ok {
			r.role, r.staff, r.data.Task = RoleExecutor, as.Executor, as.Task
			out = append(out, r)
		}
	}
	return out
}

// crossing returns the reminder for a deadline with the legal and control dates, if a
// threshold not yet reminded of is crossed on today. Keys are prefix:legal:threshold.
func (e *Engine) crossing(rec *Record, prefix string, legal, control, today deadline.Date) (reminder, bool) {
	base := prefix + ":" + legal.String() + ":"
	var r reminder
	if today.After(legal) {
		late := today.DaysSince(legal)
		r.kind, r.data = KindReminderOverdue, NoticeData{Due: legal, Days: late}
		r.keys = []string{base + "overdue" + strconv.Itoa((late-1)/e.opt.Reminders.OverdueEvery)}
	} else {
		left := control.DaysSince(today)
		r.kind, r.data = KindReminderDueSoon, NoticeData{Due: control, Days: max(left, 0)}
		for _, t := range e.opt.Reminders.Before {
			if t >= 0 && left <= t {
				r.keys = append(r.keys, base+strconv.Itoa(t))
			}
		}
	}
	r.keys = slices.DeleteFunc(r.keys, func(k string) bool { return slices.Contains(rec.Reminders, k) })
	return r, len(r.keys) > 0
}
