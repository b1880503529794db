package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/examples/reception/identity"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/stretchr/testify/require"
)

// testSite is a reception served by httptest on loopback, with its demo staff.
type testSite struct {
	t      *testing.T
	app    *App
	srv    *httptest.Server
	store  workflow.Store
	db     *site.DB
	logins map[string]string
	log    *syncBuffer

	mu  sync.Mutex
	now time.Time
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// siteOptions change a test site.
type siteOptions struct {
	limits        intake.Limits
	store         workflow.Store
	db            *site.DB
	noIdentity    bool
	secureCookies bool
	tls           bool
}

// A night in December: the clock the tests start at (23:40 Moscow time).
var testStart = time.Date(2025, 12, 2, 20, 40, 0, 0, time.UTC)

func newTestSite(t *testing.T, o siteOptions) *testSite {
	t.Helper()
	ctx := context.Background()
	ts := &testSite{t: t, now: testStart, log: &syncBuffer{}, store: o.store, db: o.db}
	if ts.store == nil {
		ts.store = memstore.New(memstore.Options{})
	}
	if ts.db == nil {
		db, err := site.OpenMemory()
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		ts.db = db
	}
	org, created, err := bootstrap(ctx, ts.db, time.FixedZone("MSK", 3*60*60))
	require.NoError(t, err)
	ts.logins = map[string]string{}
	for _, l := range created {
		ts.logins[l.Login] = l.Password
	}
	var idp identity.Provider = identity.Dev{Callback: "/id/callback", Stylesheet: "/static/style.css"}
	if o.noIdentity {
		idp = nil
	}
	ts.app, err = NewApp(ctx, Config{Store: ts.store, Site: ts.db, Blobs: &appeal.MemoryBlobs{}, Identity: idp,
		Org: org, Addressees: addressees, Limits: o.limits, Clock: ts.clock,
		Logger: slog.New(slog.NewJSONHandler(ts.log, nil)), SecureCookies: o.secureCookies, TLS: o.tls})
	require.NoError(t, err)
	ts.srv = httptest.NewServer(ts.app.Handler())
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *testSite) clock() time.Time {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.now
}

// advance moves the clock on.
func (ts *testSite) advance(d time.Duration) {
	ts.mu.Lock()
	ts.now = ts.now.Add(d)
	ts.mu.Unlock()
}

// browser is one person's browser: a cookie jar, no redirects followed.
type browser struct {
	ts *testSite
	c  *http.Client
}

func (ts *testSite) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{ts: ts, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is an answer read whole.
type page struct {
	status int
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.ts.t.Helper()
	res, err := b.c.Do(req)
	require.NoError(b.ts.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(b.ts.t, err)
	return page{status: res.StatusCode, body: string(body), header: res.Header}
}

func (b *browser) get(path string) page {
	req, err := http.NewRequest(http.MethodGet, b.ts.srv.URL+path, nil)
	require.NoError(b.ts.t, err)
	return b.do(req)
}

func (b *browser) post(path string, v url.Values) page {
	req, err := http.NewRequest(http.MethodPost, b.ts.srv.URL+path, strings.NewReader(v.Encode()))
	require.NoError(b.ts.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var stateField = regexp.MustCompile(`name="state" value="([^"]+)"`)

// identify goes through the development identity as the person.
func (b *browser) identify(surname, given, email string) {
	t := b.ts.t
	t.Helper()
	p := b.get("/id/start")
	require.Equal(t, http.StatusOK, p.status)
	m := stateField.FindStringSubmatch(p.body)
	require.NotNil(t, m, "the dev identity form has a state")
	r := b.post("/id/callback", url.Values{"state": {m[1]}, "surname": {surname}, "given_name": {given}, "email": {email}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
}

var tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)

// formToken opens the form and returns its token.
func (b *browser) formToken() string {
	b.ts.t.Helper()
	p := b.get("/appeal")
	require.Equal(b.ts.t, http.StatusOK, p.status)
	m := tokenField.FindStringSubmatch(p.body)
	require.NotNil(b.ts.t, m, "the form has a token")
	return m[1]
}

// file is an attachment to post.
type file struct {
	name, mediaType string
	data            []byte
}

// submit posts the appeal form as multipart.
func (b *browser) submit(v url.Values, files ...file) page {
	t := b.ts.t
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range v {
		for _, x := range vs {
			require.NoError(t, mw.WriteField(k, x))
		}
	}
	for _, f := range files {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="attachments"; filename="` + f.name + `"`}
		h["Content-Type"] = []string{f.mediaType}
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, _ = w.Write(f.data)
	}
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, b.ts.srv.URL+"/appeal", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// goodForm is a form a citizen fills in right.
func goodForm(token string) url.Values {
	return url.Values{"token": {token}, "addressee": {addressees[1]}, "kind": {"complaint"},
		"text":           {"Во дворе дома 5 по улице Ленина третий месяц не вывозят мусор, контейнеры переполнены."},
		"answer_channel": {"email"}, "email": {"maria@example.ru"}, "consent": {"yes"}}
}

var (
	receiptNumber = regexp.MustCompile(`id="receipt-number">([0-9-]+)<`)
	receiptPIN    = regexp.MustCompile(`id="receipt-pin">([0-9A-Z-]+)<`)
)

// file an appeal as an identified citizen and return the receipt number and PIN.
func (b *browser) fileAppeal(files ...file) (number, pin string) {
	t := b.ts.t
	t.Helper()
	r := b.submit(goodForm(b.formToken()), files...)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, "/appeal/done", r.header.Get("Location"))
	done := b.get("/appeal/done")
	require.Equal(t, http.StatusOK, done.status)
	n, p := receiptNumber.FindStringSubmatch(done.body), receiptPIN.FindStringSubmatch(done.body)
	require.NotNil(t, n, done.body)
	require.NotNil(t, p)
	return n[1], p[1]
}

// staff signs a browser in as a demo member of staff.
func (ts *testSite) staff(login string) *browser {
	ts.t.Helper()
	b := ts.browser()
	r := b.post("/staff/login", url.Values{"login": {login}, "password": {ts.logins[login]}})
	require.Equal(ts.t, http.StatusSeeOther, r.status, r.body)
	return b
}

// count is how many appeals the store holds.
func (ts *testSite) count() int {
	n, err := ts.app.eng.Count(context.Background(), workflow.Actor{ID: "t", Roles: []workflow.Role{workflow.RoleAuditor}}, workflow.Filter{})
	require.NoError(ts.t, err)
	return n
}

// only returns the id of the one appeal the store holds.
func (ts *testSite) only() string {
	ts.t.Helper()
	var ids []string
	for rec, err := range ts.store.List(context.Background(), workflow.Filter{}) {
		require.NoError(ts.t, err)
		ids = append(ids, rec.Appeal.ID.String())
	}
	require.Len(ts.t, ids, 1)
	return ids[0]
}
