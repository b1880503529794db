package classifier

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		level Level
	}{
		{"0001.0000.0000.0000", "0001.0000.0000.0000", Section},
		{"0001.0001.0000.0000", "0001.0001.0000.0000", Theme},
		{"0001.0001.0005.0000", "0001.0001.0005.0000", Topic},
		{"0005.0005.0055.1122", "0005.0005.0055.1122", Question},
		{"0001.0001.0006.0013.0001", "0001.0001.0006.0013.0001", Refinement},
		{"5.5.55.1122", "0005.0005.0055.1122", Question},
		{"05.005.0055.1122", "0005.0005.0055.1122", Question},
		{"1.1.6.13.1", "0001.0001.0006.0013.0001", Refinement},
		{"0005.0005.0055.1122.0000", "0005.0005.0055.1122", Question},
		{"5.0.0.0", "0005.0000.0000.0000", Section},
		{"  0005.0005.0055.1122\t", "0005.0005.0055.1122", Question},
		{"9999.9999.9999.9999.9999", "9999.9999.9999.9999.9999", Refinement},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.String())
			assert.Equal(t, tt.level, c.Level())
			assert.False(t, c.IsZero())
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		offset   int
		block    int
		expected string
	}{
		{"empty", "", 0, 0, "a code like"},
		{"spaces only", "   ", 3, 0, "a code like"},
		{"one block", "0005", 4, 0, "4 or 5 blocks"},
		{"three blocks", "0005.0005.0055", 14, 0, "4 or 5 blocks"},
		{"six blocks", "1.1.6.13.1.1", 10, 5, "end of the code after block 5"},
		{"trailing dot", "0005.0005.0055.1122.", 20, 5, "a digit"},
		{"leading dot", ".0005.0005.0055.1122", 0, 1, "a digit"},
		{"double dot", "0005..0055.1122", 5, 2, "a digit"},
		{"five digits", "0005.00055.0055.1122", 9, 2, "at most 4 digits"},
		{"five digits last", "0005.0005.0055.11220", 19, 4, "at most 4 digits"},
		{"letter", "0005.00x5.0055.1122", 7, 2, "a digit or '.'"},
		{"comma", "0005,0005,0055,1122", 4, 1, "a digit or '.'"},
		{"space inside", "0005. 0005.0055.1122", 5, 2, "a digit"},
		{"slash", "0005/0005/0055/1122", 4, 1, "a digit or '.'"},
		{"minus", "-5.5.55.1122", 0, 1, "a digit"},
		{"plus", "+5.5.55.1122", 0, 1, "a digit"},
		{"cyrillic", "вопрос", 0, 1, "a digit"},
		{"fullwidth digit", "０005.0005.0055.1122", 0, 1, "a digit"},
		{"zero code", "0000.0000.0000.0000", 0, 1, "section number other than 0000"},
		{"zero section", "0000.0005.0055.1122", 0, 1, "section number other than 0000"},
		{"gap in theme", "0005.0000.0055.1122", 10, 3, "block 2 is 0000"},
		{"gap in topic", "0001.0001.0000.0007", 15, 4, "block 3 is 0000"},
		{"refinement without question", "0001.0001.0006.0000.0001", 20, 5, "block 4 is 0000"},
		{"hex", "0x05.0005.0055.1122", 1, 1, "a digit or '.'"},
		{"exponent", "1e3.0005.0055.1122", 1, 1, "a digit or '.'"},
		{"invalid utf8", "0005.\xff.0055.1122", 5, 2, "a digit"},
		{"nul", "0005.0005.0055.1122\x00", 19, 4, "a digit or '.'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.in)
			require.Error(t, err)
			assert.True(t, c.IsZero(), "a failed Parse returns the zero Code")
			assert.ErrorIs(t, err, ErrInvalidCode)
			pe, ok := errors.AsType[*ParseError](err)
			require.True(t, ok, "want *ParseError, got %T", err)
			assert.Equal(t, tt.offset, pe.Offset, "offset")
			assert.Equal(t, tt.block, pe.Block, "block")
			assert.Contains(t, pe.Expected, tt.expected)
			assert.Contains(t, err.Error(), "expected "+pe.Expected)
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("0005.00x5.0055.1122")
	assert.EqualError(t, err, `classifier: invalid code: block 2 at offset 7: expected a digit or '.'`)
}

// TestParseErrorHidesInput: text typed into a code field may be personal data (a name, a phone, an
// address), and Parse's error may reach a log, so neither the message nor the fields repeat it.
func TestParseErrorHidesInput(t *testing.T) {
	for _, in := range []string{
		"Иванов Иван Иванович",
		"+7 912 345-67-89",
		"ivanov@example.ru",
		"ул. Ленина, д. 5, кв. 12",
		"0005.0005.0055.1122 Петров",
		"5.5.Сидорова.1122",
		strings.Repeat("секрет", 20),
	} {
		t.Run(in, func(t *testing.T) {
			_, err := Parse(in)
			require.Error(t, err)
			pe, ok := errors.AsType[*ParseError](err)
			require.True(t, ok)
			msg := err.Error() + " " + pe.Expected
			for _, word := range strings.FieldsFunc(in, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				if len([]rune(word)) < 3 {
					continue // "5", "ул": too short to tell apart from the message's own words
				}
				assert.NotContains(t, msg, word)
			}
		})
	}
}

func TestMustParsePanics(t *testing.T) {
	assert.Panics(t, func() { MustParse("0005") })
	assert.Equal(t, "0005.0005.0055.1122", MustParse("5.5.55.1122").String())
}

func TestCodeNavigation(t *testing.T) {
	refinement := MustParse("0001.0001.0006.0013.0001")
	question := MustParse("0001.0001.0006.0013")
	topic := MustParse("0001.0001.0006.0000")
	theme := MustParse("0001.0001.0000.0000")
	section := MustParse("0001.0000.0000.0000")

	chain := []Code{refinement, question, topic, theme, section, {}}
	for k := 0; k+1 < len(chain); k++ {
		assert.Equal(t, chain[k+1], chain[k].Parent(), "parent of %s", chain[k])
		assert.Equal(t, Level(5-k), chain[k].Level())
	}
	assert.Equal(t, Code{}, Code{}.Parent())
	assert.Equal(t, Level(0), Code{}.Level())
	assert.True(t, Code{}.IsZero())
	assert.Equal(t, "", Code{}.String())

	assert.True(t, topic.Contains(refinement))
	assert.True(t, topic.Contains(topic))
	assert.True(t, Code{}.Contains(question))
	assert.False(t, question.Contains(topic))
	assert.False(t, topic.Contains(MustParse("0001.0001.0005.0007")))
	assert.False(t, section.Contains(Code{}))
}

func TestCodeCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"0001.0000.0000.0000", "0001.0001.0000.0000", -1},
		{"0001.0001.0006.0013", "0001.0001.0006.0013.0001", -1},
		{"0001.0001.0006.0013.0002", "0001.0001.0006.0013.0001", 1},
		{"0005.0005.0055.1122", "5.5.55.1122", 0},
		{"0001.0020.0000.0000", "0001.0003.0000.0000", 1},
		{"0002.0000.0000.0000", "0001.0020.0201.0200.0074", 1},
	}
	for _, tt := range tests {
		a, b := MustParse(tt.a), MustParse(tt.b)
		assert.Equal(t, tt.want, a.Compare(b), "%s vs %s", tt.a, tt.b)
		assert.Equal(t, -tt.want, b.Compare(a), "%s vs %s", tt.b, tt.a)
		assert.Equal(t, tt.want == 0, a == b)
	}
	assert.Equal(t, -1, Code{}.Compare(MustParse("0001.0000.0000.0000")))
}

