package classifier

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSearchRanking(t *testing.T) {
	type hit struct {
		code string
		kind MatchKind
	}
	tests := []struct {
		name  string
		query string
		limit int
		want  []hit // the first results, in order
		count int   // how many results in all; -1: don't check
	}{
		{"full code", "0005.0005.0055.1122", 10, []hit{{"0005.0005.0055.1122", ExactCode}}, 1},
		{"code without padding", "5.5.55.1122", 10, []hit{{"0005.0005.0055.1122", ExactCode}}, 1},
		{"topic code then its questions", "0005.0005.0055.0000", 3,
			[]hit{{"0005.0005.0055.0000", ExactCode}, {"0005.0005.0055.1122", CodePrefix}, {"0005.0005.0055.1123", CodePrefix}}, 3},
		{"topic typed short", "5.5.55", 2, []hit{{"0005.0005.0055.0000", ExactCode}, {"0005.0005.0055.1122", CodePrefix}}, 2},
		{"code prefix inside a block", "0005.0005.00", 3,
			[]hit{{"0005.0005.0053.0000", CodePrefix}, {"0005.0005.0053.1116", CodePrefix}, {"0005.0005.0053.1117", CodePrefix}}, 3},
		{"trailing dot", "0005.0005.", 2, []hit{{"0005.0005.0000.0000", ExactCode}, {"0005.0005.0053.0000", CodePrefix}}, 2},
		{"refinements of a question", "0001.0001.0006.0013.", 10,
			[]hit{{"0001.0001.0006.0013", ExactCode}, {"0001.0001.0006.0013.0001", CodePrefix}, {"0001.0001.0006.0013.0002", CodePrefix}}, 3},
		{"refinement", "1.1.6.13.2", 10, []hit{{"0001.0001.0006.0013.0002", ExactCode}}, 1},
		{"padded section", "0005.0000.0000.0000", 2, []hit{{"0005.0000.0000.0000", ExactCode}, {"0005.0005.0000.0000", CodePrefix}}, 2},
		{"section number", "5", 2, []hit{{"0005.0000.0000.0000", ExactCode}, {"0005.0005.0000.0000", CodePrefix}}, 2},
		{"question number", "1122", 10, []hit{{"0005.0005.0055.1122", AllWords}}, 1},
		{"repeated question number", "1197", 10,
			[]hit{{"0003.0009.0093.1197", AllWords}, {"0003.0009.0098.1197", AllWords}, {"0005.0005.0056.1197", AllWords}}, 3},
		{"word", "перепись", 10, []hit{{"0001.0001.0005.0007", AllWords}}, 1},
		{"upper case", "ПЕРЕПИСЬ", 10, []hit{{"0001.0001.0005.0007", AllWords}}, 1},
		{"word prefix", "перепис", 10,
			[]hit{{"0001.0001.0005.0007", AllWords}, {"0001.0002.0025.1205", AllWords}, {"0001.0002.0025.1206", AllWords}, {"0001.0002.0027.0130", AllWords}}, 4},
		{"two word prefixes", "пересел авар", 3,
			[]hit{{"0005.0005.0055.1122", AllWords}, {"0001.0001.0005.0009", SomeWords}, {"0001.0001.0005.0010", SomeWords}}, 3},
		{"words in any order, punctuation", "  авар, ПЕРЕСЕЛ!  ", 1, []hit{{"0005.0005.0055.1122", AllWords}}, 1},
		{"ё as е, whole words first", "жильё", 5,
			[]hit{{"0001.0001.0005.0012", AllWords}, {"0002.0007.0072.0285", AllWords}, {"0005.0005.0055.1137", AllWords}, {"0005.0005.0055.1141", AllWords}, {"0005.0005.0057.1178", AllWords}}, 5},
		{"more words first", "обеспечение жильем ветеранов", 2,
			[]hit{{"0005.0005.0055.1135", AllWords}, {"0004.0018.0171.1083", SomeWords}}, 2},
		{"no match", "ыыыы", 10, nil, 0},
		{"empty", "   ", 10, nil, 0},
		{"zero limit", "перепись", 0, nil, 0},
		{"negative limit", "перепись", -1, nil, 0},
		{"bad code", "0005..0055", 10, nil, 0},
		{"unknown section", "0009.0001", 10, nil, 0},
		{"unknown refinement", "1.1.6.13.3", 10, nil, 0},
		{"too many blocks", "1.1.6.13.1.1", 10, nil, 0},
		{"no section zero", "0.", 10, nil, 0},
		{"zero block alone", "0000", 10, nil, 0},
		{"zero blocks after a section", "5.0.00", 1, []hit{{"0005.0000.0000.0000", ExactCode}}, 1},
		{"zero block before a number", "5.0.55", 10, nil, 0},
	}
	c := Embedded()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Search(tt.query, tt.limit)
			if tt.count >= 0 {
				assert.Len(t, got, tt.count)
			}
			require.GreaterOrEqual(t, len(got), len(tt.want))
			for k, w := range tt.want {
				assert.Equal(t, w.code, got[k].Code.String(), "result %d", k)
				assert.Equal(t, w.kind, got[k].Kind, "result %d (%s)", k, got[k].Code)
			}
			checkMatches(t, c, got, tt.limit)
		})
	}
}

