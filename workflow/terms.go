package workflow

import (
	"strconv"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
)

// TermKind names a kind of 59-FZ time limit a record tracks (срок).
type TermKind string

// The kinds of terms. A record may have several running at once; each is a deadline of the
// record, in its index, reminded of by Monitor and shown by Worklist.
const (
	// TermRegistration — registration within 3 days of receipt (art. 8 p.2), while the appeal
	// is unregistered.
	TermRegistration TermKind = "registration"
	// TermCompetence — the decision on competence within 7 days of registration (5 for an
	// appeal on migration law; art. 8 pp.3, 3.1): to consider the appeal (a resolution), to
	// forward it, or to give it an art. 11 outcome.
	TermCompetence TermKind = "competence"
	// TermNotice — the art. 11 notice or return within 7 days of registration (art. 11 pp.2,
	// 4, 4.1, 5.1), from the moment the ground is known until the notice is sent.
	TermNotice TermKind = "notice"
	// TermRequest — another body's answer to an inter-agency request within 15 days of its
	// receipt (art. 10 p.2); one per request.
	TermRequest TermKind = "request"
	// TermAssignment — an assignment's own due date (поручение); one per assignment.
	TermAssignment TermKind = "assignment"
	// TermConsideration — the answer within 30 days of registration (20, art. 12 p.1.1),
	// extendable once by up to 30 (art. 12 p.2).
	TermConsideration TermKind = "consideration"
	// TermCopies — copies to each of several competent bodies within 7 days of registration
	// (art. 8 p.4). It never runs (the copies go in one step) and appears only in Event.Late.
	TermCopies TermKind = "copies"
)

// TermKinds lists every kind of term, in the order Record.Terms returns them.
func TermKinds() []TermKind {
	return []TermKind{TermRegistration, TermCompetence, TermNotice, TermConsideration, TermRequest, TermAssignment}
}

var termTitles = map[TermKind]string{
	TermRegistration:  "регистрация обращения",
	TermCompetence:    "решение о рассмотрении или перенаправлении по компетенции",
	TermNotice:        "уведомление автора по ст. 11",
	TermRequest:       "ответ на запрос в другой орган",
	TermAssignment:    "исполнение поручения",
	TermConsideration: "рассмотрение обращения",
	TermCopies:        "направление копий обращения в несколько органов",
}

// Title is the kind in Russian, as notices and reports print it.
func (k TermKind) Title() string { return termTitles[k] }

// Limit is a time limit the record keeps (срок): its deadline and the day it stopped
// running — the step done, or the appeal out of consideration. The zero Limit is not set.
type Limit struct {
	deadline.Deadline
	// Closed is the day the limit stopped running, in the organization's zone; zero while it
	// runs.
	Closed deadline.Date `json:"closed,omitzero"`
}

// Set reports whether the limit was ever started.
func (l Limit) Set() bool { return !l.Legal.IsZero() }

// Running reports whether the limit was started and has not closed.
func (l Limit) Running() bool { return l.Set() && l.Closed.IsZero() }

// Term is one time limit of an appeal as Record.Terms reports it: what it is, its rule and
// article, its dates, who must act, and whether it still runs.
type Term struct {
	// Kind is what must be done.
	Kind TermKind `json:"kind"`
	// Ref is the assignment's or the request's id for those kinds; empty otherwise.
	Ref string `json:"ref,omitempty"`
	// Rule is the deadline rule (zero for an assignment, whose date the manager sets).
	Rule deadline.Rule `json:"rule,omitempty"`
	// Article is the provision the limit comes from, in Russian.
	Article string `json:"article"`
	// Deadline holds the dates: From, Legal (LegalDue) and Control (ControlDate).
	Deadline deadline.Deadline `json:"deadline"`
	// Closed is the day the term stopped running; zero while it runs.
	Closed deadline.Date `json:"closed,omitzero"`
	// Role and Staff say who must act: the responsible person, the executor, the requester.
	// Staff is empty when nobody is named yet; Monitor then reminds the organization's
	// registry or manager (Reminders.Registry, Reminders.Manager).
	Role  RecipientRole `json:"role"`
	Staff string        `json:"staff,omitempty"`
	// FromSent marks a request term counted from the day the request was sent, because the day
	// the other body received it is not known yet (art. 10 p.2 counts from its receipt).
	FromSent bool `json:"fromSent,omitempty"`
}

// Running reports whether the term still runs.
func (t Term) Running() bool { return t.Closed.IsZero() }

// LateDays is how many days after its legal date the term closed: 0 when it closed in time or
// still runs.
func (t Term) LateDays() int {
	if t.Closed.IsZero() || !t.Closed.After(t.Deadline.Legal) {
		return 0
	}
	return t.Closed.DaysSince(t.Deadline.Legal)
}

