package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/examples/reception/identity"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/access"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/google/uuid"
)

// siteActor is who receives the appeals the site takes in: the site itself, with the receiving
// clerk's role (the engine's history names it "site").
var siteActor = workflow.Actor{ID: "site", Roles: []workflow.Role{workflow.RoleClerk}}

func (a *App) citizenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /appeal", a.appealForm)
	mux.HandleFunc("POST /appeal", a.appealSubmit)
	mux.HandleFunc("GET /appeal/done", a.appealDone)
	mux.HandleFunc("GET /id/start", a.idStart)
	mux.HandleFunc("GET /id/callback", a.idCallback)
	mux.HandleFunc("POST /id/callback", a.idCallback)
	mux.HandleFunc("GET /status", a.statusForm)
	mux.HandleFunc("POST /status", a.statusLookup)
	mux.HandleFunc("POST /status/survey", a.survey)
}

// idStart begins an identification: a fresh attempt secret in the session, then the provider.
func (a *App) idStart(w http.ResponseWriter, r *http.Request) {
	ss := a.sessions.renew(a.sessions.get(r))
	ss.attempt = randomToken(32)
	a.sessions.save(w, ss, a.cfg.SecureCookies)
	if err := a.cfg.Identity.Begin(w, r, ss.attempt); err != nil {
		a.cfg.Logger.Warn("identity begin failed", "err", err)
		a.fail(w, r, http.StatusBadGateway, "Служба идентификации недоступна. Попробуйте позже.")
	}
}

// idCallback completes the identification and sends the citizen to the form.
func (a *App) idCallback(w http.ResponseWriter, r *http.Request) {
	ss := a.sessions.get(r)
	p, err := a.cfg.Identity.Complete(r.Context(), r, ss.attempt)
	if err != nil {
		status := http.StatusBadRequest
		msg := "Не удалось подтвердить личность. Начните вход заново."
		if errors.Is(err, identity.ErrNotVerified) {
			msg = "Служба идентификации не подтвердила фамилию и имя; без них обращение через сайт подать нельзя."
		} else if !errors.Is(err, identity.ErrState) && !errors.Is(err, identity.ErrCancelled) {
			status = http.StatusBadGateway
			a.cfg.Logger.Warn("identity complete failed", "err", err)
		}
		a.fail(w, r, status, msg)
		return
	}
	ss = a.sessions.renew(ss)
	ss.attempt, ss.person = "", &p
	a.sessions.save(w, ss, a.cfg.SecureCookies)
	http.Redirect(w, r, "/appeal", http.StatusSeeOther)
}

// formView is what the appeal form shows.
type formView struct {
	Person     *identity.Person
	Values     url.Values
	Errors     map[string]string
	Summary    []fieldError
	Token      string
	Addressees []string
	Kinds      []option
	Limits     limitsView
	OrgName    string
}

type fieldError struct{ Field, Message string }

type option struct{ Value, Label string }

// limitsView are the form's settings as the page states them.
type limitsView struct {
	MaxText, MaxAttachments int
	MaxSize, MaxTotal       string
	Types, Accept           string
}

var kinds = []option{
	{string(appeal.Statement), "Заявление"}, {string(appeal.Complaint), "Жалоба"},
	{string(appeal.Proposal), "Предложение"}, {string(appeal.InformationRequest), "Запрос информации"},
}

func (a *App) limitsView() limitsView {
	l := a.cfg.Limits
	return limitsView{MaxText: l.MaxTextRunes, MaxAttachments: l.MaxAttachments,
		MaxSize: megabytes(l.MaxAttachmentSize), MaxTotal: megabytes(l.MaxTotalSize),
		Types: typeNames(l.MediaTypes), Accept: strings.Join(l.MediaTypes, ",")}
}

func megabytes(n int64) string { return fmt.Sprintf("%d МБ", n>>20) }

