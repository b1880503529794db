package main

import (
	"errors"
	"net/http"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/workflow/report"
	"github.com/fz59/appeals/workflow/report/reportchart"
)

// htmlTable is a report's table as the page shows it: the library's titles and cells
// (report.Table, report.Text), the same the CSV file has.
type htmlTable struct {
	Name, Title string
	Head        []string
	Rows        [][]string
}

func tableOf[R any](t report.Table[R], rows []R) (htmlTable, error) {
	h := htmlTable{Name: t.Name, Title: t.Title, Head: t.Titles()}
	var cells []report.Value
	for _, r := range rows {
		cells = t.Cells(cells[:0], r)
		line := make([]string, len(cells))
		for i, c := range cells {
			s, err := report.Text(c)
			if err != nil {
				return htmlTable{}, err
			}
			line[i] = s
		}
		h.Rows = append(h.Rows, line)
	}
	return h, nil
}

// reportsView is the reports page: the period and the tables, with the charts beside them.
type reportsView struct {
	From, To string
	Tables   []htmlTable
	Intake   bool
	OnTime   bool
	Error    string
}

// period reads the report's period from the query (from, to as ГГГГ-ММ-ДД), by default the
// current month up to today.
func (a *App) period(r *http.Request) (report.Period, deadline.Date, error) {
	today := deadline.DateOf(a.cfg.Clock(), a.loc())
	p := report.Period{From: deadline.NewDate(today.Year, today.Month, 1), To: today}
	q := r.URL.Query()
	if s := q.Get("from"); s != "" {
		d, err := deadline.ParseDate(s)
		if err != nil {
			return p, today, err
		}
		p.From = d
	}
	if s := q.Get("to"); s != "" {
		d, err := deadline.ParseDate(s)
		if err != nil {
			return p, today, err
		}
		p.To = d
	}
	if p.To.Before(p.From) {
		return p, today, errors.New("to before from")
	}
	return p, today, nil
}

func (a *App) reporter(r *http.Request) (*report.Reporter, report.Period, error) {
	p, today, err := a.period(r)
	if err != nil {
		return nil, p, err
	}
	rp, err := report.New(report.Options{Period: p, Today: today, Counter: a.eng.Counter(), Classifier: a.cls})
	return rp, p, err
}

func (a *App) reports(w http.ResponseWriter, r *http.Request, st site.Staff) {
	rp, p, err := a.reporter(r)
	v := reportsView{From: p.From.String(), To: p.To.String()}
	if err != nil {
		v.Error = "Укажите период: даты как ГГГГ-ММ-ДД, начало не позже конца."
		a.render(w, r, http.StatusUnprocessableEntity, "reports", "Отчеты", v)
		return
	}
	ctx, actor := r.Context(), st.Actor()
	summary, err := rp.Summary(ctx, a.eng.List(ctx, actor, p.Registered()))
	if err != nil {
		a.internal(w, r, "report summary", err)
		return
	}
	control, err := rp.Control(ctx, a.eng.List(ctx, actor, noFilter))
	if err != nil {
		a.internal(w, r, "report control", err)
		return
	}
	intake, err := rp.Intake(ctx, a.eng.List(ctx, actor, p.Registered()))
	if err != nil {
		a.internal(w, r, "report intake", err)
		return
	}
	for _, t := range []func() (htmlTable, error){
		func() (htmlTable, error) { return tableOf(report.SummaryTable, summary) },
		func() (htmlTable, error) { return tableOf(report.ControlTable, control) },
		func() (htmlTable, error) { return tableOf(report.IntakeTable, intake) },
	} {
		h, err := t()
		if err != nil {
			a.internal(w, r, "report table", err)
			return
		}
		v.Tables = append(v.Tables, h)
	}
	v.Intake, v.OnTime = len(intake) > 0, len(control) > 0
	a.render(w, r, http.StatusOK, "reports", "Отчеты", v)
}

// reportFile downloads a report: the summary as CSV, or a chart as PNG.
func (a *App) reportFile(w http.ResponseWriter, r *http.Request, st site.Staff) {
	rp, p, err := a.reporter(r)
	if err != nil {
		a.fail(w, r, http.StatusUnprocessableEntity, "Укажите период: даты как ГГГГ-ММ-ДД, начало не позже конца.")
		return
	}
	ctx, actor := r.Context(), st.Actor()
	switch r.PathValue("file") {
	case "summary.csv":
		rows, err := rp.Summary(ctx, a.eng.List(ctx, actor, p.Registered()))
		if err != nil {
			a.internal(w, r, "report summary", err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="summary.csv"`)
		if err := report.WriteCSV(w, report.SummaryTable, rows); err != nil {
			a.cfg.Logger.Error("report csv failed", "err", err)
		}
	case "intake.png":
		rows, err := rp.Intake(ctx, a.eng.List(ctx, actor, p.Registered()))
		a.chart(w, r, err, func() error {
			pl, err := reportchart.Intake(rows)
			if err != nil {
				return err
			}
			return reportchart.Render(w, pl, reportchart.PNG)
		})
	case "ontime.png":
		rows, err := rp.Control(ctx, a.eng.List(ctx, actor, noFilter))
		a.chart(w, r, err, func() error {
			pl, err := reportchart.OnTime(rows)
			if err != nil {
				return err
			}
			return reportchart.Render(w, pl, reportchart.PNG)
		})
	default:
		a.fail(w, r, http.StatusNotFound, "Нет такого отчета.")
	}
}

// chart writes a chart as PNG, or a 404 when there is nothing to draw.
func (a *App) chart(w http.ResponseWriter, r *http.Request, err error, draw func() error) {
	if err != nil {
		a.internal(w, r, "report chart", err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	if err := draw(); errors.Is(err, reportchart.ErrNoData) {
		w.Header().Del("Content-Type")
		a.fail(w, r, http.StatusNotFound, "Нет данных для графика.")
	} else if err != nil {
		a.cfg.Logger.Error("chart failed", "err", err)
	}
}
