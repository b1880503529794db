package main

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/workflow"
)

// exports keeps the last ССТУ.РФ exports' parts in memory for download.
type exports struct {
	mu    sync.Mutex
	parts map[string][]byte
	order []string
}

const keptParts = 12

func (e *exports) put(name string, b []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.parts == nil {
		e.parts = map[string][]byte{}
	}
	if _, ok := e.parts[name]; !ok {
		e.order = append(e.order, name)
	}
	e.parts[name] = b
	for len(e.order) > keptParts {
		delete(e.parts, e.order[0])
		e.order = e.order[1:]
	}
}

func (e *exports) get(name string) ([]byte, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	b, ok := e.parts[name]
	return b, ok
}

// sstuView is the ССТУ page: the month, and after an export its result.
type sstuView struct {
	Month    string
	Done     bool
	Progress sstu.Progress
	Problems []sstu.Problem
	Errors   int
	Error    string
	// Refusals are the appeals the export left out, with the rules their records break.
	Refusals []*sstu.InvalidError
}

func (a *App) sstuPage(w http.ResponseWriter, r *http.Request, _ site.Staff) {
	now := a.cfg.Clock().In(a.loc())
	a.render(w, r, http.StatusOK, "sstu", "Отчет в ССТУ.РФ", sstuView{Month: now.Format("2006-01")})
}

// sstuExport writes the month's report, validates the parts and offers them for download.
func (a *App) sstuExport(w http.ResponseWriter, r *http.Request, st site.Staff) {
	if err := r.ParseForm(); err != nil {
		a.fail(w, r, http.StatusBadRequest, "Форма пришла неполной. Отправьте ее снова.")
		return
	}
	v := sstuView{Month: r.PostForm.Get("month")}
	t, err := time.Parse("2006-01", v.Month)
	if err != nil {
		v.Error = "Укажите месяц как ГГГГ-ММ."
		a.render(w, r, http.StatusUnprocessableEntity, "sstu", "Отчет в ССТУ.РФ", v)
		return
	}
	m := sstu.Month{Year: t.Year(), Month: t.Month()}
	last := deadline.NewDate(t.Year(), t.Month(), 1).AddDays(40)
	last = deadline.NewDate(last.Year, last.Month, 1).AddDays(-1)
	x := &sstu.Exporter{Org: sstu.Org{DepartmentID: a.cfg.Org.DepartmentID, Location: a.loc()}, Blobs: a.cfg.Blobs,
		Name: fmt.Sprintf("rro-%04d-%02d-%d-", m.Year, int(m.Month), a.cfg.Clock().Unix())}
	var dest sstu.Memory
	ctx := r.Context()
	res, err := x.Export(ctx, m, a.eng.SSTUEntries(ctx, st.Actor(), workflow.Filter{RegisteredTo: last}), &dest)
	if err != nil {
		a.cfg.Logger.Warn("sstu export stopped", "err", err)
		v.Error = "Выгрузка остановлена: " + err.Error()
		a.render(w, r, http.StatusUnprocessableEntity, "sstu", "Отчет в ССТУ.РФ", v)
		return
	}
	v.Progress, v.Refusals = res.Progress, res.Refusals
	parts := dest.Parts()
	for _, p := range parts {
		b, err := io.ReadAll(io.NewSectionReader(p.ReaderAt, 0, p.Size))
		if err != nil {
			a.internal(w, r, "sstu part", err)
			return
		}
		a.sstuParts.put(p.Name, b)
	}
	v.Problems = (&sstu.Validator{}).Zip(parts...)
	for _, p := range v.Problems {
		if p.Severity == sstu.Error {
			v.Errors++
		}
	}
	v.Done = true
	a.render(w, r, http.StatusOK, "sstu", "Отчет в ССТУ.РФ", v)
}

func (a *App) sstuFile(w http.ResponseWriter, r *http.Request, _ site.Staff) {
	b, ok := a.sstuParts.get(r.PathValue("name"))
	if !ok {
		a.fail(w, r, http.StatusNotFound, "Файл выгрузки не найден: выгрузите месяц снова.")
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+r.PathValue("name")+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}
