package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromium finds Debian's Chromium ($CHROMIUM, or chromium on PATH).
func chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// axeSource reads axe-core's script: $AXE_CORE (the path of axe.min.js), or where .ci/run
// installs the npm package.
func axeSource() (string, string) {
	paths := []string{os.Getenv("AXE_CORE")}
	if home, err := os.UserCacheDir(); err == nil {
		paths = append(paths, filepath.Join(home, "fz59-appeals", "npm", "node_modules", "axe-core", "axe.min.js"))
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b), p
		}
	}
	return "", ""
}

// TestBrowser drives Debian's Chromium headless through the story — the citizen identified by
// the development provider files with an attachment, the clerk registers, the manager
// resolves, the executor answers, the citizen sees «Дан ответ» and answers the survey — with
// axe-core run on every page (no violation of impact serious or critical, WCAG 2.1 AA), and
// screenshots of the form, the status page, the worklist and a report in the test's artifact
// directory (go test -artifacts -outputdir DIR keeps them).
func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("Chromium is not installed (apt-get install chromium; .ci/run installs it): the browser test is skipped")
	}
	axe, axePath := axeSource()
	if axe == "" {
		t.Skip("axe-core is not installed (npm install axe-core; set AXE_CORE to its axe.min.js; .ci/run installs it): the browser test is skipped")
	}
	t.Logf("chromium %s, axe-core %s", bin, axePath)
	ts := newTestSite(t, siteOptions{})
	shots := t.ArtifactDir()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1100, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	require.NoError(t, chromedp.Do(browser), "start Chromium")
	deadline := time.Now().Add(60 * time.Second)

	// person opens a browser context of its own (its own cookies).
	person := func() context.Context {
		c, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		require.NoError(t, chromedp.Do(c), "open a tab") // the tab lives as long as the context of its first run
		return c
	}
	run := func(c context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		tc, cancel := context.WithDeadline(c, deadline)
		defer cancel()
		if err := chromedp.Do(tc, steps...); err != nil {
			// What the page showed, for the log and the artifacts.
			html, _ := chromedp.Run(c, chromedp.Evaluate[string]("document.documentElement.outerHTML"))
			_ = os.WriteFile(filepath.Join(shots, "failed.html"), []byte(html), 0o644)
			t.Fatalf("%s: %v (the page is in %s)", what, err, filepath.Join(shots, "failed.html"))
		}
	}
	text := func(c context.Context, sel string) string {
		t.Helper()
		v, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err, sel)
		return strings.TrimSpace(v)
	}
	visible := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(chromedp.CSS(sel)) }
	click := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	keys := func(sel, v string) chromedp.Action[chromedp.Void] { return chromedp.SendKeys(chromedp.CSS(sel), v) }
	set := func(sel, v string) chromedp.Action[chromedp.Void] { return chromedp.SetValue(chromedp.CSS(sel), v) }
	submit := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Submit(chromedp.CSS(sel)) }
	checked := 0
	audit := func(c context.Context, name string) {
		t.Helper()
		checkAccessibility(t, c, axe, name)
		checked++
	}
	shot := func(c context.Context, name string) {
		t.Helper()
		png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
		require.NoError(t, err, "screenshot "+name)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
	}
	url := ts.srv.URL

	// The citizen, at night.
	citizen := person()
	run(citizen, "open the form", chromedp.Navigate(url+"/appeal"), visible(`a[href="/id/start"]`))
	audit(citizen, "identify")
	run(citizen, "identify", click(`a[href="/id/start"]`), visible(`#surname`))
	audit(citizen, "dev-identity")
	run(citizen, "type the name", keys(`#surname`, "Иванова"), keys(`#given_name`, "Мария"),
		keys(`#email`, "maria@example.ru"), submit(`#surname`), visible(`#text`))
	photo := filepath.Join(t.TempDir(), "photo.png")
	require.NoError(t, os.WriteFile(photo, []byte("\x89PNG\r\n\x1a\nnot really an image"), 0o600))
	const complaint = "Во дворе дома 5 по улице Ленина третий месяц не вывозят мусор, контейнеры переполнены."
	run(citizen, "fill the form", set(`#addressee`, addressees[1]), set(`#kind`, "complaint"), keys(`#text`, complaint),
		chromedp.SetUploadFiles(chromedp.CSS(`#attachments`), []string{photo}), click(`#consent`))
	audit(citizen, "form")
	shot(citizen, "form")
	run(citizen, "send without the consent", click(`#consent`), submit(`#text`), visible(`#consent-error`))
	audit(citizen, "form-errors")
	run(citizen, "send", chromedp.SetUploadFiles(chromedp.CSS(`#attachments`), []string{photo}), click(`#consent`),
		submit(`#text`), visible(`#receipt-number`))
	number, pin := text(citizen, `#receipt-number`), text(citizen, `#receipt-pin`)
	audit(citizen, "done")
	id := ts.only()

	// The staff, in the morning.
	ts.advance(10 * time.Hour)
	signIn := func(login string) context.Context {
		c := person()
		run(c, "sign in "+login, chromedp.Navigate(url+"/staff/login"), visible(`#login`),
			keys(`#login`, login), keys(`#password`, ts.logins[login]), submit(`#password`), visible(`form[action="/staff/logout"]`))
		return c
	}
	card := url + "/staff/appeal/" + id
	clerk := signIn("clerk")
	run(clerk, "drafts", chromedp.Navigate(url+"/staff/drafts"), visible(`form[action$="/register"] button`))
	audit(clerk, "drafts")
	run(clerk, "register", click(`form[action$="/register"] button`), visible(`#no-drafts`))
	// The classifier's first suggestion comes checked: the clerk takes it in one click.
	run(clerk, "classify", chromedp.Navigate(card), visible(`#code-0:checked`), submit(`#codes`), visible(`.done`))
	audit(clerk, "card")
	manager := signIn("manager")
	run(manager, "resolve", chromedp.Navigate(card), visible(`#res-executor`), submit(`#res-text`), visible(`.done`))
	executor := signIn("executor")
	run(executor, "worklist", chromedp.Navigate(url+"/staff/"), visible(`table`))
	audit(executor, "worklist")
	shot(executor, "worklist")
	run(executor, "result", chromedp.Navigate(card), visible(`#q-status`), set(`#q-status`, "Supported"),
		click(`#q-measures`), submit(`#q-status`), visible(`.done`))
	run(executor, "answer form", click(`a[href$="/answer"]`), visible(`#answer-text`))
	audit(executor, "answer")
	run(executor, "draft", submit(`#answer-text`), visible(`.done`))
	run(manager, "approve", chromedp.Navigate(card), visible(`form[action$="/approve"] button`),
		click(`form[action$="/approve"] button`), visible(`.done`))
	run(clerk, "send", chromedp.Navigate(card), visible(`#send-number`), keys(`#send-number`, "исх-1"),
		submit(`#send-number`), visible(`.done`))
	run(manager, "reports", chromedp.Navigate(url+"/staff/reports?from=2025-12-01&to=2025-12-31"), visible(`img`))
	audit(manager, "reports")
	shot(manager, "report")
	run(clerk, "sstu", chromedp.Navigate(url+"/staff/sstu"), visible(`#month`), set(`#month`, "2025-12"),
		submit(`#month`), visible(`a[href^="/staff/sstu/file/"]`))
	audit(clerk, "sstu")

	// The citizen checks the stage and answers the survey.
	ts.advance(24 * time.Hour)
	later := person()
	run(later, "status", chromedp.Navigate(url+"/status"), visible(`#number`))
	audit(later, "status-form")
	run(later, "look up", keys(`#number`, number), keys(`#pin`, pin), submit(`#pin`), visible(`#stage`))
	require.Equal(t, "Дан ответ", text(later, `#stage`))
	audit(later, "status")
	shot(later, "status")
	run(later, "survey", click(`#result-satisfied`), click(`#measures-satisfied`), submit(`#result-satisfied`), visible(`.done`))
	require.Contains(t, text(later, `.done`), "Ваше мнение записано")
	t.Logf("pages checked by axe-core: %d; screenshots in %s", checked, shots)
}

// axeViolation is the part of an axe-core result the test reports.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
	} `json:"nodes"`
}

// checkAccessibility injects axe-core into the page and fails the test on any violation of
// impact serious or critical against WCAG 2.1 A and AA.
func checkAccessibility(t *testing.T, c context.Context, axe, name string) {
	t.Helper()
	script := `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		.then(r => JSON.stringify(r.violations))`
	// The site's policy forbids every script; DevTools evaluation is not the page's script, and
	// axe runs in the page as it is.
	_, err := chromedp.Run(c, chromedp.Evaluate[bool](axe+";\ntypeof axe === 'object'"))
	require.NoError(t, err, "inject axe-core into %s", name)
	raw, err := chromedp.Run(c, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "axe-core on %s", name)
	var vs []axeViolation
	require.NoError(t, json.Unmarshal([]byte(raw), &vs))
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var where []string
		for _, n := range v.Nodes {
			where = append(where, strings.Join(n.Target, " "))
		}
		t.Errorf("%s: axe %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(where, "; "))
	}
}
