package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fz59/appeals/appeal"
)

// call runs the program with args and standard input in, returning its exit status, stdout and
// stderr.
func call(in string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	status := run(args, strings.NewReader(in), &out, &errOut)
	return status, out.String(), errOut.String()
}

func TestSearch(t *testing.T) {
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
			status, out, errOut := call("", tt.args...)
			assert.Equal(t, 0, status)
			assert.Equal(t, tt.want, out)
			assert.Empty(t, errOut)
		})
	}
}

func TestSearchJSON(t *testing.T) {
	status, out, _ := call("", "-json", "-n", "3", "0005.0005.0055")
	require.Equal(t, 0, status)
	var got []struct {
		Code  string `json:"code"`
		Level int    `json:"level"`
		Title string `json:"title"`
		Kind  string `json:"kind"`
		Path  []struct {
			Code string `json:"code"`
		} `json:"path"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got, 3)
	assert.Equal(t, "0005.0005.0055.0000", got[0].Code)
	assert.Equal(t, "exact-code", got[0].Kind)
	assert.Equal(t, 3, got[0].Level)
	assert.Len(t, got[0].Path, 3)
	assert.Equal(t, "code-prefix", got[1].Kind)

	_, out, _ = call("", "-json", "ыыыы")
	assert.Equal(t, "[]\n", out)
}

func TestOtherEdition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.csv")
	require.NoError(t, os.WriteFile(path, []byte("code,level,parent_code,title,edition\n0005.0000.0000.0000,1,,Жилищно-коммунальная сфера,2019-01-01\n"), 0o600))
	status, out, _ := call("", "-csv", path, "жилищ")
	assert.Equal(t, 0, status)
	assert.Equal(t, "0005.0000.0000.0000      Жилищно-коммунальная сфера\n", out)

	status, _, errOut := call("", "-csv", filepath.Join(t.TempDir(), "missing.csv"), "жилищ")
	assert.Equal(t, 1, status)
	assert.Contains(t, errOut, "no such file")
}

func TestSuggestText(t *testing.T) {
	status, out, errOut := call("", "-suggest", "-text", "почему опять насчитали 8 тысяч за отопление? квитанция")
	require.Equal(t, 0, status, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	assert.LessOrEqual(t, len(lines), 10, "5 suggestions, two lines each")
	assert.Contains(t, out, "0005.0005.0056.1149      Оплата жилищно-коммунальных услуг (ЖКХ), взносов в Фонд капитального ремонта\n")
	assert.Contains(t, out, "насчитали")

	status, out, _ = call("", "-suggest", "-json", "-n", "2", "-text", "нет горячей воды")
	require.Equal(t, 0, status)
	var got []struct {
		Code  string   `json:"code"`
		Title string   `json:"title"`
		Score float64  `json:"score"`
		Words []string `json:"words"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.NotEmpty(t, got)
	assert.LessOrEqual(t, len(got), 2)
	assert.Equal(t, "0005.0005.0056.1154", got[0].Code)
	assert.Contains(t, got[0].Words, "воды")

	_, out, _ = call("", "-suggest", "-text", "ыыыы")
	assert.Equal(t, "no suggestions: the text has no word the model knows\n", out)
}

func TestSuggestFile(t *testing.T) {
	in := `{"id": 1, "text": "нет горячей воды уже неделю"}
{"id": "a-2", "text": "ямы на дороге по колено", "extra": true}

{"text": "ыыыы"}
`
	status, out, errOut := call(in, "-suggest", "-n", "3", "-")
	require.Equal(t, 0, status, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 3, "one line per input line, blank lines skipped")
	var first struct {
		ID    int      `json:"id"`
		Codes []string `json:"codes"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	assert.Equal(t, 1, first.ID)
	require.NotEmpty(t, first.Codes)
	assert.LessOrEqual(t, len(first.Codes), 3)
	assert.Equal(t, "0005.0005.0056.1154", first.Codes[0])
	assert.True(t, strings.HasPrefix(lines[1], `{"id":"a-2","codes":["`), lines[1])
	assert.Equal(t, `{"id":null,"codes":[]}`, lines[2])

	path := filepath.Join(t.TempDir(), "in.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(in), 0o600))
	status, fromFile, _ := call("", "-suggest", "-n", "3", path)
	assert.Equal(t, 0, status)
	assert.Equal(t, out, fromFile)

	status, _, errOut = call("{\"id\":1,\"text\":\"вода\"}\nИванов Иван Иванович, ул. Ленина\n", "-suggest", "-")
	assert.Equal(t, 1, status)
	assert.Equal(t, "classify: -: line 2: not a JSON object with id and text\n", errOut, "the error does not repeat the line")
}

func TestSuggestLearn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "learn.jsonl")
	var b strings.Builder
	for _, text := range []string{
		"вейкбордисты носятся у пляжа, гидробайки ревут",
		"опять гидробайки, вейкбордисты распугали рыбаков",
		"вейкбордисты и гидробайки у купальни, каждый выходной",
		"гидробайки ревут с утра, вейкбордисты с ними",
	} {
		line, err := json.Marshal(map[string]string{"text": text, "code": "0003.0009.0099.0730"})
		require.NoError(t, err)
		b.Write(append(line, '\n'))
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	status, out, errOut := call("", "-suggest", "-learn", path, "-n", "1", "-text", "снова гидробайки и вейкбордисты")
	require.Equal(t, 0, status, errOut)
	assert.True(t, strings.HasPrefix(out, "0003.0009.0099.0730"), out)

	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte(`{"text": "вода", "code": "0005.0005.0056.0000"}`+"\n"), 0o600))
	status, _, errOut = call("", "-suggest", "-learn", bad, "-text", "вода")
	assert.Equal(t, 1, status)
	assert.Contains(t, errOut, "line 1: suggest: learn: classifier: code not assignable")
}

// TestCommandLine: -h and -version succeed; a wrong command line exits 2 with one line.
func TestCommandLine(t *testing.T) {
	status, out, errOut := call("", "-h")
	assert.Equal(t, 0, status)
	assert.True(t, strings.HasPrefix(out, "usage: classify"), out)
	assert.Contains(t, out, "-suggest")
	assert.Empty(t, errOut)

	status, out, _ = call("", "-version")
	assert.Equal(t, 0, status)
	assert.Equal(t, "classify "+appeal.Version+"\n", out)

	for _, args := range [][]string{
		nil,
		{"-nope"},
		{"-n", "x", "вода"},
		{"-n", "-1", "вода"},
		{"-text", "вода"},
		{"-learn", "x.jsonl", "вода"},
		{"-suggest"},
		{"-suggest", "a.jsonl", "b.jsonl"},
		{"-suggest", "-text", "вода", "extra"},
		{"-suggest", "-json", "a.jsonl"},
		{"-version", "extra"},
	} {
		status, out, errOut := call("", args...)
		assert.Equal(t, 2, status, "%q", args)
		assert.Empty(t, out, "%q", args)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "%q: one line: %s", args, errOut)
		assert.Contains(t, errOut, "(classify -h for usage)", "%q", args)
	}
}
