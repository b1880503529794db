package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/answers"
	"github.com/google/uuid"
)

// staffHandler is a staff page: it runs for a signed-in member of staff.
type staffHandler func(w http.ResponseWriter, r *http.Request, st site.Staff)

// staffOnly lets a signed-in member of staff through when they hold one of roles (any role
// when none is given; the administrator always). Without a session a page goes to the login;
// without the role it is refused.
func (a *App) staffOnly(h staffHandler, roles ...workflow.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ss := a.sessions.get(r)
		if ss.staff == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
				return
			}
			a.fail(w, r, http.StatusUnauthorized, "Войдите как сотрудник.")
			return
		}
		if len(roles) > 0 && !ss.staff.HasRole(append(roles, workflow.RoleAdmin)...) {
			a.fail(w, r, http.StatusForbidden, "Эта страница недоступна для вашей роли.")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r, *ss.staff)
	}
}

func (a *App) staffRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /staff/login", a.loginForm)
	mux.HandleFunc("POST /staff/login", a.login)
	mux.HandleFunc("POST /staff/logout", a.logout)
	mux.HandleFunc("GET /staff/{$}", a.staffOnly(a.worklist))
	mux.HandleFunc("GET /staff/drafts", a.staffOnly(a.drafts, workflow.RoleClerk, workflow.RoleManager))
	mux.HandleFunc("GET /staff/appeal/{id}", a.staffOnly(a.card))
	mux.HandleFunc("GET /staff/appeal/{id}/answer", a.staffOnly(a.answerForm, workflow.RoleExecutor, workflow.RoleManager))
	mux.HandleFunc("GET /staff/appeal/{id}/file/{n}", a.staffOnly(a.attachment))
	mux.HandleFunc("POST /staff/appeal/{id}/{cmd}", a.staffOnly(a.command))
	mux.HandleFunc("GET /staff/reports", a.staffOnly(a.reports, workflow.RoleClerk, workflow.RoleManager, workflow.RoleAuditor))
	mux.HandleFunc("GET /staff/reports/{file}", a.staffOnly(a.reportFile, workflow.RoleClerk, workflow.RoleManager, workflow.RoleAuditor))
	mux.HandleFunc("GET /staff/sstu", a.staffOnly(a.sstuPage, workflow.RoleClerk, workflow.RoleManager, workflow.RoleAuditor))
	mux.HandleFunc("POST /staff/sstu", a.staffOnly(a.sstuExport, workflow.RoleClerk, workflow.RoleManager, workflow.RoleAuditor))
	mux.HandleFunc("GET /staff/sstu/file/{name}", a.staffOnly(a.sstuFile, workflow.RoleClerk, workflow.RoleManager, workflow.RoleAuditor))
}

func (a *App) loginForm(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "login", "Вход для сотрудников", map[string]string{})
}

func (a *App) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		a.fail(w, r, http.StatusBadRequest, "Форма пришла неполной. Отправьте ее снова.")
		return
	}
	login := strings.TrimSpace(r.PostForm.Get("login"))
	st, err := a.cfg.Site.Authenticate(r.Context(), login, r.PostForm.Get("password"))
	if err != nil {
		if !errors.Is(err, site.ErrLogin) {
			a.cfg.Logger.Error("login failed", "err", err)
		}
		a.render(w, r, http.StatusUnauthorized, "login", "Вход для сотрудников",
			map[string]string{"Login": login, "Error": "Неверный логин или пароль."})
		return
	}
	ss := a.sessions.renew(a.sessions.get(r))
	ss.staff = &st
	a.sessions.save(w, ss, a.cfg.SecureCookies)
	http.Redirect(w, r, "/staff/", http.StatusSeeOther)
}

func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	ss := a.sessions.renew(a.sessions.get(r))
	ss.staff = nil
	a.sessions.save(w, ss, a.cfg.SecureCookies)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// stateLabels are the lifecycle states as staff pages say them.
var stateLabels = map[appeal.State]string{
	appeal.StateReceived: "Поступило", appeal.StateRegistered: "Зарегистрировано",
	appeal.StateUnderReview: "У руководителя", appeal.StateInExecution: "На исполнении",
	appeal.StateAnswerDrafting: "Проект ответа", appeal.StateAnswerApproved: "Ответ подписан",
	appeal.StateAnswered: "Ответ направлен", appeal.StateForwarded: "Перенаправлено",
	appeal.StateLeftWithoutAnswer: "Без ответа (ст. 11)", appeal.StateReturned: "Возвращено",
	appeal.StateWithdrawn: "Отозвано", appeal.StateClosed: "Снято с контроля",
	appeal.StateRefused: "Отказано в регистрации",
}

