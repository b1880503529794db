package intake

import (
	"io"
	"mime"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
)

// charset returns the decoder for a MIME charset label: nil for UTF-8 and US-ASCII (read as
// UTF-8), the WHATWG encoding for the rest — windows-1251, KOI8-R, KOI8-U, IBM866,
// ISO-8859-5 and the others Russian mail uses — or ErrCharset.
func charset(label string) (*encoding.Decoder, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return nil, nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, ErrCharset
	}
	return enc.NewDecoder(), nil
}

// decodeText turns the bytes of a text part in charset label into valid UTF-8.
func decodeText(b []byte, label string) (string, error) {
	dec, err := charset(label)
	if err != nil {
		return "", err
	}
	if dec != nil {
		if b, err = dec.Bytes(b); err != nil {
			return "", ErrCharset
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}

// wordDecoder decodes RFC 2047 encoded words ("=?koi8-r?B?...?=") in headers and file names,
// in every charset charset knows. A word is decoded at once into a bytes.Reader: the
// mime package copies what CharsetReader returns with io.Copy, which takes a 32 KiB buffer
// for each word from a reader that is not an io.WriterTo — a header of short words would
// allocate a thousand times its size (TestParseEmailHostile).
func wordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: func(label string, input io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		s, err := decodeText(b, label)
		if err != nil {
			return nil, err
		}
		return strings.NewReader(s), nil
	}}
}

// htmlText renders an HTML body as plain text: the text of the document without scripts,
// styles and the title, with entities unescaped, a line break for each block element and
// <br>, and the spacing folded as a browser would (kept inside <pre>).
func htmlText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	skip, pre := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidy(b.String())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := strings.ReplaceAll(string(z.Text()), "\u00a0", " ")
			if pre == 0 {
				t = foldSpace(t)
			}
			b.WriteString(t)
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			d := 0 // how an element that nests changes the depth: in +1, out -1
			switch tt {
			case html.StartTagToken:
				d = 1
			case html.EndTagToken:
				d = -1
			}
			switch a := atom.Lookup(name); a {
			case atom.Script, atom.Style, atom.Title, atom.Template:
				skip = max(skip+d, 0)
			case atom.Pre:
				pre = max(pre+d, 0)
				b.WriteByte('\n')
			case atom.Br, atom.P, atom.Div, atom.Tr, atom.Li, atom.Ul, atom.Ol, atom.Table, atom.Blockquote,
				atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Hr, atom.Dt, atom.Dd:
				b.WriteByte('\n')
			case atom.Td, atom.Th:
				if d > 0 {
					b.WriteByte(' ')
				}
			}
		}
	}
}

// foldSpace folds every run of white space into one space.
func foldSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// tidy normalizes a text body: "\n" line ends (for "\r\n" and "\r" too), no trailing spaces,
// no control characters but tabs, at most one empty line in a row, no white space at the ends.
// It writes the result once, whatever the number of lines (TestParseEmailAllocationBound).
func tidy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	gap := false // an empty line stands between the last line written and the next
	for s != "" {
		l, rest := s, ""
		if i := strings.IndexAny(s, "\r\n"); i >= 0 {
			l, rest = s[:i], s[i+1:]
			if s[i] == '\r' && strings.HasPrefix(rest, "\n") {
				rest = rest[1:]
			}
		}
		s = rest
		l = strings.TrimRightFunc(strings.Map(func(r rune) rune {
			if unicode.IsControl(r) && r != '\t' {
				return -1
			}
			return r
		}, l), unicode.IsSpace)
		switch {
		case strings.TrimSpace(l) == "":
			gap = b.Len() > 0
			continue
		case b.Len() == 0:
			l = strings.TrimLeftFunc(l, unicode.IsSpace)
		case gap:
			b.WriteString("\n\n")
		default:
			b.WriteByte('\n')
		}
		gap = false
		b.WriteString(l)
	}
	return b.String()
}
