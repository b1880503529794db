package reportxlsx_test

import (
	"bytes"
	"fmt"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/report"
	"github.com/fz59/appeals/workflow/report/reportxlsx"
	"github.com/xuri/excelize/v2"
)

func ExampleWriteSheet() {
	rows := []report.ControlRow{{Role: workflow.RecipientResponsible, Person: "exec-1", Open: 2, DoneOnTime: 2, DoneLate: 1,
		OnTimeShare: report.Ratio(2, 3)}}
	wb, err := reportxlsx.New()
	if err != nil {
		panic(err)
	}
	defer wb.Close()
	if err := reportxlsx.WriteSheet(wb, report.ControlTable, rows); err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if _, err := wb.WriteTo(&b); err != nil {
		panic(err)
	}

	f, err := excelize.OpenReader(&b)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	got, _ := f.GetRows(report.ControlTable.Title)
	fmt.Println(f.GetSheetList())
	fmt.Println(got[1])
	// Output:
	// [Контроль исполнения]
	// [ответственный exec-1 2 0 0 2 1 66.7]
}
