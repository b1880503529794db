// Package web holds the internet reception's pages (html/template) and its stylesheet. The
// pages use no script at all, so the site's Content-Security-Policy forbids every script.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/fz59/appeals/deadline"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

// Page is what every page gets: its title, the frame's state and the page's own data.
type Page struct {
	// Title is the page's title.
	Title string
	// Org is the organization's name, in the header.
	Org string
	// TestMode shows the development identity's banner; NoIdentity says citizens cannot file.
	TestMode, NoIdentity bool
	// Staff is the signed-in member of staff's name, Roles their roles, Citizen the
	// identified citizen's name.
	Staff   string
	Roles   map[string]bool
	Citizen string
	// Data is the page's own data.
	Data any
}

// Pages are the parsed pages.
type Pages struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"date": func(d deadline.Date) string { return d.Russian() },
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
	"val":  func(v url.Values, k string) string { return v.Get(k) },
}

// New parses the pages: each one with the layout.
func New() *Pages {
	p := &Pages{pages: map[string]*template.Template{}}
	names, err := fs.Glob(templates, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		p.pages[base] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templates, "templates/layout.html", n))
	}
	return p
}

// Render writes the page with a status; a page that fails to render writes nothing of itself.
func (p *Pages) Render(w http.ResponseWriter, status int, name string, data Page) error {
	t, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return fmt.Errorf("web: page %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(b.Bytes())
	return err
}

// Static serves the stylesheet.
func Static() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	return http.FileServerFS(sub)
}
