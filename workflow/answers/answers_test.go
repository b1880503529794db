package answers_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fz59/appeals/workflow/answers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var data = answers.Data{Org: "Администрация города N", OrgGenitive: "Администрации города N", GivenName: "Мария",
	Patronymic: "Петровна", Number: "Ж-2025-000001", Questions: []answers.Question{{Code: "0005.0005.0056.1147", Title: "Вывоз мусора"}},
	Target: "Государственная жилищная инспекция", Days: 30, Reason: "запрос документов", Ground: "court_decision",
	Decision: "Принято решение о безосновательности очередного обращения", Earlier: "Ж-2024-000001, Ж-2024-000009"}

// Every default template renders for a sample, with the article it cites.
func TestDefaultSetRenders(t *testing.T) {
	set, err := answers.Default()
	require.NoError(t, err)
	for _, c := range []struct {
		o    answers.Outcome
		want string
	}{
		{answers.Answer, "ст. 10 Федерального закона"},
		{answers.Forwarding, "ч. 3 ст. 8"},
		{answers.Extension, "ч. 2 ст. 12"},
		{answers.Return, "ч. 2 ст. 11"},
		{answers.LeftWithoutAnswer, "ст. 11"},
		{answers.EndOfCorrespondence, "ч. 5 ст. 11"},
		{answers.Refusal, "ч. 1 ст. 4"},
	} {
		text, err := set.Render(c.o, []string{"0005.0005.0056.1147"}, data)
		require.NoError(t, err, c.o)
		assert.Contains(t, text, c.want, c.o)
		assert.True(t, strings.HasPrefix(text, "Уважаемый(ая) Мария Петровна!"), c.o)
		assert.NotContains(t, text, "<no value>", c.o)
	}
	assert.Len(t, answers.Outcomes(), 7)
}

// The most specific template for the appeal's codes wins: a question's over its topic's over
// the outcome's own.
func TestMostSpecificTemplateWins(t *testing.T) {
	host, err := answers.Parse(fstest.MapFS{"host.tmpl": {Data: []byte(
		`{{define "answer:0005.0005"}}theme{{end}}{{define "answer:0005.0005.0056"}}topic{{end}}` +
			`{{define "answer:0005.0005.0056.1147"}}question{{end}}`)}}, "*.tmpl")
	require.NoError(t, err)
	def, err := answers.Default()
	require.NoError(t, err)
	set, err := def.Over(host)
	require.NoError(t, err)
	for codes, want := range map[string]string{
		"0005.0005.0056.1147": "question", "0005.0005.0056.1130": "topic", "0005.0005.0055.1122": "theme",
		"0002.0006.0065.0257": "default", "0002.0006.0065.0257,0005.0005.0056.1130": "topic",
	} {
		text, err := set.Render(answers.Answer, strings.Split(codes, ","), data)
		require.NoError(t, err)
		if want == "default" {
			assert.Contains(t, text, "рассмотрело Ваше обращение", codes)
			continue
		}
		assert.Equal(t, want+"\n", text, codes)
	}
}

// A template that names an unknown field, an unknown outcome or a bad code fails at load.
func TestBadTemplatesFailAtLoad(t *testing.T) {
	for name, src := range map[string]string{
		"unknown field":        `{{define "answer"}}{{.NoSuchField}}{{end}}`,
		"unknown func":         `{{define "answer"}}{{upper .Org}}{{end}}`,
		"unknown outcome":      `{{define "thanks"}}x{{end}}`,
		"bad code":             `{{define "answer:00x5"}}x{{end}}`,
		"bad field in a range": `{{define "answer"}}{{range .Questions}}{{.Name}}{{end}}{{end}}`,
	} {
		_, err := answers.Parse(fstest.MapFS{"t.tmpl": {Data: []byte(src)}}, "*.tmpl")
		assert.Error(t, err, name)
	}
}
