package sstu

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"iter"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
)

// FormRow is one line of the monthly form «Результаты рассмотрения обращений» (Decree 171;
// columns as in docs/sstu.md §7): one question of one appeal. The JSON names are ours;
// package sstuxlsx writes the form as XLSX with the Russian headings.
type FormRow struct {
	// Number is column 1, the cover letter's number, or the own number when direct.
	Number string `json:"number"`
	// DocumentDate is column 2, the cover letter's date.
	DocumentDate deadline.Date `json:"documentDate,omitzero"`
	// IncomingDate is column 3, receipt in the body.
	IncomingDate deadline.Date `json:"incomingDate,omitzero"`
	// RegistrationDate is column 4, registration in the body.
	RegistrationDate deadline.Date `json:"registrationDate,omitzero"`
	// Code is column 5, the question's code.
	Code string `json:"code"`
	// TransferredTo is column 6, the GUID of the body the question went to (the XLSX shows
	// its name when known). Column 7 is left empty, as on the form seen.
	TransferredTo string `json:"transferredTo,omitempty"`
	// Transferred is column 8, «Направлено по компетенции».
	Transferred bool `json:"transferred"`
	// TransferNumber and TransferDate are columns 9 and 10, the outgoing cover letter.
	TransferNumber string        `json:"transferNumber,omitempty"`
	TransferDate   deadline.Date `json:"transferDate,omitzero"`
	// Supported is column 11, «Рассмотрено. Поддержано».
	Supported bool `json:"supported"`
	// ActionsTaken is column 12, «Меры приняты».
	ActionsTaken bool `json:"actionsTaken"`
	// Explained is column 13, «Рассмотрено. Разъяснено».
	Explained bool `json:"explained"`
	// Answered is column 14, «Дан ответ автору».
	Answered bool `json:"answered"`
	// ResponseDate is column 15, «Дата ответа».
	ResponseDate deadline.Date `json:"responseDate,omitzero"`
	// LeftWithoutAnswer is column 16, «Оставлено без ответа автору».
	LeftWithoutAnswer bool `json:"leftWithoutAnswer"`
	// Registered is column 17, "+" when column 4 is filled.
	Registered bool `json:"registered"`
	// NotSupported is «Рассмотрено. Не поддержано», which the form seen lacks (docs/sstu.md §7); it
	// follows column 17.
	NotSupported bool `json:"notSupported"`
}

// FormRows returns the form's lines for a record, one per question.
func FormRows(r *Record) []FormRow {
	rows := make([]FormRow, len(r.Questions))
	for i := range r.Questions {
		q := &r.Questions[i]
		row := FormRow{
			Number: r.Number, DocumentDate: r.CreateDate, Code: q.Code,
			IncomingDate: q.IncomingDate, RegistrationDate: q.RegistrationDate, ResponseDate: q.ResponseDate,
			Transferred:       q.Status == appeal.StatusTransferred,
			Supported:         q.Status == appeal.StatusSupported,
			ActionsTaken:      q.Status == appeal.StatusSupported && q.ActionsTaken != nil && *q.ActionsTaken,
			Explained:         q.Status == appeal.StatusExplained,
			Answered:          q.Status == appeal.StatusAnswered,
			LeftWithoutAnswer: q.Status == appeal.StatusLeftWithoutAnswer,
			NotSupported:      q.Status == appeal.StatusNotSupported,
			Registered:        !q.RegistrationDate.IsZero(),
		}
		if t := q.Transfer; t != nil {
			row.TransferredTo, row.TransferNumber, row.TransferDate = t.DepartmentID, t.TransferNumber, t.TransferDate
		}
		rows[i] = row
	}
	return rows
}

// WriteFormJSON writes the rows as a JSON array, one row per line, streamed.
func WriteFormJSON(w io.Writer, rows iter.Seq[FormRow]) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	bw.WriteString("[")
	first := true
	for row := range rows {
		if !first {
			bw.WriteString(",")
		}
		first = false
		if err := enc.Encode(row); err != nil {
			return fmt.Errorf("sstu: form: %w", err)
		}
	}
	bw.WriteString("]\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sstu: form: %w", err)
	}
	return nil
}

// Rows yields the form's rows of records, e.g. those ReadZip yields from an export: FormRows
// of each record, stopping at the first error, which *errp receives.
func Rows(records iter.Seq2[Record, error], errp *error) iter.Seq[FormRow] {
	return func(yield func(FormRow) bool) {
		for r, err := range records {
			if err != nil {
				*errp = err
				return
			}
			for _, row := range FormRows(&r) {
				if !yield(row) {
					return
				}
			}
		}
	}
}