var statusLabels = map[deadline.Status]string{
	deadline.OnTime: "в срок", deadline.DueSoon: "срок подходит", deadline.Overdue: "просрочено",
}

// workRow is one line of the worklist.
type workRow struct {
	ID                  uuid.UUID
	Number, State, Text string
	Received            string
	Status              string
	StatusClass         string
	Terms               []termRow
}

type termRow struct{ Title, Legal, Control, Status, Class string }

func termRows(ts []workflow.TermStatus) []termRow {
	out := make([]termRow, len(ts))
	for i, t := range ts {
		out[i] = termRow{Title: t.Term.Kind.Title(), Legal: t.Term.Deadline.Legal.Russian(),
			Control: t.Term.Deadline.Control.Russian(), Status: statusLabels[t.Status], Class: t.Status.String()}
	}
	return out
}

func (a *App) worklist(w http.ResponseWriter, r *http.Request, st site.Staff) {
	f := workflow.Filter{}
	if !st.HasRole(workflow.RoleClerk, workflow.RoleManager, workflow.RoleAuditor, workflow.RoleAdmin) {
		f.Person = st.Login
	}
	items, err := a.eng.Worklist(r.Context(), st.Actor(), f, a.cfg.Clock())
	if err != nil {
		a.internal(w, r, "worklist", err)
		return
	}
	rows := make([]workRow, len(items))
	for i, it := range items {
		c := it.Record.Appeal
		rows[i] = workRow{ID: c.ID, Number: c.Number, State: stateLabels[c.State], Text: excerpt(c.Text, 90),
			Received: deadline.DateOf(c.ReceivedAt, a.loc()).Russian(), Status: statusLabels[it.Status],
			StatusClass: it.Status.String(), Terms: termRows(it.Terms)}
	}
	a.render(w, r, http.StatusOK, "worklist", "Контроль сроков", rows)
}

// excerpt is the first n characters of a text, on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// loc is the organization's zone.
func (a *App) loc() *time.Location { return a.cfg.Org.Location }

// draftRow is an appeal awaiting registration with its validation result.
type draftRow struct {
	ID                uuid.UUID
	Received, Text    string
	Applicant         string
	Problems          []string
	RegisterBy, Class string
}

func (a *App) drafts(w http.ResponseWriter, r *http.Request, st site.Staff) {
	var rows []draftRow
	for rec, err := range a.eng.List(r.Context(), st.Actor(), workflow.Filter{States: []appeal.State{appeal.StateReceived}}) {
		if err != nil {
			a.internal(w, r, "drafts", err)
			return
		}
		c := rec.Appeal
		row := draftRow{ID: c.ID, Received: a.moment(c.ReceivedAt), Text: excerpt(c.Text, 120),
			RegisterBy: rec.Deadlines.Registration.Legal.Russian()}
		if len(c.Applicants) > 0 {
			row.Applicant = c.Applicants[0].FullName()
		}
		var ve *appeal.ValidationError
		if errors.As(appeal.Validate(c, appeal.ValidateOptions{AcceptEmail: a.cfg.Org.AcceptEmail}), &ve) {
			for _, p := range ve.Problems {
				row.Problems = append(row.Problems, p.String())
			}
		}
		rows = append(rows, row)
	}
	a.render(w, r, http.StatusOK, "drafts", "Поступившие обращения", draftsView{Rows: rows, Reasons: refusalReasons()})
}

type draftsView struct {
	Rows    []draftRow
	Reasons []option
}

func refusalReasons() []option {
	var out []option
	for _, r := range []workflow.RefusalReason{workflow.RefusalNotAppeal, workflow.RefusalEmpty, workflow.RefusalDuplicate, workflow.RefusalChannel} {
		out = append(out, option{Value: string(r), Label: r.Label()})
	}
	return out
}

// moment writes a moment in the organization's zone.
func (a *App) moment(t time.Time) string { return t.In(a.loc()).Format("02.01.2006 15:04") }

// title is a classifier code's title, or the code when the edition lacks it.
func (a *App) title(code string) string {
	c, err := classifier.Parse(code)
	if err != nil {
		return code
	}
	if n, ok := a.cls.Lookup(c); ok {
		return n.Title
	}
	return code
}

