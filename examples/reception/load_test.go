package main

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/workflow/sqlitestore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoad runs citizens at once on loopback against the SQLite file, each filing appeals and
// checking their status in a loop, and checks that nothing failed and nothing was lost: the
// store holds exactly the accepted submissions, and every receipt opens its appeal. The normal
// run has 20 citizens for two seconds; RECEPTION_LOAD=30s runs the measured version (100
// citizens, 30 s). Both log the latency percentiles:
//
//	RECEPTION_LOAD=30s go test -run TestLoad -v ./examples/reception/
func TestLoad(t *testing.T) {
	duration, citizens := 2*time.Second, 20 // the normal run: a few seconds, even under -race
	if v := os.Getenv("RECEPTION_LOAD"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err, "RECEPTION_LOAD: a duration such as 30s")
		duration, citizens = d, 100
	}
	path := filepath.Join(t.TempDir(), "reception.db")
	store, err := sqlitestore.Open(path, sqlitestore.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	db, err := site.OpenSQLite(path)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	ts := newTestSite(t, siteOptions{store: store, db: db})
	ts.app.cfg.Clock = time.Now // real time: latencies, and receipts spread over the run

	var (
		mu       sync.Mutex
		submit   []time.Duration
		status   []time.Duration
		failures []string
		accepted int
		receipts = map[string]string{}
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	end := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i := range citizens {
		wg.Go(func() {
			c, err := newLoadClient(ts.srv.URL, i)
			if err != nil {
				fail("citizen %d: identify: %v", i, err)
				return
			}
			for n := 0; time.Now().Before(end); n++ {
				t0 := time.Now()
				number, pin, err := c.file(fmt.Sprintf("Обращение %d-%d: во дворе не вывозят мусор.", i, n))
				d := time.Since(t0)
				if err != nil {
					fail("citizen %d: file: %v", i, err)
					return
				}
				mu.Lock()
				submit, accepted, receipts[number] = append(submit, d), accepted+1, pin
				mu.Unlock()
				t0 = time.Now()
				if err := c.status(number, pin); err != nil {
					fail("citizen %d: status: %v", i, err)
					return
				}
				d = time.Since(t0)
				mu.Lock()
				status = append(status, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Empty(t, failures)
	assert.Equal(t, accepted, ts.count(), "no appeal lost, none made twice")
	assert.Len(t, receipts, accepted, "every receipt number is its own")
	checked := 0
	for number, pin := range receipts { // a sample after the run: the receipts still open their appeals
		if checked == 20 {
			break
		}
		id, err := db.CheckReceipt(t.Context(), number, pin)
		require.NoError(t, err)
		_, err = store.Get(t.Context(), id)
		require.NoError(t, err)
		checked++
	}
	all := append(slices.Clone(submit), status...)
	t.Logf("%d citizens for %s on loopback, SQLite file: %d submissions and %d status checks (%d requests, %.0f/s)",
		citizens, duration, len(submit), len(status), 3*len(submit)+len(status), float64(3*len(submit)+len(status))/duration.Seconds())
	t.Logf("submit (form + post + receipt page): p50 %s p99 %s; status: p50 %s p99 %s; both: p50 %s p99 %s",
		pct(submit, 50), pct(submit, 99), pct(status, 50), pct(status, 99), pct(all, 50), pct(all, 99))
}

// pct is the p-th percentile of the durations.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(100 * time.Microsecond)
}

// loadClient is one citizen's browser for the load test: it reports errors instead of failing
// the test from its goroutine.
type loadClient struct {
	base string
	c    *http.Client
}

func newLoadClient(base string, i int) (*loadClient, error) {
	jar, _ := cookiejar.New(nil)
	// Each citizen from an address of its own in 127.0.0.0/8, as citizens come from their own:
	// the limiter charges a status lookup to its client before it knows the outcome, so one
	// address with more than its burst of lookups in flight is refused (access.MemoryLimiter).
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+i/250), byte(2+i%250))}}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4}
	lc := &loadClient{base: base, c: &http.Client{Jar: jar, Timeout: time.Minute, Transport: tr}}
	body, err := lc.do(http.MethodGet, "/id/start", "", nil, http.StatusOK)
	if err != nil {
		return nil, err
	}
	m := stateField.FindStringSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("no state")
	}
	v := url.Values{"state": {m[1]}, "surname": {"Иванова"}, "given_name": {fmt.Sprintf("Мария %d", i)}, "email": {"m@example.ru"}}
	_, err = lc.do(http.MethodPost, "/id/callback", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), http.StatusOK)
	return lc, err
}

func (lc *loadClient) do(method, path, ctype string, body io.Reader, want int) (string, error) {
	req, err := http.NewRequest(method, lc.base+path, body)
	if err != nil {
		return "", err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := lc.c.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode != want {
		return "", fmt.Errorf("%s %s: status %d", method, path, res.StatusCode)
	}
	return string(b), nil
}

// file opens the form, posts it (following the redirect to the receipt) and reads the receipt.
func (lc *loadClient) file(text string) (number, pin string, err error) {
	form, err := lc.do(http.MethodGet, "/appeal", "", nil, http.StatusOK)
	if err != nil {
		return "", "", err
	}
	m := tokenField.FindStringSubmatch(form)
	if m == nil {
		return "", "", fmt.Errorf("no token")
	}
	v := goodForm(m[1])
	v.Set("text", text)
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range v {
		_ = mw.WriteField(k, vs[0])
	}
	_ = mw.Close()
	done, err := lc.do(http.MethodPost, "/appeal", mw.FormDataContentType(), &b, http.StatusOK)
	if err != nil {
		return "", "", err
	}
	n, p := receiptNumber.FindStringSubmatch(done), receiptPIN.FindStringSubmatch(done)
	if n == nil || p == nil {
		return "", "", fmt.Errorf("no receipt")
	}
	return n[1], p[1], nil
}

// status looks the appeal up by its receipt.
func (lc *loadClient) status(number, pin string) error {
	v := url.Values{"number": {number}, "pin": {pin}}
	body, err := lc.do(http.MethodPost, "/status", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), http.StatusOK)
	if err == nil && !strings.Contains(body, `id="stage">Поступило<`) {
		err = fmt.Errorf("status page without the stage")
	}
	return err
}
