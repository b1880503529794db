package retention

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStandard(t *testing.T) {
	rules := Standard().Rules()
	require.Len(t, rules, 6)
	var got []string
	for _, r := range rules {
		got = append(got, r.Ref()+" "+string(r.Category)+" "+r.Period.String())
		assert.NotEmpty(t, r.Title)
		if !r.Period.Permanent {
			assert.Equal(t, 5, r.Repeated, "repeated-appeal note on %s", r.Ref())
		}
	}
	assert.Equal(t, []string{
		"ст. 183 «а» (2010) serious Постоянно",
		"ст. 183 «б» (2010) personal 5 лет ЭПК",
		"ст. 183 «в» (2010) operational 5 лет",
		"ст. 154 «а» (2019) serious Постоянно",
		"ст. 154 «б» (2019) personal 5 лет ЭПК",
		"ст. 154 «в» (2019) operational 5 лет",
	}, got)
	// Each call gives a schedule of its own.
	a := Standard()
	require.NoError(t, a.Register(Rule{Edition: Edition2019, Article: "155", Category: "register", Period: RetentionPeriod{Years: 5}}))
	_, err := Standard().Rule(Edition2019, "register")
	require.ErrorIs(t, err, ErrUnknownCategory)
	r, err := a.Rule("", "register")
	require.NoError(t, err)
	assert.Equal(t, "155", r.Article)
}

func TestPeriodString(t *testing.T) {
	for p, want := range map[RetentionPeriod]string{
		{Permanent: true}: "Постоянно", {Years: 1}: "1 год", {Years: 3}: "3 года", {Years: 5, EPK: true}: "5 лет ЭПК",
		{Years: 11}: "11 лет", {Years: 21}: "21 год", {Years: 22}: "22 года", {Years: 75, EPK: true}: "75 лет ЭПК",
		{Years: 112}: "112 лет",
	} {
		assert.Equal(t, want, p.String())
	}
}

func TestRegisterRefuses(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		text string
	}{
		{"duplicate", Rule{Edition: Edition2019, Article: "999", Category: CategoryPersonal, Period: RetentionPeriod{Years: 1}}, "already has category"},
		{"no category", Rule{Edition: Edition2019, Article: "1", Period: RetentionPeriod{Years: 1}}, "required"},
		{"no article", Rule{Edition: "x", Category: "c", Period: RetentionPeriod{Years: 1}}, "required"},
		{"zero years", Rule{Edition: "x", Article: "1", Category: "c"}, "outside"},
		{"too many years", Rule{Edition: "x", Article: "1", Category: "c", Period: RetentionPeriod{Years: MaxYears + 1}}, "outside"},
		{"permanent ЭПК", Rule{Edition: "x", Article: "1", Category: "c", Period: RetentionPeriod{Permanent: true, EPK: true}}, "permanent"},
		{"permanent with years", Rule{Edition: "x", Article: "1", Category: "c", Period: RetentionPeriod{Permanent: true, Years: 5}}, "permanent"},
		{"negative repeated", Rule{Edition: "x", Article: "1", Category: "c", Period: RetentionPeriod{Years: 5}, Repeated: -1}, "repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Standard().Register(tt.rule)
			require.ErrorIs(t, err, ErrBadRule)
			assert.Contains(t, err.Error(), tt.text)
		})
	}
}

const header = "edition,article,item,category,years,epk,repeated,title\n"

func TestParseRules(t *testing.T) {
	rules, err := ParseRules(strings.NewReader("# host nomenclature\n" + header +
		" nom , 02-07 ,, register , 3 ,, ,Журнал регистрации обращений\n" +
		"nom,02-08,,letters,permanent,false,,Письма\n" +
		"nom,02-09,,personal,10,true,5,\"Дела, личные\"\n"))
	require.NoError(t, err)
	assert.Equal(t, []Rule{
		{Edition: "nom", Article: "02-07", Category: "register", Period: RetentionPeriod{Years: 3}, Title: "Журнал регистрации обращений"},
		{Edition: "nom", Article: "02-08", Category: "letters", Period: RetentionPeriod{Permanent: true}, Title: "Письма"},
		{Edition: "nom", Article: "02-09", Category: "personal", Period: RetentionPeriod{Years: 10, EPK: true}, Repeated: 5, Title: "Дела, личные"},
	}, rules)
}

func TestParseRulesRefuses(t *testing.T) {
	tests := []struct {
		name, in, text string
	}{
		{"empty", "", "no header"},
		{"only comments", "# nothing\n", "no header"},
		{"wrong header", "a,b,c,d,e,f,g,h\n", "header is not"},
		{"short line", header + "x,1,,c,5,,\n", "wrong number of fields"},
		{"bad years", header + "x,1,,c,five,,,t\n", "line 2"},
		{"bad epk", header + "x,1,,c,5,maybe,,t\n", "epk"},
		{"bad repeated", header + "x,1,,c,5,,x,t\n", "repeated"},
		{"permanent ЭПК", header + "x,1,,c,permanent,true,,t\n", "line 2"},
		{"no category", header + "x,1,,,5,,,t\n", "required"},
		{"bad quote", header + "x,1,,c,5,,,\"t\n", "extraneous or missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules(strings.NewReader(tt.in))
			require.ErrorIs(t, err, ErrBadRule)
			assert.Contains(t, err.Error(), tt.text)
		})
	}
	// Duplicates parse, and NewSchedule refuses them.
	rules, err := ParseRules(strings.NewReader(header + "x,1,,c,5,,,t\nx,2,,c,3,,,u\n"))
	require.NoError(t, err)
	_, err = NewSchedule(rules...)
	require.ErrorIs(t, err, ErrBadRule)
}

func FuzzParseRules(f *testing.F) {
	f.Add(standardCSV)
	f.Add([]byte(header + "x,1,,c,permanent,,,t\n"))
	f.Add([]byte(header + "x,1,,c,5,true,5,\"t,\"\"u\"\"\"\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rules, err := ParseRules(bytes.NewReader(in))
		if err != nil {
			require.ErrorIs(t, err, ErrBadRule)
			return
		}
		for _, r := range rules {
			require.NoError(t, r.validate())
		}
		if s, err := NewSchedule(rules...); err == nil {
			assert.Len(t, s.Rules(), len(rules))
		}
	})
}