// cardView is the appeal's card page.
type cardView struct {
	Rec         *workflow.Record
	State       string
	Received    string
	Terms       []termRow
	Closed      []workflow.Term
	History     []eventRow
	Questions   []questionRow
	Suggestions []suggestionRow
	Duplicates  []matchRow
	Similar     []matchRow
	Linked      []uuid.UUID
	Commands    map[string]bool
	Executors   []site.Staff
	Open        []workflow.Assignment
	InWork      []questionRow
	Results     []option
	Reasons     []option
	Error       string
	Done        string
}

type eventRow struct{ At, Actor, Command, From, To, Reason, Late string }

type questionRow struct{ Code, Title, Status string }

type suggestionRow struct {
	Code, Title, Words string
	Checked            bool
}

type matchRow struct {
	ID                   uuid.UUID
	Number, Text         string
	Score                int
	SameApplicant, Place bool
}

// uiCommand is a command the card offers: the engine's command, and the states it runs in.
type uiCommand struct {
	name   workflow.Command
	states []appeal.State
	done   string
	run    func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error
}

var working = []appeal.State{appeal.StateRegistered, appeal.StateUnderReview, appeal.StateInExecution,
	appeal.StateAnswerDrafting, appeal.StateAnswerApproved}

var uiCommands = []uiCommand{
	{workflow.CmdRegister, []appeal.State{appeal.StateReceived}, "Зарегистрировано; номер и ПИН-код отправлены заявителю.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.Register(ctx, st.Actor(), id, workflow.RegisterInput{IssuePIN: true})
		return err
	}},
	{workflow.CmdRefuse, []appeal.State{appeal.StateReceived}, "В регистрации отказано.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.RefuseRegistration(ctx, st.Actor(), id, workflow.RefusalInput{
			Reason: workflow.RefusalReason(r.PostForm.Get("reason")), Note: r.PostForm.Get("note"), Notify: true})
		return err
	}},
	{workflow.CmdClassify, append([]appeal.State{appeal.StateReceived}, working[:3]...), "Вопросы обращения записаны.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		codes := r.PostForm["code"]
		for c := range strings.FieldsFuncSeq(r.PostForm.Get("codes"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
			codes = append(codes, c)
		}
		_, err := a.eng.Classify(ctx, st.Actor(), id, codes)
		return err
	}},
	{workflow.CmdResolve, working[:2], "Резолюция записана, поручение отправлено исполнителю.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		due, err := optionalDate(r.PostForm.Get("due"))
		if err != nil {
			return err
		}
		in := workflow.ResolutionInput{Text: r.PostForm.Get("text")}
		if ex := r.PostForm.Get("executor"); ex != "" {
			in.Assignments = []workflow.AssignmentInput{{Executor: ex, Task: r.PostForm.Get("task"), Due: due}}
		}
		_, err = a.eng.Resolve(ctx, st.Actor(), id, in)
		return err
	}},
	{workflow.CmdReport, working[2:4], "Отчет об исполнении записан.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.Report(ctx, st.Actor(), id, workflow.ReportInput{Assignment: r.PostForm.Get("assignment"), Text: r.PostForm.Get("text")})
		return err
	}},
	{workflow.CmdResult, working[1:], "Результат по вопросу записан.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.SetResult(ctx, st.Actor(), id, r.PostForm.Get("question"), workflow.ResultInput{
			Status: appeal.QuestionStatus(r.PostForm.Get("status")), MeasuresTaken: r.PostForm.Get("measures") == "on"})
		return err
	}},
	{workflow.CmdDraft, working[:3], "Проект ответа направлен на согласование.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		text := r.PostForm.Get("text")
		doc, err := a.answerDocument(ctx, text)
		if err != nil {
			return err
		}
		_, err = a.eng.DraftAnswer(ctx, st.Actor(), id, workflow.AnswerInput{Text: text, Attachments: []appeal.Attachment{doc}})
		return err
	}},
	{workflow.CmdApprove, []appeal.State{appeal.StateAnswerDrafting}, "Ответ согласован и подписан.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.Approve(ctx, st.Actor(), id)
		return err
	}},
	{workflow.CmdRework, working[3:], "Проект возвращен на доработку.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.Rework(ctx, st.Actor(), id, r.PostForm.Get("reason"))
		return err
	}},
	{workflow.CmdSend, []appeal.State{appeal.StateAnswerApproved}, "Ответ направлен заявителю.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.Send(ctx, st.Actor(), id, workflow.SendInput{Number: r.PostForm.Get("number")})
		return err
	}},
	{workflow.CmdExtend, working, "Срок рассмотрения продлен; заявитель уведомлен.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		days, _ := strconv.Atoi(r.PostForm.Get("days"))
		_, err := a.eng.Extend(ctx, st.Actor(), id, workflow.ExtensionInput{Days: days, Reason: r.PostForm.Get("reason"), ApprovedBy: st.Login})
		return err
	}},
	{workflow.CmdForward, working[:3], "Обращение перенаправлено; заявитель уведомлен.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.Forward(ctx, st.Actor(), id, workflow.ForwardInput{To: []workflow.Target{{Body: r.PostForm.Get("body"), Number: r.PostForm.Get("number")}}})
		return err
	}},
	{workflow.CmdLink, append([]appeal.State{appeal.StateReceived}, working...), "Обращения связаны как повторные.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		with, err := uuid.Parse(r.PostForm.Get("with"))
		if err != nil {
			return fmt.Errorf("%w: with: an appeal id", errInput)
		}
		_, err = a.eng.LinkDuplicate(ctx, st.Actor(), id, workflow.LinkInput{With: with})
		return err
	}},
	{workflow.CmdClose, []appeal.State{appeal.StateAnswered, appeal.StateForwarded, appeal.StateLeftWithoutAnswer,
		appeal.StateReturned, appeal.StateWithdrawn}, "Обращение снято с контроля.", func(ctx context.Context, a *App, st site.Staff, id uuid.UUID, r *http.Request) error {
		_, err := a.eng.Close(ctx, st.Actor(), id)
		return err
	}},
}

