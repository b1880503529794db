package sstu_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/sstu"
	"github.com/google/uuid"
)

// Export a month of one answered appeal into memory, read it back and validate it.
func ExampleExporter_Export() {
	msk := time.FixedZone("MSK", 3*60*60)
	a := appeal.New(uuid.MustParse("0190f3a1-0000-7000-8000-000000000001"), time.Date(2024, 3, 4, 10, 0, 0, 0, msk), appeal.ChannelEPGU)
	a.Number, a.RegisteredAt = "01-123", time.Date(2024, 3, 5, 9, 0, 0, 0, msk)
	a.Applicants = []appeal.Applicant{{Surname: "Петрова", GivenName: "Анна"}}
	a.Questions = []appeal.Question{{Code: "0005.0005.0055.1122", Status: appeal.StatusExplained, AnsweredOn: deadline.NewDate(2024, 3, 20)}}
	answer := []byte("%PDF-1.4 ответ")
	entries := func(yield func(*sstu.Entry, error) bool) {
		yield(&sstu.Entry{Appeal: a, Answer: &appeal.Attachment{Name: "answer.pdf", Size: int64(len(answer)), Ref: "answers/1"}}, nil)
	}

	x := &sstu.Exporter{
		Org: sstu.Org{DepartmentID: "6bc82a49-6a97-43f4-9e42-a07d417b60b6", Location: msk},
		Files: sstu.FilesFunc(func(ctx context.Context, ref string) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(answer)), nil // the host's storage, by ref
		}),
	}
	var zipped bytes.Buffer
	prog, err := x.Export(context.Background(), sstu.Month{Year: 2024, Month: time.March}, entries,
		func(name string) (io.WriteCloser, error) { return nopCloser{&zipped}, nil })
	fmt.Println(prog.Parts, prog.Exported, err)

	part := sstu.Part{Name: prog.Parts[0], ReaderAt: bytes.NewReader(zipped.Bytes()), Size: int64(zipped.Len())}
	for r, err := range sstu.ReadZip(part) {
		q := r.Questions[0]
		fmt.Println(r.Number, q.Status, q.IncomingDate, q.ResponseDate, q.Attachment.Name, err)
	}
	fmt.Println(len((&sstu.Validator{Strict: true}).Zip(part)), "problems")
	// Output:
	// [rro-2024-03-001.zip] 1 <nil>
	// 01-123 Explained 2024-03-04 2024-03-20 answer.pdf <nil>
	// 0 problems
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// Validate a record received from another system: every problem, with the path and the rule.
func ExampleValidator_JSON() {
	record := `{"departmentId": "6bc82a49-6a97-43f4-9e42-a07d417b60b6", "isDirect": false,
	  "format": "Other", "number": "А26-05-84857211", "name": "Иванов И. И.", "requestId": "392",
	  "questions": [{"code": "0005.0005.0055.1122", "status": "Explained",
	    "incomingDate": "2024-03-04", "registrationDate": "2024-03-01", "responseDate": "2024-03-20"}]}`
	for _, p := range (&sstu.Validator{}).JSON("in.json", []byte(record)) {
		fmt.Println(p)
	}
	// Output:
	// in.json: $.createDate: createDate required when not direct
	// in.json: $.questions[0].attachment: attachment required for the result
	// in.json: $.questions[0].registrationDate: incomingDate ≤ registrationDate
	// in.json: $.requestId: field not in the upload (warning)
}

// The monthly form's rows of a record, as JSON.
func ExampleWriteFormJSON() {
	r := sstu.Record{Number: "01-123", Questions: []sstu.Question{{Code: "0005.0005.0055.1122",
		Status: appeal.StatusInWork, IncomingDate: deadline.NewDate(2024, 3, 4), RegistrationDate: deadline.NewDate(2024, 3, 5)}}}
	var out strings.Builder
	err := sstu.WriteFormJSON(&out, func(yield func(sstu.FormRow) bool) {
		for _, row := range sstu.FormRows(&r) {
			yield(row)
		}
	})
	fmt.Print(out.String(), err)
	// Output:
	// [{"number":"01-123","incomingDate":"2024-03-04","registrationDate":"2024-03-05","code":"0005.0005.0055.1122","transferred":false,"supported":false,"actionsTaken":false,"explained":false,"answered":false,"leftWithoutAnswer":false,"registered":true,"notSupported":false}
	// ]
	// <nil>
}
