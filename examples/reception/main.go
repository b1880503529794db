// Command reception is the internet reception (интернет-приемная) of a small body, built on
// the library end to end: a citizen identified by the site files an appeal at night, gets a
// number and a PIN, checks the stage later and answers the survey; a clerk registers what
// arrived, a manager resolves it, an executor answers, and the month goes to ССТУ.РФ.
//
//	go run ./examples/reception -dev-identity        # a local run: http://127.0.0.1:8080, a SQLite file
//	go run ./examples/reception -memory -dev-identity # nothing kept
//
// It keeps appeals in the SQLite file -db (reception.db in the working directory), or in
// PostgreSQL when APPEALS_PG_DSN is set, or in memory with -memory; attachments in the
// directory -files. On the first start it creates a demo organization and its staff and prints
// their logins and passwords once. It prints the address it listens on, serves until SIGINT or
// SIGTERM, then finishes the requests under way (graceful shutdown).
//
// Flags:
//
//	-addr host:port      listen address (default 127.0.0.1:8080)
//	-db path             the SQLite file (default reception.db)
//	-memory              keep everything in memory instead
//	-files dir           attachments' directory (default reception-files)
//	-dev-identity        the development identity: a form to type a name, a "test mode" banner
//	-oidc-issuer url     identify citizens through this OpenID Connect service; with
//	-oidc-client-id id   the site's client id, the secret in APPEALS_OIDC_SECRET, and
//	-oidc-redirect url   the callback as registered, ending in /id/callback
//	-max-text n          the longest appeal text, in characters (default 20000)
//	-max-files n         the most attachments (default 10)
//	-max-file-mb n       the largest attachment, MiB (default 10)
//	-max-total-mb n      all attachments together, MiB (default 30)
//	-types list          accepted attachment types, comma-separated (default the intake's list)
//	-tls-cert, -tls-key  serve HTTPS with this certificate (HSTS and Secure cookies follow)
//	-secure-cookies      mark cookies Secure behind a TLS-terminating proxy
//	-version             print the library's version
//
// What a citizen gets at night is a receipt: a number of the site ("1234-5678") and a PIN,
// shown once, that open the status page at once and at every stage after. The engine issues
// its PIN only with the registration number (the registration letter carries both), so the
// site keeps its own receipts, each a number, the appeal's id and a salted slow hash of the PIN
// (access.NewPIN), in the same database; the status page takes either number with its PIN,
// behind the engine's limiter. The citizen's name comes from the identity provider, never from
// the form: the card records it with Identified and, in Applicant.Account, the provider's
// external id "method:issuer#subject". The demo delivers no notice (a host's Notifier sends
// them); the dispatcher logs each one's kind and appeal id.
//
// Without an identity provider citizens cannot file: the form page says so (547-ФЗ). It takes
// no arguments; -h prints this usage on standard output. Exit status: 0 after a clean
// shutdown, 1 when it cannot start, 2 on a usage error. The log (standard error, JSON) holds
// each request's method, path, status and duration and the engine's records: no query, no form
// value, no PIN, no name.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/examples/reception/identity"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/fz59/appeals/workflow/pgstore"
	"github.com/fz59/appeals/workflow/sqlitestore"
	"github.com/jackc/pgx/v5/pgxpool"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(cli(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the parsed flags.
type options struct {
	addr, db, files                  string
	memory, devIdentity, secure      bool
	oidcIssuer, oidcClient, oidcBack string
	maxText, maxFiles                int
	maxFileMB, maxTotalMB            int64
	types                            string
	tlsCert, tlsKey                  string
}

// cli runs the program with its arguments until ctx is done, and returns the exit status.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reception", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen `address`")
	fs.StringVar(&o.db, "db", "reception.db", "the SQLite `file`")
	fs.BoolVar(&o.memory, "memory", false, "keep everything in memory")
	fs.StringVar(&o.files, "files", "reception-files", "attachments' `directory`")
	fs.BoolVar(&o.devIdentity, "dev-identity", false, "the development identity (a form to type a name; test mode)")
	fs.StringVar(&o.oidcIssuer, "oidc-issuer", "", "OpenID Connect issuer `URL`")
	fs.StringVar(&o.oidcClient, "oidc-client-id", "", "OpenID Connect client `id` (secret in APPEALS_OIDC_SECRET)")
	fs.StringVar(&o.oidcBack, "oidc-redirect", "", "OpenID Connect callback `URL`, ending in /id/callback")
	fs.IntVar(&o.maxText, "max-text", 20000, "the longest appeal text, in `characters`")
	fs.IntVar(&o.maxFiles, "max-files", 10, "the most `attachments`")
	fs.Int64Var(&o.maxFileMB, "max-file-mb", 10, "the largest attachment, `MiB`")
	fs.Int64Var(&o.maxTotalMB, "max-total-mb", 30, "all attachments together, `MiB`")
	fs.StringVar(&o.types, "types", strings.Join(intake.DefaultMediaTypes(), ","), "accepted attachment media `types`")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "TLS certificate `file`")
	fs.StringVar(&o.tlsKey, "tls-key", "", "TLS key `file`")
	fs.BoolVar(&o.secure, "secure-cookies", false, "Secure cookies behind a TLS proxy")
	version := fs.Bool("version", false, "print the library's version and exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: reception [flags]")
		fs.PrintDefaults()
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--h" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "reception: takes no arguments")
		return 2
	}
	if *version {
		fmt.Fprintln(stdout, "reception", appeal.Version)
		return 0
	}
	if msg := o.check(); msg != "" {
		fmt.Fprintln(stderr, "reception:", msg)
		return 2
	}
	if err := serve(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "reception:", err)
		return 1
	}
	return 0
}

