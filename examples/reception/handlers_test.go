package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const question = "0005.0005.0056.1147" // коммунально-бытовое хозяйство

// TestStory drives the whole story through the handlers: the citizen files at night with an
// attachment, the clerk registers and classifies, the manager resolves, the executor answers
// from the template, the manager approves, the clerk sends, the citizen sees «Дан ответ» and
// answers the survey once.
func TestStory(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	citizen := ts.browser()
	citizen.identify("Иванова", "Мария", "maria@example.ru")
	number, pin := citizen.fileAppeal(file{"photo.png", "image/png", []byte("\x89PNG\r\n\x1a\n fake")})
	id := ts.only()

	st := citizen.post("/status", url.Values{"number": {number}, "pin": {pin}})
	require.Equal(t, http.StatusOK, st.status, st.body)
	assert.Contains(t, st.body, `id="stage">Поступило<`)

	ts.advance(10 * time.Hour) // the morning
	clerk := ts.staff("clerk")
	drafts := clerk.get("/staff/drafts")
	require.Equal(t, http.StatusOK, drafts.status)
	assert.Contains(t, drafts.body, "Иванова Мария")
	assert.Contains(t, drafts.body, "Реквизиты в порядке")
	r := clerk.post("/staff/appeal/"+id+"/register", url.Values{"back": {"drafts"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Equal(t, "/staff/drafts", r.header.Get("Location"))
	card := clerk.get("/staff/appeal/" + id)
	require.Equal(t, http.StatusOK, card.status)
	assert.Contains(t, card.body, "Ж-2025-000001")
	assert.Contains(t, card.body, "photo.png")
	expectCommand(t, card.body, id, "classify", true)
	expectCommand(t, card.body, id, "resolve", false) // the clerk gives no resolution
	r = clerk.post("/staff/appeal/"+id+"/classify", url.Values{"codes": {question}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	att := clerk.get("/staff/appeal/" + id + "/file/0")
	require.Equal(t, http.StatusOK, att.status)
	assert.Equal(t, "application/octet-stream", att.header.Get("Content-Type"))
	assert.Contains(t, att.header.Get("Content-Disposition"), "attachment")

	manager := ts.staff("manager")
	card = manager.get("/staff/appeal/" + id)
	expectCommand(t, card.body, id, "resolve", true)
	r = manager.post("/staff/appeal/"+id+"/resolve", url.Values{"text": {"Проверить"}, "executor": {"executor"}, "task": {"Подготовить ответ"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)

	executor := ts.staff("executor")
	wl := executor.get("/staff/")
	require.Equal(t, http.StatusOK, wl.status)
	assert.Contains(t, wl.body, "/staff/appeal/"+id)
	r = executor.post("/staff/appeal/"+id+"/result", url.Values{"question": {question}, "status": {"Supported"}, "measures": {"on"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	proposal := executor.get("/staff/appeal/" + id + "/answer")
	require.Equal(t, http.StatusOK, proposal.status)
	text := regexp.MustCompile(`(?s)<textarea id="answer-text" name="text">(.*?)</textarea>`).FindStringSubmatch(proposal.body)
	require.NotNil(t, text)
	assert.Contains(t, text[1], "Ж-2025-000001", "the template fills in the number")
	r = executor.post("/staff/appeal/"+id+"/draft", url.Values{"text": {"Сообщаем, что вывоз мусора восстановлен."}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)

	r = manager.post("/staff/appeal/"+id+"/approve", nil)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	r = clerk.post("/staff/appeal/"+id+"/send", url.Values{"number": {"исх-1"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)

	st = citizen.post("/status", url.Values{"number": {number}, "pin": {pin}})
	require.Equal(t, http.StatusOK, st.status)
	assert.Contains(t, st.body, `id="stage">Дан ответ<`)
	assert.Contains(t, st.body, `action="/status/survey"`)
	assert.Contains(t, st.body, "Вы удовлетворены принятыми мерами?")
	sv := citizen.post("/status/survey", url.Values{"result": {"satisfied"}, "measures": {"satisfied"}})
	require.Equal(t, http.StatusOK, sv.status, sv.body)
	assert.Contains(t, sv.body, "Ваше мнение записано")
	assert.NotContains(t, sv.body, `action="/status/survey"`, "the survey is answered once")
	rec, err := ts.store.Get(context.Background(), uuid.MustParse(id))
	require.NoError(t, err)
	require.NotNil(t, rec.Appeal.Feedback)
	assert.Equal(t, "satisfied", string(rec.Appeal.Feedback.Result))

	// The registration number from the letter opens the same appeal — with the letter's PIN,
	// not the receipt's.
	st = ts.browser().post("/status", url.Values{"number": {"Ж-2025-000001"}, "pin": {pin}})
	assert.Equal(t, http.StatusForbidden, st.status)

	rep := manager.get("/staff/reports?from=2025-12-01&to=2025-12-31")
	require.Equal(t, http.StatusOK, rep.status, rep.body)
	assert.Contains(t, rep.body, `src="/staff/reports/intake.png?from=2025-12-01&amp;to=2025-12-31"`)
	assert.Contains(t, rep.body, "Сводка за период")
	assert.Contains(t, rep.body, "Контроль исполнения")
	png := manager.get("/staff/reports/intake.png?from=2025-12-01&to=2025-12-31")
	assert.Equal(t, http.StatusOK, png.status)
	assert.Equal(t, "image/png", png.header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(png.body, "\x89PNG"))
	png = manager.get("/staff/reports/ontime.png?from=2025-12-01&to=2025-12-31")
	assert.Equal(t, http.StatusOK, png.status)
	csv := manager.get("/staff/reports/summary.csv?from=2025-12-01&to=2025-12-31")
	assert.Equal(t, http.StatusOK, csv.status)
	assert.Contains(t, csv.body, "вид обращения,жалоба,1,100.0")
	assert.NotContains(t, csv.body, "Иванова", "reports hold no personal data")
	assert.Equal(t, http.StatusUnprocessableEntity, manager.get("/staff/reports?from=2025-12-31&to=2025-12-01").status)
	assert.Equal(t, http.StatusNotFound, manager.get("/staff/reports/nothing.csv").status)
	empty := manager.get("/staff/reports/intake.png?from=2020-01-01&to=2020-01-31")
	assert.Equal(t, http.StatusNotFound, empty.status, "nothing to draw")

	ex := clerk.post("/staff/sstu", url.Values{"month": {"2025-12"}})
	require.Equal(t, http.StatusOK, ex.status, ex.body)
	assert.Contains(t, ex.body, "Выгружено обращений: 1")
	part := regexp.MustCompile(`href="/staff/sstu/file/([^"]+)"`).FindStringSubmatch(ex.body)
	require.NotNil(t, part, ex.body)
	zip := clerk.get("/staff/sstu/file/" + part[1])
	assert.Equal(t, http.StatusOK, zip.status)
	assert.Equal(t, "application/zip", zip.header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(zip.body, "PK"))
}

// expectCommand checks whether the card offers a command's form.
func expectCommand(t *testing.T, body, id, cmd string, want bool) {
	t.Helper()
	has := strings.Contains(body, `action="/staff/appeal/`+id+`/`+cmd+`"`)
	assert.Equal(t, want, has, "command %s offered", cmd)
}

// TestFormErrors: every problem beside its field, the input kept, nothing received.
func TestFormErrors(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	b := ts.browser()
	b.identify("Иванова", "Мария", "")
	for _, tc := range []struct {
		name   string
		change func(url.Values)
		field  string
		msg    string
	}{
		{"no consent", func(v url.Values) { v.Del("consent") }, "consent", "согласие на обработку"},
		{"no text", func(v url.Values) { v.Set("text", "") }, "text", "Напишите текст"},
		{"no kind", func(v url.Values) { v.Del("kind") }, "kind", "вид обращения"},
		{"no addressee", func(v url.Values) { v.Del("addressee") }, "addressee", "кому адресовано"},
		{"paper answer without address", func(v url.Values) { v.Set("answer_channel", "post") }, "postal_address", "почтовый адрес"},
		{"e-mail answer without e-mail", func(v url.Values) { v.Set("email", "") }, "email", "электронной почты"},
		{"bad phone", func(v url.Values) { v.Set("phone", "звоните") }, "phone", "В телефоне"},
		{"text too long", func(v url.Values) { v.Set("text", strings.Repeat("я", 20001)) }, "text", "длиннее 20000"},
		{"no token", func(v url.Values) { v.Del("token") }, "token", "Форма устарела"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := goodForm(b.formToken())
			v.Set("text", v.Get("text")+" "+tc.name)
			tc.change(v)
			p := b.submit(v)
			require.Equal(t, http.StatusUnprocessableEntity, p.status)
			assert.Contains(t, p.body, "error-summary")
			assert.Contains(t, p.body, tc.msg)
			if tc.field != "token" {
				assert.Contains(t, p.body, `id="`+tc.field+`-error"`, "the message stands beside the field")
				assert.Contains(t, p.body, `href="#`+tc.field+`"`, "the summary links to the field")
			}
			if tc.field != "text" {
				assert.Contains(t, p.body, "третий месяц не вывозят мусор", "the text is kept")
			}
		})
	}
	assert.Zero(t, ts.count(), "no refused form is received")
}

// TestFormNeedsIdentity: without identification the form is not offered and a post is refused.
func TestFormNeedsIdentity(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	b := ts.browser()
	p := b.get("/appeal")
	assert.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, `href="/id/start"`)
	assert.NotContains(t, p.body, `name="token"`)
	r := b.submit(goodForm("0123456789abcdef0123"))
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Zero(t, ts.count())

	none := newTestSite(t, siteOptions{noIdentity: true})
	p = none.browser().get("/appeal")
	assert.Contains(t, p.body, "нет службы идентификации")
}

// TestIdentityCallbackRefused: a forged or replayed callback identifies nobody.
func TestIdentityCallbackRefused(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	b := ts.browser()
	b.get("/id/start")
	r := b.post("/id/callback", url.Values{"state": {"forged"}, "surname": {"Иванова"}, "given_name": {"Мария"}})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, b.get("/appeal").body, `href="/id/start"`)
	m := stateField.FindStringSubmatch(b.get("/id/start").body)
	r = b.post("/id/callback", url.Values{"state": {m[1]}, "surname": {"Иванова"}})
	assert.Equal(t, http.StatusBadRequest, r.status, "no given name: not identified")
}

// TestUploadLimits: a file over its limit or of a refused type is named beside the field; a
// body over the request limit is refused before it is read; nothing is received or kept.
func TestUploadLimits(t *testing.T) {
	lim := intake.Limits{MaxAttachmentSize: 1 << 10, MaxTotalSize: 2 << 10, MaxAttachments: 2, MaxTextRunes: 1000}
	ts := newTestSite(t, siteOptions{limits: lim})
	b := ts.browser()
	b.identify("Иванова", "Мария", "m@example.ru")
	blobs := ts.app.cfg.Blobs.(interface{ Len() int })

	p := b.submit(goodForm(b.formToken()), file{"big.pdf", "application/pdf", make([]byte, 1<<10+1)})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "Файл больше 0 МБ")
	assert.Contains(t, p.body, `id="attachments-error"`)

	p = b.submit(goodForm(b.formToken()), file{"run.exe", "application/x-msdownload", []byte("MZ")})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "Такой тип файла не принимается")

	p = b.submit(goodForm(b.formToken()), file{"a.pdf", "application/pdf", []byte("1")}, file{"b.pdf", "application/pdf", []byte("2")},
		file{"c.pdf", "application/pdf", []byte("3")})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "Не более 2 файлов")

	p = b.submit(goodForm(b.formToken()), file{"huge.pdf", "application/pdf", make([]byte, 2<<20)})
	require.Equal(t, http.StatusRequestEntityTooLarge, p.status)
	assert.Contains(t, p.body, "Файлы слишком большие")

	assert.Zero(t, ts.count())
	assert.Zero(t, blobs.Len(), "refused files are discarded")

	form := b.get("/appeal").body
	assert.Contains(t, form, "До 2 файлов", "the page states the limits")
	assert.Contains(t, form, `maxlength="1000"`)
}

// TestCrossOriginPostRefused: a state-changing request from another site is refused, whatever
// its target, and changes nothing.
func TestCrossOriginPostRefused(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	b := ts.browser()
	b.identify("Иванова", "Мария", "m@example.ru")
	token := b.formToken()
	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		for _, path := range []string{"/appeal", "/staff/login", "/status"} {
			req, err := http.NewRequest(http.MethodPost, ts.srv.URL+path, strings.NewReader(goodForm(token).Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			p := b.do(req)
			assert.Equal(t, http.StatusForbidden, p.status, "%s %v", path, hdr)
			assert.Contains(t, p.body, "с другого сайта")
		}
	}
	assert.Zero(t, ts.count())
	// The same site's own post passes.
	req, _ := http.NewRequest(http.MethodPost, ts.srv.URL+"/status", strings.NewReader("number=1&pin=2"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	assert.Equal(t, http.StatusForbidden, b.do(req).status, "a wrong PIN, not a cross-origin refusal")
}

// TestStaffRoles: staff pages need a session, and each its role; an executor sees only the
// appeals assigned to them.
func TestStaffRoles(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	citizen := ts.browser()
	citizen.identify("Иванова", "Мария", "m@example.ru")
	citizen.fileAppeal()
	id := ts.only()

	anon := ts.browser()
	p := anon.get("/staff/")
	assert.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, "/staff/login", p.header.Get("Location"))
	assert.Equal(t, http.StatusUnauthorized, anon.post("/staff/appeal/"+id+"/register", nil).status)
	assert.Equal(t, http.StatusUnauthorized, citizen.post("/staff/appeal/"+id+"/register", nil).status, "a citizen is no staff")

	executor := ts.staff("executor")
	for _, path := range []string{"/staff/drafts", "/staff/sstu", "/staff/reports", "/staff/reports/summary.csv"} {
		p := executor.get(path)
		assert.Equal(t, http.StatusForbidden, p.status, path)
		assert.Contains(t, p.body, "недоступна для вашей роли")
	}
	assert.Equal(t, http.StatusForbidden, executor.post("/staff/sstu", url.Values{"month": {"2025-12"}}).status)
	assert.Equal(t, http.StatusForbidden, executor.get("/staff/appeal/"+id).status, "not assigned to them")
	assert.Equal(t, http.StatusForbidden, executor.post("/staff/appeal/"+id+"/register", nil).status)
	assert.Equal(t, http.StatusForbidden, executor.get("/staff/appeal/"+id+"/answer").status)

	auditor := ts.staff("auditor")
	assert.Equal(t, http.StatusOK, auditor.get("/staff/reports").status)
	assert.Equal(t, http.StatusForbidden, auditor.get("/staff/drafts").status)
	card := auditor.get("/staff/appeal/" + id)
	require.Equal(t, http.StatusOK, card.status)
	assert.NotContains(t, card.body, `action="/staff/appeal/`+id+`/`, "an auditor runs no command")

	bad := ts.browser().post("/staff/login", url.Values{"login": {"clerk"}, "password": {"wrong"}})
	assert.Equal(t, http.StatusUnauthorized, bad.status)
	assert.Contains(t, bad.body, "Неверный логин или пароль")
}

// TestCommandRefused: the engine's refusal is shown on the card, naming the rule.
func TestCommandRefused(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	c := ts.browser()
	c.identify("Иванова", "Мария", "m@example.ru")
	c.fileAppeal()
	id := ts.only()
	clerk := ts.staff("clerk")
	p := clerk.post("/staff/appeal/"+id+"/classify", url.Values{"codes": {"9999.9999.9999.9999"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "Команда отклонена")
	p = clerk.post("/staff/appeal/"+id+"/send", url.Values{"number": {"1"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status, "the lifecycle refuses it")
	assert.Equal(t, http.StatusNotFound, clerk.post("/staff/appeal/"+id+"/nothing", nil).status)
	assert.Equal(t, http.StatusNotFound, clerk.get("/staff/appeal/not-an-id").status)
	assert.Equal(t, http.StatusNotFound, clerk.get("/staff/appeal/"+uuid.NewString()).status)
	manager := ts.staff("manager")
	p = manager.post("/staff/appeal/"+id+"/refuse", url.Values{"reason": {"not_appeal"}, "note": {"реклама"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	rec, err := ts.store.Get(context.Background(), uuid.MustParse(id))
	require.NoError(t, err)
	assert.Equal(t, "refused", string(rec.Appeal.State))
}

// TestStatusLookup: a wrong PIN and an unknown number get the same answer; guessing is limited.
func TestStatusLookup(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	c := ts.browser()
	c.identify("Иванова", "Мария", "m@example.ru")
	number, pin := c.fileAppeal()

	g := ts.browser()
	empty := g.post("/status", url.Values{"number": {""}, "pin": {""}})
	assert.Equal(t, http.StatusUnprocessableEntity, empty.status)
	assert.Contains(t, empty.body, `id="number-error"`)
	wrong := g.post("/status", url.Values{"number": {number}, "pin": {"AAAA-AAAA-AAAA"}})
	unknown := g.post("/status", url.Values{"number": {"0000-0001"}, "pin": {pin}})
	assert.Equal(t, http.StatusForbidden, wrong.status)
	assert.Equal(t, http.StatusForbidden, unknown.status)
	assert.Contains(t, wrong.body, "Номер или ПИН-код неверны")
	assert.Contains(t, unknown.body, "Номер или ПИН-код неверны")
	limited := false
	for range 20 {
		if g.post("/status", url.Values{"number": {number}, "pin": {"AAAA-AAAA-AAAB"}}).status == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	assert.True(t, limited, "guessing is rate limited")
	assert.Equal(t, http.StatusTooManyRequests, g.post("/status", url.Values{"number": {number}, "pin": {pin}}).status,
		"the guesser is refused even with the right PIN")
	// The citizen, from their own address, is not locked out by the guesser on their number.
	req := httptest.NewRequest(http.MethodPost, "/status", strings.NewReader(url.Values{"number": {number}, "pin": {strings.ToLower(pin)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "198.51.100.7:40000"
	rr := httptest.NewRecorder()
	ts.app.Handler().ServeHTTP(rr, req)
	assert.Equal(t, http.StatusOK, rr.Code)
	sv := ts.browser().post("/status/survey", url.Values{"result": {"satisfied"}})
	assert.Equal(t, http.StatusUnauthorized, sv.status, "no survey without the number and PIN")
}

// TestDoubleSubmit: the same form posted twice is one appeal, and the second post shows the
// first's receipt.
func TestDoubleSubmit(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	b := ts.browser()
	b.identify("Иванова", "Мария", "m@example.ru")
	v := goodForm(b.formToken())
	require.Equal(t, http.StatusSeeOther, b.submit(v).status)
	again := b.submit(v)
	assert.Equal(t, http.StatusSeeOther, again.status)
	assert.Equal(t, "/appeal/done", again.header.Get("Location"))
	assert.Equal(t, 1, ts.count())
	other := ts.browser()
	other.identify("Иванова", "Мария", "m@example.ru")
	assert.Equal(t, http.StatusConflict, other.submit(v).status)
	assert.Equal(t, 1, ts.count())
}

// TestSecureHeaders: every answer carries the policy; cookies are HttpOnly and SameSite, Secure
// and HSTS on TLS.
func TestSecureHeaders(t *testing.T) {
	for _, tc := range []struct {
		name string
		tls  bool
	}{{"plain", false}, {"tls", true}} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestSite(t, siteOptions{secureCookies: tc.tls, tls: tc.tls})
			for _, path := range []string{"/", "/id/start", "/nowhere", "/static/style.css"} {
				p := ts.browser().get(path)
				h := p.header
				assert.Contains(t, h.Get("Content-Security-Policy"), "frame-ancestors 'none'", path)
				assert.NotContains(t, h.Get("Content-Security-Policy"), "script-src", path)
				assert.Contains(t, h.Get("Content-Security-Policy"), "default-src 'none'", path)
				assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
				assert.Equal(t, tc.tls, h.Get("Strict-Transport-Security") != "", path)
			}
			res, err := http.Get(ts.srv.URL + "/id/start")
			require.NoError(t, err)
			res.Body.Close()
			require.NotEmpty(t, res.Cookies())
			c := res.Cookies()[0]
			assert.True(t, c.HttpOnly)
			assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
			assert.Equal(t, tc.tls, c.Secure)
		})
	}
}

// TestAccessLogClean: the log holds methods, paths and statuses, and no name, e-mail, text,
// receipt number or PIN.
func TestAccessLogClean(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	b := ts.browser()
	b.identify("Иванова", "Мария", "maria@example.ru")
	number, pin := b.fileAppeal()
	b.post("/status", url.Values{"number": {number}, "pin": {pin}})
	b.post("/status", url.Values{"number": {number}, "pin": {"WRON-GPIN-0000"}})
	b.get("/status?number=" + number + "&pin=" + pin)
	clerk := ts.staff("clerk")
	clerk.post("/staff/appeal/"+ts.only()+"/register", nil)
	log := ts.log.String()
	assert.Contains(t, log, `"path":"/appeal"`)
	assert.Contains(t, log, `"status":303`)
	for _, secret := range []string{"Иванова", "Мария", "maria@example.ru", "мусор", number, strings.ReplaceAll(number, "-", ""),
		pin, "WRON-GPIN-0000", ts.logins["clerk"], "number="} {
		assert.NotContains(t, log, secret)
	}
}

// TestNotFound: an unknown path is a page, not a crash.
func TestNotFound(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	p := ts.browser().get("/nowhere")
	assert.Equal(t, http.StatusNotFound, p.status)
	assert.Contains(t, p.body, "Страница не найдена")
	assert.Equal(t, http.StatusSeeOther, ts.browser().get("/appeal/done").status, "no receipt to show")
	assert.Equal(t, http.StatusOK, ts.browser().get("/status").status)
	assert.Equal(t, http.StatusOK, ts.browser().get("/").status)
	_ = workflow.ErrNoAccess
}

// TestDuplicates: the same citizen's second letter on the same matter shows the first as a
// duplicate candidate on its card, and the clerk links the two.
func TestDuplicates(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	c := ts.browser()
	c.identify("Иванова", "Мария", "maria@example.ru")
	c.fileAppeal()
	first := ts.only()
	ts.advance(24 * time.Hour)
	c.identify("Иванова", "Мария", "maria@example.ru") // the session of yesterday has expired
	v := goodForm(c.formToken())
	v.Set("text", "Повторно пишу: во дворе дома 5 по улице Ленина третий месяц не вывозят мусор, контейнеры переполнены!")
	require.Equal(t, http.StatusSeeOther, c.submit(v).status)
	var second string
	for rec, err := range ts.store.List(context.Background(), workflow.Filter{}) {
		require.NoError(t, err)
		if rec.Appeal.ID.String() != first {
			second = rec.Appeal.ID.String()
		}
	}
	clerk := ts.staff("clerk")
	card := clerk.get("/staff/appeal/" + second)
	require.Equal(t, http.StatusOK, card.status)
	assert.Contains(t, card.body, "Возможные повторные")
	assert.Contains(t, card.body, `href="/staff/appeal/`+first+`"`)
	r := clerk.post("/staff/appeal/"+second+"/link", url.Values{"with": {first}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	card = clerk.get("/staff/appeal/" + first)
	assert.Contains(t, card.body, "Связаны как повторные")
	assert.Contains(t, card.body, second)
	assert.Equal(t, http.StatusUnprocessableEntity, clerk.post("/staff/appeal/"+second+"/link", url.Values{"with": {"x"}}).status)
}

// TestNameFromIdentity: the card takes the name and the identification from the identity
// service; what the browser posts in their place is ignored.
func TestNameFromIdentity(t *testing.T) {
	ts := newTestSite(t, siteOptions{})
	b := ts.browser()
	b.identify("Иванова", "Мария", "m@example.ru")
	v := goodForm(b.formToken())
	v.Set("surname", "Подделкин")
	v.Set("given_name", "Петр")
	v.Set("account", "esia:forged")
	v.Set("identified", "false")
	require.Equal(t, http.StatusSeeOther, b.submit(v).status)
	rec, err := ts.store.Get(context.Background(), uuid.MustParse(ts.only()))
	require.NoError(t, err)
	p := rec.Appeal.Applicants[0]
	assert.Equal(t, "Иванова", p.Surname)
	assert.Equal(t, "Мария", p.GivenName)
	assert.True(t, rec.Appeal.Identified)
	assert.True(t, strings.HasPrefix(p.Account, "dev:dev#"), "the identity's external id")
}
