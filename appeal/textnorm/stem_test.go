package textnorm

import (
	"bufio"
	"compress/gzip"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stemmer gives the Snowball project's own stems for its whole Russian vocabulary.
func TestStemSnowballVocabulary(t *testing.T) {
	f, err := os.Open("testdata/snowball-russian.tsv.gz")
	require.NoError(t, err)
	defer f.Close()
	z, err := gzip.NewReader(f)
	require.NoError(t, err)
	sc := bufio.NewScanner(z)
	words, wrong := 0, 0
	for sc.Scan() {
		word, want, ok := strings.Cut(sc.Text(), "\t")
		require.True(t, ok, "line %d", words+1)
		words++
		if got := Stem(word); got != want {
			if wrong++; wrong <= 20 {
				t.Errorf("Stem(%q) = %q, want %q", word, got, want)
			}
		}
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, 49785, words)
	assert.Zero(t, wrong, "wrong stems")
}

func TestStemKnown(t *testing.T) {
	tests := []struct{ word, want string }{
		{"квартирами", "квартир"},
		{"обращения", "обращен"},
		{"управляющая", "управля"},
		{"отремонтировать", "отремонтирова"},
		{"протекает", "протека"},
		{"жильцов", "жильц"},
		{"многоквартирного", "многоквартирн"},
		{"поликлиники", "поликлиник"},
		{"пенсионерам", "пенсионер"},
		{"ответственности", "ответствен"},
		{"красивейшая", "красив"},
		{"ЁЛКА", "елк"},           // folded first
		{"самолётами", "самолет"}, // ё as е
		{"дом", "дом"},
		{"ул", "ул"},     // no vowel: RV is empty
		{"mail", "mail"}, // not Russian: kept
		{"кв12", "кв12"}, // not letters only: kept
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Stem(tt.word), tt.word)
	}
}
