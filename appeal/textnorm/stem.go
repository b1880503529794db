package textnorm

import "unicode/utf8"

// The stemmer implements the Snowball Russian algorithm (snowballstem.org, algorithms/russian)
// from its published description, on letter codes: а…я as 0…31, one byte a letter, so a
// suffix test is a byte comparison and stemming allocates nothing. It is tested against the
// Snowball project's reference vocabulary (testdata/snowball-russian.tsv.gz).

// maxWord is the longest word, in letters, that is stemmed or kept; longer words are cut.
const maxWord = 40

// letter codes of the letters the algorithm names.
const (
	cA   = 0 // а
	cE   = 'е' - 'а'
	cI   = 'и' - 'а'
	cN   = 'н' - 'а'
	cSft = 'ь' - 'а'
	cYa  = 'я' - 'а'
)

// vowel marks the codes of the Russian vowels а е и о у ы э ю я.
var vowel = func() (v [32]bool) {
	for _, r := range "аеиоуыэюя" {
		v[r-'а'] = true
	}
	return v
}()

// suffix is one ending of an among list: its letter codes, and whether it must follow а or я
// (the algorithm's group 1).
type suffix struct {
	c      string
	afterA bool
}

// among is a list of endings of which the longest that matches is chosen, as Snowball's
// among: if the chosen ending's condition fails, the whole list fails. The endings are kept by
// last letter, longest first.
type among [32][]suffix

// newAmong builds a list from group 1 (endings that must follow а or я) and group 2.
func newAmong(group1, group2 []string) *among {
	var a among
	add := func(words []string, afterA bool) {
		for _, w := range words {
			var c []byte
			for _, r := range w {
				c = append(c, byte(r-'а'))
			}
			last := c[len(c)-1]
			a[last] = append(a[last], suffix{string(c), afterA})
		}
	}
	add(group1, true)
	add(group2, false)
	for i := range a {
		l := a[i]
		for j := 1; j < len(l); j++ { // insertion sort, longest first
			for k := j; k > 0 && len(l[k].c) > len(l[k-1].c); k-- {
				l[k], l[k-1] = l[k-1], l[k]
			}
		}
	}
	return &a
}

var (
	perfectiveGerund = newAmong(
		[]string{"в", "вши", "вшись"},
		[]string{"ив", "ивши", "ившись", "ыв", "ывши", "ывшись"})
	adjective = newAmong(nil, []string{
		"ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом",
		"его", "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"})
	participle = newAmong(
		[]string{"ем", "нн", "вш", "ющ", "щ"},
		[]string{"ивш", "ывш", "ующ"})
	reflexive = newAmong(nil, []string{"ся", "сь"})
	verb      = newAmong(
		[]string{"ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны",
			"ть", "ешь", "нно"},
		[]string{"ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл",
			"им", "ым", "ен", "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить",
			"ыть", "ишь", "ую", "ю"})
	noun = newAmong(nil, []string{
		"а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой",
		"ий", "й", "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь",
		"ию", "ью", "ю", "ия", "ья", "я"})
	derivational = newAmong(nil, []string{"ост", "ость"})
	superlative  = newAmong(nil, []string{"ейш", "ейше"})
)

// stemmer holds one word as letter codes, with the algorithm's regions.
type stemmer struct {
	c  [maxWord]byte
	n  int // letters in c
	rv int // start of RV: after the first vowel
	r2 int // start of R2
}

// find returns the longest ending of a that ends the word and starts in RV, or nil.
func (s *stemmer) find(a *among) *suffix {
	if s.n == 0 {
		return nil
	}
	for i := range a[s.c[s.n-1]] {
		x := &a[s.c[s.n-1]][i]
		start := s.n - len(x.c)
		if start >= s.rv && string(s.c[start:s.n]) == x.c {
			return x
		}
	}
	return nil
}

// remove removes the longest ending of a, if its condition holds, and reports whether it did.
func (s *stemmer) remove(a *among) bool {
	x := s.find(a)
	if x == nil {
		return false
	}
	start := s.n - len(x.c)
	if x.afterA && (start-1 < s.rv || s.c[start-1] != cA && s.c[start-1] != cYa) {
		return false
	}
	s.n = start
	return true
}

// run applies the algorithm's steps to the word in s.c[:s.n].
func (s *stemmer) run() {
	s.rv, s.r2 = s.n, s.n
	i := 0
	for i < s.n && !vowel[s.c[i]] {
		i++
	}
	if i == s.n {
		return // no vowel: RV is empty and nothing can be removed
	}
	s.rv = i + 1
	// R2: past a vowel then a non-vowel twice, counting from the start (R1 is after the
	// first vowel–non-vowel pair, R2 after the next one within R1).
	pairs := 0
	for i = 1; i < s.n; i++ {
		if !vowel[s.c[i]] && vowel[s.c[i-1]] {
			if pairs++; pairs == 2 {
				s.r2 = i + 1
				break
			}
		}
	}

	// Step 1.
	if !s.remove(perfectiveGerund) {
		s.remove(reflexive)
		if s.remove(adjective) {
			s.remove(participle)
		} else if !s.remove(verb) {
			s.remove(noun)
		}
	}
	// Step 2.
	if s.n > s.rv && s.c[s.n-1] == cI {
		s.n--
	}
	// Step 3.
	if x := s.find(derivational); x != nil && s.n-len(x.c) >= s.r2 {
		s.n -= len(x.c)
	}
	// Step 4.
	switch {
	case s.remove(superlative):
		if s.doubleN() {
			s.n--
		}
	case s.doubleN():
		s.n--
	case s.n > s.rv && s.c[s.n-1] == cSft:
		s.n--
	}
}

// doubleN reports whether the word ends in нн within RV.
func (s *stemmer) doubleN() bool {
	return s.n-2 >= s.rv && s.c[s.n-1] == cN && s.c[s.n-2] == cN
}

// load reads a folded word into s; it reports false when the word has a letter other than
// а…я (ё is folded to е before), which the stemmer leaves alone.
func (s *stemmer) load(w []byte) bool {
	s.n = 0
	for i := 0; i < len(w); {
		r, size := utf8.DecodeRune(w[i:])
		if r < 'а' || r > 'я' || s.n == maxWord {
			return false
		}
		s.c[s.n] = byte(r - 'а')
		s.n++
		i += size
	}
	return true
}

// appendStem appends the stem of the folded word w to dst: w itself when it is not a Russian
// word of а…я.
func (s *stemmer) appendStem(dst, w []byte) []byte {
	if !s.load(w) {
		return append(dst, w...)
	}
	s.run()
	for _, c := range s.c[:s.n] {
		dst = utf8.AppendRune(dst, 'а'+rune(c))
	}
	return dst
}

// Stem returns the Snowball Russian stem of a word: "квартирами" → "квартир". The word is
// folded first (Fold); a word with letters other than Russian ones is returned folded.
func Stem(word string) string {
	var s stemmer
	var buf [2 * maxWord]byte
	w := appendFold(buf[:0], word)
	return string(s.appendStem(w[len(w):], w))
}
