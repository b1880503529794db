package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/classifier/suggest"
	"github.com/fz59/appeals/examples/reception/identity"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/examples/reception/web"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/access"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/google/uuid"
)

// Config is what the reception is built from; main fills it from the flags.
type Config struct {
	// Store is the engine's store; Site the site's own tables; Blobs keeps attachments.
	Store workflow.Store
	Site  *site.DB
	Blobs appeal.Blobs
	// Identity identifies citizens (identity.Dev only with -dev-identity).
	Identity identity.Provider
	// Org is the organization; Addressees are the officials and bodies the form offers.
	Org        workflow.Organization
	Addressees []string
	// Limits bound the form: text length, attachments' number, size and types.
	Limits intake.Limits
	// Clock returns the current moment; nil means time.Now.
	Clock func() time.Time
	// Logger receives the access log and the engine's records; nil discards.
	Logger *slog.Logger
	// SecureCookies marks cookies Secure (set it when served over TLS, directly or behind a
	// proxy); TLS marks HSTS on every answer.
	SecureCookies, TLS bool
}

// App is the internet reception: the citizens' pages, the staff's pages and the engine.
type App struct {
	cfg       Config
	eng       *workflow.Engine
	limiter   *access.MemoryLimiter
	pages     *web.Pages
	sessions  *sessions
	cls       *classifier.Classifier
	sstuParts exports
}

// NewApp builds the engine over cfg.Store and fills the similar-appeals index from it.
func NewApp(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Limits = withDefaults(cfg.Limits)
	a := &App{cfg: cfg, cls: classifier.Embedded(), sessions: newSessions(cfg.Clock), pages: web.New()}
	a.limiter = access.NewMemoryLimiter(access.LimiterOptions{Now: cfg.Clock})
	sug, err := suggest.New(a.cls, suggest.Options{})
	if err != nil {
		return nil, err
	}
	a.eng, err = workflow.New(cfg.Store, workflow.Options{Clock: cfg.Clock, Org: cfg.Org, Logger: cfg.Logger,
		Limiter: a.limiter, Suggester: sug, Inputs: workflow.Inputs{Text: cfg.Limits.MaxTextRunes}})
	if err != nil {
		return nil, err
	}
	if err := a.eng.Warm(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// Engine returns the engine, for the dispatcher and the monitor.
func (a *App) Engine() *workflow.Engine { return a.eng }

// withDefaults fills the zero limits: the intake defaults, and a smaller text than intake's
// 20,000 characters when the host sets none.
func withDefaults(l intake.Limits) intake.Limits {
	d := intake.DefaultLimits()
	if l.MaxTextRunes == 0 {
		l.MaxTextRunes = d.MaxTextRunes
	}
	if l.MaxFieldRunes == 0 {
		l.MaxFieldRunes = d.MaxFieldRunes
	}
	if l.MaxAttachments == 0 {
		l.MaxAttachments = d.MaxAttachments
	}
	if l.MaxAttachmentSize == 0 {
		l.MaxAttachmentSize = d.MaxAttachmentSize
	}
	if l.MaxTotalSize == 0 {
		l.MaxTotalSize = d.MaxTotalSize
	}
	if l.MediaTypes == nil {
		l.MediaTypes = d.MediaTypes
	}
	return l
}

// Handler returns the site: every route behind the safety middleware.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", web.Static()))
	mux.HandleFunc("GET /{$}", a.home)
	a.citizenRoutes(mux)
	a.staffRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, http.StatusNotFound, "Страница не найдена.")
	})
	return a.safe(mux)
}

func (a *App) home(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "home", "Интернет-приемная", nil)
}

// randomToken returns n random bytes in hex.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// parseID reads the {id} of a path.
func parseID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return uuid.Nil, errors.New("bad appeal id")
	}
	return id, nil
}

// fail renders an error page with a status and a message for the person.
func (a *App) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	a.render(w, r, status, "error", fmt.Sprintf("Ошибка %d", status), msg)
}
