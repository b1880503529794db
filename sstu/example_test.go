package sstu_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/sstu"
	"github.com/google/uuid"
)

// Export a month of one answered appeal into memory, read it back and validate it.
func ExampleExporter_Export() {
	ctx := context.Background()
	msk := time.FixedZone("MSK", 3*60*60)
	var blobs appeal.MemoryBlobs // the host's storage of attachments
	answer := []byte("%PDF-1.4 ответ")
	ref, _ := blobs.Put(ctx, "answer.pdf", "application/pdf", bytes.NewReader(answer))

	a := appeal.New(uuid.MustParse("0190f3a1-0000-7000-8000-000000000001"), time.Date(2024, 3, 4, 10, 0, 0, 0, msk), appeal.ChannelEPGU)
	a.Number, a.RegisteredAt = "01-123", time.Date(2024, 3, 5, 9, 0, 0, 0, msk)
	a.Applicants = []appeal.Applicant{{Surname: "Петрова", GivenName: "Анна"}}
	a.Questions = []appeal.Question{{Code: "0005.0005.0055.1122", Status: appeal.StatusExplained, AnsweredOn: deadline.NewDate(2024, 3, 20)}}
	entries := func(yield func(*sstu.Entry, error) bool) {
		yield(&sstu.Entry{Appeal: a, Answer: &appeal.Attachment{Name: "answer.pdf", Size: int64(len(answer)), Ref: ref}}, nil)
	}

	x := &sstu.Exporter{Org: sstu.Org{DepartmentID: "6bc82a49-6a97-43f4-9e42-a07d417b60b6", Location: msk}, Blobs: &blobs}
	var parts sstu.Memory // or &sstu.Dir{Path: dir}
	res, err := x.Export(ctx, sstu.Month{Year: 2024, Month: time.March}, entries, &parts)
	fmt.Println(res.Parts, res.Exported, len(res.Refusals), err)

	for r, err := range (&sstu.Reader{}).Zip(parts.Parts()...) {
		q := r.Questions[0]
		fmt.Println(r.Number, q.Status, q.IncomingDate, q.ResponseDate, q.Attachment.Name, err)
	}
	fmt.Println(len((&sstu.Validator{Strict: true}).Zip(parts.Parts()...)), "problems")
	// Output:
	// [rro-2024-03-001.zip] 1 0 <nil>
	// 01-123 Explained 2024-03-04 2024-03-20 answer.pdf <nil>
	// 0 problems
}

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
