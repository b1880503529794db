package textnorm

import (
	"unicode"
	"unicode/utf8"
)

// foldRune folds one rune: Unicode simple case folding to lower case, and ё read as е.
func foldRune(r rune) rune {
	switch {
	case r >= 'а' && r <= 'я', r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return r
	case r >= 'А' && r <= 'Я':
		return r + ('а' - 'А')
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r == 'ё' || r == 'Ё':
		return 'е'
	case r < utf8.RuneSelf:
		return r
	}
	// ToUpper first folds letters whose lower case has several forms (final sigma, the
	// Kelvin sign) onto one.
	return unicode.ToLower(unicode.ToUpper(r))
}

// combining marks that change a Russian letter when typed or stored decomposed (NFD).
const (
	combiningBreve     = '\u0306' // и + ◌̆ = й
	combiningDiaeresis = '\u0308' // е + ◌̈ = ё, folded to е
)

// appendFoldRune appends the folded r to b. A combining mark is dropped (stress marks, the
// diaeresis of a decomposed ё), except the breve after и, which makes й.
func appendFoldRune(b []byte, r rune) []byte {
	if isMark(r) {
		if r == combiningBreve && len(b) >= 2 && b[len(b)-2] == 0xd0 && b[len(b)-1] == 0xb8 { // и
			b[len(b)-1] = 0xb9 // й
		}
		return b
	}
	return utf8.AppendRune(b, foldRune(r))
}

// appendFold appends the folded s to b.
func appendFold(b []byte, s string) []byte {
	for _, r := range s {
		b = appendFoldRune(b, r)
	}
	return b
}

// Fold returns s in the folded form tokens are made of: lower case by Unicode case folding,
// ё as е, combining marks dropped (a decomposed й is composed). Everything else, spacing and
// punctuation included, is kept. Fold is idempotent: Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	for i := 0; i < len(s); i++ { // the common case: already folded ASCII
		if c := s[i]; c >= utf8.RuneSelf || c >= 'A' && c <= 'Z' {
			return string(appendFold(make([]byte, 0, len(s)), s))
		}
	}
	return s
}