// id identifies the term within its record.
func (t Term) id() string { return string(t.Kind) + ":" + t.Ref }

// assignmentArticle is where an assignment's date comes from: the resolution, within the
// consideration term.
const assignmentArticle = "поручение в пределах срока ст. 12"

// Terms returns every term the record has, running and closed: registration, the competence
// decision, the art. 11 notice and consideration once started, then each request and each
// assignment.
func (r *Record) Terms() []Term {
	n := 4 + len(r.Requests) + len(r.Assignments)
	out := make([]Term, 0, n)
	return r.appendTerms(out)
}

// RunningTerms returns the terms that still run.
func (r *Record) RunningTerms() []Term {
	all := r.Terms()
	out := all[:0]
	for _, t := range all {
		if t.Running() {
			out = append(out, t)
		}
	}
	return out
}

func (r *Record) appendTerms(out []Term) []Term {
	resp := ""
	if r.Appeal != nil {
		resp = r.Appeal.Responsible
	}
	lead := RecipientResponsible
	if resp == "" {
		lead = RecipientManager
	}
	d := &r.Deadlines
	limit := func(kind TermKind, l Limit, role RecipientRole) {
		if l.Set() {
			out = append(out, Term{Kind: kind, Rule: l.Rule, Article: l.Rule.Info().Article, Deadline: l.Deadline,
				Closed: l.Closed, Role: role, Staff: resp})
		}
	}
	regRole := RecipientClerk
	if resp != "" {
		regRole = RecipientResponsible
	}
	limit(TermRegistration, d.Registration, regRole)
	limit(TermCompetence, d.Competence, lead)
	limit(TermNotice, d.Notice, lead)
	limit(TermConsideration, d.Consideration, lead)
	for _, q := range r.Requests {
		out = append(out, Term{Kind: TermRequest, Ref: q.ID, Rule: deadline.InterAgencyRequest,
			Article: deadline.InterAgencyRequest.Info().Article, Deadline: q.Due, Closed: q.Closed,
			Role: RecipientRequester, Staff: q.By, FromSent: q.ReceivedOn.IsZero()})
	}
	for _, as := range r.Assignments {
		out = append(out, Term{Kind: TermAssignment, Ref: as.ID, Article: assignmentArticle,
			Deadline: deadline.Deadline{From: as.From, Nominal: as.Due, Legal: as.Due, Control: as.Due},
			Closed:   as.Closed, Role: RecipientExecutor, Staff: as.Executor})
	}
	return out
}

// closeTerms closes every running term of the record on day: the appeal left consideration.
func (r *Record) closeTerms(day deadline.Date) {
	d := &r.Deadlines
	for _, l := range []*Limit{&d.Registration, &d.Competence, &d.Notice, &d.Consideration} {
		if l.Running() {
			l.Closed = day
		}
	}
	for i := range r.Requests {
		if r.Requests[i].Closed.IsZero() {
			r.Requests[i].Closed = day
		}
	}
	for i := range r.Assignments {
		if r.Assignments[i].Closed.IsZero() {
			r.Assignments[i].Closed = day
		}
	}
}

// open reports whether an appeal in state s is still awaiting registration or under
// consideration, so that its terms may run.
func open(s appeal.State) bool { return s == appeal.StateReceived || isWorking(s) }

func isWorking(s appeal.State) bool {
	for _, w := range working {
		if w == s {
			return true
		}
	}
	return false
}

// Late is a term that closed after its legal date, as an event records it (КоАП ст. 5.59
// punishes the delay; reports and SSTU read it from the history).
type Late struct {
	// Kind and Ref identify the term.
	Kind TermKind `json:"kind"`
	Ref  string   `json:"ref,omitempty"`
	// Legal is the legal date that was missed.
	Legal deadline.Date `json:"legal"`
	// Days is how many days after Legal the step was done.
	Days int `json:"days"`
}

// lateClosings returns the terms of after that closed in this change (running in before or
// absent from it) after their legal date.
func lateClosings(before, after []Term) []Late {
	var out []Late
	for _, t := range after {
		if t.Running() || t.LateDays() == 0 {
			continue
		}
		was := -1
		for i, b := range before {
			if b.id() == t.id() {
				was = i
				break
			}
		}
		if was >= 0 && !before[was].Running() {
			continue
		}
		out = append(out, Late{Kind: t.Kind, Ref: t.Ref, Legal: t.Deadline.Legal, Days: t.LateDays()})
	}
	return out
}

// nextRef returns the next id for a request or an assignment: one more than the count.
func nextRef(n int) string { return strconv.Itoa(n + 1) }
