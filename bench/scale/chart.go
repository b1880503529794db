package main

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/fz59/appeals/workflow/memstore"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// point is the memstore lifecycle's cost at one n.
type point struct {
	N        int     `json:"n"`
	Commands int64   `json:"commands"`
	CPU      float64 `json:"cpu_us_per_command"`
	Wall     float64 `json:"wall_us_per_command"`
	HeapKB   float64 `json:"heap_kb_per_appeal"`
}

// runCurve runs the simulated year on memstore at each n of the curve, prints a point per n
// and draws the chart.
func runCurve(ctx context.Context, o options, w io.Writer) error {
	var pts []point
	for _, n := range o.curve {
		cfg := o.cfg
		cfg.n = n
		p, err := curvePoint(ctx, cfg)
		if err != nil {
			return fmt.Errorf("curve n=%d: %w", n, err)
		}
		pts = append(pts, p)
	}
	if err := writePoints(w, pts, o.json); err != nil {
		return err
	}
	return drawChart(o.chart, pts)
}

// curvePoint measures one n: the CPU and wall time per command of the year's commands, and
// the live heap per stored appeal once they are done (after a collection, less the heap
// before the store was made).
func curvePoint(ctx context.Context, cfg config) (point, error) {
	runtime.GC()
	before := liveHeap()
	smp := newSampler(200 * time.Millisecond)
	defer smp.close()
	s, err := newScenario(cfg, memstore.New(memstore.Options{}), smp)
	if err != nil {
		return point{}, err
	}
	bar := cfg.progress(fmt.Sprintf("curve: %d appeals", cfg.n), s.planned)
	err = s.simulate(ctx, bar)
	bar.finish()
	if err != nil {
		return point{}, err
	}
	runtime.GC()
	after := liveHeap()
	runtime.KeepAlive(s)
	var p point
	var cpu, wall time.Duration
	for _, st := range s.steps {
		p.Commands += st.n
		cpu += st.cpu
		wall += st.wall
	}
	p.N = cfg.n
	p.CPU = us(cpu) / float64(p.Commands)
	p.Wall = us(wall) / float64(p.Commands)
	p.HeapKB = float64(int64(after)-int64(before)) / 1024 / float64(cfg.n)
	return p, nil
}

func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms) // once per point, after a collection: the pause does not matter
	return ms.HeapAlloc
}

func writePoints(w io.Writer, pts []point, asJSON bool) error {
	if asJSON {
		return jsonLines(w, pts)
	}
	var b strings.Builder
	b.WriteString("| n | commands | CPU µs/command | wall µs/command | heap KB/appeal |\n|--:|--:|--:|--:|--:|\n")
	for _, p := range pts {
		fmt.Fprintf(&b, "| %d | %d | %.0f | %.0f | %.1f |\n", p.N, p.Commands, p.CPU, p.Wall, p.HeapKB)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// drawChart draws two panels against n on a log axis — the cost per command (CPU and wall
// time) above, the heap per stored appeal below — into file, SVG or PNG by its extension.
func drawChart(file string, pts []point) error {
	cost, heap := plot.New(), plot.New()
	cost.Title.Text = "memstore lifecycle: cost per command"
	cost.Y.Label.Text = "µs per command"
	heap.Title.Text = "heap per stored appeal"
	heap.Y.Label.Text = "KB per appeal"
	heap.X.Label.Text = "appeals stored (n)"
	var cpu, wall, kb plotter.XYs
	for _, p := range pts {
		cpu = append(cpu, plotter.XY{X: float64(p.N), Y: p.CPU})
		wall = append(wall, plotter.XY{X: float64(p.N), Y: p.Wall})
		kb = append(kb, plotter.XY{X: float64(p.N), Y: p.HeapKB})
	}
	for _, pl := range []*plot.Plot{cost, heap} {
		pl.X.Scale = plot.LogScale{}
		pl.X.Tick.Marker = plot.LogTicks{Prec: -1}
		pl.Y.Min = 0
		pl.Add(plotter.NewGrid())
	}
	if err := lines(cost, series{"CPU time (all cores)", cpu, 0}, series{"wall time (1 / throughput)", wall, 1}); err != nil {
		return err
	}
	if err := lines(heap, series{"live heap after GC", kb, 2}); err != nil {
		return err
	}
	width, height := 16*vg.Centimeter, 16*vg.Centimeter
	var canvas vg.CanvasWriterTo
	if strings.HasSuffix(file, ".png") {
		canvas = vgimg.PngCanvas{Canvas: vgimg.New(width, height)}
	} else {
		canvas = vgsvg.New(width, height)
	}
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadX: vg.Millimeter, PadY: 4 * vg.Millimeter, PadTop: 2 * vg.Millimeter,
		PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 4 * vg.Millimeter}
	cs := plot.Align([][]*plot.Plot{{cost}, {heap}}, tiles, dc)
	cost.Draw(cs[0][0])
	heap.Draw(cs[1][0])
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := canvas.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// series is a line of a chart: its legend, its points and its colour.
type series struct {
	name   string
	xy     plotter.XYs
	colour int
}

// plotColors are the lines' colours.
var plotColors = []color.Color{color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}}

// lines adds each series to pl as a line with its points, and to the legend.
func lines(pl *plot.Plot, ss ...series) error {
	for _, s := range ss {
		l, p, err := plotter.NewLinePoints(s.xy)
		if err != nil {
			return err
		}
		l.Color, p.Color = plotColors[s.colour], plotColors[s.colour]
		pl.Add(l, p)
		pl.Legend.Add(s.name, l, p)
	}
	pl.Legend.Top = true
	return nil
}
