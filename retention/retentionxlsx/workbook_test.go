package retentionxlsx_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/retention"
	"github.com/fz59/appeals/retention/retentionxlsx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func date(y int, m time.Month, d int) deadline.Date { return deadline.NewDate(y, m, d) }

var act = retention.DestructionAct{Number: "3", Date: date(2030, 1, 15), Organization: "Администрация города N",
	Approval: "протокол ЭК от 20.01.2030 № 1"}

var files = []retention.File{
	{Number: "02-14/2024", Title: "Жалобы о коррупции", Category: retention.CategorySerious, Registered: date(2024, 1, 9), Closed: date(2024, 12, 27)},
	{Number: "02-15/2024", Title: "Обращения оперативного характера", Category: retention.CategoryOperational, Registered: date(2024, 1, 10), Closed: date(2024, 12, 31), Volumes: 2},
	{Number: "02-16/2024", Title: "Обращения личного характера", Category: retention.CategoryPersonal, Registered: date(2024, 1, 11), Closed: date(2024, 12, 30)},
	{Number: "02-16/2023", Title: "Обращения личного характера", Category: retention.CategoryPersonal, Closed: date(2023, 12, 29), Review: retention.ReviewDestroy},
}

func TestWorkbook(t *testing.T) {
	wb, err := retentionxlsx.New(act)
	require.NoError(t, err)
	defer func() { require.NoError(t, wb.Close()) }()
	_, err = retention.Standard().Draft(act, retention.FromSlice(files), wb.Destroy(), wb.Review())
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = wb.WriteTo(&buf)
	require.NoError(t, err)

	x, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer x.Close()
	assert.Equal(t, []string{"Акт", "ЭПК"}, x.GetSheetList())
	rows, err := x.GetRows("Акт")
	require.NoError(t, err)
	require.Len(t, rows, 9)
	assert.Equal(t, []string{"Администрация города N"}, rows[0])
	assert.Equal(t, []string{"АКТ № 3 от 15.01.2030"}, rows[1])
	assert.Equal(t, []string{"Утверждение и согласование: протокол ЭК от 20.01.2030 № 1"}, rows[3])
	assert.Empty(t, rows[4])
	assert.Equal(t, retention.Columns(), rows[5])
	assert.Equal(t, []string{"1", "Обращения оперативного характера", "10.01.2024–31.12.2024", "02-15/2024", "2", "5 лет, ст. 154 «в» (2019)"}, rows[6])
	assert.Equal(t, []string{"Итого", "2 дела", "2023–2024", "", "3"}, rows[8])
	for cell, want := range map[string]excelize.CellType{"A7": excelize.CellTypeUnset, "E7": excelize.CellTypeUnset, "B7": excelize.CellTypeInlineString} {
		typ, err := x.GetCellType("Акт", cell)
		require.NoError(t, err)
		assert.Equal(t, want, typ, "%s: numbers have no type attribute, text is inline", cell)
	}

	rows, err = x.GetRows("ЭПК")
	require.NoError(t, err)
	require.Len(t, rows, 7)
	assert.Equal(t, "дел с отметкой «ЭПК», подлежащих экспертизе ценности", rows[2][0])
	assert.Equal(t, "02-16/2024", rows[5][3])
	assert.True(t, strings.HasPrefix(rows[6][1], "1 дело"))
}

// The XLSX pair of retention's BenchmarkAct1M: run it with
//
//	go test -run '^$' -bench Act -benchtime 1x ./retention/...
func BenchmarkAct100k(b *testing.B) {
	const n = 100_000
	on := retention.DestructionAct{Number: "1", Date: date(2027, 1, 1), Approval: "протокол ЭК № 1"}
	stream := func(yield func(retention.File, error) bool) {
		for i := range n {
			f := files[1+i%3]
			f.Registered, f.Closed = date(2019, 1, 1), date(2020+i%6, time.Month(1+i%12), 1+i%28)
			if !yield(f, nil) {
				return
			}
		}
	}
	for b.Loop() {
		wb, err := retentionxlsx.New(on)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := retention.Standard().Draft(on, stream, wb.Destroy(), wb.Review()); err != nil {
			b.Fatal(err)
		}
		if _, err := wb.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		wb.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/file")
}