// typeNames names the accepted media types as a person knows them.
func typeNames(types []string) string {
	known := map[string]string{"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG",
		"image/tiff": "TIFF", "image/gif": "GIF", "image/bmp": "BMP", "image/webp": "WebP", "image/heic": "HEIC", "text/plain": "TXT",
		"application/rtf": "RTF", "text/rtf": "RTF", "application/msword": "DOC",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
		"application/vnd.ms-excel": "XLS",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
		"application/vnd.oasis.opendocument.text":                           "ODT",
		"application/vnd.oasis.opendocument.spreadsheet":                    "ODS", "message/rfc822": "EML"}
	var names []string
	for _, t := range types {
		n, ok := known[t]
		if !ok {
			n = t
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

func (a *App) appealForm(w http.ResponseWriter, r *http.Request) {
	ss := a.sessions.get(r)
	if ss.person == nil {
		a.render(w, r, http.StatusOK, "identify", "Подать обращение", nil)
		return
	}
	v := url.Values{"email": {ss.person.Email}, "phone": {ss.person.Phone},
		"postal_address": {ss.person.PostalAddress}, "answer_channel": {"email"}}
	a.showForm(w, r, http.StatusOK, ss.person, v, nil)
}

func (a *App) showForm(w http.ResponseWriter, r *http.Request, status int, p *identity.Person, v url.Values, probs []appeal.Problem) {
	fv := formView{Person: p, Values: v, Errors: map[string]string{}, Token: randomToken(16),
		Addressees: a.cfg.Addressees, Kinds: kinds, Limits: a.limitsView(), OrgName: a.cfg.Org.Name}
	for _, pr := range probs {
		field := pr.Field
		if strings.HasPrefix(field, "attachments") {
			field = "attachments"
		}
		if _, dup := fv.Errors[field]; dup {
			continue
		}
		msg := problemMessage(pr, a.cfg.Limits)
		fv.Errors[field] = msg
		if field == "token" {
			field = "" // a hidden field: the summary says it without a link
		}
		fv.Summary = append(fv.Summary, fieldError{Field: field, Message: msg})
	}
	a.render(w, r, status, "form", "Подать обращение", fv)
}

// required says what a missing field needs.
var required = map[string]string{
	"kind": "Выберите вид обращения.", "text": "Напишите текст обращения.", "addressee": "Выберите, кому адресовано обращение.",
	"answer_channel": "Выберите, как получить ответ.",
}

// problemMessage says a form problem in Russian, as the page shows it beside its field.
func problemMessage(p appeal.Problem, l intake.Limits) string {
	switch p.Rule {
	case appeal.RuleRequired:
		if m, ok := required[p.Field]; ok {
			return m
		}
	case appeal.RuleAddressee:
		return "Выберите, кому адресовано обращение."
	case appeal.RuleKind:
		return "Выберите вид обращения."
	case appeal.RuleEssence:
		return "Напишите текст обращения."
	case appeal.RulePostalAddress:
		return "Укажите почтовый адрес: на него придет ответ на бумаге."
	case appeal.RuleEmailAddress:
		return "Укажите адрес электронной почты: на него придет ответ."
	case appeal.RuleAnswerChannel:
		return "Выберите, как получить ответ."
	case appeal.RuleConsent:
		return "Отметьте согласие на обработку персональных данных: без него обращение не отправить."
	case appeal.RulePhone:
		return "В телефоне допустимы только цифры, пробелы и знаки + ( ) -."
	case appeal.RuleName, appeal.RuleIdentification:
		return "Служба идентификации не подтвердила фамилию и имя. Войдите заново."
	case intake.RuleTextLength:
		return fmt.Sprintf("Текст длиннее %d знаков. Сократите его или приложите файлом.", l.MaxTextRunes)
	case intake.RuleFieldLength:
		return fmt.Sprintf("Не более %d знаков.", l.MaxFieldRunes)
	case intake.RuleAttachmentCount:
		return fmt.Sprintf("Не более %d файлов.", l.MaxAttachments)
	case intake.RuleAttachmentSize:
		return fmt.Sprintf("Файл больше %s. Уменьшите его и приложите снова.", megabytes(l.MaxAttachmentSize))
	case intake.RuleTotalSize:
		return fmt.Sprintf("Файлы вместе больше %s.", megabytes(l.MaxTotalSize))
	case intake.RuleMediaType:
		return "Такой тип файла не принимается. Можно: " + typeNames(l.MediaTypes) + "."
	case intake.RuleToken:
		return "Форма устарела. Отправьте ее снова."
	case intake.RuleEncoding:
		return "Здесь есть недопустимые символы."
	case intake.RuleSingleLine:
		return "Значение должно быть в одну строку."
	}
	return "Проверьте это поле."
}

func (a *App) appealSubmit(w http.ResponseWriter, r *http.Request) {
	ss := a.sessions.get(r)
	if ss.person == nil {
		a.fail(w, r, http.StatusUnauthorized, "Сначала войдите через службу идентификации: без нее обращение через сайт не считается поданным.")
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			a.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf(
				"Файлы слишком большие: не более %s каждый и %s вместе. Уменьшите их и отправьте обращение снова.",
				megabytes(a.cfg.Limits.MaxAttachmentSize), megabytes(a.cfg.Limits.MaxTotalSize)))
			return
		}
		a.fail(w, r, http.StatusBadRequest, "Форма пришла неполной. Отправьте ее снова.")
		return
	}
	defer r.MultipartForm.RemoveAll()
	ctx := r.Context()
	f, err := intake.DecodeMultipart(ctx, r.MultipartForm, a.cfg.Limits, a.cfg.Blobs)
	if err != nil {
		a.cfg.Logger.Error("attachments not stored", "err", err)
		a.fail(w, r, http.StatusInternalServerError, "Не удалось сохранить файлы. Попробуйте позже.")
		return
	}
	// The name and the identification come from the identity service, never from the form.
	p := ss.person
	f.Surname, f.GivenName, f.Patronymic, f.Organization = p.Surname, p.GivenName, p.Patronymic, ""
	f.Identified, f.Account = true, p.ExternalID()
	values := r.MultipartForm.Value
	now := a.cfg.Clock()
	draft, err := intake.FromForm(f, appeal.ChannelWebForm, a.cfg.Limits, now)
	probs := answerAddressProblems(f)
	var ve *appeal.ValidationError
	if errors.As(err, &ve) {
		probs = append(probs, ve.Problems...)
	} else if err != nil {
		a.cfg.Logger.Error("form intake failed", "err", err)
	}
	if err != nil || len(probs) > 0 {
		_ = intake.Discard(ctx, a.cfg.Blobs, f.Attachments)
		a.showForm(w, r, http.StatusUnprocessableEntity, p, values, probs)
		return
	}
	number, pin, err := a.cfg.Site.NewReceipt(ctx, draft.Appeal.ID, now)
	if err != nil {
		_ = intake.Discard(ctx, a.cfg.Blobs, f.Attachments)
		a.cfg.Logger.Error("receipt not stored", "err", err)
		a.fail(w, r, http.StatusInternalServerError, "Не удалось принять обращение. Попробуйте позже.")
		return
	}
	rec, err := a.eng.Receive(ctx, siteActor, workflow.Intake{Card: draft.Appeal, IntakeKey: draft.IntakeKey})
	var dup *workflow.DuplicateError
	switch {
	case errors.As(err, &dup):
		_ = intake.Discard(ctx, a.cfg.Blobs, f.Attachments)
		if ss.receipt != nil && ss.receipt.Appeal == dup.Existing {
			http.Redirect(w, r, "/appeal/done", http.StatusSeeOther)
			return
		}
		a.fail(w, r, http.StatusConflict, "Это обращение уже получено: форма была отправлена дважды.")
		return
	case err != nil:
		_ = intake.Discard(ctx, a.cfg.Blobs, f.Attachments)
		a.cfg.Logger.Error("receive failed", "err", err)
		a.fail(w, r, http.StatusInternalServerError, "Не удалось принять обращение. Попробуйте позже.")
		return
	}
	ss.receipt = &receipt{Number: number, PIN: pin, Appeal: rec.Appeal.ID, ReceivedAt: rec.Appeal.ReceivedAt,
		RegisterBy: rec.Deadlines.Registration.Legal.Russian()}
	a.sessions.save(w, ss, a.cfg.SecureCookies)
	http.Redirect(w, r, "/appeal/done", http.StatusSeeOther)
}

// answerAddressProblems asks for the address the chosen answer form needs: a postal address
// for a paper answer, an e-mail for an electronic one (the card's own rules let an
// account stand in for the e-mail, but this site has no personal account to answer to).
func answerAddressProblems(f intake.Form) []appeal.Problem {
	var ps []appeal.Problem
	if f.Addressee == "" { // a written appeal's requisite (art. 7 p.1), which the site asks of every appeal
		ps = append(ps, appeal.Problem{Field: "addressee", Rule: appeal.RuleAddressee})
	}
	switch f.AnswerChannel {
	case appeal.AnswerByPost:
		if f.PostalAddress == "" {
			ps = append(ps, appeal.Problem{Field: "postal_address", Rule: appeal.RulePostalAddress})
		}
	case appeal.AnswerByEmail:
		if f.Email == "" {
			ps = append(ps, appeal.Problem{Field: "email", Rule: appeal.RuleEmailAddress})
		}
	default:
		ps = append(ps, appeal.Problem{Field: "answer_channel", Rule: appeal.RuleAnswerChannel})
	}
	return ps
}

func (a *App) appealDone(w http.ResponseWriter, r *http.Request) {
	ss := a.sessions.get(r)
	if ss.receipt == nil {
		http.Redirect(w, r, "/appeal", http.StatusSeeOther)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	a.render(w, r, http.StatusOK, "done", "Обращение принято", ss.receipt)
}

// statusView is what the status page shows.
type statusView struct {
	Number   string
	Errors   map[string]string
	Summary  []fieldError
	Status   *workflow.PublicStatus
	Titles   map[string]string
	Survey   bool
	Measures bool
	Thanks   bool
}

func (a *App) statusForm(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "status", "Узнать, что с обращением", statusView{})
}

// clientKey is who asks, as the limiter counts: the address, an IPv6 address by its /64.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip != nil && ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String()
	}
	return host
}

