package intake

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal"
)

// ParseEmail reads one RFC 5322 message and makes a draft card on appeal.ChannelEmail: the
// sender as the applicant (the display name split into surname, given name and patronymic
// where it looks like a Russian ФИО; the address as where the answer goes), the subject as a
// first summary for the clerk, the text body (text/plain preferred, else text/html rendered
// as text) and the attachments, each streamed to blobs with its media type, size and SHA-256.
//
// A message without a sender — no From header, or one that holds no readable address — is
// taken in as an anonymous appeal (art. 11 p.1): the card is marked appeal.Appeal.Anonymous
// and has no applicant, Draft.Anonymous says why and Draft.Sender shows what the From header
// said, if anything. The clerk reads the text: a letter signed with a name and a postal
// address is not anonymous after all, and the clerk adds the applicant and clears the mark.
//
// It reads nested multiparts (mixed, alternative, related), quoted-printable and base64, the
// charsets Russian mail uses (UTF-8, windows-1251, KOI8-R, and the other WHATWG ones; 8-bit
// text that declares no charset and is not UTF-8 is read as windows-1251), and RFC 2047
// encoded words in the subject, the sender and file names. The IntakeKey comes from the
// Message-ID and the sender's address (from the whole message's bytes when there is no
// Message-ID), so a message read twice is one appeal. Every bound of lim holds as the message
// streams in: its size, its header's, its parts' number and nesting, the text and the
// attachments; only the text is held in memory (TestParseEmailHostile,
// TestParseEmailStreamsAttachments).
//
// A message that is malformed or over a limit gives a *PartError wrapping ErrMalformed,
// ErrLimit, ErrMediaType, ErrCharset or ErrNoBlobs (or the host's Blobs error) and no card;
// attachments already stored are removed through Discard (when blobs is an
// appeal.BlobDeleter). The card is not checked against appeal.Validate: an e-mail is a letter
// received, and the clerk completes its kind and questions; whether e-mail is still a filing
// channel (547-ФЗ) is the engine's call with appeal.ValidateOptions.AcceptEmail.
func ParseEmail(ctx context.Context, r io.Reader, lim Limits, blobs appeal.Blobs, receivedAt time.Time) (*Draft, error) {
	lim = lim.withDefaults()
	src := &meter{r: r, max: lim.MaxMessageSize, h: sha256.New()}
	p := &emailParser{ctx: ctx, lim: lim, blobs: blobs, words: wordDecoder(), src: src,
		head: &headerCap{r: src, left: int64(lim.MaxHeaderSize)}}
	d, err := p.parse(receivedAt)
	if err != nil {
		_ = Discard(ctx, blobs, p.atts)
		return nil, err
	}
	return d, nil
}

type emailParser struct {
	ctx   context.Context
	lim   Limits
	blobs appeal.Blobs
	words *mime.WordDecoder
	src   *meter     // the raw message: its size and hash
	head  *headerCap // the raw message again, its header cut off at MaxHeaderSize

	parts       int
	textBytes   int64 // bytes of text parts read so far
	total       int64
	plain, html []string
	atts        []appeal.Attachment
}

func (p *emailParser) parse(receivedAt time.Time) (*Draft, error) {
	br := bufio.NewReader(p.head)
	msg, err := mail.ReadMessage(br)
	if err != nil {
		return nil, p.fail("header", "syntax", ErrMalformed)
	}
	from := msg.Header.Get("From")
	sender, anonymous := p.sender(from)
	subject, err := p.words.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return nil, p.fail("header Subject", "encoded word", causeOr(err, ErrMalformed))
	}
	if err := p.walk(textproto.MIMEHeader(msg.Header), msg.Body, "", 0); err != nil {
		return nil, err
	}
	// The rest (an epilogue) counts for the message's hash.
	if _, err := io.Copy(io.Discard, br); err != nil {
		return nil, p.fail("message", "read", ErrMalformed)
	}
	text := p.plain
	if len(text) == 0 {
		text = p.html
	}
	body := tidy(strings.Join(text, "\n\n"))
	if utf8.RuneCountInString(body) > p.lim.MaxTextRunes {
		return nil, p.fail("body", "text length", ErrLimit)
	}

	key := intakeKey("email", "raw", hex.EncodeToString(p.src.h.Sum(nil)))
	if mid := strings.TrimSpace(msg.Header.Get("Message-Id")); mid != "" {
		key = intakeKey("email", strings.ToLower(sender.Address), mid)
	}
	id, err := appeal.NewID()
	if err != nil {
		return nil, err
	}
	a := appeal.New(id, receivedAt, appeal.ChannelEmail)
	a.Summary = cut(line(subject), p.lim.MaxFieldRunes)
	a.Text = body
	a.Attachments = p.atts
	d := &Draft{Appeal: a, IntakeKey: key, Sender: cut(line(sender.Name), p.lim.MaxFieldRunes)}
	if anonymous != "" {
		a.Anonymous, d.Anonymous = true, anonymous
		if shown, err := p.words.DecodeHeader(from); err == nil {
			d.Sender = cut(line(shown), p.lim.MaxFieldRunes)
		}
		return d, nil
	}
	n, _ := splitName(d.Sender)
	a.Applicants = []appeal.Applicant{{Surname: n.Surname, GivenName: n.GivenName, Patronymic: n.Patronymic,
		Email: sender.Address, AnswerChannel: appeal.AnswerByEmail}}
	return d, nil
}