// check returns a usage problem of the flags, or "".
func (o options) check() string {
	switch {
	case o.maxText < 1:
		return "-max-text: a number of characters, 1 or more"
	case o.maxFiles < 0:
		return "-max-files: 0 or more"
	case o.maxFileMB < 1 || o.maxTotalMB < 1:
		return "-max-file-mb, -max-total-mb: 1 or more"
	case (o.tlsCert == "") != (o.tlsKey == ""):
		return "-tls-cert and -tls-key go together"
	case o.oidcIssuer != "" && (o.oidcClient == "" || o.oidcBack == ""):
		return "-oidc-issuer needs -oidc-client-id and -oidc-redirect"
	case o.oidcIssuer != "" && o.devIdentity:
		return "-dev-identity and -oidc-issuer: choose one"
	}
	return ""
}

// stores are the engine's store and the site's tables, with what closes them.
type stores struct {
	store workflow.Store
	site  *site.DB
	close func()
}

// openStores opens PostgreSQL when APPEALS_PG_DSN is set, memory with -memory, else the SQLite file.
func openStores(ctx context.Context, o options) (stores, string, error) {
	if dsn := os.Getenv("APPEALS_PG_DSN"); dsn != "" && !o.memory {
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			return stores{}, "", err
		}
		ps := pgstore.New(pool)
		if err := ps.Migrate(ctx); err != nil {
			pool.Close()
			return stores{}, "", err
		}
		db, err := site.OpenPostgres(dsn)
		if err != nil {
			pool.Close()
			return stores{}, "", err
		}
		return stores{ps, db, func() { db.Close(); pool.Close() }}, "PostgreSQL (APPEALS_PG_DSN)", nil
	}
	if o.memory {
		db, err := site.OpenMemory()
		if err != nil {
			return stores{}, "", err
		}
		return stores{memstore.New(memstore.Options{}), db, func() { db.Close() }}, "memory", nil
	}
	ss, err := sqlitestore.Open(o.db, sqlitestore.Options{})
	if err != nil {
		return stores{}, "", err
	}
	db, err := site.OpenSQLite(o.db)
	if err != nil {
		ss.Close()
		return stores{}, "", err
	}
	abs, _ := filepath.Abs(o.db)
	return stores{ss, db, func() { db.Close(); ss.Close() }}, "SQLite " + abs, nil
}

