package appeal

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/looplab/fsm"
)

// State is a lifecycle state of an appeal (стадия рассмотрения).
type State string

// The lifecycle states.
const (
	// StateReceived — received, a draft card (поступило).
	StateReceived State = "received"
	// StateRegistered — registered (зарегистрировано), the 30-day term runs.
	StateRegistered State = "registered"
	// StateUnderReview — with the manager for a resolution (на рассмотрении у руководителя).
	StateUnderReview State = "under_review"
	// StateInExecution — assignments given to executors (на исполнении).
	StateInExecution State = "in_execution"
	// StateAnswerDrafting — the answer is drafted and sent for approval (проект ответа).
	StateAnswerDrafting State = "answer_drafting"
	// StateAnswerApproved — the answer is approved and signed (ответ согласован и подписан).
	StateAnswerApproved State = "answer_approved"
	// StateAnswered — the answer is sent to the applicant (ответ направлен).
	StateAnswered State = "answered"
	// StateForwarded — forwarded by competence as a whole (перенаправлено, art. 8 p.3).
	StateForwarded State = "forwarded"
	// StateLeftWithoutAnswer — left without an answer on the merits (art. 11 pp.1, 3–6).
	StateLeftWithoutAnswer State = "left_without_answer"
	// StateReturned — returned to the applicant (возврат, art. 11 p.2, art. 8 p.7).
	StateReturned State = "returned"
	// StateWithdrawn — withdrawn by the applicant (отзыв обращения, art. 5).
	StateWithdrawn State = "withdrawn"
	// StateClosed — closed and filed (снято с контроля, в дело).
	StateClosed State = "closed"
	// StateRefused — registration refused (отказ в регистрации): what arrived is not an appeal
	// under 59-FZ (an e-mail a body may not take since 547-ФЗ, spam, an empty message, a
	// duplicate submission). It has no number and never had a term; it is terminal.
	StateRefused State = "refused"
)

// States lists every lifecycle state in the order an appeal usually meets them.
func States() []State {
	return []State{StateReceived, StateRegistered, StateUnderReview, StateInExecution, StateAnswerDrafting,
		StateAnswerApproved, StateAnswered, StateForwarded, StateLeftWithoutAnswer, StateReturned,
		StateWithdrawn, StateClosed, StateRefused}
}

// Terminal reports whether no action leads out of s.
func (s State) Terminal() bool { return s == StateClosed || s == StateRefused }

// Action is a lifecycle action: the name of a step that moves an appeal between states (an
// "event" of the state machine; workflow.Event is the history entry a command writes).
type Action string

// The lifecycle events.
const (
	// ActionRegister registers the appeal (art. 8 p.2: within 3 days of receipt).
	ActionRegister Action = "register"
	// ActionSubmit passes the registered appeal to the manager for a resolution.
	ActionSubmit Action = "submit"
	// ActionResolve records the manager's resolution (резолюция) with assignments.
	ActionResolve Action = "resolve"
	// ActionDraftAnswer sends an answer draft (проект ответа) for approval.
	ActionDraftAnswer Action = "draft_answer"
	// ActionRework returns a draft answer to the executors.
	ActionRework Action = "rework"
	// ActionApprove approves and signs the answer (art. 10 p.3).
	ActionApprove Action = "approve"
	// ActionSend sends the answer to the applicant (art. 10 p.4).
	ActionSend Action = "send"
	// ActionForward forwards the whole appeal to the competent body (art. 8 p.3).
	ActionForward Action = "forward"
	// ActionLeaveWithoutAnswer leaves the appeal without an answer on the merits (art. 11).
	ActionLeaveWithoutAnswer Action = "leave_without_answer"
	// ActionReturn returns the appeal to the applicant (art. 11 p.2, art. 8 p.7).
	ActionReturn Action = "return"
	// ActionWithdraw records the applicant's withdrawal (art. 5).
	ActionWithdraw Action = "withdraw"
	// ActionClose closes the appeal and files it.
	ActionClose Action = "close"
	// ActionRefuse refuses to register what arrived: it is not a 59-FZ appeal.
	ActionRefuse Action = "refuse"
)

// Actions lists every lifecycle action.
func Actions() []Action {
	out := make([]Action, len(lifecycle))
	for i, e := range lifecycle {
		out[i] = e.event
	}
	return out
}

