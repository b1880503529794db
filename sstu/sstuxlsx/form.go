// Package sstuxlsx writes the monthly form «Результаты рассмотрения обращений» (Decree 171) of
// package sstu as an XLSX workbook, with the Russian headings of the form. It is apart from
// sstu so that a host that exports the report, or writes the form as JSON, does not build the
// spreadsheet library.
//
// The main call:
//
//	var readErr error
//	err := sstuxlsx.WriteForm(w, month, sstu.Rows((&sstu.Reader{}).Zip(parts...), &readErr), bodies)
package sstuxlsx

import (
	"fmt"
	"io"
	"iter"

	"github.com/fz59/appeals/sstu"
	"github.com/xuri/excelize/v2"
)

// headings are the form's column headings, in Russian as on the form seen (docs/sstu.md §7).
var headings = [...]string{
	"Регистрационный номер",
	"Дата документа по обращению",
	"Дата поступления в орган",
	"Дата регистрации в органе",
	"Код вопроса",
	"Направлено по компетенции: организация",
	"Направлено по компетенции",
	"Направлено по компетенции: отметка",
	"Направлено по компетенции: рег. номер сопроводительного документа",
	"Направлено по компетенции: дата сопроводительного документа",
	"Рассмотрено. Поддержано",
	"Меры приняты",
	"Рассмотрено. Разъяснено",
	"Дан ответ автору",
	"Дата ответа",
	"Оставлено без ответа автору",
	"Зарегистрировано",
	"Рассмотрено. Не поддержано",
}

// Sheet is the name of the form's sheet.
const Sheet = "РРО"

// cells returns a row's cells in column order: "+" marks, dates as DD.MM.YYYY, and the name of
// the receiving body from bodies (GUID → name) when known.
func cells(row *sstu.FormRow, bodies map[string]string, into []any) []any {
	mark := func(b bool) any {
		if b {
			return "+"
		}
		return nil
	}
	to := row.TransferredTo
	if name, ok := bodies[to]; ok {
		to = name
	}
	return append(into[:0],
		row.Number, row.DocumentDate.Russian(), row.IncomingDate.Russian(), row.RegistrationDate.Russian(),
		row.Code, to, nil, mark(row.Transferred), row.TransferNumber, row.TransferDate.Russian(),
		mark(row.Supported), mark(row.ActionsTaken), mark(row.Explained), mark(row.Answered),
		row.ResponseDate.Russian(), mark(row.LeftWithoutAnswer), mark(row.Registered), mark(row.NotSupported))
}

// WriteForm writes the month's form as an XLSX workbook: a title, the Russian headings, the
// column numbers, then one line per row, streamed. bodies maps receiving bodies' GUIDs to
// names for column 6.
func WriteForm(w io.Writer, m sstu.Month, rows iter.Seq[sstu.FormRow], bodies map[string]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", Sheet); err != nil {
		return fmt.Errorf("sstuxlsx: form: %w", err)
	}
	sw, err := f.NewStreamWriter(Sheet)
	if err != nil {
		return fmt.Errorf("sstuxlsx: form: %w", err)
	}
	n := 0
	put := func(vals []any) error {
		n++
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err == nil {
			err = sw.SetRow(cell, vals)
		}
		return err
	}
	err = put([]any{"Результаты рассмотрения обращений за " + m.String()})
	headers := make([]any, len(headings))
	numbers := make([]any, len(headings))
	for i, h := range headings {
		headers[i], numbers[i] = h, i+1
	}
	numbers[len(numbers)-1] = nil // not a numbered column of the form
	for _, r := range [][]any{headers, numbers} {
		if err == nil {
			err = put(r)
		}
	}
	vals := make([]any, 0, len(headings))
	for row := range rows {
		if err != nil {
			break
		}
		err = put(cells(&row, bodies, vals))
	}
	if err == nil {
		err = sw.Flush()
	}
	if err == nil {
		_, err = f.WriteTo(w)
	}
	if err != nil {
		return fmt.Errorf("sstuxlsx: form: %w", err)
	}
	return nil
}
