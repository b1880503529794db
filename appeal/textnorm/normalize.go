package textnorm

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// maxLexeme is the longest word or number kept, in bytes (maxWord Russian letters); the rest
// of a longer one is dropped, so a pasted blob costs one bounded token.
const maxLexeme = 2 * maxWord

// streetWindow is how many words after a street type (ул., проспект) may name the street
// before a number stops being read as the house number.
const streetWindow = 4

// Normalizer turns text into tokens, reusing its buffers from call to call. The zero value
// is ready to use. A Normalizer is not safe for concurrent use; give each goroutine its own.
type Normalizer struct {
	buf   []byte // the tokens of the current call, back to back
	ends  []int  // where each token in buf ends
	lex   []byte // the lexeme being read, folded
	fixed []byte // a word with its lookalike letters read as Russian
	st    stemmer

	pending     string // a house or flat marker («д», «кв») waiting for its number
	pendingWord []byte // the marker as written, emitted as a word when no number follows
	street      int    // words left in which a number is the house number of a street
	streetNamed bool   // a word of the street's name has been read
	afterHouse  bool   // the last token was a house number, so «к.», «стр.» follow it
}

// Tokens returns the tokens of text (see AppendTokens). It is the one-off form; reuse a
// Normalizer on a hot path.
func Tokens(text string) []string {
	var n Normalizer
	return n.AppendTokens(nil, text)
}

// AppendTokens appends the tokens of text to dst and returns the extended slice. The text is
// folded (Fold) and cut into words and numbers; then:
//
//   - stop words (prepositions, conjunctions, particles, pronouns, forms of быть) and
//     one-letter words (initials, «г.», «т.») are dropped;
//   - Russian words are stemmed by the Snowball Russian algorithm (Stem); a Latin letter
//     that looks like a Russian one inside a Russian word (a typed «o», «c», «p») is read as
//     the Russian letter; other words are kept folded; words are cut at 40 letters;
//   - a number is kept as written: digits joined by '.', '/' or '-' stay one token
//     («12.03.2025», «5/2»), and so does a one-letter suffix («5а», «5-а» → «5а»);
//   - an address part becomes one token of a marker and its number: дом, д. → «д5»,
//     корпус (к., корп. after a house) → «к2», строение (стр.) → «стр1», квартира, кв. →
//     «кв12», комната → «ком3», офис → «оф4», подъезд → «подъезд2», этаж → «эт5»; a «№»
//     between is skipped («дом № 5» → «д5»);
//   - a street type is one token, «ул», «пр», «пер», «бул», «наб», «пл», «ш», «мкр», and the
//     number that follows the street's name is its house: «ул. Ленина, 10» → «ул», «ленин»,
//     «д10», the same as «улица Ленина, дом 10».
//
// The tokens of one call share one allocation; dst's capacity is reused.
func (n *Normalizer) AppendTokens(dst []string, text string) []string {
	n.buf, n.ends = n.buf[:0], n.ends[:0]
	n.pending, n.street, n.streetNamed, n.afterHouse = "", 0, false, false
	n.scan(text)
	n.flushPending()
	if len(n.ends) == 0 {
		return dst
	}
	all := string(n.buf)
	start := 0
	for _, end := range n.ends {
		dst = append(dst, all[start:end])
		start = end
	}
	return dst
}

// softHyphen marks where a word may be hyphenated; it is no character of the word.
const softHyphen = '\u00ad'

// lexeme kinds.
const (
	kindNone = iota
	kindWord
	kindNumber
)

// scan cuts text into lexemes: runs of letters (hyphens between letters kept), and numbers.
func (n *Normalizer) scan(text string) {
	kind := kindNone
	end := func() {
		switch kind {
		case kindWord:
			n.word(n.lex)
		case kindNumber:
			n.number(n.lex)
		}
		kind = kindNone
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r == softHyphen {
			continue // invisible, and inside a word
		}
		if isMark(r) {
			if kind == kindWord {
				n.lex = appendFoldRune(n.lex, r)
			}
			continue
		}
		r = foldRune(r)
		switch {
		case isDigit(r):
			if kind != kindNumber {
				end()
				kind, n.lex = kindNumber, n.lex[:0]
			}
			n.add(r)
		case isLetter(r):
			if kind == kindNumber && !isLetterAt(text, i) {
				// One letter right after the digits: a house letter, «5а»; but «2024г.» is
				// the year.
				if r != 'г' || len(n.lex) != 4 {
					n.add(lookalike(r))
				}
				end()
				continue
			}
			if kind != kindWord {
				end()
				kind, n.lex = kindWord, n.lex[:0]
			}
			n.add(r)
		case kind == kindWord && r == '-' && isLetterAt(text, i):
			n.add(r)
		case kind == kindWord && r == '-' && lineBreakBeforeLetter(text, i) > i:
			// A word hyphenated at the end of a line («управля-\nющая») is one word.
			i = lineBreakBeforeLetter(text, i)
		case kind == kindNumber && (r == '.' || r == '/' || r == '-') && isDigitAt(text, i):
			n.add(r)
		case kind == kindNumber && r == '-' && isLetterAt(text, i) && !isLetterAt(text, i+runeLen(text, i)):
			// «5-а»: the hyphen goes, the letter is the next rune.
		default:
			end()
		}
	}
	end()
}

