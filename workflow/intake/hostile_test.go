package intake_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repeat yields n bytes of a pattern over and over, without holding them.
type repeat struct {
	pattern string // the pattern, repeated to some 4 KiB so that Read copies in chunks
	n       int64
	off     int
}

func rep(pattern string, n int64) *repeat {
	return &repeat{pattern: strings.Repeat(pattern, 4096/len(pattern)+1), n: n}
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n)]
	for n := 0; n < len(p); {
		k := copy(p[n:], r.pattern[r.off:])
		n += k
		r.off = (r.off + k) % len(r.pattern)
	}
	r.n -= int64(len(p))
	return len(p), nil
}

func stream(parts ...any) io.Reader {
	rs := make([]io.Reader, len(parts))
	for i, p := range parts {
		switch p := p.(type) {
		case string:
			rs[i] = strings.NewReader(p)
		case io.Reader:
			rs[i] = p
		}
	}
	return io.MultiReader(rs...)
}

// nested is a multipart nested depth levels deep, a text at the bottom.
func nested(depth int) string {
	var b strings.Builder
	b.WriteString("From: a@example.org\r\n")
	for i := range depth {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("\r\ntext\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.String()
}

// manyParts is a multipart of n text parts of size bytes each.
func manyParts(n, size int) string {
	var b strings.Builder
	b.WriteString("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
	for range n {
		b.WriteString("--b\r\n\r\n")
		b.WriteString(strings.Repeat("x", size))
		b.WriteString("\r\n")
	}
	b.WriteString("--b--\r\n")
	return b.String()
}

// Every bound of Limits holds on a hostile message made for it, and the parse allocates little
// beyond the bound — where memory is the point, measured with runtime.MemStats.
func TestParseEmailHostile(t *testing.T) {
	words := strings.Repeat(" =?windows-1251?B?z/Du+PM=?=", 100<<10/28) // just under the header limit
	tests := []struct {
		name     string
		msg      func() io.Reader
		lim      intake.Limits
		part     string
		rule     string
		maxAlloc uint64 // bytes ParseEmail may allocate
	}{
		// net/textproto holds the header cut at MaxHeaderSize (128 KiB) a few times over.
		{name: "a 40 MB subject", part: "header", rule: "header size", maxAlloc: 2 << 20,
			msg: func() io.Reader {
				return stream("From: a@example.org\r\nSubject: ", rep("x", 40<<20), "\r\n\r\ntext\r\n")
			}},
		{name: "40 MB of header lines", part: "header", rule: "header size", maxAlloc: 2 << 20,
			msg: func() io.Reader {
				return stream("From: a@example.org\r\n", rep("X-A: b\r\n", 40<<20))
			}},
		// The standard library reads a part's header whole before intake sees it, at some six
		// times its size, and stops at 10 MiB.
		{name: "a 5 MB part header", part: "part 1", rule: "header size", maxAlloc: 48 << 20,
			msg: func() io.Reader {
				return stream("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nX-Long: ",
					rep("x", 5<<20), "\r\n\r\ntext\r\n--b--\r\n")
			}},
		{name: "nesting 10 000 deep", part: "part 1.1.1.1.1.1.1.1", rule: "nesting depth", maxAlloc: 2 << 20,
			msg: func() io.Reader { return strings.NewReader(nested(10000)) }},
		// The 65th entity is part 64: the message body is the first.
		{name: "100 000 parts", part: "part 64", rule: "number of parts", maxAlloc: 2 << 20,
			msg: func() io.Reader { return strings.NewReader(manyParts(100_000, 1)) }},
		{name: "40 text parts of 1 MB", part: "part 2", rule: "text size", maxAlloc: 8 << 20,
			msg: func() io.Reader { return strings.NewReader(manyParts(40, 1<<20)) }},
		{name: "a 60 MB message", lim: intake.Limits{MaxMessageSize: 1 << 20}, part: "message", rule: "message size", maxAlloc: 1 << 20,
			msg: func() io.Reader {
				return stream("From: a@example.org\r\nContent-Type: application/pdf\r\n\r\n", rep("A", 60<<20))
			}},
		{name: "an attachment over the total", lim: intake.Limits{MaxTotalSize: 1 << 20}, part: "message body", rule: "total size of attachments",
			maxAlloc: 1 << 20, msg: func() io.Reader {
				return stream("From: a@example.org\r\nContent-Type: application/pdf\r\n\r\n", rep("A", 2<<20))
			}},
		// Each word costs its decoder and a few small buffers, some 30 bytes a byte of header.
		{name: "encoded words filling the header", lim: intake.Limits{MaxTextRunes: 10}, part: "message body", rule: "text size",
			maxAlloc: 5 << 20, msg: func() io.Reader {
				return stream("From: a@example.org\r\nSubject:"+words+"\r\n\r\n", rep("x", 1000))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blobs := discardBlobs{}
			msg := tt.msg()
			var err error
			n := allocated(func() { _, err = intake.ParseEmail(context.Background(), msg, tt.lim, blobs, received) })
			assert.ErrorIs(t, err, intake.ErrLimit)
			var pe *intake.PartError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.part, pe.Part)
			assert.Equal(t, tt.rule, pe.Rule)
			assert.Less(t, n, tt.maxAlloc, "allocated %d bytes", n)
			t.Logf("allocated %d bytes", n)
		})
	}
}

// Attachments stream to the host's Blobs: a 12 MB one costs intake a few buffers, not its size.
func TestParseEmailStreamsAttachments(t *testing.T) {
	const size = 12 << 20
	msg := stream("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n",
		"--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		rep("QUFB", size/3*4), "\r\n--b--\r\n")
	var d *intake.Draft
	var err error
	n := allocated(func() {
		d, err = intake.ParseEmail(context.Background(), msg, intake.Limits{MaxAttachmentSize: size, MaxTotalSize: size, MaxMessageSize: 2 * size},
			discardBlobs{}, received)
	})
	require.NoError(t, err)
	require.Len(t, d.Appeal.Attachments, 1)
	assert.EqualValues(t, size, d.Appeal.Attachments[0].Size)
	assert.Less(t, n, uint64(1<<20), "allocated %d bytes for a %d-byte attachment", n, size)
}

// The bound of FuzzParseEmail holds on large inputs of the kinds that take the most memory a
// byte: text that grows as it is decoded (windows-1251 to UTF-8 triples "€"), and HTML with
// an element every few bytes.
func TestParseEmailAllocationBound(t *testing.T) {
	tests := map[string][]byte{
		"windows-1251 text": append([]byte("From: a@example.org\r\nContent-Type: text/plain; charset=windows-1251\r\n\r\n"),
			bytes.Repeat([]byte{0x88}, 1<<20)...),
		"short lines":   []byte("From: a@example.org\r\n\r\n" + strings.Repeat("a\n", 1<<19)),
		"html elements": []byte("From: a@example.org\r\nContent-Type: text/html\r\n\r\n" + strings.Repeat("<p>a", 1<<18)),
		"base64 text": []byte("From: a@example.org\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			base64.StdEncoding.EncodeToString([]byte(strings.Repeat("Прошу ", 1<<16)))),
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			n := allocated(func() {
				_, err := intake.ParseEmail(context.Background(), bytes.NewReader(raw), intake.Limits{MaxTextRunes: 1 << 20}, nil, received)
				require.NoError(t, err)
			})
			assert.Less(t, n, parseAllocBound(len(raw)), "%d bytes in, %d allocated", len(raw), n)
		})
	}
}

// discardBlobs reads what it is given and keeps nothing.
type discardBlobs struct{}

func (discardBlobs) Put(_ context.Context, _, _ string, r io.Reader) (string, error) {
	_, err := io.Copy(io.Discard, r)
	return "discarded", err
}

func (discardBlobs) Open(context.Context, string) (io.ReadCloser, error) {
	return nil, appeal.ErrNoBlob
}
