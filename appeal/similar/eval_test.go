package similar

import (
	"testing"

	"github.com/fz59/appeals/appeal/similar/internal/lettergen"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// letterDocument is the document of a generated letter, as the engine would build it.
func letterDocument(l *lettergen.Letter, n *textnorm.Normalizer) Document {
	d := Document{ID: l.ID, ReceivedAt: l.Received, Applicants: []string{l.Key}, Address: AddressKey(l.Address, n)}
	d.Tokens = n.AppendTokens(nil, l.Text)
	d.Signature = Sign(d.Tokens)
	return d
}

// The duplicates found in 2,000 generated letters, a fifth of them sent again (sentences
// reordered, typos, other greetings, initials, ё as е, a paragraph added), against the truth:
// precision and recall at the default threshold are at least 0.9 each. Letters of the same
// person on the same topic, letters sent again after the window and other people's copies
// are in the set and are not duplicates.
func TestDuplicatesPrecisionRecall(t *testing.T) {
	letters := lettergen.Set(2026, 2000)
	var n textnorm.Normalizer
	x := NewMemIndex(Options{})
	docs := make([]Document, len(letters))
	byID := make(map[uuid.UUID]int, len(letters))
	for i := range letters {
		docs[i] = letterDocument(&letters[i], &n)
		require.NoError(t, x.Put(docs[i]))
		byID[letters[i].ID] = i
	}
	truth := 0
	for i := range letters {
		for j := i + 1; j < len(letters); j++ {
			if lettergen.Duplicate(&letters[i], &letters[j]) {
				truth++
			}
		}
	}
	require.Greater(t, truth, 300, "the set plants enough duplicates")

	found, right := 0, 0
	for i := range docs {
		for _, m := range x.Query(docs[i]).Duplicates {
			j := byID[m.ID]
			if j < i {
				continue // each pair once
			}
			found++
			if lettergen.Duplicate(&letters[i], &letters[j]) {
				right++
			}
			assert.True(t, m.SameApplicant)
		}
	}
	precision, recall := float64(right)/float64(found), float64(right)/float64(truth)
	t.Logf("duplicates: %d true pairs, %d found, %d right: precision %.3f, recall %.3f", truth, found, right, precision, recall)
	assert.GreaterOrEqual(t, precision, 0.9, "precision")
	assert.GreaterOrEqual(t, recall, 0.9, "recall")
}
