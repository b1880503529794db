package workflow_test

import (
	"strings"
	"testing"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/routing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Routing on classification: the most specific rule names the department and the responsible
// person, the event names the rule; a person's choice overrides it and is recorded as such.
func TestRoutingOnClassification(t *testing.T) {
	table, err := routing.Load(strings.NewReader("code,department,responsible\n"+
		"0005.0005,Управление ЖКХ,zhkh-1\n0005.0005.0056.1147,Отдел по вывозу отходов,waste-1\n"), routing.CSV, classifier.Embedded())
	require.NoError(t, err)
	f := newFixture(t, func(o *workflow.Options) { o.Routing = table })
	id := f.appealAt(registered)
	rec, err := f.eng.Classify(f.ctx, clerk, id, []string{qUtilities})
	require.NoError(t, err)
	assert.Equal(t, "waste-1", rec.Appeal.Responsible)
	assert.Equal(t, &workflow.Route{Code: qUtilities, Department: "Отдел по вывозу отходов", Responsible: "waste-1"}, rec.Route)
	assert.Equal(t, "route "+qUtilities, f.lastEvent(id).Reason)

	// A person names another responsible: recorded as an override, and a re-classification
	// does not undo it.
	rec, err = f.eng.AssignResponsible(f.ctx, manager, id, "exec-7")
	require.NoError(t, err)
	assert.True(t, rec.Route.Overridden)
	assert.Equal(t, "override of route "+qUtilities, f.lastEvent(id).Reason)
	rec, err = f.eng.Classify(f.ctx, clerk, id, []string{qUtilities, qWages})
	require.NoError(t, err)
	assert.Equal(t, "exec-7", rec.Appeal.Responsible)

	// No rule for the code: nothing routed.
	id2 := f.appealAt(registered)
	rec, err = f.eng.Classify(f.ctx, clerk, id2, []string{qWages})
	require.NoError(t, err)
	assert.Nil(t, rec.Route)
	assert.Empty(t, rec.Appeal.Responsible)
}
