package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCLI(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-h"}, 0, "usage: reception", ""},
		{[]string{"-version"}, 0, "reception " + appeal.Version, ""},
		{[]string{"serve"}, 2, "", "takes no arguments"},
		{[]string{"-nope"}, 2, "", "flag provided but not defined"},
		{[]string{"-max-text", "0"}, 2, "", "-max-text"},
		{[]string{"-max-file-mb", "0"}, 2, "", "-max-file-mb"},
		{[]string{"-tls-cert", "c.pem"}, 2, "", "go together"},
		{[]string{"-oidc-issuer", "https://id.example"}, 2, "", "-oidc-client-id"},
		{[]string{"-dev-identity", "-oidc-issuer", "https://id.example", "-oidc-client-id", "x", "-oidc-redirect", "y"}, 2, "", "choose one"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			assert.Equal(t, tc.code, cli(context.Background(), tc.args, &out, &errb))
			assert.Contains(t, out.String(), tc.stdout)
			assert.Contains(t, errb.String(), tc.stderr)
			if tc.code == 2 && tc.args[0] != "-nope" { // the flag package adds the usage to its own error
				assert.Equal(t, 1, strings.Count(errb.String(), "\n"), "one message")
			}
		})
	}
}

// TestServe starts the program on a SQLite file, reads the address and the demo logins it
// prints, serves a page, and shuts down cleanly on the signal; the second start finds its
// staff and prints no new passwords.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "r.db"), "-files", filepath.Join(dir, "files"), "-dev-identity"}
	start := func() (string, string, func() int) {
		ctx, cancel := context.WithCancel(context.Background())
		var out, errb syncBuffer
		code := make(chan int, 1)
		go func() { code <- cli(ctx, args, &out, &errb) }()
		addr := regexp.MustCompile(`listening on (http://[^ ]+/)`)
		var m []string
		require.Eventually(t, func() bool { m = addr.FindStringSubmatch(out.String()); return m != nil }, 10*time.Second, 20*time.Millisecond, errb.String())
		return m[1], out.String(), func() int { cancel(); return <-code }
	}
	url, out, stop := start()
	assert.Contains(t, out, "staff login clerk")
	assert.Contains(t, out, "TEST MODE")
	res, err := http.Get(url + "appeal")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, 0, stop(), "a clean shutdown")

	_, out, stop = start()
	assert.NotContains(t, out, "password", "the demo staff exist already")
	assert.Equal(t, 0, stop())
}
