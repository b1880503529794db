package retention

import (
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSuggest(t *testing.T) {
	topic := Suggester{CorruptionCodes: []string{"0004.0016.0162.0000"}}
	tests := []struct {
		name   string
		s      Suggester
		facts  Facts
		want   Category
		reason string
	}{
		{"complaint on corruption", NewSuggester(),
			Facts{Kind: appeal.Complaint, Questions: []string{"0003.0009.0098.0621", "0004.0016.0162.1003"}},
			CategorySerious, "question 0004.0016.0162.1003 under corruption code 0004.0016.0162.1003"},
		{"statement on corruption, refinement code", NewSuggester(),
			Facts{Kind: appeal.Statement, Questions: []string{"0004.0015.0155.0945.0012"}},
			CategorySerious, "0004.0015.0155.0945.0012"},
		{"topic code covers its questions", topic,
			Facts{Kind: appeal.Complaint, Questions: []string{"0004.0016.0162.0999"}},
			CategorySerious, "under corruption code 0004.0016.0162.0000"},
		{"code prefix is whole groups only", NewSuggester(),
			Facts{Kind: appeal.Complaint, Questions: []string{"0004.0016.0162.10031"}},
			CategoryPersonal, "complaint of a personal nature"},
		{"complaint, other question", NewSuggester(),
			Facts{Kind: appeal.Complaint, Questions: []string{"0003.0009.0098.0621"}},
			CategoryPersonal, "complaint of a personal nature"},
		{"operational statement", NewSuggester(),
			Facts{Kind: appeal.Statement, Operational: true},
			CategoryOperational, "statement of an operational nature"},
		{"proposal", NewSuggester(), Facts{Kind: appeal.Proposal}, CategorySerious, "proposal"},
		{"information request on corruption stays operational", NewSuggester(),
			Facts{Kind: appeal.InformationRequest, Questions: []string{"0004.0016.0162.1003"}},
			CategoryOperational, "information request"},
		{"no corruption codes", Suggester{},
			Facts{Kind: appeal.Complaint, Questions: []string{"0004.0016.0162.1003"}},
			CategoryPersonal, "personal"},
		{"a code of zeros matches nothing", Suggester{CorruptionCodes: []string{"0000.0000.0000.0000", ""}},
			Facts{Kind: appeal.Complaint, Questions: []string{"0000.0001.0000.0000"}},
			CategoryPersonal, "personal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.s.Suggest(tt.facts)
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.Category)
			assert.Equal(t, tt.want, c.Suggested)
			assert.Contains(t, c.Reason, tt.reason)
			assert.False(t, c.Overridden())
		})
	}
	_, err := NewSuggester().Suggest(Facts{Kind: "petition"})
	require.ErrorIs(t, err, ErrUnknownKind)
}

func TestOverride(t *testing.T) {
	c, err := NewSuggester().Suggest(Facts{Kind: appeal.Complaint})
	require.NoError(t, err)
	o, err := c.Override(CategorySerious, " Иванова И.И. ", "сведения о злоупотреблениях должностных лиц")
	require.NoError(t, err)
	assert.Equal(t, Choice{Category: CategorySerious, Suggested: CategoryPersonal,
		Reason: "сведения о злоупотреблениях должностных лиц", By: "Иванова И.И."}, o)
	assert.True(t, o.Overridden())

	for _, bad := range [][3]string{{"serious", "", "why"}, {"serious", "who", " "}, {"", "who", "why"}} {
		got, err := c.Override(Category(bad[0]), bad[1], bad[2])
		require.ErrorIs(t, err, ErrNoReason)
		assert.Equal(t, c, got, "the choice stands")
	}
}
