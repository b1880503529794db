package main

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/workflow"
)

// The reports are counted here from the engine's List: the library's report package
// (workflow/report) was not on main when this example was written.

// bar is one bar of a chart: a label, a count and its width in the chart's units.
type bar struct {
	Label string
	Count int
	Width int
	Y     int
	TextY int
}

// chart is a horizontal bar chart drawn as SVG on the page, with the same numbers as a table.
type chart struct {
	ID, Title string
	Bars      []bar
	Height    int
}

const chartWidth = 400

func newChart(id, title string, labels []string, counts map[string]int) chart {
	c := chart{ID: id, Title: title}
	most := 1
	for _, l := range labels {
		most = max(most, counts[l])
	}
	for i, l := range labels {
		n := counts[l]
		c.Bars = append(c.Bars, bar{Label: l, Count: n, Width: n * chartWidth / most, Y: i * 28, TextY: i*28 + 17})
	}
	c.Height = len(labels) * 28
	return c
}

// reportData counts the appeals by stage, by the state of their terms today and by section of
// the classifier.
func (a *App) reportData(r *http.Request, st site.Staff) ([]chart, error) {
	byState, byTerm, bySection := map[string]int{}, map[string]int{}, map[string]int{}
	var sections []string
	today := deadline.DateOf(a.cfg.Clock(), a.loc())
	counter := a.eng.Counter()
	for rec, err := range a.eng.List(r.Context(), st.Actor(), workflow.Filter{}) {
		if err != nil {
			return nil, err
		}
		byState[stateLabels[rec.Appeal.State]]++
		worst := deadline.StatusUnknown
		for _, t := range rec.RunningTerms() {
			worst = max(worst, min(counter.Status(t.Deadline, today, deadline.Date{}), deadline.Overdue))
		}
		if worst != deadline.StatusUnknown {
			byTerm[statusLabels[worst]]++
		}
		for _, q := range rec.Appeal.Questions {
			c, err := classifier.Parse(q.Code)
			if err != nil {
				continue
			}
			path, err := a.cls.Path(c)
			if err != nil || len(path) == 0 {
				continue
			}
			s := path[0].Title
			if bySection[s] == 0 {
				sections = append(sections, s)
			}
			bySection[s]++
		}
	}
	var states []string
	for _, s := range appeal.States() {
		if l := stateLabels[s]; byState[l] > 0 {
			states = append(states, l)
		}
	}
	return []chart{
		newChart("by-state", "Обращения по стадиям", states, byState),
		newChart("by-term", "Обращения в работе по срокам на сегодня", []string{
			statusLabels[deadline.Overdue], statusLabels[deadline.DueSoon], statusLabels[deadline.OnTime]}, byTerm),
		newChart("by-section", "Вопросы по разделам классификатора", sections, bySection),
	}, nil
}

func (a *App) reports(w http.ResponseWriter, r *http.Request, st site.Staff) {
	charts, err := a.reportData(r, st)
	if err != nil {
		a.internal(w, r, "report", err)
		return
	}
	a.render(w, r, http.StatusOK, "reports", "Отчеты", charts)
}

// reportsCSV downloads the reports' numbers: report, label, count.
func (a *App) reportsCSV(w http.ResponseWriter, r *http.Request, st site.Staff) {
	charts, err := a.reportData(r, st)
	if err != nil {
		a.internal(w, r, "report", err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="reports.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"report", "label", "count"})
	for _, c := range charts {
		for _, b := range c.Bars {
			_ = cw.Write([]string{c.Title, b.Label, strconv.Itoa(b.Count)})
		}
	}
	cw.Flush()
}
