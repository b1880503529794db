package retention

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// columns are the columns of the usual act form (Правила организации
// хранения…, приказ Росархива от 31.07.2023 № 77), used for the ЭПК review
// list too.
var columns = [...]string{
	"№ п/п", "Заголовок дела", "Крайние даты", "Индекс дела",
	"Количество дел (томов)", "Срок хранения и статья по перечню", "Примечание",
}

// record fills dst with the row's cells, in the order of columns.
func record(dst []string, r Row) []string {
	f, d := r.File, r.Decision
	dates := f.Closed.Russian()
	if !f.Registered.IsZero() {
		dates = f.Registered.Russian() + "–" + dates
	}
	note := f.Note
	if f.Repeated && d.Rule.Repeated > 0 {
		rep := "неоднократное обращение: " + RetentionPeriod{Years: d.Years}.String() + " после последнего рассмотрения " + d.From.Russian()
		if note != "" {
			rep = note + "; " + rep
		}
		note = rep
	}
	period := RetentionPeriod{Years: d.Years, Permanent: d.Rule.Period.Permanent, EPK: d.Rule.Period.EPK}
	return append(dst[:0], strconv.Itoa(r.N), f.Title, dates, f.Number,
		strconv.Itoa(volumes(f)), period.String()+", "+d.Rule.Ref(), note)
}

// totals fills dst with the totals line of a list.
func totals(dst []string, s Summary) []string {
	years := ""
	if s.Files > 0 {
		years = strconv.Itoa(s.First.Year)
		if s.Last.Year != s.First.Year {
			years += "–" + strconv.Itoa(s.Last.Year)
		}
	}
	return append(dst[:0], "Итого", strconv.Itoa(s.Files)+" "+plural(s.Files, "дело", "дела", "дел"),
		years, "", strconv.Itoa(s.Volumes), "", "")
}

// ru formats a date as Russian documents do: 02.01.2006.

// lines turns rows and totals into lines of cells for a format: the part
// every Sheet shares.
type lines struct {
	rec []string
	to  interface {
		put(rec []string) error // writes one line
		end() error             // ends the list after its totals
	}
}

// WriteRow writes one file's line.
func (l *lines) WriteRow(r Row) error {
	l.rec = record(l.rec, r)
	return l.to.put(l.rec)
}

// WriteTotals writes the totals line and ends the list.
func (l *lines) WriteTotals(sum Summary) error {
	l.rec = totals(l.rec, sum)
	if err := l.to.put(l.rec); err != nil {
		return err
	}
	return l.to.end()
}

// CSVSheet writes a list as CSV (RFC 4180, comma-separated, UTF-8): a header
// of the act form's columns, one line a file, and the totals line.
type CSVSheet struct {
	lines
	w      *csv.Writer
	header bool
}

// NewCSVSheet returns a Sheet writing CSV to w.
func NewCSVSheet(w io.Writer) *CSVSheet {
	s := &CSVSheet{w: csv.NewWriter(w)}
	s.lines = lines{rec: make([]string, 0, len(columns)), to: s}
	return s
}

func (s *CSVSheet) put(rec []string) error {
	if !s.header {
		s.header = true
		if err := s.w.Write(columns[:]); err != nil {
			return err
		}
	}
	return s.w.Write(rec)
}

func (s *CSVSheet) end() error {
	s.w.Flush()
	return s.w.Error()
}

// Workbook is an XLSX file with two sheets, the DestructionAct («Акт») and
// the ЭПК review list («ЭПК»), each written through excelize's
// StreamWriter so that rows go to a temporary file, not to memory.
type Workbook struct {
	f       *excelize.File
	destroy *XLSXSheet
	review  *XLSXSheet
}

// XLSXSheet is one sheet of a Workbook; it implements Sheet.
type XLSXSheet struct {
	lines
	sw      *excelize.StreamWriter
	row     int
	vals    []any
	flushed bool
}

// NewWorkbook starts a workbook for the act, with the act's header written
// above each sheet's table.
func NewWorkbook(act DestructionAct) (*Workbook, error) {
	f := excelize.NewFile()
	wb := &Workbook{f: f}
	var err error
	if err = f.SetSheetName("Sheet1", "Акт"); err == nil {
		_, err = f.NewSheet("ЭПК")
	}
	if err == nil {
		wb.destroy, err = newXLSXSheet(f, "Акт", act.Organization,
			"АКТ № "+act.Number+" от "+act.Date.Russian(),
			"о выделении к уничтожению документов, не подлежащих хранению",
			"Утверждение и согласование: "+act.Approval)
	}
	if err == nil {
		wb.review, err = newXLSXSheet(f, "ЭПК", act.Organization,
			"СПИСОК к акту № "+act.Number+" от "+act.Date.Russian(),
			"дел с отметкой «ЭПК», подлежащих экспертизе ценности")
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("retention: workbook: %w", err)
	}
	return wb, nil
}

func newXLSXSheet(f *excelize.File, name string, head ...string) (*XLSXSheet, error) {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	s := &XLSXSheet{sw: sw, vals: make([]any, len(columns))}
	s.lines = lines{rec: make([]string, 0, len(columns)), to: s}
	for i, w := range [len(columns)]float64{6, 60, 24, 16, 12, 32, 40} {
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
	return s, s.put(columns[:])
}

// Destroy returns the sheet of the DestructionAct.
func (wb *Workbook) Destroy() *XLSXSheet { return wb.destroy }

// Review returns the sheet of the ЭПК review list.
func (wb *Workbook) Review() *XLSXSheet { return wb.review }

// WriteTo writes the XLSX file to w.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	for _, s := range [...]*XLSXSheet{wb.destroy, wb.review} {
		if err := s.end(); err != nil {
			return 0, fmt.Errorf("retention: workbook: %w", err)
		}
	}
	return wb.f.WriteTo(w)
}

// Close removes the workbook's temporary files.
func (wb *Workbook) Close() error { return wb.f.Close() }

func (s *XLSXSheet) setRow(vals []any) error {
	s.row++
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, vals)
}

// put writes a line of cells; the number and count columns go as numbers.
func (s *XLSXSheet) put(rec []string) error {
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

func (s *XLSXSheet) end() error {
	if s.flushed {
		return nil
	}
	s.flushed = true
	return s.sw.Flush()
}
