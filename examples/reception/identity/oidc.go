package identity

import (
	"context"
	"crypto/hmac"
	"fmt"
	"net/http"
	"net/url"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig configures an OpenID Connect relying party.
type OIDCConfig struct {
	// Issuer is the identity service's issuer URL (its discovery document is at
	// Issuer + "/.well-known/openid-configuration").
	Issuer string
	// ClientID and ClientSecret are the site's registration at the service.
	ClientID, ClientSecret string
	// RedirectURL is the host's callback, e.g. "https://reception.example.ru/id/callback".
	RedirectURL string
	// Scopes are asked besides "openid"; nil means profile, email and phone.
	Scopes []string
	// Client, when set, is the HTTP client the discovery, token and key requests use.
	Client *http.Client
}

// OIDC identifies citizens through an OpenID Connect service (authorization code flow with
// PKCE and a nonce). It takes the name from the standard claims family_name, given_name and
// middle_name, and the e-mail and phone only when the service marks them verified.
type OIDC struct {
	conf     oauth2.Config
	verifier *oidc.IDTokenVerifier
	issuer   string
	client   *http.Client
}

// NewOIDC reads the service's discovery document and returns the provider.
func NewOIDC(ctx context.Context, c OIDCConfig) (*OIDC, error) {
	if c.Client != nil {
		ctx = oidc.ClientContext(ctx, c.Client)
	}
	p, err := oidc.NewProvider(ctx, c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("identity: oidc discovery: %w", err)
	}
	scopes := c.Scopes
	if scopes == nil {
		scopes = []string{oidc.ScopeProfile, oidc.ScopeEmail, "phone"}
	}
	return &OIDC{
		conf: oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, scopes...)},
		verifier: p.Verifier(&oidc.Config{ClientID: c.ClientID}),
		issuer:   c.Issuer,
		client:   c.Client,
	}, nil
}

// Begin redirects the browser to the service's authorization endpoint.
func (o *OIDC) Begin(w http.ResponseWriter, r *http.Request, attempt string) error {
	u := o.conf.AuthCodeURL(derive(attempt, "state"), oidc.Nonce(derive(attempt, "nonce")),
		oauth2.S256ChallengeOption(derive(attempt, "pkce")))
	http.Redirect(w, r, u, http.StatusFound)
	return nil
}

// claims are the standard claims read (OpenID Connect Core §5.1).
type claims struct {
	FamilyName    string `json:"family_name"`
	GivenName     string `json:"given_name"`
	MiddleName    string `json:"middle_name"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Phone         string `json:"phone_number"`
	PhoneVerified bool   `json:"phone_number_verified"`
	Address       struct {
		Formatted string `json:"formatted"`
	} `json:"address"`
}

// Complete checks the callback's state, exchanges the code, verifies the ID token (signature,
// issuer, audience, expiry, nonce) and reads the citizen from its claims.
func (o *OIDC) Complete(ctx context.Context, r *http.Request, attempt string) (Person, error) {
	q := r.URL.Query()
	if !sameState(q.Get("state"), attempt) {
		return Person{}, ErrState
	}
	if q.Get("error") != "" {
		return Person{}, ErrCancelled
	}
	if o.client != nil {
		ctx = oidc.ClientContext(ctx, o.client)
	}
	tok, err := o.conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(derive(attempt, "pkce")))
	if err != nil {
		return Person{}, fmt.Errorf("identity: oidc token exchange: %w", scrub(err))
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return Person{}, fmt.Errorf("identity: oidc: %w: no id_token", ErrNotVerified)
	}
	id, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return Person{}, fmt.Errorf("identity: oidc id token: %w", scrub(err))
	}
	if !sameNonce(id.Nonce, attempt) {
		return Person{}, ErrState
	}
	var c claims
	if err := id.Claims(&c); err != nil {
		return Person{}, fmt.Errorf("identity: oidc claims: %w", ErrNotVerified)
	}
	p := Person{Surname: clean(c.FamilyName), GivenName: clean(c.GivenName), Patronymic: clean(c.MiddleName),
		PostalAddress: clean(c.Address.Formatted), Method: MethodOIDC, Issuer: id.Issuer, Subject: id.Subject}
	if c.EmailVerified {
		p.Email = clean(c.Email)
	}
	if c.PhoneVerified {
		p.Phone = clean(c.Phone)
	}
	if p.Surname == "" || p.GivenName == "" || p.Subject == "" {
		return Person{}, ErrNotVerified
	}
	return p, nil
}

// Test reports false: the service identifies the citizen.
func (*OIDC) Test() bool { return false }

func sameNonce(got, attempt string) bool {
	return attempt != "" && hmac.Equal([]byte(got), []byte(derive(attempt, "nonce")))
}

// scrub keeps an error's kind but not a URL it may quote (with a code in its query).
func scrub(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
