package textnorm

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"stems, stop words and punctuation", "Прошу принять меры: в нашем доме течёт крыша!",
			[]string{"прош", "приня", "мер", "дом", "течет", "крыш"}},
		{"ё and е alike", "Счёт за свет. Счет за свет.", []string{"счет", "свет", "счет", "свет"}},
		{"decomposed й and ё", "Строи\u0306ка, е\u0308мкость", []string{"стройк", "емкост"}},
		{"stress marks dropped", "за\u0301мок", []string{"замок"}},
		{"case folded", "УПРАВЛЯЮЩАЯ КОМПАНИЯ", []string{"управля", "компан"}},
		{"Latin lookalikes in a Russian word", "Мoсква, cтoлица", []string{"москв", "столиц"}},
		{"Latin words kept", "e-mail: Ivanov@Example.org", []string{"mail", "ivanov", "example", "org"}},
		{"initials and one-letter words dropped", "Иванов И.И., г. Пермь", []string{"иван", "перм"}},
		{"«нет» is kept", "нет воды", []string{"нет", "вод"}},
		{"hyphenated words split", "Санкт-Петербург, кто-то", []string{"санкт", "петербург"}},
		{"a word hyphenated at a line end", "управля-\nющая компа-  \r\n ния", []string{"управля", "компан"}},
		{"a hyphen before a blank line is not a hyphenation", "крыша-\n\nтечет", []string{"крыш", "течет"}},
		{"soft hyphens ignored", "управ\u00adляющая", []string{"управля"}},

		{"house number", "д. 5", []string{"д5"}},
		{"house in full with a letter", "дом 5а", []string{"д5а"}},
		{"house letter after a hyphen", "дом 5-а", []string{"д5а"}},
		{"house with №", "в доме № 5", []string{"д5"}},
		{"house written together", "д5, кв12", []string{"д5", "кв12"}},
		{"flat", "кв. 12", []string{"кв12"}},
		{"flat in full, inflected", "в квартире 12", []string{"кв12"}},
		{"fraction, building and flat", "д.5/2, корп. 3, стр. 1, кв.7", []string{"д5/2", "к3", "стр1", "кв7"}},
		{"к. alone is a preposition", "к 5 часам", []string{"5", "час"}},
		{"street with house", "ул. Ленина, 10", []string{"ул", "ленин", "д10"}},
		{"street in full, same tokens", "улица Ленина, дом 10", []string{"ул", "ленин", "д10"}},
		{"street named by a number", "ул. 8 Марта, 5", []string{"ул", "8", "март", "д5"}},
		{"other street types", "пр-т Мира, 3; бульвар Гагарина 7", []string{"пр", "мир", "д3", "бул", "гагарин", "д7"}},
		{"marker without a number is a word", "дом престарелых", []string{"дом", "престарел"}},
		{"room, office, entrance, floor", "комната 3, офис 4, подъезд 2, этаж 5", []string{"ком3", "оф4", "подъезд2", "эт5"}},

		{"numbers kept", "с 12.03.2025 платим 1500 рублей", []string{"12.03.2025", "плат", "1500", "рубл"}},
		{"a year with г.", "в 2024г.", []string{"2024"}},
		{"nothing", " ,.!? — «»", nil},
	}
	var n Normalizer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Tokens(tt.text))
			assert.Equal(t, tt.want, n.AppendTokens(nil, tt.text), "a reused Normalizer")
		})
	}
}

// Different quoting and spacing of the same text give the same tokens.
func TestTokensQuotingAndSpacing(t *testing.T) {
	a := Tokens(`ООО «УК "Жилсервис"» не отвечает`)
	b := Tokens("ООО 'УК „Жилсервис“'   не\tотвечает")
	assert.Equal(t, a, b)
}

func TestTokensBounds(t *testing.T) {
	long := strings.Repeat("а", 1000) + " " + strings.Repeat("7", 1000)
	tokens := Tokens(long)
	assert.Len(t, tokens, 2)
	for _, tok := range tokens {
		assert.LessOrEqual(t, len(tok), maxLexeme)
	}
}

func TestAppendTokensAppends(t *testing.T) {
	var n Normalizer
	dst := n.AppendTokens(nil, "крыша течет")
	dst = n.AppendTokens(dst, "дом 5")
	assert.Equal(t, []string{"крыш", "течет", "д5"}, dst)
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ёлка, ЁЖ!", "елка, еж!"},
		{"ABC abc 123", "abc abc 123"},
		{"И\u0306од", "йод"},
		{"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Fold(tt.in), tt.in)
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"Прошу принять меры: в доме № 5 по ул. Ленина, кв. 12 течёт крыша!",
		"д.5/2, корп. 3, кв.7", "ул. 8 Марта, 5", "Мoсква", "е\u0308 и\u0306", "ǅ ß İ ﬁ", "5-а 2024г 3-х",
		"\xff\xfe", strings.Repeat("ж", 100),
	} {
		f.Add(s)
	}
	var reused Normalizer
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if Fold(folded) != folded {
			t.Fatalf("Fold is not idempotent on %q", s)
		}
		tokens := Tokens(s)
		for _, tok := range tokens {
			if tok == "" {
				t.Fatalf("an empty token from %q", s)
			}
			if Fold(tok) != tok {
				t.Fatalf("token %q is not folded", tok)
			}
			if len(tok) > maxLexeme+len("подъезд") {
				t.Fatalf("token %q is longer than the bound", tok)
			}
			for _, r := range tok {
				if !unicode.IsLetter(r) && !isDigit(r) && !strings.ContainsRune("./-", r) || r == utf8.RuneError {
					t.Fatalf("token %q has %q", tok, r)
				}
			}
		}
		if got := reused.AppendTokens(nil, s); !equal(got, tokens) {
			t.Fatalf("a reused Normalizer gives %q, a fresh one %q", got, tokens)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAddressPart(t *testing.T) {
	tests := map[string]string{
		"ул": "ул", "мкр": "мкр", "д5": "д", "д5/2": "д", "к3": "к", "стр1": "стр", "кв12": "кв",
		"подъезд2": "подъезд", "дом": "", "д": "", "дорог": "", "5": "", "ленин": "",
	}
	for token, want := range tests {
		assert.Equal(t, want, AddressPart(token), token)
	}
	// Every address token the normalizer makes is recognized.
	for _, tok := range Tokens("ул. Ленина, 10, корп. 2, стр. 1, кв. 5, комната 3, офис 4, подъезд 2, этаж 5; пр-т Мира; пер. Тихий; бульвар Роз; наб. Реки; пл. Победы; Ярославское ш.; мкр Юбилейный") {
		if tok == "ленин" || tok == "мир" || tok == "тих" || tok == "роз" || tok == "рек" || tok == "побед" || tok == "ярославск" || tok == "юбилейн" {
			continue
		}
		assert.NotEmpty(t, AddressPart(tok), tok)
	}
}