// statusLookup opens an appeal by its number — the receipt number from the site or the
// registration number from the letter — and the PIN.
func (a *App) statusLookup(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		a.fail(w, r, http.StatusBadRequest, "Форма пришла неполной. Отправьте ее снова.")
		return
	}
	number, pin := strings.TrimSpace(r.PostForm.Get("number")), strings.TrimSpace(r.PostForm.Get("pin"))
	sv := statusView{Number: number, Errors: map[string]string{}}
	if number == "" || pin == "" {
		if number == "" {
			sv.add("number", "Укажите номер обращения.")
		}
		if pin == "" {
			sv.add("pin", "Укажите ПИН-код.")
		}
		a.render(w, r, http.StatusUnprocessableEntity, "status", "Узнать, что с обращением", sv)
		return
	}
	id, err := a.unlock(r, number, pin)
	switch {
	case errors.Is(err, access.ErrLimited):
		a.fail(w, r, http.StatusTooManyRequests, "Слишком много неудачных попыток. Попробуйте через несколько минут.")
		return
	case errors.Is(err, workflow.ErrNoAccess):
		sv.add("pin", "Номер или ПИН-код неверны.")
		a.render(w, r, http.StatusForbidden, "status", "Узнать, что с обращением", sv)
		return
	case err != nil:
		a.cfg.Logger.Error("status lookup failed", "err", err)
		a.fail(w, r, http.StatusInternalServerError, "Не удалось найти обращение. Попробуйте позже.")
		return
	}
	ss := a.sessions.get(r)
	ss.applicant = id
	a.sessions.save(w, ss, a.cfg.SecureCookies)
	a.showStatus(w, r, http.StatusOK, id, sv)
}

