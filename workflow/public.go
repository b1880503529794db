package workflow

import (
	"context"
	"fmt"
	"slices"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
)

// PublicStatus is what the applicant may see of their appeal (art. 5): the stage, the number,
// the planned date, an extension and its reason, where it was forwarded, the result and the
// measures per question, and the public timeline. It holds no staff ids and no personal data.
type PublicStatus struct {
	// Stage is the current stage in plain Russian, e.g. «На рассмотрении».
	Stage string `json:"stage"`
	// State is the lifecycle state.
	State appeal.State `json:"state"`
	// Number and RegisteredOn are the registration's.
	Number       string        `json:"number,omitempty"`
	RegisteredOn deadline.Date `json:"registeredOn,omitzero"`
	// Planned is the planned answer date (the legal due date), while the appeal is considered.
	Planned deadline.Date `json:"planned,omitzero"`
	// Extended and ExtensionReason tell an extension (art. 12 p.2).
	Extended        bool   `json:"extended,omitempty"`
	ExtensionReason string `json:"extensionReason,omitempty"`
	// ForwardedTo are the bodies the appeal or some questions went to (art. 8 p.3).
	ForwardedTo []string `json:"forwardedTo,omitempty"`
	// Questions are the results per question.
	Questions []PublicQuestion `json:"questions,omitempty"`
	// AnsweredAt is when the answer was sent.
	AnsweredOn deadline.Date `json:"answeredOn,omitzero"`
	// Timeline are the public notes of the history, oldest first.
	Timeline []PublicNote `json:"timeline"`
}

// PublicQuestion is one question's status as the applicant sees it.
type PublicQuestion struct {
	// Code is the question's classifier code; Status and Label its SSTU status and its
	// Russian label; MeasuresTaken and TransferredTo what was done about it.
	Code          string                `json:"code"`
	Status        appeal.QuestionStatus `json:"status,omitempty"`
	Label         string                `json:"label,omitempty"`
	MeasuresTaken bool                  `json:"measuresTaken,omitempty"`
	TransferredTo string                `json:"transferredTo,omitempty"`
}

// PublicStatus returns the applicant's view of the appeal, if the actor may read it: the
// applicant of that appeal (Lookup, ApplicantFor) or staff. StatusByPIN looks it up by number
// and PIN.
func (e *Engine) PublicStatus(ctx context.Context, actor Actor, id uuid.UUID) (PublicStatus, error) {
	rec, err := e.store.Get(ctx, id)
	if err == nil {
		err = e.readable(ctx, actor, CmdRead, rec, PurposeStatus)
	}
	if err != nil {
		return PublicStatus{}, fmt.Errorf("workflow: public status %s: %w", id, err)
	}
	h, err := e.store.History(ctx, id)
	if err != nil {
		return PublicStatus{}, fmt.Errorf("workflow: public status %s: %w", id, err)
	}
	return PublicView(rec, h), nil
}

// PublicView derives the applicant's view from a record and its history.
func PublicView(rec *Record, history []Event) PublicStatus {
	a := rec.Appeal
	cons := rec.Deadlines.Consideration
	ps := PublicStatus{State: a.State, Number: a.Number, RegisteredOn: cons.From,
		Extended: cons.Extended, ExtensionReason: cons.Reason, Timeline: []PublicNote{}}
	if slices.Contains(working, a.State) {
		ps.Planned = cons.Legal
	}
	for _, ev := range history {
		if ev.Public != nil {
			ps.Timeline = append(ps.Timeline, *ev.Public)
			ps.Stage = ev.Public.Stage
		}
	}
	for _, f := range rec.Forwardings {
		if !f.Copy {
			ps.ForwardedTo = append(ps.ForwardedTo, Target{Body: f.Body, DepartmentID: f.DepartmentID}.name())
		}
	}
	for _, q := range a.Questions {
		pq := PublicQuestion{Code: q.Code, Status: q.Status, Label: q.Status.Label(), MeasuresTaken: q.MeasuresTaken}
		if q.Transfer != nil {
			pq.TransferredTo = Target{Body: q.Transfer.Body, DepartmentID: q.Transfer.DepartmentID}.name()
		}
		ps.Questions = append(ps.Questions, pq)
		if !q.AnsweredOn.IsZero() {
			ps.AnsweredOn = q.AnsweredOn
		}
	}
	return ps
}