// checkMatches asserts what holds for every search: within the limit, no repeats, best kinds
// first, each with its path.
func checkMatches(t *testing.T, c *Classifier, got []Match, limit int) {
	t.Helper()
	assert.LessOrEqual(t, len(got), max(limit, 0))
	seen := map[Code]bool{}
	for k, m := range got {
		assert.False(t, seen[m.Code], "%s repeats", m.Code)
		seen[m.Code] = true
		if k > 0 {
			assert.LessOrEqual(t, got[k-1].Kind, m.Kind, "kinds out of order at %d", k)
		}
		want, err := c.Path(m.Code)
		require.NoError(t, err)
		assert.Equal(t, want, m.Path)
		assert.Equal(t, len(m.Path), cap(m.Path), "appending to one path must not overwrite the next")
	}
}

func TestSearchWholeWordsBeforeDocumentOrder(t *testing.T) {
	got := Embedded().Search("жилье", 20)
	var exact, prefix int
	for k, m := range got {
		if strings.Contains(strings.ToLower(m.Title), "жилье") && !strings.Contains(strings.ToLower(m.Title), "жильем") {
			exact = k
		} else if prefix == 0 {
			prefix = k
		}
	}
	assert.Less(t, exact, prefix, "«жилье» as a whole word ranks above «жильем»")
}

func TestSearchEveryTitleFindsItself(t *testing.T) {
	c := Embedded()
	for n := range c.All() {
		var found bool
		for _, m := range c.Search(n.Title, c.Len()) {
			if m.Code == n.Code {
				found = m.Kind == AllWords
				break
			}
		}
		assert.True(t, found, "%s «%s» is not found by its own title", n.Code, n.Title)
		m := c.Search(n.Code.String(), 1)
		require.Len(t, m, 1)
		assert.Equal(t, Match{Node: n, Path: m[0].Path, Kind: ExactCode}, m[0])
	}
}

func TestSearchFoldsYo(t *testing.T) {
	c, err := Load(strings.NewReader(`code,level,parent_code,title,edition
0001.0000.0000.0000,1,,Ёлки и ЁЖИКИ,2025-10-31
0001.0001.0000.0000,2,0001.0000.0000.0000,Еловые леса,2025-10-31
`), "ё")
	require.NoError(t, err)
	for _, q := range []string{"ёлк", "елк", "ЕЛКИ", "ежик"} {
		got := c.Search(q, 10)
		require.Len(t, got, 1, q)
		assert.Equal(t, "0001.0000.0000.0000", got[0].Code.String(), q)
	}
	assert.Len(t, c.Search("ёл", 10), 2)
}

func TestSearchManyWords(t *testing.T) {
	c := Embedded()
	q := strings.Repeat("пересел ", 40) + "авар"
	got := c.Search(q, 5)
	require.NotEmpty(t, got, "words past the 32nd are ignored, the rest still match")
	assert.Equal(t, AllWords, got[0].Kind)
}

func TestMatchJSON(t *testing.T) {
	got := Embedded().Search("0001.0001.0005.0007", 1)
	require.Len(t, got, 1)
	b, err := json.Marshal(got[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"code":"0001.0001.0005.0007","level":4,"title":"Демография. Перепись населения","kind":"exact-code","path":[
		{"code":"0001.0000.0000.0000","level":1,"title":"Государство, общество, политика"},
		{"code":"0001.0001.0000.0000","level":2,"title":"Конституционный строй"},
		{"code":"0001.0001.0005.0000","level":3,"title":"Население Российской Федерации"},
		{"code":"0001.0001.0005.0007","level":4,"title":"Демография. Перепись населения"}]}`, string(b))
	assert.Equal(t, "match-kind(9)", MatchKind(9).String())

	var back Match
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, got[0], back)
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"kind":"fuzzy"}`), &back), "unknown match kind; want exact-code, code-prefix, all-words, some-words")
	assert.NotContains(t, json.Unmarshal([]byte(`{"kind":"Иванов"}`), &back).Error(), "Иванов", "the error does not repeat the input")
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"пересел авар", "0005.0005.00", "5.5.55", "1122", "0.", "5.0.", "1.1.6.13.1.", "ё", "\xff", "0000.0000.0000.0000"} {
		f.Add(s, 5)
	}
	c := Embedded()
	f.Fuzz(func(t *testing.T, q string, limit int) {
		limit %= 50
		got := c.Search(q, limit)
		if len(got) > max(limit, 0) {
			t.Fatalf("Search(%q, %d) gave %d results", q, limit, len(got))
		}
		for k, m := range got {
			if k > 0 && got[k-1].Kind > m.Kind {
				t.Fatalf("Search(%q): kinds out of order", q)
			}
			if len(m.Path) != int(m.Level) || m.Path[len(m.Path)-1] != m.Node {
				t.Fatalf("Search(%q): bad path for %s", q, m.Code)
			}
		}
		if utf8.ValidString(q) && len(got) > 0 && got[0].Kind == ExactCode {
			if _, err := Parse(got[0].Code.String()); err != nil {
				t.Fatal(err)
			}
		}
	})
}
