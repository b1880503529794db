package identity

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const attempt = "0123456789abcdef0123456789abcdef"

func TestDev(t *testing.T) {
	d := Dev{Callback: "/id/callback", Stylesheet: "/s.css"}
	assert.True(t, d.Test())
	w := httptest.NewRecorder()
	require.NoError(t, d.Begin(w, httptest.NewRequest(http.MethodGet, "/id/start", nil), attempt))
	assert.Contains(t, w.Body.String(), "Тестовый режим")
	assert.Contains(t, w.Body.String(), `action="/id/callback"`)
	assert.Contains(t, w.Body.String(), derive(attempt, "state"))
	assert.NotContains(t, w.Body.String(), attempt, "the page shows the state, never the secret")

	post := func(v url.Values) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/id/callback", strings.NewReader(v.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	good := url.Values{"state": {derive(attempt, "state")}, "surname": {" Иванова "}, "given_name": {"Мария"},
		"patronymic": {"Петровна"}, "email": {"m@example.ru"}}
	p, err := d.Complete(context.Background(), post(good), attempt)
	require.NoError(t, err)
	assert.Equal(t, "Иванова", p.Surname)
	assert.Equal(t, MethodDev, p.Method)
	again, _ := d.Complete(context.Background(), post(good), attempt)
	assert.Equal(t, p.Subject, again.Subject, "the same test person gets the same id")
	assert.Equal(t, "dev:dev#"+p.Subject, p.ExternalID())
	assert.NotContains(t, p.ExternalID(), "Иванова", "the external id holds no name")

	for name, tc := range map[string]struct {
		v       url.Values
		attempt string
		want    error
	}{
		"another browser's state": {good, "another-attempt-secret-0123456789", ErrState},
		"no attempt in session":   {good, "", ErrState},
		"no given name":           {url.Values{"state": good["state"], "surname": {"Иванова"}}, attempt, ErrNotVerified},
		"a line break in a name":  {url.Values{"state": good["state"], "surname": {"Ива\nнова"}, "given_name": {"М"}}, attempt, ErrNotVerified},
		"a name too long":         {url.Values{"state": good["state"], "surname": {strings.Repeat("я", 201)}, "given_name": {"М"}}, attempt, ErrNotVerified},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := d.Complete(context.Background(), post(tc.v), tc.attempt)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

// fakeIssuer is an OpenID Connect provider on loopback: discovery, keys, the authorization
// endpoint (which the test skips: it makes the code itself) and the token endpoint.
type fakeIssuer struct {
	srv    *httptest.Server
	key    *rsa.PrivateKey
	claims map[string]any // the ID token's claims for the next exchange
	pkce   string         // the code_verifier the token endpoint got
}

func newFakeIssuer(t *testing.T) *fakeIssuer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	f := &fakeIssuer{key: key}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": f.srv.URL, "authorization_endpoint": f.srv.URL + "/auth",
			"token_endpoint": f.srv.URL + "/token", "jwks_uri": f.srv.URL + "/keys",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.pkce = r.PostForm.Get("code_verifier")
		if r.PostForm.Get("code") != "good-code" {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
		require.NoError(t, err)
		payload, _ := json.Marshal(f.claims)
		jws, err := signer.Sign(payload)
		require.NoError(t, err)
		tok, _ := jws.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 60, "id_token": tok})
	})
	return f
}

func (f *fakeIssuer) standardClaims(nonce string) map[string]any {
	return map[string]any{"iss": f.srv.URL, "aud": "reception", "sub": "citizen-42", "nonce": nonce,
		"exp": time.Now().Add(time.Minute).Unix(), "iat": time.Now().Unix(),
		"family_name": "Иванова", "given_name": "Мария", "middle_name": "Петровна",
		"email": "m@example.ru", "email_verified": true, "phone_number": "+7 900 000-00-00", "phone_number_verified": false}
}

func TestOIDC(t *testing.T) {
	f := newFakeIssuer(t)
	ctx := context.Background()
	p, err := NewOIDC(ctx, OIDCConfig{Issuer: f.srv.URL, ClientID: "reception", ClientSecret: "s", RedirectURL: "https://site/id/callback"})
	require.NoError(t, err)
	assert.False(t, p.Test())

	w := httptest.NewRecorder()
	require.NoError(t, p.Begin(w, httptest.NewRequest(http.MethodGet, "/id/start", nil), attempt))
	assert.Equal(t, http.StatusFound, w.Code)
	loc, err := url.Parse(w.Header().Get("Location"))
	require.NoError(t, err)
	q := loc.Query()
	assert.Equal(t, f.srv.URL+"/auth", loc.Scheme+"://"+loc.Host+loc.Path)
	assert.Equal(t, derive(attempt, "state"), q.Get("state"))
	assert.Equal(t, derive(attempt, "nonce"), q.Get("nonce"))
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Contains(t, q.Get("scope"), "openid")
	assert.NotContains(t, loc.String(), attempt, "the secret never leaves the host")

	callback := func(v url.Values) *http.Request {
		return httptest.NewRequest(http.MethodGet, "/id/callback?"+v.Encode(), nil)
	}
	ok := url.Values{"state": {q.Get("state")}, "code": {"good-code"}}
	f.claims = f.standardClaims(q.Get("nonce"))
	person, err := p.Complete(ctx, callback(ok), attempt)
	require.NoError(t, err)
	assert.Equal(t, Person{Surname: "Иванова", GivenName: "Мария", Patronymic: "Петровна", Email: "m@example.ru",
		Method: MethodOIDC, Issuer: f.srv.URL, Subject: "citizen-42"}, person, "an unverified phone is left out")
	assert.Equal(t, derive(attempt, "pkce"), f.pkce, "the code is exchanged with the PKCE verifier")

	for name, tc := range map[string]struct {
		v      url.Values
		claims func(map[string]any)
		want   error
	}{
		"forged state":        {url.Values{"state": {"x"}, "code": {"good-code"}}, nil, ErrState},
		"cancelled":           {url.Values{"state": {q.Get("state")}, "error": {"access_denied"}}, nil, ErrCancelled},
		"replayed nonce":      {ok, func(c map[string]any) { c["nonce"] = "other" }, ErrState},
		"no name":             {ok, func(c map[string]any) { delete(c, "family_name") }, ErrNotVerified},
		"e-mail not verified": {ok, func(c map[string]any) { c["email_verified"] = false }, nil},
	} {
		t.Run(name, func(t *testing.T) {
			f.claims = f.standardClaims(q.Get("nonce"))
			if tc.claims != nil {
				tc.claims(f.claims)
			}
			got, err := p.Complete(ctx, callback(tc.v), attempt)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			assert.Empty(t, got.Email)
		})
	}
	t.Run("another audience", func(t *testing.T) {
		f.claims = f.standardClaims(q.Get("nonce"))
		f.claims["aud"] = "someone-else"
		_, err := p.Complete(ctx, callback(ok), attempt)
		require.Error(t, err)
		assert.False(t, errors.Is(err, ErrState))
	})
	t.Run("a bad code", func(t *testing.T) {
		_, err := p.Complete(ctx, callback(url.Values{"state": {q.Get("state")}, "code": {"bad"}}), attempt)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "bad", "the error does not quote the callback")
	})
	_, err = NewOIDC(ctx, OIDCConfig{Issuer: "http://127.0.0.1:1"})
	assert.Error(t, err, "discovery fails without a service")
}