// noFilter lists every appeal.
var noFilter = workflow.Filter{}

// errInput is a form value the page could not read.
var errInput = errors.New("input")

func optionalDate(s string) (deadline.Date, error) {
	if s == "" {
		return deadline.Date{}, nil
	}
	d, err := deadline.ParseDate(s)
	if err != nil {
		return deadline.Date{}, fmt.Errorf("%w: due: a date as YYYY-MM-DD (%v)", errInput, err)
	}
	return d, nil
}

// available lists the commands the actor may run on the record now: its state allows them
// and the role model lets the actor.
func (a *App) available(ctx context.Context, st site.Staff, rec *workflow.Record) map[string]bool {
	out := map[string]bool{}
	auth := workflow.DefaultAuthorizer()
	for _, c := range uiCommands {
		if slices.Contains(c.states, rec.Appeal.State) && auth.Authorize(ctx, st.Actor(), c.name, rec) == nil {
			out[string(c.name)] = true
		}
	}
	return out
}

func (a *App) card(w http.ResponseWriter, r *http.Request, st site.Staff) {
	id, err := parseID(r)
	if err != nil {
		a.fail(w, r, http.StatusNotFound, "Обращение не найдено.")
		return
	}
	a.showCard(w, r, st, id, http.StatusOK, "", r.URL.Query().Get("done"))
}

// doneMessage is the confirmation of the command a redirect names (?done=register).
func doneMessage(cmd string) string {
	for _, c := range uiCommands {
		if string(c.name) == cmd {
			return c.done
		}
	}
	return ""
}

