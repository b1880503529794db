package suggest

import "github.com/fz59/appeals/appeal/textnorm"

// maxTokens bounds the tokens of one text that take part in suggesting and learning: a
// pasted book costs what a long letter does.
const maxTokens = 2048

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
		part := textnorm.AddressPart(t)
		switch {
		case part != "" && part == t: // a street type, «ул»: no number
			street = len(out)
		case part != "": // «д5», «кв12»
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
