package main

import (
	"log/slog"
	"net/http"
)

// The size limits of a request body: the appeal form may bring its attachments and text, every
// other form a few fields.
const (
	formBodyLimit = 64 << 10
	// formSlack is the multipart overhead and the text beside the attachments.
	formSlack = 1 << 20
)

// csp forbids every script (the site has none), inline styles, framing and foreign forms.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// safe wraps the site in its safety measures: the access log, the secure headers, the body
// size limits and http.CrossOriginProtection on every state-changing request.
func (a *App) safe(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, http.StatusForbidden, "Запрос отправлен с другого сайта и отклонен.")
	}))
	guarded := cop.Handler(next)
	appealLimit := a.cfg.Limits.MaxTotalSize + formSlack + int64(a.cfg.Limits.MaxTextRunes)*4
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := a.cfg.Clock()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if a.cfg.TLS || r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		limit := int64(formBodyLimit)
		if r.Method == http.MethodPost && r.URL.Path == "/appeal" {
			limit = appealLimit
		}
		r.Body = http.MaxBytesReader(rec, r.Body, limit)
		guarded.ServeHTTP(rec, r)
		// The access log: no query string, no form values, no cookie, no client address.
		a.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Duration("duration", a.cfg.Clock().Sub(start)))
	})
}

// statusRecorder remembers the status an answer was written with.
type statusRecorder struct {
	http.ResponseWriter
	status  int
	written bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.written {
		s.status, s.written = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.written = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
