package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"word", []string{"перепись"}, "0001.0001.0005.0007      Демография. Перепись населения\n" +
			"                         Государство, общество, политика › Конституционный строй › Население Российской Федерации\n"},
		{"two words", []string{"-n", "1", "пересел", "авар"}, "0005.0005.0055.1122      Переселение из подвалов, бараков, коммуналок, общежитий, аварийных домов, ветхого жилья, санитарно-защитной зоны\n" +
			"                         Жилищно-коммунальная сфера › Жилище › Обеспечение граждан жилищем, пользование жилищным фондом, социальные гарантии в жилищной сфере (за исключением права собственности на жилище)\n"},
		{"section", []string{"-n", "1", "0005"}, "0005.0000.0000.0000      Жилищно-коммунальная сфера\n"},
		{"nothing", []string{"ыыыы"}, "nothing found for \"ыыыы\" in Классификаторы на 31.10.2025 (2025-10-31)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			require.NoError(t, run(tt.args, &out, &errOut))
			assert.Equal(t, tt.want, out.String())
			assert.Empty(t, errOut.String())
		})
	}
}

func TestRunJSON(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"-json", "-n", "3", "0005.0005.0055"}, &out, &bytes.Buffer{}))
	var got []struct {
		Code  string `json:"code"`
		Level int    `json:"level"`
		Title string `json:"title"`
		Kind  string `json:"kind"`
		Path  []struct {
			Code string `json:"code"`
		} `json:"path"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	require.Len(t, got, 3)
	assert.Equal(t, "0005.0005.0055.0000", got[0].Code)
	assert.Equal(t, "exact-code", got[0].Kind)
	assert.Equal(t, 3, got[0].Level)
	assert.Len(t, got[0].Path, 3)
	assert.Equal(t, "code-prefix", got[1].Kind)

	out.Reset()
	require.NoError(t, run([]string{"-json", "ыыыы"}, &out, &bytes.Buffer{}))
	assert.Equal(t, "[]\n", out.String())
}

func TestRunOtherEdition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.csv")
	require.NoError(t, os.WriteFile(path, []byte("code,level,parent_code,title,edition\n0005.0000.0000.0000,1,,Жилищно-коммунальная сфера,2019-01-01\n"), 0o600))
	var out bytes.Buffer
	require.NoError(t, run([]string{"-csv", path, "жилищ"}, &out, &bytes.Buffer{}))
	assert.Equal(t, "0005.0000.0000.0000      Жилищно-коммунальная сфера\n", out.String())

	err := run([]string{"-csv", filepath.Join(t.TempDir(), "missing.csv"), "жилищ"}, &out, &bytes.Buffer{})
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestRunUsage(t *testing.T) {
	var errOut bytes.Buffer
	err := run(nil, &bytes.Buffer{}, &errOut)
	assert.EqualError(t, err, "nothing to search for")
	assert.Contains(t, errOut.String(), "usage: classify")
}
