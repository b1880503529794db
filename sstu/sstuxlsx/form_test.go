package sstuxlsx_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/sstu/sstuxlsx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

const other = "6bc82a49-6a97-43f4-9e42-a07d417b60b6"

func day(d int) deadline.Date { return deadline.NewDate(2024, 3, d) }

func TestWriteForm(t *testing.T) {
	yes := true
	r := sstu.Record{Number: "А26-05-00000000", CreateDate: day(1), Questions: []sstu.Question{
		{Code: "0005.0005.0056.1147", Status: appeal.StatusSupported, ActionsTaken: &yes,
			IncomingDate: day(4), RegistrationDate: day(5), ResponseDate: day(28)},
		{Code: "0001.0001.0001.0001", Status: appeal.StatusTransferred, IncomingDate: day(4), RegistrationDate: day(5),
			Transfer: &sstu.Transfer{DepartmentID: other, TransferDate: day(7), TransferNumber: "01-15/123"}},
	}}
	rows := func(yield func(sstu.FormRow) bool) {
		for _, row := range sstu.FormRows(&r) {
			if !yield(row) {
				return
			}
		}
	}
	var xlsx bytes.Buffer
	require.NoError(t, sstuxlsx.WriteForm(&xlsx, sstu.Month{Year: 2024, Month: time.March}, rows, map[string]string{other: "ГЖИ"}))

	f, err := excelize.OpenReader(&xlsx)
	require.NoError(t, err)
	defer f.Close()
	got, err := f.GetRows(sstuxlsx.Sheet)
	require.NoError(t, err)
	require.Len(t, got, 5)
	assert.Equal(t, "Результаты рассмотрения обращений за 2024-03", got[0][0])
	assert.Len(t, got[1], 18)
	assert.Equal(t, "Регистрационный номер", got[1][0])
	assert.Equal(t, "Рассмотрено. Не поддержано", got[1][17])
	assert.Equal(t, "17", got[2][16])
	assert.Len(t, got[2], 17, "the last column is not numbered on the form")
	supported, transferred := got[3], got[4]
	assert.Equal(t, []string{"А26-05-00000000", "01.03.2024", "04.03.2024", "05.03.2024", "0005.0005.0056.1147"}, supported[:5])
	assert.Equal(t, "+", supported[10])
	assert.Equal(t, "+", supported[11])
	assert.Equal(t, "28.03.2024", supported[14])
	assert.Equal(t, "ГЖИ", transferred[5])
	assert.Equal(t, "+", transferred[7])
	assert.Equal(t, "01-15/123", transferred[8])
	assert.Equal(t, "07.03.2024", transferred[9])
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteFormError(t *testing.T) {
	err := sstuxlsx.WriteForm(failWriter{}, sstu.Month{Year: 2024, Month: time.March}, func(func(sstu.FormRow) bool) {}, nil)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "sstuxlsx: form: "))
}