func (o options) identity(ctx context.Context) (identity.Provider, error) {
	switch {
	case o.devIdentity:
		return identity.Dev{Callback: "/id/callback", Stylesheet: "/static/style.css"}, nil
	case o.oidcIssuer != "":
		return identity.NewOIDC(ctx, identity.OIDCConfig{Issuer: o.oidcIssuer, ClientID: o.oidcClient,
			ClientSecret: os.Getenv("APPEALS_OIDC_SECRET"), RedirectURL: o.oidcBack})
	}
	return nil, nil
}

// serve runs the reception until ctx is done.
func serve(ctx context.Context, o options, stdout, stderr io.Writer) error {
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	st, where, err := openStores(ctx, o)
	if err != nil {
		return err
	}
	defer st.close()
	var blobs appeal.Blobs = &appeal.MemoryBlobs{}
	if !o.memory {
		if blobs, err = newDirBlobs(o.files); err != nil {
			return err
		}
	}
	idp, err := o.identity(ctx)
	if err != nil {
		return err
	}
	msk := time.FixedZone("MSK", 3*60*60)
	org, created, err := bootstrap(ctx, st.site, msk)
	if err != nil {
		return err
	}
	var types []string
	for t := range strings.SplitSeq(o.types, ",") {
		if t = strings.TrimSpace(t); t != "" {
			types = append(types, strings.ToLower(t))
		}
	}
	app, err := NewApp(ctx, Config{Store: st.store, Site: st.site, Blobs: blobs, Identity: idp, Org: org,
		Addressees: addressees, Logger: logger, SecureCookies: o.secure || o.tlsCert != "", TLS: o.tlsCert != "",
		Limits: intake.Limits{MaxTextRunes: o.maxText, MaxAttachments: o.maxFiles, MaxAttachmentSize: o.maxFileMB << 20,
			MaxTotalSize: o.maxTotalMB << 20, MediaTypes: types}})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if o.tlsCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "reception: %s, listening on %s://%s/\n", where, scheme, ln.Addr())
	for _, l := range created {
		fmt.Fprintf(stdout, "  staff login %-9s password %s  (%s)\n", l.Login, l.Password, l.Name)
	}
	switch {
	case idp == nil:
		fmt.Fprintln(stdout, "  no identity provider: citizens cannot file (run with -dev-identity locally, or -oidc-issuer)")
	case idp.Test():
		fmt.Fprintln(stdout, "  TEST MODE: -dev-identity identifies nobody; never use it on a real site")
	}
	work, stopWork := context.WithCancel(context.Background())
	done := app.background(work, logger)
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() {
		if o.tlsCert != "" {
			errc <- srv.ServeTLS(ln, o.tlsCert, o.tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err = <-errc:
	case <-ctx.Done():
		fmt.Fprintln(stdout, "reception: shutting down")
		shut, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		err = srv.Shutdown(shut)
		cancel()
	}
	stopWork()
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// background runs the outbox dispatcher and the monitor of terms until ctx is done; the channel
// closes when both have stopped.
func (a *App) background(ctx context.Context, logger *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	d := workflow.NewDispatcher(a.cfg.Store, workflow.NotifierFunc(func(ctx context.Context, n workflow.Notification) error {
		// The demo delivers nothing: a host sends e-mail, letters and staff messages here.
		logger.Info("notice", "kind", string(n.Kind), "appeal", n.AppealID.String(), "to", string(n.To.Role))
		return nil
	}), workflow.DispatcherOptions{Logger: logger, Poll: 2 * time.Second})
	var wg sync.WaitGroup
	wg.Go(func() { _ = d.Run(ctx) })
	wg.Go(func() {
		mon := time.NewTicker(10 * time.Minute)
		defer mon.Stop()
		for {
			if _, err := a.eng.Monitor(ctx, a.cfg.Clock()); err != nil && ctx.Err() == nil {
				logger.Warn("monitor failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-mon.C:
			}
		}
	})
	go func() { wg.Wait(); close(done) }()
	return done
}
