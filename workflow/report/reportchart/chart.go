package reportchart

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ErrNoData is returned for a chart with nothing to draw.
var ErrNoData = errors.New("reportchart: nothing to draw")

// Width and Height are the size charts render at; PNG at DPI dots per inch.
const (
	Width  = 20 * vg.Centimeter
	Height = 12 * vg.Centimeter
	DPI    = 144
)

// margin is the blank border around a chart.
const margin = 4 * vg.Millimeter

// Format is an image format Render writes.
type Format string

// The formats.
const (
	SVG Format = "svg"
	PNG Format = "png"
)

// Render draws the chart as an image of Width × Height in format f.
func Render(w io.Writer, p *plot.Plot, f Format) error {
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch f {
	case SVG:
		c = vgsvg.New(Width, Height)
	case PNG:
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI))}
	default:
		return fmt.Errorf("reportchart: format %q: want %q or %q", f, SVG, PNG)
	}
	p.Draw(draw.Crop(draw.New(c), margin, -margin, margin, -margin))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("reportchart: write %s: %w", f, err)
	}
	return nil
}

// Intake draws the monthly intake by section (report.Intake): a bar per month, stacked by
// classifier section, with the sections in the legend.
func Intake(rows []report.IntakeRow) (*plot.Plot, error) {
	var months []report.Month
	var sections []string
	bySection := map[string]plotter.Values{}
	total := 0
	for _, r := range rows {
		if len(months) == 0 || months[len(months)-1] != r.Month {
			months = append(months, r.Month)
		}
		name := r.Title
		if name == "" {
			name = r.Section.String()
		}
		if _, ok := bySection[name]; !ok {
			sections = append(sections, name)
		}
		bySection[name] = append(bySection[name], float64(r.Questions))
		total += r.Questions
	}
	if total == 0 {
		return nil, fmt.Errorf("reportchart: intake: %w", ErrNoData)
	}
	p := plot.New()
	p.Title.Text = "Поступление вопросов по разделам классификатора"
	p.Y.Label.Text = "Вопросов"
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())
	width := vg.Points(min(40, 360/float64(len(months))))
	var below *plotter.BarChart
	top := make([]float64, len(months))
	for i, name := range sections {
		vs := bySection[name]
		if len(vs) != len(months) {
			return nil, fmt.Errorf("reportchart: intake: section %s has %d months of %d: rows not from report.Intake", name, len(vs), len(months))
		}
		bars, err := plotter.NewBarChart(vs, width)
		if err != nil {
			return nil, fmt.Errorf("reportchart: intake: %w", err)
		}
		bars.Color = plotutil.Color(i)
		bars.LineStyle.Width = 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		for k, v := range vs {
			top[k] += v
		}
		p.Add(bars)
		p.Legend.Add(name, bars)
	}
	labels := make([]string, len(months))
	for i, m := range months {
		labels[i] = fmt.Sprintf("%02d.%d", m.Month, m.Year)
	}
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.5, float64(len(months))-0.5
	p.Y.Min, p.Y.Max = 0, legendRoom(top, len(sections))
	return p, nil
}

// legendRoom is the top of the value axis: the highest bar and room above it for a legend of
// n lines.
func legendRoom(tops []float64, n int) float64 {
	hi := 0.0
	for _, v := range tops {
		hi = max(hi, v)
	}
	return hi * (1 + 0.12*float64(n))
}

// OnTime draws the on-time share by responsible (report.Control): a bar per responsible
// person with terms closed within the period, the share closed on time in percent.
func OnTime(rows []report.ControlRow) (*plot.Plot, error) {
	var names []string
	var shares plotter.Values
	for _, r := range rows {
		if r.Role != workflow.RecipientResponsible || !r.OnTimeShare.Valid {
			continue
		}
		name := r.Person
		if name == "" {
			name = "не назначен"
		}
		names = append(names, name+" ("+strconv.Itoa(r.DoneOnTime)+" из "+strconv.Itoa(r.DoneOnTime+r.DoneLate)+")")
		shares = append(shares, r.OnTimeShare.Decimal.InexactFloat64())
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("reportchart: on time: %w", ErrNoData)
	}
	p := plot.New()
	p.Title.Text = "Исполнено в срок по ответственным"
	p.X.Label.Text = "Доля исполненных в срок, %"
	p.Add(plotter.NewGrid())
	slices.Reverse(names) // NominalY counts from the bottom: the first row goes on top
	slices.Reverse(shares)
	bars, err := plotter.NewBarChart(shares, vg.Points(min(24, 240/float64(len(names)))))
	if err != nil {
		return nil, fmt.Errorf("reportchart: on time: %w", err)
	}
	bars.Horizontal = true
	bars.Color = plotutil.Color(1)
	bars.LineStyle.Width = 0
	p.Add(bars)
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, 100
	return p, nil
}
