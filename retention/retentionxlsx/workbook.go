package retentionxlsx

import (
	"fmt"
	"io"
	"strconv"

	"github.com/fz59/appeals/retention"
	"github.com/xuri/excelize/v2"
)

// Workbook is an XLSX file with two sheets, the DestructionAct («Акт») and the ЭПК review list
// («ЭПК»), each written through excelize's StreamWriter so that rows go to a temporary file,
// not to memory.
type Workbook struct {
	f               *excelize.File
	destroy, review *sheet
	lists           [2]retention.Sheet // destroy, review
}

// sheet is one sheet of a Workbook: a retention.LineWriter, the number and count columns as
// numbers, the rest as text.
type sheet struct {
	sw     *excelize.StreamWriter
	row    int
	vals   []any
	closed bool
}

// New starts a workbook for the act, with the act's header written above each sheet's table.
func New(act retention.DestructionAct) (*Workbook, error) {
	f := excelize.NewFile()
	wb := &Workbook{f: f}
	var err error
	if err = f.SetSheetName("Sheet1", "Акт"); err == nil {
		_, err = f.NewSheet("ЭПК")
	}
	if err == nil {
		wb.destroy, err = newSheet(f, "Акт", act.Organization,
			"АКТ № "+act.Number+" от "+act.Date.Russian(),
			"о выделении к уничтожению документов, не подлежащих хранению",
			"Утверждение и согласование: "+act.Approval)
	}
	if err == nil {
		wb.review, err = newSheet(f, "ЭПК", act.Organization,
			"СПИСОК к акту № "+act.Number+" от "+act.Date.Russian(),
			"дел с отметкой «ЭПК», подлежащих экспертизе ценности")
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("retentionxlsx: workbook: %w", err)
	}
	wb.lists = [2]retention.Sheet{retention.NewSheet(wb.destroy), retention.NewSheet(wb.review)}
	return wb, nil
}

// widths are the columns' widths, in the order of retention.Columns.
var widths = [...]float64{6, 60, 24, 16, 12, 32, 40}

func newSheet(f *excelize.File, name string, head ...string) (*sheet, error) {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	s := &sheet{sw: sw, vals: make([]any, len(widths))}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	for _, h := range head {
		if err := s.setRow([]any{h}); err != nil {
			return nil, err
		}
	}
	s.row++ // a blank line before the table
	return s, nil
}

// Destroy returns the sheet of the DestructionAct.
func (wb *Workbook) Destroy() retention.Sheet { return wb.lists[0] }

// Review returns the sheet of the ЭПК review list.
func (wb *Workbook) Review() retention.Sheet { return wb.lists[1] }

// WriteTo writes the XLSX file to w.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	for _, s := range [...]*sheet{wb.destroy, wb.review} {
		if err := s.Close(); err != nil {
			return 0, fmt.Errorf("retentionxlsx: workbook: %w", err)
		}
	}
	return wb.f.WriteTo(w)
}

// Close removes the workbook's temporary files.
func (wb *Workbook) Close() error { return wb.f.Close() }

func (s *sheet) setRow(vals []any) error {
	s.row++
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, vals)
}

// WriteLine writes a line of cells; the number and count columns go as numbers.
func (s *sheet) WriteLine(rec []string) error {
	for i, v := range rec {
		s.vals[i] = v
		if i == 0 || i == 4 { // № п/п and the count
			if n, err := strconv.Atoi(v); err == nil {
				s.vals[i] = n
			}
		}
	}
	return s.setRow(s.vals[:len(rec)])
}

// Close flushes the sheet's stream, once.
func (s *sheet) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.sw.Flush()
}
