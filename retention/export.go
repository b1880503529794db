package retention

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
)

// columns are the columns of the usual act form (Правила организации
// хранения…, приказ Росархива от 31.07.2023 № 77), used for the ЭПК review
// list too.
var columns = [...]string{
	"№ п/п", "Заголовок дела", "Крайние даты", "Индекс дела",
	"Количество дел (томов)", "Срок хранения и статья по перечню", "Примечание",
}

// Columns returns the headings of the act form's columns, in the order of a
// line's cells.
func Columns() []string { return slices.Clone(columns[:]) }

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

// LineWriter writes a list as lines of cells, in the order of Columns: CSV
// here (NewCSVSheet), XLSX in package retentionxlsx, a host's own format.
type LineWriter interface {
	// WriteLine writes one line.
	WriteLine(cells []string) error
	// Close ends the list after its totals line.
	Close() error
}

// NewSheet returns the Sheet that writes to w the headings (Columns), one
// line a file and the totals line, then closes w.
func NewSheet(w LineWriter) Sheet { return &lineSheet{w: w, rec: make([]string, 0, len(columns))} }

// lineSheet turns rows and totals into lines of cells.
type lineSheet struct {
	w      LineWriter
	rec    []string
	header bool
}

func (s *lineSheet) put(rec []string) error {
	if !s.header {
		s.header = true
		if err := s.w.WriteLine(columns[:]); err != nil {
			return err
		}
	}
	return s.w.WriteLine(rec)
}

// WriteRow writes one file's line.
func (s *lineSheet) WriteRow(r Row) error {
	s.rec = record(s.rec, r)
	return s.put(s.rec)
}

// WriteTotals writes the totals line and ends the list.
func (s *lineSheet) WriteTotals(sum Summary) error {
	s.rec = totals(s.rec, sum)
	if err := s.put(s.rec); err != nil {
		return err
	}
	return s.w.Close()
}

// NewCSVSheet returns a Sheet writing CSV (RFC 4180, comma-separated, UTF-8)
// to w: a header of the act form's columns, one line a file, and the totals
// line.
func NewCSVSheet(w io.Writer) Sheet { return NewSheet(csvLines{csv.NewWriter(w)}) }

type csvLines struct{ w *csv.Writer }

func (c csvLines) WriteLine(cells []string) error { return c.w.Write(cells) }

func (c csvLines) Close() error {
	c.w.Flush()
	return c.w.Error()
}
