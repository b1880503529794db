// Package identity identifies the citizen who files an appeal through the body's site. Since
// 30.03.2025 an electronic appeal sent through the site counts only when the site identified
// its author (59-FZ art. 4 p.1 as amended by 547-ФЗ): the internet reception asks a Provider,
// and the card records the result (appeal.Appeal.Identified, the Person's ExternalID in
// appeal.Applicant.Account).
//
//	p, err := identity.NewOIDC(ctx, identity.OIDCConfig{Issuer: iss, ClientID: id, ClientSecret: s, RedirectURL: cb})
//	err = p.Begin(w, r, attempt)                 // the browser goes to the identity service
//	person, err := p.Complete(ctx, r, attempt)    // on the callback: the verified citizen
//
// The attempt is a secret the host keeps in the browser's session for one identification; the
// provider derives its state, nonce and PKCE verifier from it, so the host stores nothing else.
//
// Two providers come with the package: Dev, a form to type a name into, for local runs and
// tests only (its page says «тестовый режим»; the host turns it on with a flag), and OIDC, an
// OpenID Connect relying party (github.com/coreos/go-oidc) for hosts whose identity service
// speaks it (a regional identity service, Keycloak in front of ЕСИА).
//
// # ЕСИА
//
// ЕСИА (Госуслуги) plugs in behind the same interface. Its OAuth 2.0 flow differs from plain
// OpenID Connect in three ways, all inside one adapter: the authorization request carries a
// client_secret that is the detached signature (ГОСТ Р 34.10-2012, through a certified crypto
// provider such as КриптоПро) of the scope, timestamp, client id and state; the token's
// signature is checked against ЕСИА's certificate, not a JWKS; and the name and contacts are
// read from ЕСИА's REST API (the person by its oid, with its contacts) rather than from the
// token's claims. An adapter builds the URL in Begin and, in Complete, exchanges the code,
// verifies the token, reads the person and returns a Person with Method MethodESIA, Issuer the
// ЕСИА host and Subject the oid. It should accept only a confirmed account (подтвержденная
// учетная запись), the one that identifies a person, and refuse a simplified or standard one
// with ErrNotVerified.
package identity
