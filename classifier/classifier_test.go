package classifier

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func codes(nodes []Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Code.String()
	}
	return out
}

func TestEmbeddedEveryRowLoads(t *testing.T) {
	c := Embedded()
	r := csv.NewReader(strings.NewReader(embeddedCSV))
	_, err := r.Read()
	require.NoError(t, err)
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		rows++
		n, ok := c.Lookup(MustParse(rec[0]))
		require.True(t, ok, "row %d: %s not loaded", rows, rec[0])
		assert.Equal(t, rec[0], n.Code.String(), "the file holds canonical codes")
		assert.Equal(t, rec[1], strconv.Itoa(int(n.Level)), "level of %s", rec[0])
		assert.Equal(t, rec[2], n.Code.Parent().String(), "parent of %s", rec[0])
		assert.Equal(t, rec[3], n.Title)
	}
	assert.Equal(t, 2108, rows)
	assert.Equal(t, rows, c.Len())
}

func TestEmbeddedCountsAndParents(t *testing.T) {
	c := Embedded()
	count := map[Level]int{}
	var prev Node
	for n := range c.All() {
		count[n.Level]++
		if p := n.Code.Parent(); !p.IsZero() {
			_, ok := c.Lookup(p)
			assert.True(t, ok, "parent %s of %s", p, n.Code)
			assert.True(t, prev.Code.Level() >= n.Level-1, "%s comes after its parent's subtree began", n.Code)
		}
		path, err := c.Path(n.Code)
		require.NoError(t, err)
		require.Len(t, path, int(n.Level))
		assert.Equal(t, n, path[len(path)-1])
		for k := 1; k < len(path); k++ {
			assert.Equal(t, path[k-1].Code, path[k].Code.Parent())
		}
		prev = n
	}
	assert.Equal(t, map[Level]int{Section: 5, Theme: 21, Topic: 206, Question: 1225, Refinement: 651}, count)
	ed := c.Edition()
	assert.Equal(t, EmbeddedName, ed.Name)
	assert.Equal(t, time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC), ed.Date)
	assert.Equal(t, "Классификаторы на 31.10.2025 (2025-10-31)", ed.String())
	assert.Same(t, c, Embedded(), "parsed once")
}

func TestKnownNodes(t *testing.T) {
	c := Embedded()
	tests := []struct {
		code, title string
		level       Level
	}{
		{"0001.0001.0005.0007", "Демография. Перепись населения", Question},
		{"0005.0005.0055.1122", "Переселение из подвалов, бараков, коммуналок, общежитий, аварийных домов, ветхого жилья, санитарно-защитной зоны", Question},
		{"0005.0000.0000.0000", "Жилищно-коммунальная сфера", Section},
		{"0001.0001.0006.0013.0001", "на территории Российской Федерации", Refinement},
		{"0004.0018.0174.1091.0000", "Арибтражное судопроизводство", Question}, // source typo kept; padding fifth block
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			n, err := c.Get(MustParse(tt.code))
			require.NoError(t, err)
			assert.Equal(t, tt.title, n.Title)
			assert.Equal(t, tt.level, n.Level)
		})
	}
}

func TestRepeatedQuestionNumbers(t *testing.T) {
	c := Embedded()
	var under []string
	for n := range c.All() {
		if n.Level == Question && n.Code.b[3] == 40 {
			under = append(under, n.Code.Parent().String())
			assert.Equal(t, "Разграничение полномочий ветвей государственной власти", n.Title)
		}
	}
	assert.Len(t, under, 5, "question 0040 stands under five topics")
}

func TestDocumentOrder(t *testing.T) {
	themes, err := Embedded().Children(MustParse("0001.0000.0000.0000"))
	require.NoError(t, err)
	assert.Equal(t, []string{"0001.0001.0000.0000", "0001.0002.0000.0000", "0001.0020.0000.0000", "0001.0003.0000.0000", "0001.0021.0000.0000"}, codes(themes),
		"siblings keep the order of the official document, not the numeric one")
}

