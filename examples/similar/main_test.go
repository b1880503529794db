package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const letter = "Уважаемый глава! С осени в нашем доме № 14 по ул. Садовой течёт крыша, вода льётся по стенам в квартиры пятого этажа. Управляющая компания на заявки не отвечает. Прошу обязать её отремонтировать кровлю. С уважением, Петрова Н.С."

// result is an output line, with string ids.
type result struct {
	ID         string
	Duplicates []string
	Similar    []struct {
		ID    string
		Score float64
	}
}

func lineOf(t *testing.T, fields map[string]string) string {
	b, err := json.Marshal(fields)
	require.NoError(t, err)
	return string(b) + "\n"
}

func exec(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestFindsDuplicatesAndSimilar(t *testing.T) {
	resent := strings.NewReplacer("Уважаемый глава!", "Здравствуйте! Пишу повторно.", "ё", "е", "С уважением, Петрова Н.С.", "").Replace(letter)
	input := lineOf(t, map[string]string{"id": "a1", "applicant": "Петрова Нина Сергеевна", "email": "Petrova@example.org", "received": "2026-03-02", "subject": "Крыша", "text": letter}) +
		lineOf(t, map[string]string{"id": "a2", "applicant": "Иванов И.И.", "email": "ivanov@example.org", "received": "2026-03-03", "text": "Прошу выдать справку о составе семьи."}) +
		"\n" + // blank lines are skipped
		lineOf(t, map[string]string{"id": "a3", "applicant": "Н.С. Петрова", "email": "", "received": "2026-03-20", "text": resent}) +
		lineOf(t, map[string]string{"id": "a4", "applicant": "Сидоров П.П.", "email": "sidorov@example.org", "received": "2026-03-04", "text": letter}) +
		lineOf(t, map[string]string{"id": "a5", "applicant": "Петрова Н.С.", "email": "petrova@example.org", "received": "2026-06-20", "text": resent}) +
		lineOf(t, map[string]string{"id": "a6", "applicant": "Петров А.А.", "received": "2026-03-05", "subject": "Прошу выдать справку о составе семьи"})
	code, stdout, stderr := exec(t, input, "-")
	require.Equal(t, 0, code, stderr)
	var got []result
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var o result
		require.NoError(t, json.Unmarshal([]byte(l), &o), l)
		got = append(got, o)
	}
	require.Len(t, got, 6)
	byID := map[string]result{}
	for _, o := range got {
		byID[o.ID] = o
	}
	assert.Equal(t, []string{"a1", "a2", "a3", "a4", "a5", "a6"}, []string{got[0].ID, got[1].ID, got[2].ID, got[3].ID, got[4].ID, got[5].ID}, "input order")
	assert.Equal(t, []string{"a3"}, byID["a1"].Duplicates, "initials first, no e-mail: the name alone matches")
	assert.Equal(t, []string{"a1"}, byID["a3"].Duplicates)
	assert.Empty(t, byID["a5"].Duplicates, "outside the 60-day window")
	assert.Empty(t, byID["a4"].Duplicates, "another applicant's copy is similar, not a duplicate")
	assert.ElementsMatch(t, []string{"a1", "a3", "a5"}, ids(byID["a4"].Similar))
	for _, s := range byID["a4"].Similar {
		assert.Greater(t, s.Score, 0.8)
	}
	assert.Equal(t, []string{"a6"}, ids(byID["a2"].Similar), "the subject stands for an empty text")
	assert.NotNil(t, byID["a2"].Duplicates, "an empty list, not null")

	code, stdout, _ = exec(t, input, "-window", "120", "-")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, `{"id":"a5","duplicates":["a3","a1"]`)

	code, stdout, _ = exec(t, input, "-json=false", "-")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "duplicate a3")
	assert.Contains(t, stdout, "same applicant; shared: «")
}

func TestReadsAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "appeals.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(lineOf(t, map[string]string{"id": "x", "received": "2026-01-01", "text": letter})), 0o600))
	code, stdout, stderr := exec(t, "", path)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, `{"id":"x","duplicates":[],"similar":[]}`+"\n", stdout)

	code, _, stderr = exec(t, "", filepath.Join(t.TempDir(), "missing.jsonl"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "missing.jsonl")
}

