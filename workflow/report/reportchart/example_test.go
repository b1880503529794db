package reportchart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"time"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/workflow/report"
	"github.com/fz59/appeals/workflow/report/reportchart"
)

func ExampleIntake() {
	nov, dec := report.Month{Year: 2025, Month: time.November}, report.Month{Year: 2025, Month: time.December}
	housing, social := classifier.MustParse("0005.0000.0000.0000"), classifier.MustParse("0002.0000.0000.0000")
	rows := []report.IntakeRow{
		{Month: nov, Section: social, Title: "Социальная сфера", Questions: 4},
		{Month: nov, Section: housing, Title: "Жилищно-коммунальная сфера", Questions: 9},
		{Month: dec, Section: social, Title: "Социальная сфера", Questions: 6},
		{Month: dec, Section: housing, Title: "Жилищно-коммунальная сфера", Questions: 7},
	}
	p, err := reportchart.Intake(rows)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if err := reportchart.Render(&b, p, reportchart.PNG); err != nil {
		panic(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Title.Text, img.Bounds().Size())
	// Output:
	// Поступление вопросов по разделам классификатора (1134,680)
}
