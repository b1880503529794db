package report

import (
	"strconv"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
)

// The Russian words the files print for the typed values of the rows. Code compares the
// constants; only the writers' columns read these.

var channelTitles = map[appeal.Channel]string{
	appeal.ChannelPost:      "почта",
	appeal.ChannelReception: "личный прием",
	appeal.ChannelEmail:     "электронная почта",
	appeal.ChannelWebForm:   "интернет-приемная",
	appeal.ChannelEPGU:      "ЕПГУ (Госуслуги)",
	appeal.ChannelOtherBody: "из другого органа",
	appeal.ChannelMEDO:      "МЭДО",
}

// channelTitle is the channel in Russian; an unknown channel is its own name.
func channelTitle(c appeal.Channel) string { return titleOr(channelTitles, c) }

var kindTitles = map[appeal.Kind]string{
	appeal.Proposal:           "предложение",
	appeal.Statement:          "заявление",
	appeal.Complaint:          "жалоба",
	appeal.InformationRequest: "запрос информации",
}

// kinds lists the appeal kinds of art. 4 and the information request, in the order reports
// print them.
func kinds() []appeal.Kind {
	return []appeal.Kind{appeal.Proposal, appeal.Statement, appeal.Complaint, appeal.InformationRequest}
}

// kindTitle is the appeal's kind in Russian; an unknown kind is its own name.
func kindTitle(k appeal.Kind) string { return titleOr(kindTitles, k) }

var statusTitles = map[deadline.Status]string{
	deadline.OnTime:     "в срок",
	deadline.DueSoon:    "срок истекает",
	deadline.Overdue:    "просрочен",
	deadline.DoneOnTime: "исполнен в срок",
	deadline.DoneLate:   "исполнен с нарушением срока",
}

// statusTitle is a term's status in Russian ("" for StatusUnknown).
func statusTitle(s deadline.Status) string { return statusTitles[s] }

var roleTitles = map[workflow.RecipientRole]string{
	workflow.RecipientClerk:       "делопроизводитель",
	workflow.RecipientManager:     "руководитель",
	workflow.RecipientResponsible: "ответственный",
	workflow.RecipientExecutor:    "исполнитель",
	workflow.RecipientRequester:   "направивший запрос",
}

// roleTitle is the role of the one who must act on a term, in Russian.
func roleTitle(r workflow.RecipientRole) string { return titleOr(roleTitles, r) }

var commandTitles = map[workflow.Command]string{
	workflow.CmdRegister:    "регистрация",
	workflow.CmdRefuse:      "отказ в регистрации",
	workflow.CmdResolve:     "резолюция",
	workflow.CmdForward:     "перенаправление по компетенции",
	workflow.CmdCopy:        "направление копий",
	workflow.CmdGround:      "основание по ст. 11",
	workflow.CmdOutcome:     "решение по ст. 11",
	workflow.CmdRequestDone: "ответ на запрос",
	workflow.CmdReport:      "отчет об исполнении",
	workflow.CmdSend:        "отправка ответа",
	workflow.CmdWithdraw:    "отзыв обращения",
	workflow.CmdClose:       "снятие с контроля",
}

// commandTitle is the step that closed a term, in Russian; another command is its own name.
func commandTitle(c workflow.Command) string { return titleOr(commandTitles, c) }

var levelTitles = map[classifier.Level]string{
	classifier.Section:    "раздел",
	classifier.Theme:      "тематика",
	classifier.Topic:      "тема",
	classifier.Question:   "вопрос",
	classifier.Refinement: "уточнение",
}

// levelTitle is the classifier level in Russian (раздел, тематика, тема, вопрос, уточнение).
func levelTitle(l classifier.Level) string { return levelTitles[l] }

func titleOr[K ~string](m map[K]string, k K) string {
	if t, ok := m[k]; ok {
		return t
	}
	return string(k)
}

// Month is a calendar month of a report's period.
type Month struct {
	// Year and Month name it.
	Year  int
	Month time.Month
}

// MonthOf is the month of d.
func MonthOf(d deadline.Date) Month { return Month{d.Year, d.Month} }

// String is "2006-01".
func (m Month) String() string {
	s := strconv.Itoa(int(m.Month))
	if len(s) == 1 {
		s = "0" + s
	}
	return strconv.Itoa(m.Year) + "-" + s
}

var monthNames = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
	"сентябрь", "октябрь", "ноябрь", "декабрь"}

// Title is the month in Russian, "ноябрь 2025".
func (m Month) Title() string {
	if m.Month < time.January || m.Month > time.December {
		return m.String()
	}
	return monthNames[m.Month-1] + " " + strconv.Itoa(m.Year)
}

// next is the month after m.
func (m Month) next() Month {
	if m.Month == time.December {
		return Month{m.Year + 1, time.January}
	}
	return Month{m.Year, m.Month + 1}
}
