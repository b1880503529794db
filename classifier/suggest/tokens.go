package suggest

import (
	"strings"

	"github.com/fz59/appeals/appeal/textnorm"
)

// maxTokens bounds the tokens of one text that take part in suggesting and learning: a
// pasted book costs what a long letter does.
const maxTokens = 2048

// streetTokens are textnorm's tokens for a street type («ул», «пр» …); the words after one,
// up to a house number, name the street.
var streetTokens = map[string]bool{"ул": true, "пр": true, "пер": true, "бул": true, "наб": true, "пл": true, "ш": true, "мкр": true}

// streetNameWords is how many words before a house number may name a street.
const streetNameWords = 3

// subjectTokens keeps the tokens of text that may carry its subject, in order: textnorm's
// tokens without numbers, address parts («д5», «кв12», «ул») and the words naming a street
// when a house number follows them («ул. Лесная, д. 5»: «Лесная» is an address, not a
// forest). The result reuses dst.
func subjectTokens(dst []string, n *textnorm.Normalizer, text string) []string {
	dst = n.AppendTokens(dst[:0], text)
	out := dst[:0]
	street := -1 // index in out where the current street's name starts
	for _, t := range dst {
		switch {
		case len(t) <= 6 && streetTokens[t]: // «мкр», at most three Russian letters
			street = len(out)
		case isAddress(t):
			if street >= 0 && len(out)-street <= streetNameWords {
				out = out[:street] // the words since the street type were its name
			}
			street = -1
		case t[0] >= '0' && t[0] <= '9':
		default:
			out = append(out, t)
		}
		if len(out) == maxTokens {
			break
		}
	}
	return out
}

// isAddress reports whether t is one of textnorm's address parts: a marker followed by a
// number, such as «д5», «кв12», «подъезд2».
func isAddress(t string) bool {
	if c := t[len(t)-1]; !(c >= '0' && c <= '9') && !strings.ContainsAny(t, "0123456789") {
		return false // no number: a word
	}
	for _, m := range [...]string{"подъезд", "стр", "ком", "кв", "оф", "эт", "д", "к"} {
		if rest, ok := strings.CutPrefix(t, m); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			return true
		}
	}
	return false
}