func (sv *statusView) add(field, msg string) {
	sv.Errors[field] = msg
	sv.Summary = append(sv.Summary, fieldError{Field: field, Message: msg})
}

// unlock checks a number and PIN under the engine's limiter: a receipt of the site, or the
// engine's registration number.
func (a *App) unlock(r *http.Request, number, pin string) (uuid.UUID, error) {
	ctx := r.Context()
	digits, isReceipt := site.ReceiptDigits(number)
	if !isReceipt {
		actor, err := a.eng.Lookup(ctx, workflow.LookupInput{Number: number, PIN: pin, Client: clientKey(r)})
		return actor.Appeal, err
	}
	at := access.Attempt{Client: clientKey(r), Number: digits}
	if err := a.limiter.Allow(ctx, at); err != nil {
		return uuid.Nil, err
	}
	id, err := a.cfg.Site.CheckReceipt(ctx, digits, pin)
	a.limiter.Done(ctx, at, errors.Is(err, site.ErrNoAccess))
	if errors.Is(err, site.ErrNoAccess) {
		return uuid.Nil, workflow.ErrNoAccess
	}
	return id, err
}

func (a *App) showStatus(w http.ResponseWriter, r *http.Request, code int, id uuid.UUID, sv statusView) {
	ctx := r.Context()
	actor := workflow.ApplicantFor(id)
	ps, err := a.eng.PublicStatus(ctx, actor, id)
	if errors.Is(err, workflow.ErrNotFound) {
		sv.add("pin", "Номер или ПИН-код неверны.")
		a.render(w, r, http.StatusForbidden, "status", "Узнать, что с обращением", sv)
		return
	}
	if err != nil {
		a.cfg.Logger.Error("public status failed", "err", err)
		a.fail(w, r, http.StatusInternalServerError, "Не удалось показать обращение. Попробуйте позже.")
		return
	}
	if ps.Stage == "" {
		ps.Stage = "Поступило"
	}
	sv.Status, sv.Titles = &ps, map[string]string{}
	for _, q := range ps.Questions {
		sv.Titles[q.Code] = a.title(q.Code)
		sv.Measures = sv.Measures || q.MeasuresTaken
	}
	if ps.State == appeal.StateAnswered || ps.State == appeal.StateClosed {
		rec, err := a.eng.Get(ctx, actor, id)
		sv.Survey = err == nil && rec.Appeal.Feedback == nil && !rec.Answer.SentAt.IsZero()
	}
	w.Header().Set("Cache-Control", "no-store")
	a.render(w, r, code, "status", "Что с обращением", sv)
}

