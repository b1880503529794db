package routing_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/workflow/routing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rules = `code,department,responsible
0005.0005,Управление ЖКХ,
0005.0005.0056,Отдел благоустройства,blag-1
0005.0005.0056.1147,Отдел по вывозу отходов,waste-1
0002.0006,Отдел труда,labour-1
`

func TestMostSpecificRuleWins(t *testing.T) {
	table, err := routing.Load(strings.NewReader(rules), routing.CSV, classifier.Embedded())
	require.NoError(t, err)
	for _, c := range []struct {
		codes []string
		dept  string
		ok    bool
	}{
		{[]string{"0005.0005.0056.1147"}, "Отдел по вывозу отходов", true}, // the question's own rule
		{[]string{"0005.0005.0056.1130"}, "Отдел благоустройства", true},   // its topic's
		{[]string{"0005.0005.0055.1122"}, "Управление ЖКХ", true},          // its theme's
		{[]string{"0002.0006.0065.0257", "0005.0005.0056.1147"}, "Отдел по вывозу отходов", true},
		{[]string{"0005.0005.0055.1122", "0002.0006.0065.0257"}, "Управление ЖКХ", true}, // same level: the first code's
		{[]string{"0001.0001.0001.0001"}, "", false},
		{[]string{"not a code"}, "", false},
		{nil, "", false},
	} {
		r, ok := table.Route(c.codes)
		assert.Equal(t, c.ok, ok, "%v", c.codes)
		assert.Equal(t, c.dept, r.Department, "%v", c.codes)
	}
	assert.Equal(t, "0005.0005.0056.1147", table.Rules()[0].Code, "the deepest first")
}

func TestLoadJSON(t *testing.T) {
	table, err := routing.Load(strings.NewReader(`[{"code":"0002.0006","department":"Отдел труда","responsible":"labour-1"}]`),
		routing.JSON, classifier.Embedded())
	require.NoError(t, err)
	r, ok := table.Route([]string{"0002.0006.0065.0257"})
	require.True(t, ok)
	assert.Equal(t, "labour-1", r.Responsible)
}

// A rule for a code the edition does not have fails at load, naming the rule, never its text.
func TestLoadRefusesBadRules(t *testing.T) {
	cls := classifier.Embedded()
	for _, c := range []struct {
		name, src string
		f         routing.Format
		rule      int
	}{
		{"unknown code", "code,department,responsible\n0005.0005,ЖКХ,\n0009.0099,Иванов Иван,\n", routing.CSV, 2},
		{"not a code", "code,department,responsible\nИванов,Отдел,\n", routing.CSV, 1},
		{"no department", "code,department,responsible\n0005.0005,,x\n", routing.CSV, 1},
		{"the same code twice", "code,department,responsible\n0005.0005,А,\n0005.0005.0000.0000,Б,\n", routing.CSV, 2},
		{"no header", "0005.0005,А,\n", routing.CSV, 0},
		{"a short line", "code,department,responsible\n0005.0005,А,\n0005\n", routing.CSV, 2},
		{"JSON with an unknown field", `[{"code":"0005.0005","department":"А","who":"x"}]`, routing.JSON, 0},
	} {
		_, err := routing.Load(strings.NewReader(c.src), c.f, cls)
		var re *routing.RuleError
		require.True(t, errors.As(err, &re), "%s: %v", c.name, err)
		assert.ErrorIs(t, err, routing.ErrRules)
		assert.NotContains(t, err.Error(), "Иванов", c.name)
		assert.Equal(t, c.rule, re.Rule, c.name)
	}
	_, err := routing.Load(strings.NewReader(""), "xml", cls)
	assert.Error(t, err)
}