func TestNavigation(t *testing.T) {
	c := Embedded()
	sections, err := c.Children(Code{})
	require.NoError(t, err)
	assert.Equal(t, []string{"0001.0000.0000.0000", "0002.0000.0000.0000", "0003.0000.0000.0000", "0004.0000.0000.0000", "0005.0000.0000.0000"}, codes(sections))

	kids, err := c.Children(MustParse("0001.0001.0006.0013"))
	require.NoError(t, err)
	assert.Equal(t, []string{"0001.0001.0006.0013.0001", "0001.0001.0006.0013.0002"}, codes(kids))

	kids, err = c.Children(MustParse("0001.0001.0005.0007"))
	require.NoError(t, err)
	assert.Empty(t, kids)

	path, err := c.Path(MustParse("0005.0005.0055.1122"))
	require.NoError(t, err)
	assert.Equal(t, []string{"0005.0000.0000.0000", "0005.0005.0000.0000", "0005.0005.0055.0000", "0005.0005.0055.1122"}, codes(path))
	assert.Equal(t, "Жилище", path[1].Title)

	path, err = c.Path(Code{})
	assert.NoError(t, err)
	assert.Empty(t, path)

	qs, err := c.Questions(MustParse("0001.0001.0005.0000"))
	require.NoError(t, err)
	assert.Equal(t, []string{"0001.0001.0005.0007", "0001.0001.0005.0008", "0001.0001.0005.0009", "0001.0001.0005.0010", "0001.0001.0005.0011", "0001.0001.0005.0012"}, codes(qs))

	qs, err = c.Questions(MustParse("0001.0001.0006.0013"))
	require.NoError(t, err)
	assert.Equal(t, []string{"0001.0001.0006.0013"}, codes(qs), "a question is at its own place")

	qs, err = c.Questions(Code{})
	require.NoError(t, err)
	assert.Len(t, qs, 1225)

	qs, err = c.Questions(MustParse("0005.0000.0000.0000"))
	require.NoError(t, err)
	for _, q := range qs {
		assert.True(t, MustParse("0005.0000.0000.0000").Contains(q.Code))
	}
}

func TestUnknownCode(t *testing.T) {
	c := Embedded()
	old := MustParse("0005.0009.0104.0886") // numbering of an earlier edition
	_, ok := c.Lookup(old)
	assert.False(t, ok)

	calls := map[string]func(Code) error{
		"Get":        func(x Code) error { _, err := c.Get(x); return err },
		"Assignable": c.Assignable,
		"Children":   func(x Code) error { _, err := c.Children(x); return err },
		"Path":       func(x Code) error { _, err := c.Path(x); return err },
		"Questions":  func(x Code) error { _, err := c.Questions(x); return err },
		"Subset":     func(x Code) error { _, err := c.Subset(x); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call(old)
			require.ErrorIs(t, err, ErrUnknownCode)
			ue, ok := errors.AsType[*UnknownCodeError](err)
			require.True(t, ok)
			assert.Equal(t, old, ue.Code)
			assert.Equal(t, c.Edition(), ue.Edition)
			assert.Contains(t, err.Error(), "code 0005.0009.0104.0886 is not in edition Классификаторы на 31.10.2025 (2025-10-31)")
		})
	}
	_, err := c.Get(Code{})
	assert.ErrorIs(t, err, ErrUnknownCode)
	assert.Contains(t, err.Error(), "the empty code")
}

func TestAssignable(t *testing.T) {
	c := Embedded()
	tests := []struct {
		code string
		want error
	}{
		{"0001.0000.0000.0000", ErrNotAssignable},
		{"0001.0001.0000.0000", ErrNotAssignable},
		{"0001.0001.0005.0000", ErrNotAssignable},
		{"0001.0001.0005.0007", nil},
		{"0001.0001.0006.0013", nil},
		{"0001.0001.0006.0013.0001", nil},
		{"0001.0001.0006.0013.0099", ErrUnknownCode},
	}
	for _, tt := range tests {
		err := c.Assignable(MustParse(tt.code))
		if tt.want == nil {
			assert.NoError(t, err, tt.code)
			continue
		}
		assert.ErrorIs(t, err, tt.want, tt.code)
	}
	err := c.Assignable(MustParse("0001.0001.0005.0000"))
	assert.EqualError(t, err, "classifier: code not assignable: 0001.0001.0005.0000 is a topic; only questions and refinements are assigned")
}