// add appends the folded r to the lexeme unless that would pass maxLexeme.
func (n *Normalizer) add(r rune) {
	if len(n.lex)+utf8.RuneLen(r) <= maxLexeme {
		n.lex = utf8.AppendRune(n.lex, r)
	}
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// lineBreakBeforeLetter returns the index of the letter after spaces and one line break
// starting at i, or i when the text there is not that.
func lineBreakBeforeLetter(s string, i int) int {
	j, breaks := i, 0
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
		if s[j] == '\n' {
			breaks++
		}
		j++
	}
	if breaks != 1 || !isLetterAt(s, j) {
		return i
	}
	return j
}

// isLetter is unicode.IsLetter, fast for Russian and ASCII.
func isLetter(r rune) bool {
	switch {
	case r >= 'а' && r <= 'я', r >= 'А' && r <= 'Я', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == 'ё', r == 'Ё':
		return true
	case r < utf8.RuneSelf:
		return false
	}
	return unicode.IsLetter(r)
}

// isMark reports whether r is a combining mark (unicode.Mn), fast for Russian and ASCII.
func isMark(r rune) bool {
	switch {
	case r < 0x300, r >= 0x400 && r < 0x483, r > 0x489 && r < 0x530:
		return false
	}
	return unicode.Is(unicode.Mn, r)
}

func runeLen(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return size
}

func isLetterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isLetter(r)
}

func isDigitAt(s string, i int) bool { return i < len(s) && isDigit(rune(s[i])) }

// lookalike maps a Latin letter that looks like a Russian one to the Russian letter.
func lookalike(r rune) rune {
	switch r {
	case 'a':
		return 'а'
	case 'b':
		return 'в'
	case 'c':
		return 'с'
	case 'e':
		return 'е'
	case 'h':
		return 'н'
	case 'k':
		return 'к'
	case 'm':
		return 'м'
	case 'o':
		return 'о'
	case 'p':
		return 'р'
	case 't':
		return 'т'
	case 'x':
		return 'х'
	case 'y':
		return 'у'
	}
	return r
}

// fixLookalikes returns w with the Latin lookalike letters of a word that also has Russian
// letters read as Russian; a word without Russian letters is returned as it is.
func (n *Normalizer) fixLookalikes(w []byte) []byte {
	cyr, latin := false, false
	for _, c := range w {
		switch {
		case c == 0xd0 || c == 0xd1:
			cyr = true
		case c >= 'a' && c <= 'z':
			latin = true
		}
	}
	if !cyr || !latin {
		return w
	}
	n.fixed = n.fixed[:0]
	for _, r := range string(w) {
		n.fixed = utf8.AppendRune(n.fixed, lookalike(r))
	}
	return n.fixed
}

// emit appends one token: a marker («д», «ул», or "") and the lexeme after it.
func (n *Normalizer) emit(marker string, lex []byte) {
	n.buf = append(append(n.buf, marker...), lex...)
	n.ends = append(n.ends, len(n.buf))
}

// word handles one run of letters.
func (n *Normalizer) word(w []byte) {
	if street := streetAbbrev(string(w)); street != "" {
		n.flushPending()
		n.startStreet(street)
		return
	}
	for { // hyphenated: each part a word of its own
		i := bytes.IndexByte(w, '-')
		if i < 0 {
			n.plainWord(n.fixLookalikes(w))
			return
		}
		n.plainWord(n.fixLookalikes(w[:i]))
		w = w[i+1:]
	}
}

// plainWord handles one word without hyphens.
func (n *Normalizer) plainWord(w []byte) {
	n.flushPending()
	if m := houseAbbrev(string(w), n.afterHouse); m != "" {
		n.setPending(m, w)
		return
	}
	if m := streetAbbrev(string(w)); m != "" {
		n.startStreet(m)
		return
	}
	if n.street > 0 {
		n.street--
		n.streetNamed = true
	}
	if _, stop := stopWords[string(w)]; stop || utf8.RuneCount(w) == 1 {
		return
	}
	start := len(n.buf)
	n.buf = n.st.appendStem(n.buf, w)
	stem := string(n.buf[start:]) // a compiler-optimized lookup key, no allocation
	if m := houseStem(stem); m != "" {
		n.buf = n.buf[:start]
		n.setPending(m, w)
		return
	}
	if m := streetStem(stem); m != "" {
		n.buf = n.buf[:start]
		n.startStreet(m)
		return
	}
	n.ends = append(n.ends, len(n.buf))
	n.afterHouse = false
}

