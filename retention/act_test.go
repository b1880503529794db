package retention

import (
	"bytes"
	"errors"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testAct = DestructionAct{Number: "3", Date: date(2030, 1, 15), Organization: "Администрация города N",
	Approval: "протокол ЭК от 20.01.2030 № 1"}

var testFiles = []File{
	{Number: "02-14/2024", Title: "Жалобы о коррупции", Category: CategorySerious, Registered: date(2024, 1, 9), Closed: date(2024, 12, 27)},
	{Number: "02-15/2024", Title: "Обращения оперативного характера", Category: CategoryOperational, Registered: date(2024, 1, 10), Closed: date(2024, 12, 31), Volumes: 2},
	{Number: "02-16/2024", Title: "Обращения личного характера", Category: CategoryPersonal, Registered: date(2024, 1, 11), Closed: date(2024, 12, 30)},
	{Number: "02-15/2025", Title: "Обращения оперативного характера", Category: CategoryOperational, Registered: date(2025, 1, 1), Closed: date(2025, 1, 1)},
	{Number: "02-17/2023", Title: "Обращения Петрова П.П.", Category: CategoryOperational, Registered: date(2020, 3, 2), Closed: date(2023, 4, 5),
		Repeated: true, LastConsidered: date(2024, 2, 1), Note: "3 обращения"},
	{Number: "02-16/2023", Title: "Обращения личного характера", Category: CategoryPersonal, Closed: date(2023, 12, 29), Review: ReviewDestroy},
	{Number: "02-16/2022", Title: "Обращения личного характера", Category: CategoryPersonal, Closed: date(2022, 12, 29), Review: ReviewKeep},
}

func TestDraftCSV(t *testing.T) {
	var act, review bytes.Buffer
	tot, err := Standard().Draft(testAct, FromSlice(testFiles), NewCSVSheet(&act), NewCSVSheet(&review))
	require.NoError(t, err)
	assert.Equal(t, Totals{
		Files:     7,
		Destroy:   Summary{Files: 3, Volumes: 4, First: date(2020, 3, 2), Last: date(2024, 12, 31)},
		Review:    Summary{Files: 1, Volumes: 1, First: date(2024, 1, 11), Last: date(2024, 12, 30)},
		Kept:      1,
		Permanent: 2,
	}, tot)
	assert.Equal(t, `№ п/п,Заголовок дела,Крайние даты,Индекс дела,Количество дел (томов),Срок хранения и статья по перечню,Примечание
1,Обращения оперативного характера,10.01.2024–31.12.2024,02-15/2024,2,"5 лет, ст. 154 «в» (2019)",
2,Обращения Петрова П.П.,02.03.2020–05.04.2023,02-17/2023,1,"5 лет, ст. 154 «в» (2019)",3 обращения; неоднократное обращение: 5 лет после последнего рассмотрения 01.02.2024
3,Обращения личного характера,29.12.2023,02-16/2023,1,"5 лет ЭПК, ст. 154 «б» (2019)",
Итого,3 дела,2020–2024,,4,,
`, act.String())
	assert.Equal(t, `№ п/п,Заголовок дела,Крайние даты,Индекс дела,Количество дел (томов),Срок хранения и статья по перечню,Примечание
1,Обращения личного характера,11.01.2024–30.12.2024,02-16/2024,1,"5 лет ЭПК, ст. 154 «б» (2019)",
Итого,1 дело,2024,,1,,
`, review.String())
}

func TestDraftEmpty(t *testing.T) {
	var act bytes.Buffer
	tot, err := Standard().Draft(testAct, FromSlice(nil), NewCSVSheet(&act), nil)
	require.NoError(t, err)
	assert.Equal(t, Totals{}, tot)
	assert.Equal(t, "№ п/п,Заголовок дела,Крайние даты,Индекс дела,Количество дел (томов),Срок хранения и статья по перечню,Примечание\nИтого,0 дел,,,0,,\n", act.String())
}

type failSheet struct{ after int }

func (f *failSheet) WriteRow(Row) error {
	if f.after--; f.after < 0 {
		return errors.New("disk full")
	}
	return nil
}
func (f *failSheet) WriteTotals(Summary) error { return errors.New("disk full") }

func TestDraftRefuses(t *testing.T) {
	broken := errors.New("store down")
	stream := func(err error) iter.Seq2[File, error] {
		return func(yield func(File, error) bool) {
			if yield(testFiles[1], nil) {
				yield(File{}, err)
			}
		}
	}
	tests := []struct {
		name   string
		act    DestructionAct
		files  iter.Seq2[File, error]
		sheet  Sheet
		want   error
		text   string
		tFiles int
	}{
		{"no approval", DestructionAct{Number: "3", Date: date(2030, 1, 1), Approval: " "}, FromSlice(testFiles), nil, ErrNoApproval, `act "3"`, 0},
		{"no date", DestructionAct{Number: "3", Approval: "протокол"}, FromSlice(testFiles), nil, ErrBadAct, "no valid date", 0},
		{"bad date", DestructionAct{Number: "3", Date: date(2030, 2, 30), Approval: "протокол"}, FromSlice(testFiles), nil, ErrBadAct, "no valid date", 0},
		{"stream error", testAct, stream(broken), nil, broken, "reading file 2", 1},
		{"bad file stops", testAct, FromSlice([]File{testFiles[0], {Number: "02-99", Category: "x", Closed: date(2020, 1, 1)}}), nil, ErrUnknownCategory, `file "02-99"`, 2},
		{"sheet error", testAct, FromSlice(testFiles), &failSheet{after: 1}, nil, `file "02-17/2023": disk full`, 5},
		{"totals error", testAct, FromSlice(testFiles), &failSheet{after: 10}, nil, "totals: disk full", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tot, err := Standard().Draft(tt.act, tt.files, tt.sheet, nil)
			require.Error(t, err)
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
			}
			assert.Contains(t, err.Error(), tt.text)
			assert.Equal(t, tt.tFiles, tot.Files)
		})
	}
}

func TestDraftStopsTheStream(t *testing.T) {
	read := 0
	files := func(yield func(File, error) bool) {
		for _, f := range append(testFiles, File{Number: "bad"}, testFiles[0]) {
			read++
			if !yield(f, nil) {
				return
			}
		}
	}
	_, err := Standard().Draft(testAct, files, nil, nil)
	require.ErrorIs(t, err, ErrNotClosed)
	assert.Equal(t, len(testFiles)+1, read, "the iterator is told to stop")
}