func ids(items []struct {
	ID    string
	Score float64
}) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// Numbers are ids too, written back as numbers; a date and time is a receipt date.
func TestNumericIDs(t *testing.T) {
	input := `{"id": 17, "applicant": "Петрова Н.С.", "received": "2026-03-02T10:00:00+05:00", "text": "` + letter + `"}` + "\n" +
		`{"id": "17", "applicant": "Петрова Н.С.", "received": "2026-03-09", "text": "` + letter + `"}` + "\n"
	code, stdout, stderr := exec(t, input, "-")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, `{"id":17,"duplicates":["17"],"similar":[]}`+"\n"+`{"id":"17","duplicates":[17],"similar":[]}`+"\n", stdout)

	code, _, stderr = exec(t, `{"id": 17, "received": "2026-03-02"}`+"\n"+`{"id": 17, "received": "2026-03-02"}`+"\n", "-")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "line 2: id: the id of line 1 again")
}

func TestUsage(t *testing.T) {
	code, stdout, stderr := exec(t, "", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "usage: similar")
	assert.Contains(t, stdout, "-window days")
	assert.Empty(t, stderr)

	code, stdout, _ = exec(t, "", "-version")
	assert.Equal(t, 0, code)
	assert.Equal(t, "similar "+appeal.Version+"\n", stdout)

	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "no input file"},
		{[]string{"a.jsonl", "b.jsonl"}, "one input file, not 2"},
		{[]string{"-window", "0", "a.jsonl"}, "-window 0: want 1 or more days"},
		{[]string{"-duplicate", "1.5", "a.jsonl"}, "-duplicate 1.5: want a score above 0 and at most 1"},
		{[]string{"-similar", "0", "a.jsonl"}, "-similar 0: want a score above 0 and at most 1"},
		{[]string{"-n", "0", "a.jsonl"}, "-n 0: want 1 or more"},
		{[]string{"-bogus", "a.jsonl"}, "flag provided but not defined: -bogus"},
	} {
		code, stdout, stderr := exec(t, "", tt.args...)
		assert.Equal(t, 2, code, tt.args)
		assert.Empty(t, stdout)
		assert.Equal(t, 1, strings.Count(stderr, "\n"), "one message: %q", stderr)
		assert.Contains(t, stderr, tt.want)
	}
}

// A bad line is refused by its number, and nothing of it is echoed: it may be personal data.
func TestRefusesBadLines(t *testing.T) {
	const secret = "Секретова"
	good := lineOf(t, map[string]string{"id": "ok", "received": "2026-01-01", "text": "текст"})
	for _, tt := range []struct {
		name, line, want string
	}{
		{"not JSON", "{" + secret + "\n", "line 2: not a JSON object"},
		{"not an object", `["` + secret + `"]` + "\n", "line 2: not a JSON object"},
		{"a number for a string", `{"id": "b", "received": "2026-01-01", "text": 5, "subject": "` + secret + `"}` + "\n", "line 2: text: want a string"},
		{"an object for an id", `{"id": {"x": "` + secret + `"}, "received": "2026-01-01"}` + "\n", "line 2: id: want a string or a number"},
		{"two values", `{"id":"b","received":"2026-01-01"} {"text":"` + secret + `"}` + "\n", "line 2: more than one JSON value"},
		{"no id", lineOf(t, map[string]string{"received": "2026-01-01", "text": secret}), "line 2: id: required"},
		{"bad date", lineOf(t, map[string]string{"id": "b", "received": "01.02." + secret, "text": "x"}), "line 2: received: want a date YYYY-MM-DD"},
		{"id twice", lineOf(t, map[string]string{"id": "ok", "received": "2026-01-01", "text": secret}), "line 2: id: the id of line 1 again"},
		{"not UTF-8", "{\"id\":\"b\",\"text\":\"\xff" + secret + "\"}\n", "line 2: not UTF-8"},
		{"too long", `{"id":"b","text":"` + strings.Repeat(secret, maxLine/len(secret)+1) + `"}` + "\n", "line 2: longer than 1048576 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := exec(t, good+tt.line+good, "-")
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout, "nothing written before the input is whole")
			assert.Contains(t, stderr, tt.want)
			assert.NotContains(t, stderr, secret)
			assert.NotContains(t, stderr, "Секрет")
		})
	}
}
