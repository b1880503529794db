package appeal

import "fmt"

// QuestionStatus is a question's status as ССТУ.РФ reports it (статус вопроса). The values are
// the SSTU JSON names; Label gives the Russian label of the SSTU catalogue.
type QuestionStatus string

// The SSTU question statuses (docs/sstu.md).
const (
	// StatusNotReceived — «Не поступило».
	StatusNotReceived QuestionStatus = "NotReceived"
	// StatusNotRegistered — «Не зарегистрировано».
	StatusNotRegistered QuestionStatus = "NotRegistered"
	// StatusInWork — «Находится на рассмотрении».
	StatusInWork QuestionStatus = "InWork"
	// StatusInWorkExtended — «Рассмотрение продлено».
	StatusInWorkExtended QuestionStatus = "InWorkExtended"
	// StatusExplained — «Рассмотрено. Разъяснено».
	StatusExplained QuestionStatus = "Explained"
	// StatusSupported — «Рассмотрено. Поддержано»; MeasuresTaken says whether measures were taken.
	StatusSupported QuestionStatus = "Supported"
	// StatusNotSupported — «Рассмотрено. Не поддержано».
	StatusNotSupported QuestionStatus = "NotSupported"
	// StatusTransferred — «Направлено по компетенции».
	StatusTransferred QuestionStatus = "Transferred"
	// StatusAnswered — «Дан ответ автору».
	StatusAnswered QuestionStatus = "Answered"
	// StatusLeftWithoutAnswer — «Оставлено без ответа автору».
	StatusLeftWithoutAnswer QuestionStatus = "LeftWithoutAnswer"
)

var questionLabels = [...]struct {
	s     QuestionStatus
	label string
}{
	{StatusNotReceived, "Не поступило"},
	{StatusNotRegistered, "Не зарегистрировано"},
	{StatusInWork, "Находится на рассмотрении"},
	{StatusInWorkExtended, "Рассмотрение продлено"},
	{StatusExplained, "Рассмотрено. Разъяснено"},
	{StatusSupported, "Рассмотрено. Поддержано"},
	{StatusNotSupported, "Рассмотрено. Не поддержано"},
	{StatusTransferred, "Направлено по компетенции"},
	{StatusAnswered, "Дан ответ автору"},
	{StatusLeftWithoutAnswer, "Оставлено без ответа автору"},
}

// QuestionStatuses lists every SSTU status in the order of the upload format (docs/sstu.md).
func QuestionStatuses() []QuestionStatus {
	out := make([]QuestionStatus, len(questionLabels))
	for i, l := range questionLabels {
		out[i] = l.s
	}
	return out
}

// Label is the status's Russian label in the SSTU catalogue, or "" for an unknown status.
func (s QuestionStatus) Label() string {
	for _, l := range questionLabels {
		if l.s == s {
			return l.label
		}
	}
	return ""
}

// Valid reports whether s is one of the SSTU statuses.
func (s QuestionStatus) Valid() bool { return s.Label() != "" }

// Result reports whether s is a result of consideration on the merits: explained, supported,
// not supported or answered. Such questions need an answer document in SSTU.
func (s QuestionStatus) Result() bool {
	switch s {
	case StatusExplained, StatusSupported, StatusNotSupported, StatusAnswered:
		return true
	}
	return false
}

// Final reports whether s ends the question's consideration in this organization: a result,
// a transfer, or left without answer.
func (s QuestionStatus) Final() bool {
	return s.Result() || s == StatusTransferred || s == StatusLeftWithoutAnswer
}

// QuestionTransitionError is returned when a question cannot move from one status to another.
type QuestionTransitionError struct {
	// From and To are the statuses; Reason says why the move is refused.
	From, To QuestionStatus
	Reason   string
}

// Error names the two statuses and the reason.
func (e *QuestionTransitionError) Error() string {
	from := string(e.From)
	if from == "" {
		from = "(none)"
	}
	return fmt.Sprintf("appeal: question status %s → %s not allowed: %s", from, e.To, e.Reason)
}

// Is makes errors.Is(err, ErrForbidden) true for every forbidden question transition.
func (e *QuestionTransitionError) Is(target error) bool { return target == ErrForbidden }

// CheckQuestionStatus reports whether a question may move from status from to status to, as
// SSTU statuses follow each other: registration puts it in work; in work it may be extended,
// answered with a result, transferred, or left without answer; a final status is final.
func CheckQuestionStatus(from, to QuestionStatus) error {
	if !to.Valid() {
		return &QuestionTransitionError{From: from, To: to, Reason: "unknown SSTU status"}
	}
	ok := false
	switch from {
	case "", StatusNotReceived:
		ok = to == StatusNotRegistered || to == StatusInWork
	case StatusNotRegistered:
		ok = to == StatusInWork
	case StatusInWork:
		ok = to == StatusInWorkExtended || to.Final()
	case StatusInWorkExtended:
		ok = to.Final()
	}
	if ok {
		return nil
	}
	if from.Final() {
		return &QuestionTransitionError{From: from, To: to, Reason: "the question's consideration is already finished"}
	}
	return &QuestionTransitionError{From: from, To: to, Reason: "SSTU statuses do not follow each other this way"}
}
