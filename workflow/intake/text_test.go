package intake

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHTMLText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs and breaks", "<p>Один</p><p>Два<br>три</p>", "Один\n\nДва\nтри"},
		{"entities", "a &amp; b &lt;c&gt; &laquo;d&raquo; &#1046; &nbsp;e", "a & b <c> «d» Ж e"},
		{"script, style and title skipped", "<html><head><title>T</title><style>p{}</style></head><body>x<script>var a='<p>';</script>y</body></html>", "xy"},
		{"spacing folded", "<div>  много\n\n   пробелов  </div>", "много пробелов"},
		{"pre kept", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"table cells", "<table><tr><td>1</td><td>2</td></tr></table>", "1 2"},
		{"broken markup", "<p>не закрыт <b>жирный", "не закрыт жирный"},
		{"stray end tags", "</script></pre>текст", "текст"},
		{"not html", "plain", "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, htmlText(tt.in))
		})
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		label string
		in    []byte
		want  string
	}{
		{"utf-8", []byte("Привет"), "Привет"},
		{"", []byte("ok"), "ok"},
		{"windows-1251", []byte{0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2}, "Привет"},
		{"CP1251", []byte{0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2}, "Привет"},
		{"koi8-r", []byte{0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4}, "Привет"},
		{"ibm866", []byte{0x8f, 0xe0, 0xa8, 0xa2, 0xa5, 0xe2}, "Привет"},
		{"utf-8", []byte{'a', 0xff, 'b'}, "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			got, err := decodeText(tt.in, tt.label)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := decodeText([]byte("x"), "x-martian")
	assert.ErrorIs(t, err, ErrCharset)
}

func TestTidy(t *testing.T) {
	assert.Equal(t, "a\n\nb\nc", tidy("\r\n  a  \r\n\r\n\r\n\r\nb\rc\x07  \n\n"))
}

func TestTidyCases(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"\n\n \t\n", ""},
		{"  a", "a"},
		{"a\r\n\r\n\r\nb", "a\n\nb"},
		{"a\rb\r\r\nc", "a\nb\n\nc"},
		{"a \t\nb\x00c\x7f", "a\nbc"},
		{"\tкод\t\n\n\n\t отступ", "код\n\n\t отступ"},
		{"a\n\u00a0\nb\n\u0085\n", "a\n\nb"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tidy(tt.in), "%q", tt.in)
	}
}