func TestCodeText(t *testing.T) {
	type card struct {
		Question Code   `json:"question"`
		Other    Code   `json:"other"`
		Codes    []Code `json:"codes"`
	}
	in := card{Question: MustParse("5.5.55.1122"), Codes: []Code{MustParse("0001.0001.0006.0013.0001")}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"question":"0005.0005.0055.1122","other":"","codes":["0001.0001.0006.0013.0001"]}`, string(b))
	var out card
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	var c Code
	err = json.Unmarshal([]byte(`"0005.0005"`), &c)
	assert.ErrorIs(t, err, ErrInvalidCode)

	got, err := MustParse("0005.0005.0055.1122").AppendText([]byte("code="))
	require.NoError(t, err)
	assert.Equal(t, "code=0005.0005.0055.1122", string(got))
}

func TestLevelString(t *testing.T) {
	names := map[Level]string{Section: "section", Theme: "theme", Topic: "topic", Question: "question", Refinement: "refinement", 0: "level(0)", 6: "level(6)"}
	for l, want := range names {
		assert.Equal(t, want, l.String())
		assert.Equal(t, l == Question || l == Refinement, l.Assignable(), "%s", l)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"0005.0005.0055.1122", "0001.0001.0006.0013.0001", "5.5.55.1122", "0001.0000.0000.0000",
		"0005.0000.0055.1122", "0005..0055.1122", "1.1.6.13.1.1", "0005.00055.0055.1122", " 1.1.1.1 ",
		"", ".", "0000.0000.0000.0000", "вопрос 1122", "0005.\xff.0055.1122",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			pe, ok := errors.AsType[*ParseError](err)
			if !ok || !errors.Is(err, ErrInvalidCode) {
				t.Fatalf("Parse(%q): error %T %v is not a *ParseError wrapping ErrInvalidCode", s, err, err)
			}
			if pe.Offset < 0 || pe.Offset > len(s) || pe.Block < 0 || pe.Block > maxBlocks || pe.Expected == "" {
				t.Fatalf("Parse(%q): bad error fields %+v", s, *pe)
			}
			if !c.IsZero() {
				t.Fatalf("Parse(%q) failed but returned %v", s, c)
			}
			if len(strings.TrimSpace(s)) >= 12 && strings.Contains(err.Error(), strings.TrimSpace(s)) {
				t.Fatalf("Parse(%q): the error repeats the input: %v", s, err)
			}
			return
		}
		if l := c.Level(); l < Section || l > Refinement {
			t.Fatalf("Parse(%q) = %v at level %d", s, c, l)
		}
		text := c.String()
		back, err := Parse(text)
		if err != nil || back != c || back.String() != text {
			t.Fatalf("Parse(%q) = %v, which does not round-trip: %v, %v", s, text, back, err)
		}
		if p := c.Parent(); p.Level() != c.Level()-1 || !p.Contains(c) || p.Compare(c) >= 0 {
			t.Fatalf("Parse(%q) = %v: parent %v is inconsistent", s, c, p)
		}
		var u Code
		if err := u.UnmarshalText([]byte(text)); err != nil || u != c {
			t.Fatalf("UnmarshalText(%q) = %v, %v", text, u, err)
		}
	})
}

// A rule keyed by a part of the classifier names it by its leading blocks.
func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		level Level
	}{
		{"0005", "0005.0000.0000.0000", Section},
		{" 5.5 ", "0005.0005.0000.0000", Theme},
		{"0005.0005.0056", "0005.0005.0056.0000", Topic},
		{"0005.0005.0056.1147", "0005.0005.0056.1147", Question},
		{"1.1.6.13.1", "0001.0001.0006.0013.0001", Refinement},
	}
	for _, tt := range tests {
		c, err := ParsePrefix(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, c.String(), tt.in)
		assert.Equal(t, tt.level, c.Level(), tt.in)
	}
	for _, bad := range []string{"", "  ", "0", "5.x", "0005.0000.0056"} {
		_, err := ParsePrefix(bad)
		assert.ErrorIs(t, err, ErrInvalidCode, bad)
	}
}
