package appeal

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allowed is the lifecycle written out by hand, independent of the definition, so that a
// change to the definition has to change this table too.
var allowed = map[State]map[Action]State{
	StateReceived: {ActionRegister: StateRegistered, ActionWithdraw: StateWithdrawn, ActionRefuse: StateRefused},
	StateRegistered: {ActionSubmit: StateUnderReview, ActionForward: StateForwarded,
		ActionLeaveWithoutAnswer: StateLeftWithoutAnswer, ActionReturn: StateReturned, ActionWithdraw: StateWithdrawn},
	StateUnderReview: {ActionResolve: StateInExecution, ActionDraftAnswer: StateAnswerDrafting, ActionForward: StateForwarded,
		ActionLeaveWithoutAnswer: StateLeftWithoutAnswer, ActionReturn: StateReturned, ActionWithdraw: StateWithdrawn},
	StateInExecution: {ActionDraftAnswer: StateAnswerDrafting, ActionForward: StateForwarded,
		ActionLeaveWithoutAnswer: StateLeftWithoutAnswer, ActionReturn: StateReturned, ActionWithdraw: StateWithdrawn},
	StateAnswerDrafting:    {ActionApprove: StateAnswerApproved, ActionRework: StateInExecution, ActionWithdraw: StateWithdrawn},
	StateAnswerApproved:    {ActionSend: StateAnswered, ActionRework: StateInExecution, ActionWithdraw: StateWithdrawn},
	StateAnswered:          {ActionClose: StateClosed},
	StateForwarded:         {ActionClose: StateClosed},
	StateLeftWithoutAnswer: {ActionClose: StateClosed},
	StateReturned:          {ActionClose: StateClosed},
	StateWithdrawn:         {ActionClose: StateClosed},
	StateClosed:            {},
	StateRefused:           {},
}

func TestEveryStateEventPair(t *testing.T) {
	require.Len(t, allowed, len(States()))
	for _, s := range States() {
		for _, ev := range Actions() {
			t.Run(string(s)+"/"+string(ev), func(t *testing.T) {
				want, ok := allowed[s][ev]
				got, err := Next(s, ev)
				if ok {
					require.NoError(t, err)
					assert.Equal(t, want, got)
					return
				}
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrForbidden)
				var te *TransitionError
				require.ErrorAs(t, err, &te)
				assert.Equal(t, s, te.From)
				assert.Equal(t, ev, te.Action)
				assert.NotEmpty(t, te.Reason)
				assert.Equal(t, s, got, "a refused event leaves the state")
				assert.Contains(t, err.Error(), string(ev))
			})
		}
	}
}

func TestAllowedMatchesNext(t *testing.T) {
	for _, s := range States() {
		var want []Action
		for _, ev := range Actions() {
			if _, ok := allowed[s][ev]; ok {
				want = append(want, ev)
			}
		}
		assert.Equal(t, want, Allowed(s), s)
	}
}

func TestTransitionReasons(t *testing.T) {
	tests := []struct {
		s      State
		ev     Action
		reason string
	}{
		{StateClosed, ActionRegister, "the appeal is closed"},
		{StateRefused, ActionRegister, "the appeal is refused"},
		{"limbo", ActionRegister, "unknown state"},
		{StateReceived, "teleport", "unknown event"},
		{StateReceived, ActionSend, "allowed from answer_approved"},
		{StateAnswered, ActionForward, "allowed from registered, under_review, in_execution"},
	}
	for _, tt := range tests {
		_, err := Next(tt.s, tt.ev)
		var te *TransitionError
		require.True(t, errors.As(err, &te))
		assert.Equal(t, tt.reason, te.Reason)
	}
}

func TestApplyWalksTheLifecycle(t *testing.T) {
	a := paperCard()
	for _, ev := range []Action{ActionRegister, ActionSubmit, ActionResolve, ActionDraftAnswer, ActionRework,
		ActionDraftAnswer, ActionApprove, ActionSend, ActionClose} {
		require.NoError(t, a.Apply(ev), ev)
	}
	assert.Equal(t, StateClosed, a.State)
	err := a.Apply(ActionWithdraw)
	assert.ErrorIs(t, err, ErrForbidden)
	assert.Equal(t, StateClosed, a.State)
}

func TestEveryStateReachableAndClosable(t *testing.T) {
	reached := map[State]bool{StateReceived: true}
	queue := []State{StateReceived}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, ev := range Allowed(s) {
			n, err := Next(s, ev)
			require.NoError(t, err)
			if !reached[n] {
				reached[n] = true
				queue = append(queue, n)
			}
		}
	}
	for _, s := range States() {
		assert.True(t, reached[s], "state %s unreachable", s)
		if !s.Terminal() {
			assert.NotEmpty(t, Allowed(s), "state %s is a dead end", s)
		}
	}
}

func TestQuestionStatusTransitions(t *testing.T) {
	ok := map[QuestionStatus][]QuestionStatus{
		"":                      {StatusNotRegistered, StatusInWork},
		StatusNotReceived:       {StatusNotRegistered, StatusInWork},
		StatusNotRegistered:     {StatusInWork},
		StatusInWork:            {StatusInWorkExtended, StatusExplained, StatusSupported, StatusNotSupported, StatusTransferred, StatusAnswered, StatusLeftWithoutAnswer},
		StatusInWorkExtended:    {StatusExplained, StatusSupported, StatusNotSupported, StatusTransferred, StatusAnswered, StatusLeftWithoutAnswer},
		StatusExplained:         nil,
		StatusSupported:         nil,
		StatusNotSupported:      nil,
		StatusTransferred:       nil,
		StatusAnswered:          nil,
		StatusLeftWithoutAnswer: nil,
	}
	for from, tos := range ok {
		for _, to := range append(QuestionStatuses(), "Bogus") {
			err := CheckQuestionStatus(from, to)
			want := false
			for _, t2 := range tos {
				want = want || t2 == to
			}
			if want {
				assert.NoError(t, err, "%s → %s", from, to)
				continue
			}
			assert.ErrorIs(t, err, ErrForbidden, "%s → %s", from, to)
			var qe *QuestionTransitionError
			assert.ErrorAs(t, err, &qe)
		}
	}
}

func TestQuestionStatusLabels(t *testing.T) {
	assert.Len(t, QuestionStatuses(), 10)
	for _, s := range QuestionStatuses() {
		assert.NotEmpty(t, s.Label(), s)
		assert.True(t, s.Valid())
	}
	assert.Equal(t, "Рассмотрено. Поддержано", StatusSupported.Label())
	assert.False(t, QuestionStatus("NotRecieved").Valid(), "sstu.md: the S4 typo is not a status")
}

// TestREADMEDiagram fails when README's copy of the lifecycle diagram differs from the one
// generated from the definition. Run `go run ./examples/quickstart -diagram` to print it.
func TestREADMEDiagram(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	want := "```mermaid\n" + Diagram() + "```\n"
	assert.True(t, strings.Contains(string(readme), want),
		"README.md must contain the generated lifecycle diagram:\n%s", want)
}

func TestDiagramHasEveryTransition(t *testing.T) {
	d := Diagram()
	assert.True(t, strings.HasPrefix(d, "stateDiagram-v2\n"))
	for s, evs := range allowed {
		for ev, to := range evs {
			assert.Contains(t, d, string(s)+" --> "+string(to)+": "+string(ev))
		}
	}
}