// lifecycle is the definition the fsm, the diagram and the tests are built from.
var lifecycle = [...]struct {
	event Action
	from  []State
	to    State
}{
	{ActionRegister, []State{StateReceived}, StateRegistered},
	{ActionSubmit, []State{StateRegistered}, StateUnderReview},
	{ActionResolve, []State{StateUnderReview}, StateInExecution},
	{ActionDraftAnswer, []State{StateUnderReview, StateInExecution}, StateAnswerDrafting},
	{ActionRework, []State{StateAnswerDrafting, StateAnswerApproved}, StateInExecution},
	{ActionApprove, []State{StateAnswerDrafting}, StateAnswerApproved},
	{ActionSend, []State{StateAnswerApproved}, StateAnswered},
	{ActionForward, []State{StateRegistered, StateUnderReview, StateInExecution}, StateForwarded},
	{ActionLeaveWithoutAnswer, []State{StateRegistered, StateUnderReview, StateInExecution}, StateLeftWithoutAnswer},
	{ActionReturn, []State{StateRegistered, StateUnderReview, StateInExecution}, StateReturned},
	{ActionWithdraw, []State{StateReceived, StateRegistered, StateUnderReview, StateInExecution,
		StateAnswerDrafting, StateAnswerApproved}, StateWithdrawn},
	{ActionClose, []State{StateAnswered, StateForwarded, StateLeftWithoutAnswer, StateReturned, StateWithdrawn}, StateClosed},
	{ActionRefuse, []State{StateReceived}, StateRefused},
}

// fsmEvents converts the definition into looplab/fsm's form.
func fsmEvents() []fsm.EventDesc {
	evs := make([]fsm.EventDesc, len(lifecycle))
	for i, e := range lifecycle {
		src := make([]string, len(e.from))
		for j, s := range e.from {
			src[j] = string(s)
		}
		evs[i] = fsm.EventDesc{Name: string(e.event), Src: src, Dst: string(e.to)}
	}
	return evs
}

// machine builds a fresh fsm in state s. A new one is built for every command from the stored
// state: a long-lived fsm would hold state the store does not know about.
func machine(s State) *fsm.FSM { return fsm.NewFSM(string(s), fsmEvents(), nil) }

// ErrForbidden is matched (errors.Is) by every *TransitionError and *QuestionTransitionError.
var ErrForbidden = errors.New("appeal: transition forbidden")

// TransitionError is returned when the lifecycle forbids an action in a state.
type TransitionError struct {
	// From is the state the appeal was in.
	From State
	// Action is the action that was refused.
	Action Action
	// Reason says why, in words.
	Reason string
}

// Error says which action was refused in which state, and why.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("appeal: %s in state %s: %s", e.Action, e.From, e.Reason)
}

// Is makes errors.Is(err, ErrForbidden) true.
func (e *TransitionError) Is(target error) bool { return target == ErrForbidden }

// Next returns the state that event ev leads to from state s, or a *TransitionError that says
// which transition was refused and why. It builds the lifecycle machine anew from s.
func Next(s State, ev Action) (State, error) {
	m := machine(s)
	// A background context: a cancellable one could leave the fsm mid-transition
	// (looplab/fsm issues #101, #115).
	err := m.Event(context.Background(), string(ev))
	if err == nil {
		return State(m.Current()), nil
	}
	te := &TransitionError{From: s, Action: ev}
	var unknown fsm.UnknownEventError
	switch {
	case errors.As(err, &unknown):
		if stateKnown(s) {
			te.Reason = "unknown event"
		} else {
			te.Reason = "unknown state"
		}
	case !stateKnown(s):
		te.Reason = "unknown state"
	case s.Terminal():
		te.Reason = "the appeal is " + string(s)
	default:
		te.Reason = "allowed from " + joinStates(sourcesOf(ev))
	}
	return s, te
}

// Allowed lists the events allowed in state s, in definition order.
func Allowed(s State) []Action {
	var out []Action
	for _, e := range lifecycle {
		for _, f := range e.from {
			if f == s {
				out = append(out, e.event)
			}
		}
	}
	return out
}

// Apply moves the card through event ev, or returns a *TransitionError and leaves it as it was.
func (a *Appeal) Apply(ev Action) error {
	next, err := Next(a.State, ev)
	if err != nil {
		return err
	}
	a.State = next
	return nil
}

func stateKnown(s State) bool {
	for _, k := range States() {
		if k == s {
			return true
		}
	}
	return false
}

func sourcesOf(ev Action) []State {
	for _, e := range lifecycle {
		if e.event == ev {
			return e.from
		}
	}
	return nil
}

func joinStates(ss []State) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// Diagram returns the lifecycle as a Mermaid state diagram, generated from the definition by
// looplab/fsm's visualizer. The README shows this text.
func Diagram() string {
	out, err := fsm.VisualizeForMermaidWithGraphType(machine(StateReceived), fsm.StateDiagram)
	if err != nil { // only for an unknown diagram type
		return ""
	}
	return out
}
