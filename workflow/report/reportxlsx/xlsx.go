package reportxlsx

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow/report"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// ErrSheetOpen is returned when a workbook is asked for a new sheet, or written out, while a
// sheet is still being written: sheets are written one after another.
var ErrSheetOpen = errors.New("reportxlsx: a sheet is still open")

// ErrSheetExists is returned for a second sheet of the same title.
var ErrSheetExists = errors.New("reportxlsx: a sheet of that title exists")

// ErrSheetClosed is returned for a row written to a sheet after its Close.
var ErrSheetClosed = errors.New("reportxlsx: sheet closed")

// Workbook is an XLSX workbook of report tables, a sheet each. Sheets are streamed: excelize
// keeps a sheet's rows on disk past 16 MB, so a listing of any length fits. It is not safe
// for concurrent use. Close it to remove its temporary files.
type Workbook struct {
	f                 *excelize.File
	sheets            int  // sheets added
	open              bool // a sheet is being written
	header, dec, date int  // style ids
}

// New returns an empty workbook.
func New() (*Workbook, error) {
	wb := &Workbook{f: excelize.NewFile()}
	var err error
	if wb.header, err = wb.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return nil, wb.fail(err)
	}
	decimalFmt := "0." + strings.Repeat("0", report.Places)
	if wb.dec, err = wb.f.NewStyle(&excelize.Style{CustomNumFmt: &decimalFmt}); err != nil {
		return nil, wb.fail(err)
	}
	dateFmt := "dd.mm.yyyy"
	if wb.date, err = wb.f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return nil, wb.fail(err)
	}
	return wb, nil
}

func (wb *Workbook) fail(err error) error {
	_ = wb.f.Close()
	return fmt.Errorf("reportxlsx: new workbook: %w", err)
}

// Sheet is one table being written into a workbook, row by row.
type Sheet[R any] struct {
	wb     *Workbook
	sw     *excelize.StreamWriter
	t      report.Table[R]
	row    int
	closed bool
	cells  []report.Value
	line   []any
}

// AddSheet starts a sheet named t.Title with the table's header, frozen, and returns the
// writer of its rows; Close it before the next sheet.
func AddSheet[R any](wb *Workbook, t report.Table[R]) (*Sheet[R], error) {
	if wb.open {
		return nil, fmt.Errorf("reportxlsx: sheet %s: %w", t.Name, ErrSheetOpen)
	}
	if idx, err := wb.f.GetSheetIndex(t.Title); err != nil || idx >= 0 && wb.sheets > 0 {
		return nil, fmt.Errorf("reportxlsx: sheet %s: %w", t.Name, ErrSheetExists)
	}
	var err error
	if wb.sheets == 0 {
		err = wb.f.SetSheetName(wb.f.GetSheetName(0), t.Title)
	} else {
		_, err = wb.f.NewSheet(t.Title)
	}
	if err != nil {
		return nil, fmt.Errorf("reportxlsx: sheet %s: %w", t.Name, err)
	}
	sw, err := wb.f.NewStreamWriter(t.Title)
	if err != nil {
		return nil, fmt.Errorf("reportxlsx: sheet %s: %w", t.Name, err)
	}
	s := &Sheet[R]{wb: wb, sw: sw, t: t, row: 1, line: make([]any, len(t.Columns))}
	for i, title := range t.Titles() {
		width := float64(utf8.RuneCountInString(title))*1.1 + 2
		if err := sw.SetColWidth(i+1, i+1, min(max(width, 10), 40)); err != nil {
			return nil, fmt.Errorf("reportxlsx: sheet %s: %w", t.Name, err)
		}
		s.line[i] = excelize.Cell{StyleID: wb.header, Value: title}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("reportxlsx: sheet %s: %w", t.Name, err)
	}
	if err := s.put(); err != nil {
		return nil, err
	}
	wb.sheets++
	wb.open = true
	return s, nil
}

// Write writes one row: ints and decimals as numbers (decimals with report.Places places),
// dates as dates (dd.mm.yyyy), an invalid NullDecimal and a zero date as empty cells, strings
// and bools as report.Text writes them.
func (s *Sheet[R]) Write(r R) error {
	if s.closed {
		return fmt.Errorf("reportxlsx: sheet %s: %w", s.t.Name, ErrSheetClosed)
	}
	s.cells = s.t.Cells(s.cells[:0], r)
	for i, v := range s.cells {
		c, err := s.cell(v)
		if err != nil {
			return fmt.Errorf("reportxlsx: sheet %s: column %q: %w", s.t.Name, s.t.Columns[i].Title, err)
		}
		s.line[i] = c
	}
	return s.put()
}

func (s *Sheet[R]) put() error {
	ref, err := excelize.CoordinatesToCellName(1, s.row)
	if err == nil {
		err = s.sw.SetRow(ref, s.line)
	}
	if err != nil {
		return fmt.Errorf("reportxlsx: sheet %s: row %d: %w", s.t.Name, s.row, err)
	}
	s.row++
	return nil
}

func (s *Sheet[R]) cell(v report.Value) (any, error) {
	switch v := v.(type) {
	case int:
		return v, nil
	case decimal.Decimal:
		return excelize.Cell{StyleID: s.wb.dec, Value: v.InexactFloat64()}, nil
	case decimal.NullDecimal:
		if !v.Valid {
			return nil, nil
		}
		return s.cell(v.Decimal)
	case deadline.Date:
		if v.IsZero() {
			return nil, nil
		}
		return excelize.Cell{StyleID: s.wb.date, Value: time.Date(v.Year, v.Month, v.Day, 0, 0, 0, 0, time.UTC)}, nil
	}
	return report.Text(v)
}

// Close ends the sheet; closing it again does nothing.
func (s *Sheet[R]) Close() error {
	if s.closed {
		return nil
	}
	s.closed, s.wb.open = true, false
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("reportxlsx: sheet %s: %w", s.t.Name, err)
	}
	return nil
}

// WriteSheet writes a whole table as a sheet.
func WriteSheet[R any](wb *Workbook, t report.Table[R], rows []R) error {
	s, err := AddSheet(wb, t)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := s.Write(r); err != nil {
			_ = s.Close()
			return err
		}
	}
	return s.Close()
}

// WriteTo writes the workbook as an XLSX file.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	if wb.open {
		return 0, fmt.Errorf("reportxlsx: write: %w", ErrSheetOpen)
	}
	n, err := wb.f.WriteTo(w)
	if err != nil {
		return n, fmt.Errorf("reportxlsx: write: %w", err)
	}
	return n, nil
}

// Close removes the workbook's temporary files.
func (wb *Workbook) Close() error {
	if err := wb.f.Close(); err != nil {
		return fmt.Errorf("reportxlsx: close: %w", err)
	}
	return nil
}
