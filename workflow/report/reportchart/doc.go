// Package reportchart draws the reports people would rather look at than read, with
// gonum/plot, as SVG or PNG: the monthly intake by classifier section (report.Intake) and the
// on-time share by responsible person (report.Control).
//
//	p, err := reportchart.Intake(rows)
//	err = reportchart.Render(w, p, reportchart.PNG)
//
// A chart is a *plot.Plot, so a host may restyle it before rendering. Titles are in Russian;
// the fonts are gonum's embedded Liberation fonts, which have Cyrillic.
package reportchart
