package identity

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
)

// Method says how a citizen was identified.
type Method string

// The methods.
const (
	// MethodDev is the development provider: nobody was identified. Never on a real site.
	MethodDev Method = "dev"
	// MethodOIDC is an OpenID Connect identity service.
	MethodOIDC Method = "oidc"
	// MethodESIA is ЕСИА (Госуслуги), through an adapter of the host's.
	MethodESIA Method = "esia"
)

// Person is the citizen as the identity service vouches for them: the verified name and
// contacts, how they were identified and their id at the identity service.
type Person struct {
	// Surname, GivenName and Patronymic are the verified name.
	Surname, GivenName, Patronymic string
	// Email and Phone are the contacts the service verified; empty when it did not.
	Email, Phone string
	// PostalAddress is the address the service holds, if any.
	PostalAddress string
	// Method is how the citizen was identified; Issuer is the identity service (its URL or
	// host) and Subject the citizen's id there.
	Method  Method
	Issuer  string
	Subject string
}

// ExternalID is the citizen's id as the card records it in appeal.Applicant.Account:
// "method:issuer#subject". It names the account, not the person, and holds no name.
func (p Person) ExternalID() string {
	return string(p.Method) + ":" + p.Issuer + "#" + p.Subject
}

// Provider identifies a citizen in two steps of the browser: Begin sends it to identify
// (a redirect to the identity service, or a page), and Complete reads the answer that comes back
// to the host's callback. attempt is a secret of at least 16 bytes that the host keeps in the
// browser's session for this one identification and passes to both.
type Provider interface {
	// Begin starts the identification.
	Begin(w http.ResponseWriter, r *http.Request, attempt string) error
	// Complete checks the callback request and returns the citizen, or an error that wraps
	// ErrState, ErrCancelled, ErrNotVerified or the service's failure.
	Complete(ctx context.Context, r *http.Request, attempt string) (Person, error)
	// Test reports a provider that identifies nobody (Dev): the site then shows a test-mode
	// banner on every page.
	Test() bool
}

// The errors of Complete. None of them holds what the citizen or the service sent.
var (
	// ErrState: the callback does not belong to this browser's identification (a replayed or
	// forged callback, or a session that expired).
	ErrState = errors.New("identity: callback state does not match")
	// ErrCancelled: the citizen or the service stopped the identification.
	ErrCancelled = errors.New("identity: identification cancelled")
	// ErrNotVerified: the service did not vouch for a surname and a given name.
	ErrNotVerified = errors.New("identity: name not verified")
)

// derive makes one of the values a provider needs (state, nonce, PKCE verifier) from the
// attempt secret: URL-safe, and telling nothing about the secret.
func derive(attempt, purpose string) string {
	m := hmac.New(sha256.New, []byte(attempt))
	m.Write([]byte(purpose))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sameState compares a state that came back with the one expected, in constant time.
func sameState(got, attempt string) bool {
	return attempt != "" && hmac.Equal([]byte(got), []byte(derive(attempt, "state")))
}

// clean trims a value a service sent and drops one that holds a line break or a control
// character: the card takes single-line names and contacts only.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return ""
	}
	return s
}