const olderCSV = `code,level,parent_code,title,edition
0005.0000.0000.0000,1,,Жилищно-коммунальная сфера,2019-01-01
0005.0009.0000.0000,2,0005.0000.0000.0000,Жилище,2019-01-01
0005.0009.0104.0886,4,0005.0009.0104.0000,Переселение из аварийного жилья,2019-01-01
0005.0009.0104.0000,3,0005.0009.0000.0000,Обеспечение граждан жилищем,2019-01-01
`

func TestLoadOtherEdition(t *testing.T) {
	c, err := Load(strings.NewReader("\uFEFF"+olderCSV), "Классификатор 2019")
	require.NoError(t, err)
	assert.Equal(t, Edition{Name: "Классификатор 2019", Date: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)}, c.Edition())
	assert.Equal(t, 4, c.Len())
	var all []string
	for n := range c.All() {
		all = append(all, n.Code.String())
	}
	assert.Equal(t, []string{"0005.0000.0000.0000", "0005.0009.0000.0000", "0005.0009.0104.0000", "0005.0009.0104.0886"}, all,
		"a child listed before its parent still follows it")
	assert.NoError(t, c.Assignable(MustParse("0005.0009.0104.0886")))

	_, err = c.Get(MustParse("0005.0005.0055.1122"))
	assert.EqualError(t, err, "classifier: code 0005.0005.0055.1122 is not in edition Классификатор 2019 (2019-01-01)")
	m := c.Search("пересел авар", 5)
	require.Len(t, m, 1)
	assert.Equal(t, "0005.0009.0104.0886", m[0].Code.String())
}

func TestLoadErrors(t *testing.T) {
	const head = "code,level,parent_code,title,edition\n"
	const sec = "0005.0000.0000.0000,1,,Жилищно-коммунальная сфера,2025-10-31\n"
	tests := []struct {
		name string
		csv  string
		line int
		msg  string
	}{
		{"empty", "", 1, "header: EOF"},
		{"wrong header", "code,title\n", 1, "wrong number of fields"},
		{"renamed column", "code,level,parent,title,edition\n" + sec, 1, `header is "code,level,parent,title,edition"`},
		{"no rows", head, 0, "no rows"},
		{"short row", head + "0005.0000.0000.0000,1,,x\n", 2, "wrong number of fields"},
		{"bad quote", head + "0005.0000.0000.0000,1,,\"x,2025-10-31\n", 2, "extraneous or missing"},
		{"bad code", head + "0005.0000.0000,1,,x,2025-10-31\n", 2, "code: classifier: invalid code"},
		{"level mismatch", head + "0005.0000.0000.0000,2,,x,2025-10-31\n", 2, "is a section (level 1)"},
		{"level not a number", head + "0005.0000.0000.0000,один,,x,2025-10-31\n", 2, `level is "один"`},
		{"parent mismatch", head + sec + "0005.0005.0000.0000,2,0004.0000.0000.0000,Жилище,2025-10-31\n", 3, "but the parent of 0005.0005.0000.0000"},
		{"section with parent", head + "0005.0000.0000.0000,1,0005.0000.0000.0000,x,2025-10-31\n", 2, "parent_code is"},
		{"bad parent", head + sec + "0005.0005.0000.0000,2,x,Жилище,2025-10-31\n", 3, "parent_code: classifier: invalid code"},
		{"missing parent", head + sec + "0005.0005.0055.0000,3,0005.0005.0000.0000,x,2025-10-31\n", 3, "the parent 0005.0005.0000.0000 of 0005.0005.0055.0000 is missing"},
		{"duplicate", head + sec + "5.0.0.0,1,,y,2025-10-31\n", 3, "repeats line 2"},
		{"empty title", head + "0005.0000.0000.0000,1,,  ,2025-10-31\n", 2, "empty title"},
		{"mixed editions", head + sec + "0005.0005.0000.0000,2,0005.0000.0000.0000,Жилище,2024-01-01\n", 3, `edition is "2024-01-01"`},
		{"bad date", head + "0005.0000.0000.0000,1,,x,31.10.2025\n", 2, "not YYYY-MM-DD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(strings.NewReader(tt.csv), "test")
			require.Error(t, err)
			assert.Nil(t, c)
			le, ok := errors.AsType[*LoadError](err)
			require.True(t, ok, "want *LoadError, got %T: %v", err, err)
			assert.Equal(t, "test", le.Edition)
			assert.Equal(t, tt.line, le.Line, "line: %v", err)
			assert.Contains(t, err.Error(), tt.msg)
			assert.Contains(t, err.Error(), `classifier: load edition "test"`)
		})
	}
	_, err := Load(strings.NewReader("code,level,parent_code,title,edition\n0005.0000.0000,1,,x,2025-10-31\n"), "test")
	assert.ErrorIs(t, err, ErrInvalidCode)
}

