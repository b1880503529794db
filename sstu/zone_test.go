package sstu_test

import (
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDefaultZoneIsTheEngines: with no zone set on either side, the report's days are the
// engine's days, at the moments where Moscow and UTC disagree.
func TestDefaultZoneIsTheEngines(t *testing.T) {
	eng, err := workflow.New(memstore.New(memstore.Options{}), workflow.Options{})
	require.NoError(t, err)
	for _, at := range []time.Time{
		time.Date(2024, 3, 31, 21, 30, 0, 0, time.UTC), // 1 April in Moscow
		time.Date(2024, 3, 31, 20, 59, 0, 0, time.UTC), // still 31 March
	} {
		a := appeal.New(uuid.New(), at, appeal.ChannelPost)
		a.RegisteredAt = at
		a.Questions = []appeal.Question{{Code: "0005.0005.0055.1122", Status: appeal.StatusInWork}}
		r := (&sstu.Org{}).Record(&sstu.Entry{Appeal: a})
		assert.Equal(t, eng.Counter().DateOf(at), r.Questions[0].RegistrationDate, "%s", at)
		assert.Equal(t, deadline.DateOf(at, sstu.Moscow()), r.Questions[0].IncomingDate)
	}
}
