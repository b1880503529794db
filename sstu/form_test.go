package sstu

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormRows(t *testing.T) {
	r := validRecord()
	rows := FormRows(&r)
	require.Len(t, rows, 2)
	assert.Equal(t, FormRow{Number: "А26-05-00000000", DocumentDate: day(1), IncomingDate: day(4), RegistrationDate: day(5),
		Code: "0005.0005.0056.1147", Supported: true, ActionsTaken: true, ResponseDate: day(28), Registered: true}, rows[0])
	assert.Equal(t, FormRow{Number: "А26-05-00000000", DocumentDate: day(1), IncomingDate: day(4), RegistrationDate: day(5),
		Code: "0001.0001.0001.0001", TransferredTo: otherDept, Transferred: true, TransferNumber: "01-15/123", TransferDate: day(7), Registered: true}, rows[1])

	r.Questions[0].Status, r.Questions[0].ActionsTaken = appeal.StatusNotSupported, nil
	assert.True(t, FormRows(&r)[0].NotSupported)
	assert.False(t, FormRows(&r)[0].Supported)
}

func TestFormFromExport(t *testing.T) {
	m, _ := export(t, newExporter(), synth(30, 5, 100))
	var readErr error
	var js bytes.Buffer
	require.NoError(t, WriteFormJSON(&js, Rows((&Reader{}).Zip(m.Parts()...), &readErr)))
	require.NoError(t, readErr)

	var rows []FormRow
	require.NoError(t, json.Unmarshal(js.Bytes(), &rows))
	var want []FormRow
	for _, r := range loaded(t, synth(30, 5, 100)) {
		want = append(want, FormRows(&r)...)
	}
	assert.Equal(t, want, rows)
}
