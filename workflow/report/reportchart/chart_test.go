package reportchart_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/report"
	"github.com/fz59/appeals/workflow/report/internal/dataset"
	"github.com/fz59/appeals/workflow/report/reportchart"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// TestRender draws each chart over the data set as PNG and SVG: the PNG decodes to the size
// asked, the SVG is well-formed XML with an svg root and the chart's title.
func TestRender(t *testing.T) {
	res := dataset.Build(t).Run(t)
	intake, err := reportchart.Intake(res.Intake)
	require.NoError(t, err)
	onTime, err := reportchart.OnTime(res.Control)
	require.NoError(t, err)
	for name, p := range map[string]*plot.Plot{"intake": intake, "on-time": onTime} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, reportchart.Render(&b, p, reportchart.PNG))
			img, err := png.Decode(bytes.NewReader(b.Bytes()))
			require.NoError(t, err)
			size := img.Bounds().Size()
			assert.InDelta(t, float64(reportchart.Width/vg.Inch)*reportchart.DPI, float64(size.X), 1)
			assert.InDelta(t, float64(reportchart.Height/vg.Inch)*reportchart.DPI, float64(size.Y), 1)
			if dir := os.Getenv("REPORTCHART_OUT"); dir != "" { // to look at them
				require.NoError(t, os.WriteFile(dir+"/"+name+".png", b.Bytes(), 0o644))
			}

			b.Reset()
			require.NoError(t, reportchart.Render(&b, p, reportchart.SVG))
			require.NotZero(t, b.Len())
			root, text := svgRoot(t, b.Bytes())
			assert.Equal(t, "svg", root)
			assert.Contains(t, text, p.Title.Text)
		})
	}
	require.Error(t, reportchart.Render(io.Discard, intake, "gif"))
}

// svgRoot parses the SVG to its end and returns the root element's name and all its text.
func svgRoot(t *testing.T, data []byte) (string, string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	var text bytes.Buffer
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return root, text.String()
		}
		require.NoError(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
		case xml.CharData:
			text.Write(tok)
		}
	}
}

func TestNoData(t *testing.T) {
	_, err := reportchart.Intake(nil)
	require.ErrorIs(t, err, reportchart.ErrNoData)
	_, err = reportchart.Intake([]report.IntakeRow{{Month: report.Month{Year: 2025, Month: 11}}})
	require.ErrorIs(t, err, reportchart.ErrNoData, "no questions")
	_, err = reportchart.OnTime([]report.ControlRow{{Role: workflow.RecipientResponsible, Person: "exec-1", Open: 3}})
	require.ErrorIs(t, err, reportchart.ErrNoData, "nothing closed")
	_, err = reportchart.OnTime([]report.ControlRow{{Role: workflow.RecipientExecutor, Person: "exec-1", DoneOnTime: 1,
		OnTimeShare: report.Ratio(1, 1)}})
	require.ErrorIs(t, err, reportchart.ErrNoData, "executors are not drawn")
}
