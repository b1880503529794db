package main

import (
	"net/http"
	"sync"
	"time"

	"github.com/fz59/appeals/examples/reception/identity"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/google/uuid"
)

// session is one browser's state, kept in memory (a restart signs everyone out).
type session struct {
	id      string
	expires time.Time
	// attempt is the secret of an identification under way (identity.Provider).
	attempt string
	// person is the identified citizen; staff the signed-in member of staff.
	person *identity.Person
	staff  *site.Staff
	// receipt is what the confirmation page shows after a submission.
	receipt *receipt
	// applicant is the appeal the citizen opened with its number and PIN: the survey acts on it.
	applicant uuid.UUID
}

// receipt is the confirmation of a submission, shown to the browser that sent it.
type receipt struct {
	Number, PIN      string
	Appeal           uuid.UUID
	ReceivedAt       time.Time
	RegisterBy       string
	ConsiderationEst string
}

const (
	sessionCookie = "sid"
	sessionTTL    = 4 * time.Hour
	maxSessions   = 200_000
)

// sessions holds the sessions by id.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	now func() time.Time
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, now: now}
}

// get returns a copy of the request's session, or a zero session when it has none.
func (s *sessions) get(r *http.Request) session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[c.Value]
	if !ok || s.now().After(ss.expires) {
		return session{}
	}
	return *ss
}

// save stores the session and sets its cookie; a session without an id gets a fresh one
// (sign-ins call renew first, so an id is never carried across a sign-in).
func (s *sessions) save(w http.ResponseWriter, ss session, secure bool) {
	if ss.id == "" {
		ss.id = randomToken(32)
	}
	now := s.now()
	ss.expires = now.Add(sessionTTL)
	s.mu.Lock()
	if len(s.m) >= maxSessions {
		for id, o := range s.m {
			if now.After(o.expires) || len(s.m) >= maxSessions {
				delete(s.m, id)
			}
		}
	}
	s.m[ss.id] = &ss
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: ss.id, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionTTL / time.Second)})
}

// renew drops the session's id, so that save issues a new one (against session fixation).
func (s *sessions) renew(ss session) session {
	s.mu.Lock()
	delete(s.m, ss.id)
	s.mu.Unlock()
	ss.id = ""
	return ss
}
