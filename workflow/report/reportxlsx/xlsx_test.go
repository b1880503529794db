package reportxlsx_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strconv"
	"testing"

	"github.com/fz59/appeals/workflow/report"
	"github.com/fz59/appeals/workflow/report/internal/dataset"
	"github.com/fz59/appeals/workflow/report/reportxlsx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// workbook writes every report over the data set into one workbook, a sheet each, the
// listings row by row as the reports emit them.
func workbook(t *testing.T, r dataset.Results) []byte {
	t.Helper()
	wb, err := reportxlsx.New()
	require.NoError(t, err)
	defer func() { require.NoError(t, wb.Close()) }()
	sh, err := reportxlsx.AddSheet(wb, report.ExpiringTable)
	require.NoError(t, err)
	for _, row := range r.Expiring {
		require.NoError(t, sh.Write(row))
	}
	require.NoError(t, sh.Close())
	require.NoError(t, reportxlsx.WriteSheet(wb, report.CodesTable, r.Codes.Rows))
	require.NoError(t, reportxlsx.WriteSheet(wb, report.ControlTable, r.Control))
	require.NoError(t, reportxlsx.WriteSheet(wb, report.MissedTable, r.Missed))
	require.NoError(t, reportxlsx.WriteSheet(wb, report.MissedKindsTable, r.MissedKinds))
	require.NoError(t, reportxlsx.WriteSheet(wb, report.SummaryTable, r.Summary))
	require.NoError(t, reportxlsx.WriteSheet(wb, report.IntakeTable, r.Intake))
	var b bytes.Buffer
	_, err = wb.WriteTo(&b)
	require.NoError(t, err)
	return b.Bytes()
}

var isoDate = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)

// TestSameNumbersAsCSV opens the workbook with excelize and checks that every sheet holds the
// CSV file's cells: the same texts as shown (dates as dd.mm.yyyy, decimals with one place),
// and numbers and dates stored as numbers, not text.
func TestSameNumbersAsCSV(t *testing.T) {
	res := dataset.Build(t).Run(t)
	files := res.CSV(t)
	f, err := excelize.OpenReader(bytes.NewReader(workbook(t, res)))
	require.NoError(t, err)
	defer f.Close()
	titles := map[string]string{
		report.ExpiringTable.Name: report.ExpiringTable.Title, report.CodesTable.Name: report.CodesTable.Title,
		report.ControlTable.Name: report.ControlTable.Title, report.MissedTable.Name: report.MissedTable.Title,
		report.MissedKindsTable.Name: report.MissedKindsTable.Title, report.SummaryTable.Name: report.SummaryTable.Title,
		report.IntakeTable.Name: report.IntakeTable.Title,
	}
	require.Len(t, f.GetSheetList(), len(files))
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			want, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			require.NoError(t, err)
			sheet := titles[name]
			got, err := f.GetRows(sheet)
			require.NoError(t, err)
			require.Len(t, got, len(want))
			for i := range want {
				row := append(got[i], make([]string, len(want[i])-len(got[i]))...) // GetRows drops trailing empty cells
				for j, w := range want[i] {
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
					require.NoError(t, err)
					switch m := isoDate.FindStringSubmatch(w); {
					case i > 0 && m != nil:
						assert.Equal(t, m[3]+"."+m[2]+"."+m[1], row[j], "%s %s", sheet, cell)
						_, err := strconv.Atoi(raw)
						assert.NoError(t, err, "%s %s: a date is a serial number, got %q", sheet, cell, raw)
					case i > 0 && isNumber(w):
						assert.Equal(t, w, row[j], "%s %s", sheet, cell)
						wf, _ := strconv.ParseFloat(w, 64)
						rf, err := strconv.ParseFloat(raw, 64)
						require.NoError(t, err, "%s %s: a number, got %q", sheet, cell, raw)
						assert.InDelta(t, wf, rf, 1e-9, "%s %s", sheet, cell)
					default:
						assert.Equal(t, w, row[j], "%s %s", sheet, cell)
					}
				}
			}
		})
	}
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func TestSheetsOneAtATime(t *testing.T) {
	wb, err := reportxlsx.New()
	require.NoError(t, err)
	defer wb.Close()
	sh, err := reportxlsx.AddSheet(wb, report.ControlTable)
	require.NoError(t, err)
	_, err = reportxlsx.AddSheet(wb, report.SummaryTable)
	require.ErrorIs(t, err, reportxlsx.ErrSheetOpen)
	_, err = wb.WriteTo(&bytes.Buffer{})
	require.ErrorIs(t, err, reportxlsx.ErrSheetOpen)
	require.NoError(t, sh.Close())
	require.NoError(t, sh.Close(), "a second Close does nothing")
	require.ErrorIs(t, sh.Write(report.ControlRow{}), reportxlsx.ErrSheetClosed)
	_, err = reportxlsx.AddSheet(wb, report.ControlTable)
	require.ErrorIs(t, err, reportxlsx.ErrSheetExists)
	_, err = wb.WriteTo(&bytes.Buffer{})
	require.NoError(t, err)
}

func TestUnknownCellType(t *testing.T) {
	wb, err := reportxlsx.New()
	require.NoError(t, err)
	defer wb.Close()
	table := report.Table[float64]{Name: "floats", Title: "Числа", Columns: []report.Column[float64]{
		{Title: "Число", Value: func(f float64) report.Value { return f }}}}
	err = reportxlsx.WriteSheet(wb, table, []float64{1.5})
	require.ErrorIs(t, err, report.ErrValueType)
	assert.Contains(t, err.Error(), `reportxlsx: sheet floats: column "Число"`)
}