// sender parses the From header: the first address of the list. A header that is missing or
// empty, or holds no address that is one clean line, makes the letter anonymous.
func (p *emailParser) sender(from string) (mail.Address, AnonymousReason) {
	if strings.TrimSpace(from) == "" {
		return mail.Address{}, NoSender
	}
	ap := mail.AddressParser{WordDecoder: p.words}
	list, err := ap.ParseList(from)
	if err != nil || len(list) == 0 {
		return mail.Address{}, SenderUnreadable
	}
	a := *list[0]
	if a.Address != line(a.Address) || utf8.RuneCountInString(a.Address) > p.lim.MaxFieldRunes {
		return mail.Address{}, SenderUnreadable
	}
	return a, ""
}

// walk reads one MIME entity: a multipart's children in turn, a text body, or an attachment.
func (p *emailParser) walk(h textproto.MIMEHeader, body io.Reader, path string, depth int) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	if p.parts++; p.parts > p.lim.MaxParts {
		return p.fail(partName(path), "number of parts", ErrLimit)
	}
	mt, params := "text/plain", map[string]string{}
	if ct := h.Get("Content-Type"); ct != "" {
		var err error
		mt, params, err = mime.ParseMediaType(ct)
		if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
			return p.fail(partName(path), "content type", ErrMalformed)
		}
	}
	r, err := transferDecoder(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return p.fail(partName(path), "transfer encoding", err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		return p.multipart(r, params["boundary"], path, depth)
	}
	disposition, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	if decoded, err := p.words.DecodeHeader(name); err == nil {
		name = decoded
	}
	if disposition != "attachment" && name == "" && (mt == "text/plain" || mt == "text/html") {
		return p.text(r, mt, params["charset"], path)
	}
	return p.attachment(r, h.Get("Content-Type"), name, path)
}

func (p *emailParser) multipart(r io.Reader, boundary, path string, depth int) error {
	if boundary == "" {
		return p.fail(partName(path), "boundary", ErrMalformed)
	}
	if depth+1 > p.lim.MaxDepth {
		return p.fail(partName(path), "nesting depth", ErrLimit)
	}
	mr := multipart.NewReader(r, boundary)
	n := 0
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p.fail(partName(path), "multipart", ErrMalformed)
		}
		n++
		child := strconv.Itoa(n)
		if path != "" {
			child = path + "." + child
		}
		if headerSize(part.Header) > p.lim.MaxHeaderSize {
			return p.fail(partName(child), "header size", ErrLimit)
		}
		if err := p.walk(part.Header, part, child, depth+1); err != nil {
			return err
		}
	}
	if n == 0 {
		return p.fail(partName(path), "multipart without parts", ErrMalformed)
	}
	return nil
}

// text reads a text/plain or text/html body part.
func (p *emailParser) text(r io.Reader, mt, label, path string) error {
	// HTML mail carries much markup per character of text: allow 64 bytes a character, for
	// all text parts together.
	room := 64*int64(p.lim.MaxTextRunes) - p.textBytes
	b, err := io.ReadAll(io.LimitReader(r, room+1))
	if err != nil {
		return p.fail(partName(path), readRule(err), ErrMalformed)
	}
	if int64(len(b)) > room {
		return p.fail(partName(path), "text size", ErrLimit)
	}
	p.textBytes += int64(len(b))
	if l := strings.ToLower(label); (l == "" || l == "us-ascii") && !utf8.Valid(b) {
		label = "windows-1251"
	}
	s, err := decodeText(b, label)
	if err != nil {
		return p.fail(partName(path), "charset", err)
	}
	if mt == "text/html" {
		p.html = append(p.html, htmlText(s))
	} else {
		p.plain = append(p.plain, s)
	}
	return nil
}

