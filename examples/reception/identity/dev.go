package identity

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"unicode/utf8"
)

// Dev is the development provider: a page where anybody types a name and contacts, which it
// then vouches for. It identifies nobody; a site turns it on only for local runs and tests,
// and shows the test-mode banner on every page while it is on (Test).
type Dev struct {
	// Callback is the host's path the form posts to, e.g. "/id/callback".
	Callback string
	// Stylesheet is the URL of the site's stylesheet, so the page looks like the site's.
	Stylesheet string
}

//go:embed dev.html
var devHTML string

var devPage = template.Must(template.New("dev").Parse(devHTML))

// maxField bounds each value the form takes, in characters.
const maxField = 200

// Begin writes the form.
func (d Dev) Begin(w http.ResponseWriter, _ *http.Request, attempt string) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return devPage.Execute(w, map[string]string{
		"Action": d.Callback, "State": derive(attempt, "state"), "Stylesheet": d.Stylesheet,
	})
}

// Complete reads the posted form. The subject is a hash of the name and e-mail, so the same
// test person gets the same id every time.
func (Dev) Complete(_ context.Context, r *http.Request, attempt string) (Person, error) {
	if err := r.ParseForm(); err != nil {
		return Person{}, fmt.Errorf("identity: dev form: %w", ErrNotVerified)
	}
	if !sameState(r.PostForm.Get("state"), attempt) {
		return Person{}, ErrState
	}
	field := func(name string) string {
		v := clean(r.PostForm.Get(name))
		if utf8.RuneCountInString(v) > maxField {
			return ""
		}
		return v
	}
	p := Person{
		Surname: field("surname"), GivenName: field("given_name"), Patronymic: field("patronymic"),
		Email: field("email"), Phone: field("phone"), Method: MethodDev, Issuer: "dev",
	}
	if p.Surname == "" || p.GivenName == "" {
		return Person{}, ErrNotVerified
	}
	sum := sha256.Sum256([]byte(p.Surname + "\x00" + p.GivenName + "\x00" + p.Patronymic + "\x00" + p.Email))
	p.Subject = hex.EncodeToString(sum[:8])
	return p, nil
}

// Test reports true: Dev identifies nobody.
func (Dev) Test() bool { return true }
