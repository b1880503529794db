package report

import (
	"context"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// TermRef says which term of which appeal a listing's row is about.
type TermRef struct {
	// AppealID, Number and RegisteredOn identify the appeal (Number and RegisteredOn are empty
	// before registration).
	AppealID     uuid.UUID
	Number       string
	RegisteredOn deadline.Date
	// Kind is the term's kind; Ref the assignment's or request's id for those kinds.
	Kind workflow.TermKind
	Ref  string
	// Article is the provision the term comes from.
	Article string
}

// termRef is the reference to term t of rec.
func termRef(rec *workflow.Record, t workflow.Term) TermRef {
	a := rec.Appeal
	return TermRef{AppealID: a.ID, Number: a.Number, RegisteredOn: registeredOn(rec), Kind: t.Kind, Ref: t.Ref, Article: t.Article}
}

// termRefColumns are the first columns of a listing, from the row's TermRef.
func termRefColumns[R any](ref func(R) TermRef) []Column[R] {
	return []Column[R]{
		{"ID обращения", func(r R) Value { return ref(r).AppealID.String() }},
		{"Рег. номер", func(r R) Value { return ref(r).Number }},
		{"Дата регистрации", func(r R) Value { return ref(r).RegisteredOn }},
		{"Срок", func(r R) Value { return ref(r).Kind.Title() }},
		{"№ поручения или запроса", func(r R) Value { return ref(r).Ref }},
		{"Основание", func(r R) Value { return ref(r).Article }},
	}
}

// TermRow is a running term whose legal date lies within the period (ExpiringTerms).
type TermRow struct {
	TermRef
	// Legal is the legal date (LegalDue), Control the control date (ControlDate).
	Legal, Control deadline.Date
	// Extended marks a consideration term extended under art. 12 p.2.
	Extended bool
	// Role and Staff say who must act (Staff is empty while nobody is named).
	Role  workflow.RecipientRole
	Staff string
	// DaysLeft is Legal − Today in days: negative when overdue.
	DaysLeft int
	// Status is on time, due soon (by the control date) or overdue (past the legal date) on
	// Today.
	Status deadline.Status
}

// ExpiringTable lays out TermRow.
var ExpiringTable = Table[TermRow]{Name: "expiring_terms", Title: "Истекающие сроки", Columns: append(termRefColumns(func(r TermRow) TermRef { return r.TermRef }),
	Column[TermRow]{"Дата по закону", func(r TermRow) Value { return r.Legal }},
	Column[TermRow]{"Контрольная дата", func(r TermRow) Value { return r.Control }},
	Column[TermRow]{"Продлен", func(r TermRow) Value { return r.Extended }},
	Column[TermRow]{"Кто исполняет", func(r TermRow) Value { return roleTitle(r.Role) }},
	Column[TermRow]{"Сотрудник", func(r TermRow) Value { return r.Staff }},
	Column[TermRow]{"Осталось дней", func(r TermRow) Value { return r.DaysLeft }},
	Column[TermRow]{"Состояние", func(r TermRow) Value { return statusTitle(r.Status) }},
)}

// ExpiringTerms streams to emit every running term of every kind (registration, competence,
// art. 11 notice, consideration, request, assignment) whose legal date lies within the
// period, with its status on Today: what is to be done by when. Rows come in the order of the
// records (the store's, ids ascending) and, within a record, of Record.Terms; nothing is held,
// so the list may be of any length. Read it with Period.Due for a filter. An error from emit
// stops the report and is returned wrapped.
func (rp *Reporter) ExpiringTerms(ctx context.Context, recs Records, emit func(TermRow) error) error {
	return each(ctx, "expiring terms", recs, func(rec *workflow.Record) error {
		for _, t := range rec.RunningTerms() {
			if !rp.opt.Period.Contains(t.Deadline.Legal) {
				continue
			}
			row := TermRow{TermRef: termRef(rec, t), Legal: t.Deadline.Legal, Control: t.Deadline.Control,
				Extended: t.Deadline.Extended, Role: t.Role, Staff: t.Staff, DaysLeft: t.Deadline.Legal.DaysSince(rp.opt.Today),
				Status: rp.opt.Counter.Status(t.Deadline, rp.opt.Today, deadline.Date{})}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	})
}