// attachment streams one attachment to the host's Blobs.
func (p *emailParser) attachment(r io.Reader, declared, name, path string) error {
	part := partName(path)
	if p.blobs == nil {
		return p.fail(part, "attachment", ErrNoBlobs)
	}
	if len(p.atts) >= max(p.lim.MaxAttachments, 0) {
		return p.fail(part, "number of attachments", ErrLimit)
	}
	name = fileName(name, len(p.atts))
	br := bufio.NewReader(r)
	mt := mediaType(declared, name, func() string {
		head, _ := br.Peek(512)
		return http.DetectContentType(head)
	})
	if !p.lim.accepts(mt) {
		return p.fail(part, "media type", ErrMediaType)
	}
	room := min(p.lim.MaxAttachmentSize, p.lim.MaxTotalSize-p.total)
	att, err := put(p.ctx, p.blobs, name, mt, br, room)
	var re readError
	switch {
	case errors.Is(err, errOverLimit) && room < p.lim.MaxAttachmentSize:
		return p.fail(part, "total size of attachments", ErrLimit)
	case errors.Is(err, errOverLimit):
		return p.fail(part, "attachment size", ErrLimit)
	case errors.As(err, &re):
		return p.fail(part, readRule(re.err), ErrMalformed)
	case err != nil:
		return &PartError{Part: part, Rule: "storing the attachment", Err: err}
	}
	p.total += att.Size
	p.atts = append(p.atts, att)
	return nil
}

// fail makes the error for a part; a message over MaxMessageSize, or a header over
// MaxHeaderSize, is reported as that, whatever the parser tripped on when the input was cut.
func (p *emailParser) fail(part, rule string, err error) error {
	switch {
	case p.src.over:
		return &PartError{Part: "message", Rule: "message size", Err: ErrLimit}
	case p.head.over:
		return &PartError{Part: "header", Rule: "header size", Err: ErrLimit}
	}
	return &PartError{Part: part, Rule: rule, Err: err}
}

// headerCap passes a message through, and fails once more than left bytes have passed before
// the header's end (the first empty line): net/mail would read a header of any size into
// memory.
type headerCap struct {
	r    io.Reader
	left int64
	line int  // bytes of the current line so far, a CR before its LF not counted
	cr   bool // the last byte was a CR
	done bool // the header has ended
	over bool
}

var errHeaderLimit = errors.New("intake: header over the size limit")

func (h *headerCap) Read(b []byte) (int, error) {
	if h.over {
		return 0, errHeaderLimit
	}
	n, err := h.r.Read(b)
	if h.done {
		return n, err
	}
	for i, c := range b[:n] {
		if h.left--; h.left < 0 {
			h.over = true
			return i, errHeaderLimit
		}
		switch {
		case c == '\n' && h.line == 0:
			h.done = true
			return n, err
		case c == '\n':
			h.line, h.cr = 0, false
		case c == '\r':
			if h.cr {
				h.line++
			}
			h.cr = true
		default:
			if h.cr {
				h.line++
			}
			h.line++
			h.cr = false
		}
	}
	return n, err
}

// headerSize is the size of a parsed header as it would be written out.
func headerSize(h textproto.MIMEHeader) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4 // ": " and CRLF
		}
	}
	return n
}

// causeOr keeps ErrCharset from a word decoder's error and reports anything else as def, so
// that no parser's message (which may quote the header) reaches the caller.
func causeOr(err, def error) error {
	if errors.Is(err, ErrCharset) {
		return ErrCharset
	}
	return def
}

// readRule names what failed while reading a part's body: the part ended before its
// boundary, or its transfer encoding was broken.
func readRule(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "truncated"
	}
	return "transfer encoding"
}

func partName(path string) string {
	if path == "" {
		return "message body"
	}
	return "part " + path
}

// transferDecoder undoes a Content-Transfer-Encoding.
func transferDecoder(cte string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary":
		return r, nil
	case "quoted-printable":
		return quotedprintable.NewReader(r), nil
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, noSpace{r}), nil
	}
	return nil, ErrMalformed
}

// noSpace drops the white space some mailers leave in base64 lines.
type noSpace struct{ r io.Reader }

func (s noSpace) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				p[k] = c
				k++
			}
		}
		if k > 0 || err != nil || n == 0 {
			return k, err
		}
	}
}

// line makes a header value one clean line: valid UTF-8, no control characters, no
// bidirectional formatting characters, spacing folded.
func line(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return ' '
		case unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))), " ")
}

// cut shortens s to at most n characters.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