func (n *Normalizer) setPending(marker string, w []byte) {
	n.pending = marker
	n.pendingWord = append(n.pendingWord[:0], w...)
}

func (n *Normalizer) startStreet(marker string) {
	n.emit(marker, nil)
	n.street, n.streetNamed, n.afterHouse = streetWindow, false, false
}

// flushPending emits a marker that got no number as the word it was.
func (n *Normalizer) flushPending() {
	if n.pending == "" {
		return
	}
	n.pending = ""
	w := n.pendingWord
	if _, stop := stopWords[string(w)]; stop || utf8.RuneCount(w) == 1 {
		return
	}
	n.buf = n.st.appendStem(n.buf, w)
	n.ends = append(n.ends, len(n.buf))
	n.afterHouse = false
}

// number handles one number.
func (n *Normalizer) number(num []byte) {
	switch {
	case n.pending != "":
		marker := n.pending
		n.pending = ""
		n.emit(marker, num)
		n.afterHouse = marker == "д" || marker == "к" || marker == "стр"
		n.street = 0
	case n.street > 0 && n.streetNamed:
		n.emit("д", num)
		n.afterHouse, n.street = true, 0
	default:
		if n.street > 0 { // «ул. 8 Марта»: the number is the name
			n.street--
		}
		n.emit("", num)
		n.afterHouse = false
	}
}

// houseAbbrev is the marker of an abbreviated address part, "" if w is none; «к.» and «стр.»
// count only right after a house number («д. 5, к. 2»), where they cannot be a preposition.
func houseAbbrev(w string, afterHouse bool) string {
	switch w {
	case "д", "дом":
		return "д"
	case "кв":
		return "кв"
	case "ком", "комн":
		return "ком"
	case "оф":
		return "оф"
	case "эт":
		return "эт"
	case "к", "корп":
		if afterHouse {
			return "к"
		}
	case "стр":
		if afterHouse {
			return "стр"
		}
	}
	return ""
}

// houseStem is the marker of an address part written in full, by its stem.
func houseStem(stem string) string {
	switch stem {
	case "дом":
		return "д"
	case "корпус":
		return "к"
	case "строен":
		return "стр"
	case "квартир":
		return "кв"
	case "комнат":
		return "ком"
	case "офис":
		return "оф"
	case "подъезд":
		return "подъезд"
	case "этаж":
		return "эт"
	}
	return ""
}

// streetAbbrev is the token of an abbreviated street type, "" if w is none.
func streetAbbrev(w string) string {
	switch w {
	case "ул":
		return "ул"
	case "пр", "просп", "пр-т", "пр-кт":
		return "пр"
	case "пер":
		return "пер"
	case "бул", "б-р":
		return "бул"
	case "наб":
		return "наб"
	case "пл":
		return "пл"
	case "ш":
		return "ш"
	case "мкр", "мкрн", "мкр-н":
		return "мкр"
	}
	return ""
}

// streetStem is the token of a street type written in full, by its stem.
func streetStem(stem string) string {
	switch stem {
	case "улиц":
		return "ул"
	case "проспект":
		return "пр"
	case "переулок", "переулк":
		return "пер"
	case "бульвар":
		return "бул"
	case "набережн":
		return "наб"
	case "площад":
		return "пл"
	case "шосс":
		return "ш"
	case "микрорайон":
		return "мкр"
	}
	return ""
}

// addressMarkers are the markers of address tokens: the street types, which are tokens by
// themselves, and the parts that carry a number.
var addressMarkers = [...]struct {
	marker string
	number bool
}{
	{"ул", false}, {"пр", false}, {"пер", false}, {"бул", false}, {"наб", false}, {"пл", false},
	{"ш", false}, {"мкр", false},
	{"д", true}, {"к", true}, {"стр", true}, {"кв", true}, {"ком", true}, {"оф", true},
	{"подъезд", true}, {"эт", true},
}

// AddressPart returns the marker of an address token: "ул" for the street type «ул», "д" for
// the house «д5», "кв" for the flat «кв12», and so on (see AppendTokens); "" for any other
// token.
func AddressPart(token string) string {
	for _, m := range addressMarkers {
		if !m.number {
			if token == m.marker {
				return m.marker
			}
			continue
		}
		if len(token) > len(m.marker) && token[:len(m.marker)] == m.marker && isDigit(rune(token[len(m.marker)])) {
			return m.marker
		}
	}
	return ""
}
