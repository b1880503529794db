package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/fz59/appeals/deadline"
	"github.com/shopspring/decimal"
)

// Value is one cell of a table: a string, an int, a bool, a decimal.Decimal, a
// decimal.NullDecimal (empty when not Valid) or a deadline.Date (empty when zero) — the types
// the CSV and XLSX writers know.
type Value = any

// ErrValueType is wrapped by the error a writer returns for a cell of a type it does not know.
var ErrValueType = errors.New("report: unsupported cell type")

// Places is the number of decimal places of every share and average in the files.
const Places = 1

// Column is one column of a table of rows of type R: its Russian title in the files and how a
// row gives its cell.
type Column[R any] struct {
	// Title is the column's Russian title.
	Title string
	// Value gives a row's cell.
	Value func(R) Value
}

// Table says how rows of type R are written: a machine name (for file names), a Russian title
// (the XLSX sheet's name, at most 31 characters) and the columns in their stable order.
type Table[R any] struct {
	// Name is the machine name; Title the Russian one.
	Name, Title string
	// Columns are the columns in their stable order.
	Columns []Column[R]
}

// Titles returns the columns' titles, in order: the header of the files.
func (t Table[R]) Titles() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Title
	}
	return out
}

// Cells returns the row's cells, in column order, appended to dst.
func (t Table[R]) Cells(dst []Value, r R) []Value {
	for _, c := range t.Columns {
		dst = append(dst, c.Value(r))
	}
	return dst
}

// Text is a cell as the CSV file writes it: an int in decimal, a bool as «да» or «нет», a
// decimal with Places places (a dot before them), a date as 2006-01-02; an invalid
// NullDecimal and a zero date as "".
func Text(v Value) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case int:
		return strconv.Itoa(v), nil
	case bool:
		if v {
			return "да", nil
		}
		return "нет", nil
	case decimal.Decimal:
		return v.StringFixed(Places), nil
	case decimal.NullDecimal:
		if !v.Valid {
			return "", nil
		}
		return v.Decimal.StringFixed(Places), nil
	case deadline.Date:
		return v.String(), nil
	}
	return "", fmt.Errorf("%T: %w", v, ErrValueType)
}

// CSVWriter writes a table as CSV (RFC 4180, comma-separated, UTF-8): the header of Russian
// titles, then one line per row as it comes, so a listing report streams into a file of any
// length without holding it.
type CSVWriter[R any] struct {
	w     *csv.Writer
	t     Table[R]
	cells []Value
	line  []string
}

// NewCSVWriter writes the header of t to w and returns the writer of its rows.
func NewCSVWriter[R any](w io.Writer, t Table[R]) (*CSVWriter[R], error) {
	c := &CSVWriter[R]{w: csv.NewWriter(w), t: t, line: make([]string, len(t.Columns))}
	if err := c.w.Write(t.Titles()); err != nil {
		return nil, fmt.Errorf("report: csv %s: %w", t.Name, err)
	}
	return c, nil
}

// Write writes one row.
func (c *CSVWriter[R]) Write(r R) error {
	c.cells = c.t.Cells(c.cells[:0], r)
	for i, v := range c.cells {
		s, err := Text(v)
		if err != nil {
			return fmt.Errorf("report: csv %s: column %q: %w", c.t.Name, c.t.Columns[i].Title, err)
		}
		c.line[i] = s
	}
	if err := c.w.Write(c.line); err != nil {
		return fmt.Errorf("report: csv %s: %w", c.t.Name, err)
	}
	return nil
}

// Flush writes out what is buffered; call it after the last row.
func (c *CSVWriter[R]) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("report: csv %s: %w", c.t.Name, err)
	}
	return nil
}

// WriteCSV writes a whole table: its header and rows.
func WriteCSV[R any](w io.Writer, t Table[R], rows []R) error {
	c, err := NewCSVWriter(w, t)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := c.Write(r); err != nil {
			return err
		}
	}
	return c.Flush()
}
