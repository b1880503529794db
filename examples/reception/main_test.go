package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
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
	t.Setenv("APPEALS_PG_DSN", "") // the SQLite file, even where PostgreSQL is configured
	dir := t.TempDir()
	serveTwice(t, "SQLite", "-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "r.db"), "-files", filepath.Join(dir, "files"), "-dev-identity")
}

// TestServePostgres does the same on PostgreSQL, in a schema of its own, when APPEALS_PG_DSN is
// set (.ci/run starts a server and sets it).
func TestServePostgres(t *testing.T) {
	dsn := os.Getenv("APPEALS_PG_DSN")
	if dsn == "" {
		t.Skip("APPEALS_PG_DSN is not set: the PostgreSQL start is skipped (.ci/run sets it)")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer admin.Close(ctx)
	schema := "reception_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	t.Setenv("APPEALS_PG_DSN", u.String())
	serveTwice(t, "PostgreSQL", "-addr", "127.0.0.1:0", "-files", filepath.Join(t.TempDir(), "files"), "-dev-identity")
}

// serveTwice starts the program, reads what it prints, serves a page and stops it; then starts
// it again on the same data.
func serveTwice(t *testing.T, where string, args ...string) {
	t.Helper()
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
	base, out, stop := start()
	assert.Contains(t, out, where)
	assert.Contains(t, out, "staff login clerk")
	assert.Contains(t, out, "TEST MODE")
	res, err := http.Get(base + "appeal")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, 0, stop(), "a clean shutdown")

	_, out, stop = start()
	assert.NotContains(t, out, "password", "the demo staff exist already")
	assert.Equal(t, 0, stop())
}