func (a *App) showCard(w http.ResponseWriter, r *http.Request, st site.Staff, id uuid.UUID, code int, cmdErr, done string) {
	ctx := r.Context()
	actor := st.Actor()
	rec, err := a.eng.Get(ctx, actor, id)
	if errors.Is(err, workflow.ErrNotFound) {
		a.fail(w, r, http.StatusNotFound, "Обращение не найдено.")
		return
	}
	if errors.Is(err, workflow.ErrDenied) {
		a.fail(w, r, http.StatusForbidden, "Это обращение вам не поручено.")
		return
	}
	if err != nil {
		a.internal(w, r, "card", err)
		return
	}
	history, err := a.eng.History(ctx, actor, id)
	if err != nil {
		a.internal(w, r, "history", err)
		return
	}
	c := rec.Appeal
	v := cardView{Rec: rec, State: stateLabels[c.State], Received: a.moment(c.ReceivedAt),
		Commands: a.available(ctx, st, rec), Error: cmdErr, Done: doneMessage(done),
		Results: resultOptions(), Reasons: refusalReasons()}
	now := deadline.DateOf(a.cfg.Clock(), a.loc())
	for _, t := range rec.RunningTerms() {
		v.Terms = append(v.Terms, termRows([]workflow.TermStatus{{Term: t, Status: a.eng.Counter().Status(t.Deadline, now, deadline.Date{})}})...)
	}
	for _, ev := range history {
		row := eventRow{At: a.moment(ev.At), Actor: ev.Actor, Command: string(ev.Command),
			From: stateLabels[ev.From], To: stateLabels[ev.To], Reason: ev.Reason}
		for _, l := range ev.Late {
			row.Late += fmt.Sprintf("%s: %d дн. ", l.Kind.Title(), l.Days)
		}
		v.History = append(v.History, row)
	}
	for _, q := range c.Questions {
		qr := questionRow{Code: q.Code, Title: a.title(q.Code), Status: q.Status.Label()}
		v.Questions = append(v.Questions, qr)
		if q.Status == appeal.StatusInWork || q.Status == appeal.StatusInWorkExtended {
			v.InWork = append(v.InWork, qr)
		}
	}
	for i, s := range rec.Suggestions {
		if i == 5 {
			break
		}
		v.Suggestions = append(v.Suggestions, suggestionRow{Code: s.Code, Title: a.title(s.Code),
			Words: strings.Join(s.Words, ", "), Checked: i == 0 && len(c.Questions) == 0})
	}
	v.Duplicates = a.matchRows(ctx, actor, rec.Duplicates)
	v.Similar = a.matchRows(ctx, actor, rec.Similar)
	for _, l := range rec.Links {
		v.Linked = append(v.Linked, l.With)
	}
	for _, as := range rec.Assignments {
		if !as.Done() && as.Closed.IsZero() {
			v.Open = append(v.Open, as)
		}
	}
	if v.Commands[string(workflow.CmdResolve)] {
		staff, err := a.cfg.Site.Staff(ctx)
		if err != nil {
			a.internal(w, r, "staff", err)
			return
		}
		for _, s := range staff {
			if s.HasRole(workflow.RoleExecutor) {
				v.Executors = append(v.Executors, s)
			}
		}
	}
	a.render(w, r, code, "card", "Обращение "+orDash(c.Number), v)
}

func orDash(s string) string {
	if s == "" {
		return "(не зарегистрировано)"
	}
	return s
}

func resultOptions() []option {
	var out []option
	for _, s := range []appeal.QuestionStatus{appeal.StatusExplained, appeal.StatusSupported, appeal.StatusNotSupported, appeal.StatusAnswered} {
		out = append(out, option{Value: string(s), Label: s.Label()})
	}
	return out
}

// matchRows shows the matches the actor may read.
func (a *App) matchRows(ctx context.Context, actor workflow.Actor, ms []workflow.Related) []matchRow {
	var out []matchRow
	for _, m := range ms {
		rec, err := a.eng.Get(ctx, actor, m.ID)
		if err != nil {
			continue // not readable by this actor, or gone
		}
		out = append(out, matchRow{ID: m.ID, Number: orDash(rec.Appeal.Number), Text: excerpt(rec.Appeal.Text, 90),
			Score: int(m.Score*100 + 0.5), SameApplicant: m.SameApplicant, Place: m.SharedAddress})
	}
	return out
}