// survey records the applicant's opinion of the answer (the survey after it).
func (a *App) survey(w http.ResponseWriter, r *http.Request) {
	ss := a.sessions.get(r)
	if ss.applicant == uuid.Nil {
		a.fail(w, r, http.StatusUnauthorized, "Сначала откройте обращение по номеру и ПИН-коду.")
		return
	}
	if err := r.ParseForm(); err != nil {
		a.fail(w, r, http.StatusBadRequest, "Форма пришла неполной. Отправьте ее снова.")
		return
	}
	in := workflow.FeedbackInput{Result: appeal.Opinion(r.PostForm.Get("result")),
		Measures: appeal.Opinion(r.PostForm.Get("measures"))}
	_, err := a.eng.Feedback(r.Context(), workflow.ApplicantFor(ss.applicant), ss.applicant, in)
	sv := statusView{Errors: map[string]string{}}
	code := http.StatusOK
	var pe *workflow.PrerequisiteError
	switch {
	case errors.As(err, &pe) && pe.Rule == workflow.RuleOpinion:
		sv.add("result", "Выберите один из ответов.")
		code = http.StatusUnprocessableEntity
	case errors.As(err, &pe) && pe.Rule == workflow.RuleFeedbackOnce:
		sv.Thanks = true
	case err != nil:
		a.cfg.Logger.Error("feedback failed", "err", err)
		a.fail(w, r, http.StatusInternalServerError, "Не удалось сохранить ответ. Попробуйте позже.")
		return
	default:
		sv.Thanks = true
	}
	a.showStatus(w, r, code, ss.applicant, sv)
}
