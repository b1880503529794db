package main

import (
	"net/http"

	"github.com/fz59/appeals/examples/reception/web"
)

// render writes a page of the site with its common frame: the test-mode banner while the
// development identity is on, and the staff's menu for a signed-in member of staff.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	ss := a.sessions.get(r)
	p := web.Page{Title: title, Org: a.cfg.Org.Name, TestMode: a.cfg.Identity != nil && a.cfg.Identity.Test(),
		NoIdentity: a.cfg.Identity == nil, Data: data}
	if ss.staff != nil {
		p.Staff = ss.staff.Name
		p.Roles = map[string]bool{}
		for _, r := range ss.staff.Roles {
			p.Roles[string(r)] = true
		}
	}
	if ss.person != nil {
		p.Citizen = ss.person.GivenName + " " + ss.person.Surname
	}
	if err := a.pages.Render(w, status, name, p); err != nil {
		a.cfg.Logger.Error("render failed", "page", name, "err", err)
	}
}