// command runs a command of the card's forms and shows the card again: with the confirmation
// after a redirect, or with the engine's refusal (which names the field and the rule, never a
// value).
func (a *App) command(w http.ResponseWriter, r *http.Request, st site.Staff) {
	id, err := parseID(r)
	if err != nil {
		a.fail(w, r, http.StatusNotFound, "Обращение не найдено.")
		return
	}
	if err := r.ParseForm(); err != nil {
		a.fail(w, r, http.StatusBadRequest, "Форма пришла неполной. Отправьте ее снова.")
		return
	}
	name := r.PathValue("cmd")
	i := slices.IndexFunc(uiCommands, func(c uiCommand) bool { return string(c.name) == name })
	if i < 0 {
		a.fail(w, r, http.StatusNotFound, "Нет такой команды.")
		return
	}
	err = uiCommands[i].run(r.Context(), a, st, id, r)
	switch {
	case err == nil:
		back := "/staff/appeal/" + id.String() + "?done=" + name
		if r.PostForm.Get("back") == "drafts" {
			back = "/staff/drafts"
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	case errors.Is(err, workflow.ErrDenied):
		a.fail(w, r, http.StatusForbidden, "Эта команда недоступна для вашей роли.")
	case errors.Is(err, workflow.ErrNotFound):
		a.fail(w, r, http.StatusNotFound, "Обращение не найдено.")
	case errors.Is(err, workflow.ErrConflict):
		a.showCard(w, r, st, id, http.StatusConflict, "Обращение только что изменил другой сотрудник. Проверьте и повторите.", "")
	case refused(err):
		a.showCard(w, r, st, id, http.StatusUnprocessableEntity, "Команда отклонена: "+err.Error(), "")
	default:
		a.internal(w, r, "command "+name, err)
	}
}

// refused reports an error that says what the person must change: the law, the lifecycle, the
// card or the input.
func refused(err error) bool {
	var ve *appeal.ValidationError
	return errors.Is(err, workflow.ErrPrerequisite) || errors.Is(err, appeal.ErrForbidden) ||
		errors.As(err, &ve) || errors.Is(err, workflow.ErrExpired) || errors.Is(err, errInput)
}

// answerForm is the answer from the templates: the engine's proposal for the appeal's
// questions, to edit and send for approval.
func (a *App) answerForm(w http.ResponseWriter, r *http.Request, st site.Staff) {
	id, err := parseID(r)
	if err != nil {
		a.fail(w, r, http.StatusNotFound, "Обращение не найдено.")
		return
	}
	text, err := a.eng.ProposeAnswer(r.Context(), st.Actor(), id, answers.Answer)
	switch {
	case errors.Is(err, workflow.ErrDenied):
		a.fail(w, r, http.StatusForbidden, "Это обращение вам не поручено.")
		return
	case errors.Is(err, workflow.ErrNotFound):
		a.fail(w, r, http.StatusNotFound, "Обращение не найдено.")
		return
	case err != nil:
		a.internal(w, r, "propose answer", err)
		return
	}
	a.render(w, r, http.StatusOK, "answer", "Проект ответа", map[string]any{"ID": id, "Text": text})
}

// attachment serves an attachment of the appeal to staff who may read it, as a download.
func (a *App) attachment(w http.ResponseWriter, r *http.Request, st site.Staff) {
	id, err := parseID(r)
	n, nerr := strconv.Atoi(r.PathValue("n"))
	if err != nil || nerr != nil {
		a.fail(w, r, http.StatusNotFound, "Файл не найден.")
		return
	}
	rec, err := a.eng.Get(r.Context(), st.Actor(), id)
	if err != nil || n < 0 || n >= len(rec.Appeal.Attachments) {
		a.fail(w, r, http.StatusNotFound, "Файл не найден.")
		return
	}
	att := rec.Appeal.Attachments[n]
	rc, err := a.cfg.Blobs.Open(r.Context(), att.Ref)
	if err != nil {
		a.internal(w, r, "attachment", err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(att.Name))
	w.Header().Set("Content-Length", strconv.FormatInt(att.Size, 10))
	_, _ = io.Copy(w, rc)
}

// internal logs a failure (its error carries ids and rules, never personal data) and answers 500.
func (a *App) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	a.cfg.Logger.Error(what+" failed", "err", err)
	a.fail(w, r, http.StatusInternalServerError, "Внутренняя ошибка. Попробуйте позже.")
}

// answerDocument keeps the answer's text as the answer document the ССТУ.РФ report carries
// with each result. A body that signs its answers (workflow.Options.Signer) attaches the signed
// file instead.
func (a *App) answerDocument(ctx context.Context, text string) (appeal.Attachment, error) {
	if strings.TrimSpace(text) == "" {
		return appeal.Attachment{}, &workflow.PrerequisiteError{Command: workflow.CmdDraft, Field: "answer.text", Rule: workflow.RuleAnswerText}
	}
	sum := sha256.Sum256([]byte(text))
	ref, err := a.cfg.Blobs.Put(ctx, "answer.txt", "text/plain", strings.NewReader(text))
	if err != nil {
		return appeal.Attachment{}, fmt.Errorf("answer document: %w", err)
	}
	return appeal.Attachment{Name: "answer.txt", MediaType: "text/plain", Size: int64(len(text)),
		SHA256: hex.EncodeToString(sum[:]), Ref: ref}, nil
}