func TestSubset(t *testing.T) {
	full := Embedded()
	housing := MustParse("0005.0005.0055.0000")
	census := MustParse("0001.0001.0005.0007")
	abroad := MustParse("0001.0001.0006.0013.0002")
	sub, err := full.Subset(housing, census, abroad)
	require.NoError(t, err)
	assert.Equal(t, full.Edition(), sub.Edition())

	sections, err := sub.Children(Code{})
	require.NoError(t, err)
	assert.Equal(t, []string{"0001.0000.0000.0000", "0005.0000.0000.0000"}, codes(sections))

	tests := []struct {
		code string
		in   bool
		err  error // of Assignable
	}{
		{"0005.0005.0055.1122", true, nil}, // under a chosen topic
		{"0005.0005.0055.0000", true, ErrNotAssignable},
		{"0005.0005.0000.0000", true, ErrNotAssignable}, // kept for navigation
		{"0005.0005.0053.1117", false, ErrUnknownCode},  // sibling topic left out
		{"0001.0001.0005.0007", true, nil},
		{"0001.0001.0005.0008", false, ErrUnknownCode},
		{"0001.0001.0006.0013.0002", true, nil},
		{"0001.0001.0006.0013", true, ErrNotAssignable}, // only the parent of a chosen refinement
		{"0001.0001.0006.0013.0001", false, ErrUnknownCode},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			code := MustParse(tt.code)
			_, ok := sub.Lookup(code)
			assert.Equal(t, tt.in, ok)
			err := sub.Assignable(code)
			if tt.err == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.err)
			}
		})
	}

	_, err = sub.Get(MustParse("0001.0001.0005.0008"))
	assert.EqualError(t, err, "classifier: code 0001.0001.0005.0008 is not in the organization's subset of edition Классификаторы на 31.10.2025 (2025-10-31)")

	qs, err := sub.Questions(Code{})
	require.NoError(t, err)
	all, _ := full.Questions(housing)
	assert.Len(t, qs, len(all)+2)

	m := sub.Search("пересел", 10)
	require.NotEmpty(t, m)
	for _, x := range m {
		_, ok := sub.Lookup(x.Code)
		assert.True(t, ok, "%s found outside the subset", x.Code)
	}
	assert.Equal(t, "0005.0005.0055.1122", m[0].Code.String())

	// A subset of a subset keeps what the first left out, out; a parent only for navigation stays so.
	subsub, err := sub.Subset(MustParse("0001.0001.0006.0000"))
	require.NoError(t, err)
	assert.Equal(t, 5, subsub.Len())
	assert.ErrorIs(t, subsub.Assignable(MustParse("0001.0001.0006.0013")), ErrNotAssignable)
	assert.NoError(t, subsub.Assignable(abroad))
	_, err = sub.Subset(MustParse("0001.0001.0005.0008"))
	assert.ErrorIs(t, err, ErrUnknownCode)

	empty, err := full.Subset()
	require.NoError(t, err)
	assert.Equal(t, 0, empty.Len())
	assert.Empty(t, empty.Search("жил", 10))
}

func TestConcurrentUse(t *testing.T) {
	c := Embedded()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				q := []string{"пер", "пересел авар", "0005.0005.00", "1122", "жил"}[(g+i)%5]
				if len(c.Search(q, 10)) == 0 {
					t.Errorf("no result for %q", q)
				}
				if _, ok := c.Lookup(MustParse("0005.0005.0055.1122")); !ok {
					t.Error("lookup failed")
				}
			}
		})
	}
	wg.Wait()
}
