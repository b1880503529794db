package intake

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// name is a citizen's name split into its parts.
type name struct {
	Surname, GivenName, Patronymic string
}

// splitName splits a display name into surname, given name and patronymic where it looks
// like a Russian ФИО (фамилия, имя, отчество) in Cyrillic: "Иванов Иван Иванович", "Иван
// Иванович Иванов", "Иванов И.И.", "И. И. Иванов", or two words one of which has a surname's
// ending ("Петрова Анна", "Анна Петрова"). Anything else — Latin names, one word, more words,
// digits, two words that could be either way round — gives ok == false: the clerk decides.
func splitName(display string) (n name, ok bool) {
	words := strings.Fields(strings.Trim(strings.TrimSpace(display), `"'«»`))
	words = splitInitials(words)
	for _, w := range words {
		if !cyrillicWord(w) {
			return name{}, false
		}
	}
	switch len(words) {
	case 3:
		switch {
		case initial(words[1]) && initial(words[2]) && !initial(words[0]):
			return name{words[0], words[1], words[2]}, true
		case initial(words[0]) && initial(words[1]) && !initial(words[2]):
			return name{words[2], words[0], words[1]}, true
		case patronymic(words[2]) && !anyInitial(words):
			return name{words[0], words[1], words[2]}, true
		case patronymic(words[1]) && !anyInitial(words):
			return name{words[2], words[0], words[1]}, true
		}
	case 2:
		switch {
		case initial(words[1]) && !initial(words[0]):
			return name{Surname: words[0], GivenName: words[1]}, true
		case initial(words[0]) && !initial(words[1]):
			return name{Surname: words[1], GivenName: words[0]}, true
		case anyInitial(words):
		case surname(words[0]) && !surname(words[1]):
			return name{Surname: words[0], GivenName: words[1]}, true
		case surname(words[1]) && !surname(words[0]):
			return name{Surname: words[1], GivenName: words[0]}, true
		}
	}
	return name{}, false
}

// splitInitials splits "И.И." into "И." and "И.".
func splitInitials(words []string) []string {
	var out []string
	for _, w := range words {
		for w != "" {
			i := strings.IndexByte(w, '.')
			if i < 0 || i == len(w)-1 {
				out = append(out, w)
				break
			}
			out = append(out, w[:i+1])
			w = w[i+1:]
		}
	}
	return out
}

// cyrillicWord: Cyrillic letters, with inner hyphens (Петров-Водкин) or a final dot after a
// single capital (an initial).
func cyrillicWord(w string) bool {
	if initial(w) {
		return true
	}
	for i, r := range w {
		switch {
		case unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r):
		case r == '-' && i > 0 && i < len(w)-1:
		default:
			return false
		}
	}
	return w != ""
}

// initial: one Cyrillic capital and a dot, "И.".
func initial(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	return len(w) == size+1 && w[size] == '.' && unicode.Is(unicode.Cyrillic, r) && unicode.IsUpper(r)
}

func anyInitial(words []string) bool {
	for _, w := range words {
		if initial(w) {
			return true
		}
	}
	return false
}

// patronymic: the endings of Russian patronymics (-вич, -вна, -ична, -оглы, -кызы).
func patronymic(w string) bool {
	return hasSuffix(w, "вич", "вна", "ична", "инична", "оглы", "кызы", "улы", "гызы")
}

// surname: the common endings of Russian surnames.
func surname(w string) bool {
	return hasSuffix(w, "ов", "ев", "ёв", "ин", "ын", "ова", "ева", "ёва", "ина", "ына",
		"ский", "ская", "цкий", "цкая", "ской", "ых", "их")
}

func hasSuffix(w string, ends ...string) bool {
	w = strings.ToLower(w)
	for _, e := range ends {
		if strings.HasSuffix(w, e) && len(w) > len(e) {
			return true
		}
	}
	return false
}
