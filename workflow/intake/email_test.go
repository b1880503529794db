package intake_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var received = time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC)

var pdf = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

func TestParseEmailFixtures(t *testing.T) {
	type att struct{ name, mediaType string }
	tests := []struct {
		file                         string
		surname, given, patronymic   string
		email, sender, summary, text string
		atts                         []att
		keyFromRaw                   bool
	}{
		{file: "01_plain_utf8.eml", surname: "Петров", given: "Пётр", patronymic: "Петрович",
			email: "petrov@example.org", sender: "Петров Пётр Петрович", summary: "Ремонт крыши",
			text: "Здравствуйте!\n\nПрошу отремонтировать крышу дома № 5 по ул. Садовой: протекает в трёх подъездах.\n\nС уважением,\nП. П. Петров"},
		{file: "02_cp1251_base64.eml", surname: "Сидорова", given: "Анна", patronymic: "Викторовна",
			email: "sidorova@example.net", sender: "Сидорова Анна Викторовна", summary: "Вывоз мусора",
			text: "Уважаемый глава администрации!\n\nВо дворе дома 12 по улице Лесной третий месяц не вывозят мусор.\nПрошу принять меры.\n\nСидорова Анна Викторовна"},
		{file: "03_koi8r_qp.eml", surname: "Кузнецов", given: "Олег", patronymic: "Игоревич",
			email: "kuznetsov@example.com", sender: "Кузнецов Олег Игоревич", summary: "Светофор",
			text: "Добрый день.\n\nПредлагаю установить светофор на перекрёстке улиц Мира и Новой = там опасно.\nЗаранее спасибо."},
		{file: "04_html_only.eml", surname: "Морозова", given: "Е.", patronymic: "А.",
			email: "morozova@example.org", sender: "Морозова Е.А.", summary: "Субсидия",
			text: "Здравствуйте!\n\nПрошу разъяснить порядок получения субсидии «на ЖКУ» & льгот.\n\nСпасибо,\nМорозова Е. А."},
		{file: "05_alternative_pdf.eml", email: "orlov@example.com", sender: "Orlov Ivan", summary: "Жалоба на УК",
			text: "Прошу рассмотреть жалобу на управляющую компанию. Копия договора во вложении.",
			atts: []att{{"Договор управления.pdf", "application/pdf"}}},
		{file: "06_encoded_words_related.eml", surname: "Зайцева", given: "Мария", patronymic: "Сергеевна",
			email: "zaytseva@example.net", sender: "Зайцева Мария Сергеевна", summary: "Яма на дороге у подъезда",
			text: "В подъезде дома 3 по улице Школьной яма у входа, фото во вложении.",
			atts: []att{{"attachment-1", "image/png"}, {"Фото ямы.jpg", "image/jpeg"},
				{"Заявление.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}}},
		{file: "07_forwarded_no_message_id.eml", surname: "Смирнов", given: "Иван", patronymic: "Иванович",
			email: "smirnov@example.org", sender: "Иван Иванович Смирнов", summary: "Fwd: Ответ управляющей компании",
			text: "Пересылаю ответ управляющей компании, с которым не согласен.",
			atts: []att{{"attachment-1", "message/rfc822"}}, keyFromRaw: true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			blobs := newBlobs()
			d, err := intake.ParseEmail(context.Background(), bytes.NewReader(readFixture(t, "email", tt.file)),
				intake.Limits{}, blobs, received)
			require.NoError(t, err)
			a := d.Appeal
			assert.Equal(t, appeal.ChannelEmail, a.Channel)
			assert.Equal(t, appeal.StateReceived, a.State)
			assert.Equal(t, received, a.ReceivedAt)
			assert.EqualValues(t, 7, a.ID.Version())
			require.Len(t, a.Applicants, 1)
			p := a.Applicants[0]
			assert.Equal(t, []string{tt.surname, tt.given, tt.patronymic}, []string{p.Surname, p.GivenName, p.Patronymic})
			assert.Equal(t, tt.email, p.Email)
			assert.Equal(t, appeal.AnswerByEmail, p.AnswerChannel)
			assert.Equal(t, tt.sender, d.Sender)
			assert.Equal(t, tt.summary, a.Summary)
			assert.Equal(t, tt.text, a.Text)
			require.Len(t, a.Attachments, len(tt.atts))
			for i, w := range tt.atts {
				got := a.Attachments[i]
				assert.Equal(t, w.name, got.Name)
				assert.Equal(t, w.mediaType, got.MediaType)
				data := blobs.get(got.Ref)
				assert.EqualValues(t, len(data), got.Size)
				assert.Equal(t, sha(data), got.SHA256)
			}
			assert.Equal(t, len(tt.atts), blobs.len())
			assert.Equal(t, tt.keyFromRaw, strings.HasPrefix(d.IntakeKey, "email:") && !strings.Contains(string(readFixture(t, "email", tt.file)), "Message-ID"))
			assert.Regexp(t, `^email:[0-9a-f]{64}$`, d.IntakeKey)
		})
	}
}

func TestParseEmailAttachmentBytes(t *testing.T) {
	blobs := newBlobs()
	d, err := intake.ParseEmail(context.Background(), bytes.NewReader(readFixture(t, "email", "05_alternative_pdf.eml")),
		intake.Limits{}, blobs, received)
	require.NoError(t, err)
	got := d.Appeal.Attachments[0]
	assert.Equal(t, pdf, blobs.get(got.Ref))
	assert.Equal(t, sha(pdf), got.SHA256)
	assert.EqualValues(t, len(pdf), got.Size)
}

// A message read twice has one key; another message, or the same Message-ID from another
// sender, has another.
func TestParseEmailIntakeKey(t *testing.T) {
	msg := func(from, id, text string) string {
		h := "From: " + from + "\r\nSubject: s\r\n"
		if id != "" {
			h += "Message-ID: " + id + "\r\n"
		}
		return h + "\r\n" + text + "\r\n"
	}
	key := func(m string) string {
		d, err := intake.ParseEmail(context.Background(), strings.NewReader(m), intake.Limits{}, nil, received)
		require.NoError(t, err)
		return d.IntakeKey
	}
	a := msg("a@example.org", "<1@example.org>", "one")
	assert.Equal(t, key(a), key(a))
	assert.Equal(t, key(a), key(msg("A@Example.org", "<1@example.org>", "edited by a relay")))
	assert.NotEqual(t, key(a), key(msg("a@example.org", "<2@example.org>", "one")))
	assert.NotEqual(t, key(a), key(msg("b@example.org", "<1@example.org>", "one")))
	noID := msg("a@example.org", "", "one")
	assert.Equal(t, key(noID), key(noID))
	assert.NotEqual(t, key(noID), key(msg("a@example.org", "", "two")))
}

func TestParseEmailRejects(t *testing.T) {
	small := intake.Limits{MaxAttachments: 1}
	tests := []struct {
		name      string
		file      string
		msg       string
		lim       intake.Limits
		want      error
		part      string
		rule      string
		blobsFail int
	}{
		{name: "no closing boundary", file: "m1_no_closing_boundary.eml", want: intake.ErrMalformed, part: "part 2", rule: "truncated"},
		{name: "bad base64 in the second attachment", file: "m2_bad_base64_second_attachment.eml", want: intake.ErrMalformed, part: "part 3", rule: "transfer encoding"},
		{name: "executable", file: "m4_executable.eml", want: intake.ErrMediaType, part: "part 2", rule: "media type"},
		{name: "multipart without boundary", file: "m5_multipart_without_boundary.eml", want: intake.ErrMalformed, part: "message body", rule: "boundary"},
		{name: "unknown charset", file: "m6_unknown_charset.eml", want: intake.ErrCharset, part: "message body", rule: "charset"},
		{name: "header syntax", msg: "From petrov\r\nno colon here\r\n\r\ntext", want: intake.ErrMalformed, part: "header", rule: "syntax"},
		{name: "unknown charset in an encoded word", msg: "From: a@example.org\r\nSubject: =?x-martian?B?AAAA?=\r\n\r\ntext", want: intake.ErrCharset, part: "header Subject", rule: "encoded word"},
		{name: "unknown transfer encoding", msg: "From: a@example.org\r\nContent-Transfer-Encoding: x-uue\r\n\r\ntext", want: intake.ErrMalformed, part: "message body", rule: "transfer encoding"},
		{name: "bad content type", msg: "From: a@example.org\r\nContent-Type: /\r\n\r\ntext", want: intake.ErrMalformed, part: "message body", rule: "content type"},
		{name: "too many attachments", file: "06_encoded_words_related.eml", lim: small, want: intake.ErrLimit, part: "part 2", rule: "number of attachments"},
		{name: "attachment too large", file: "05_alternative_pdf.eml", lim: intake.Limits{MaxAttachmentSize: 50}, want: intake.ErrLimit, part: "part 2", rule: "attachment size"},
		{name: "attachments together too large", file: "06_encoded_words_related.eml", lim: intake.Limits{MaxTotalSize: 100}, want: intake.ErrLimit, part: "part 2", rule: "total size of attachments"},
		{name: "message too large", file: "05_alternative_pdf.eml", lim: intake.Limits{MaxMessageSize: 600}, want: intake.ErrLimit, part: "message", rule: "message size"},
		{name: "text too long", file: "01_plain_utf8.eml", lim: intake.Limits{MaxTextRunes: 10}, want: intake.ErrLimit, part: "body", rule: "text length"},
		{name: "too many parts", file: "06_encoded_words_related.eml", lim: intake.Limits{MaxParts: 4}, want: intake.ErrLimit, part: "part 1.1.2", rule: "number of parts"},
		{name: "nested too deep", file: "06_encoded_words_related.eml", lim: intake.Limits{MaxDepth: 2}, want: intake.ErrLimit, part: "part 1.1", rule: "nesting depth"},
		{name: "header too large", file: "01_plain_utf8.eml", lim: intake.Limits{MaxHeaderSize: 300}, want: intake.ErrLimit, part: "header", rule: "header size"},
		{name: "part header too large", lim: intake.Limits{MaxHeaderSize: 400}, want: intake.ErrLimit, part: "part 2", rule: "header size",
			msg: "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n--b\r\nX-Long: " +
				strings.Repeat("x", 400) + "\r\n\r\ntext\r\n--b--\r\n"},
		{name: "text parts together too large", lim: intake.Limits{MaxTextRunes: 10}, want: intake.ErrLimit, part: "part 2", rule: "text size",
			msg: "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n" + strings.Repeat("Прошу ", 40) +
				"\r\n--b\r\n\r\n" + strings.Repeat("Прошу ", 40) + "\r\n--b--\r\n"},
		{name: "host store fails on the third file", file: "06_encoded_words_related.eml", want: errHost, part: "part 3", rule: "storing the attachment", blobsFail: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.msg)
			if tt.file != "" {
				raw = readFixture(t, "email", tt.file)
			}
			blobs := newBlobs()
			blobs.failOn = tt.blobsFail
			d, err := intake.ParseEmail(context.Background(), bytes.NewReader(raw), tt.lim, blobs, received)
			require.Error(t, err)
			assert.Nil(t, d)
			assert.ErrorIs(t, err, tt.want)
			var pe *intake.PartError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.part, pe.Part)
			assert.Equal(t, tt.rule, pe.Rule)
			assert.Zero(t, blobs.len(), "nothing is left half-imported")
			assertNoContent(t, err.Error(), "petrov", "Петров", "example", "Прошу", "крыш", "not*base64", "martian")
		})
	}
}

func assertNoContent(t *testing.T, msg string, content ...string) {
	t.Helper()
	for _, c := range content {
		assert.NotContains(t, msg, c)
	}
}

// A letter with nobody to answer to is taken in, not refused: the card is marked anonymous
// (art. 11 p.1) with no applicant, and the draft says why, for the clerk.
func TestParseEmailAnonymous(t *testing.T) {
	tests := []struct {
		name, file, msg string
		why             intake.AnonymousReason
		sender, summary string
		text            string
	}{
		{name: "no From", file: "08_anonymous_no_from.eml", why: intake.NoSender, summary: "Не работает фонарь",
			text: "На улице Заречной третью неделю не горит фонарь у остановки."},
		{name: "From without an address", file: "09_anonymous_from_unreadable.eml", why: intake.SenderUnreadable,
			sender: "Жители дома 7", summary: "Шум ночью", text: "Каждую ночь во дворе дома 7 шумит стройка."},
		{name: "an empty group", file: "10_anonymous_empty_group.eml", why: intake.SenderUnreadable,
			sender: "undisclosed-recipients:;", summary: "Обращение", text: "Прошу проверить, почему закрыт пешеходный переход у школы."},
		{name: "empty From", msg: "From: \r\nSubject: s\r\n\r\ntext", why: intake.NoSender, summary: "s", text: "text"},
		{name: "an address that would reorder its display", msg: "From: <ivan\u202egro.elpmaxe@example.org>\r\n\r\ntext",
			why: intake.SenderUnreadable, sender: "<ivangro.elpmaxe@example.org>", text: "text"},
		{name: "an address with a C1 control", msg: "From: <ivan\u0085@example.org>\r\n\r\ntext",
			why: intake.SenderUnreadable, sender: "<ivan @example.org>", text: "text"},
		{name: "an address over the field limit", msg: "From: <" + strings.Repeat("a", 1000) + "@example.org>\r\n\r\ntext",
			why: intake.SenderUnreadable, sender: "<" + strings.Repeat("a", 999), text: "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.msg)
			if tt.file != "" {
				raw = readFixture(t, "email", tt.file)
			}
			d, err := intake.ParseEmail(context.Background(), bytes.NewReader(raw), intake.Limits{}, nil, received)
			require.NoError(t, err)
			a := d.Appeal
			assert.True(t, a.Anonymous)
			assert.Empty(t, a.Applicants, "nobody to answer to")
			assert.Equal(t, tt.why, d.Anonymous)
			assert.Equal(t, tt.sender, d.Sender)
			assert.Equal(t, tt.summary, a.Summary)
			assert.Equal(t, tt.text, a.Text)
			assert.Regexp(t, `^email:[0-9a-f]{64}$`, d.IntakeKey)
			err = appeal.Validate(a, appeal.ValidateOptions{AcceptEmail: true})
			var ve *appeal.ValidationError
			if errors.As(err, &ve) {
				for _, p := range ve.Problems {
					assert.NotContains(t, p.Field, "applicants", "an anonymous card needs no applicant: %v", p)
				}
			}
		})
	}
	// A named sender is not anonymous, even when the name does not split into a ФИО.
	d, err := intake.ParseEmail(context.Background(), bytes.NewReader(readFixture(t, "email", "05_alternative_pdf.eml")),
		intake.Limits{}, newBlobs(), received)
	require.NoError(t, err)
	assert.False(t, d.Appeal.Anonymous)
	assert.Empty(t, d.Anonymous)
}

// Encoded words can carry line breaks, controls and bidirectional overrides: the subject, the
// sender's name and the file names come out on one clean line, and a file name's extension is
// the one it really has.
func TestParseEmailSingleLineFields(t *testing.T) {
	word := func(s string) string { return "=?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?=" }
	msg := "From: " + word("Петров\r\nBcc: x\u202e") + " <petrov@example.org>\r\n" +
		"Subject: " + word("Ремонт\r\nкрыши\u202e\x00") + "\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n--b\r\n" +
		"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"" + word("фото\u202egpj.exe") + "\"\r\n\r\nMZ\r\n--b--\r\n"
	d, err := intake.ParseEmail(context.Background(), strings.NewReader(msg), intake.Limits{MediaTypes: []string{"*/*"}}, newBlobs(), received)
	require.NoError(t, err)
	assert.Equal(t, "Ремонт крыши", d.Appeal.Summary)
	assert.Equal(t, "Петров Bcc: x", d.Sender)
	require.Len(t, d.Appeal.Attachments, 1)
	assert.Equal(t, "фотоgpj.exe", d.Appeal.Attachments[0].Name)
	assert.Equal(t, "application/x-msdownload", d.Appeal.Attachments[0].MediaType)
}

func TestParseEmailNeedsBlobsForAttachments(t *testing.T) {
	_, err := intake.ParseEmail(context.Background(), bytes.NewReader(readFixture(t, "email", "05_alternative_pdf.eml")),
		intake.Limits{}, nil, received)
	assert.ErrorIs(t, err, intake.ErrNoBlobs)
}

// A Blobs that returns before reading the whole file would keep a truncated copy under a
// hash that is not its own: intake notices and refuses.
func TestParseEmailBlobsThatStopsEarly(t *testing.T) {
	blobs := newBlobs()
	blobs.readMax = 10
	_, err := intake.ParseEmail(context.Background(), bytes.NewReader(readFixture(t, "email", "05_alternative_pdf.eml")),
		intake.Limits{}, blobs, received)
	require.Error(t, err)
	assert.Zero(t, blobs.len())
}

func TestParseEmailCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := intake.ParseEmail(ctx, bytes.NewReader(readFixture(t, "email", "01_plain_utf8.eml")), intake.Limits{}, nil, received)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestParseEmailUndeclaredCharset(t *testing.T) {
	body := []byte("From: a@example.org\r\n\r\n")
	body = append(body, 0xcf, 0xf0, 0xee, 0xf8, 0xf3) // «Прошу» in windows-1251, no charset given
	d, err := intake.ParseEmail(context.Background(), bytes.NewReader(body), intake.Limits{}, nil, received)
	require.NoError(t, err)
	assert.Equal(t, "Прошу", d.Appeal.Text)
}

// FuzzParseEmail checks, for any input: a refusal is a *PartError that leaves no card and no
// blob; a draft holds every limit, has its single-line fields on one clean line, is anonymous
// exactly when it has no applicant, and its attachments are the bytes stored; and a parse
// allocates at most a bound linear in the input.
func FuzzParseEmail(f *testing.F) {
	names, err := os.ReadDir("testdata/email")
	require.NoError(f, err)
	for _, n := range names {
		f.Add(readFixture(f, "email", n.Name()))
	}
	// A subject and a file name whose encoded words hold a line break and an override.
	f.Add([]byte("From: a@example.org\r\nSubject: =?utf-8?B?YQ0KYuKArg==?=\r\nContent-Type: application/pdf; name=\"=?utf-8?B?YQ0KYuKAri5wZGY=?=\"\r\n\r\n%PDF\r\n"))
	lim := intake.Limits{MaxMessageSize: 1 << 20, MaxAttachmentSize: 64 << 10, MaxTotalSize: 128 << 10,
		MaxTextRunes: 2000, MaxFieldRunes: 100, MaxAttachments: 4, MaxHeaderSize: 4 << 10}
	f.Fuzz(func(t *testing.T, raw []byte) {
		blobs := newBlobs()
		var d *intake.Draft
		var err error
		if n := allocated(func() {
			d, err = intake.ParseEmail(context.Background(), bytes.NewReader(raw), lim, blobs, received)
		}); n > parseAllocBound(len(raw)) {
			t.Fatalf("a %d-byte message allocated %d bytes", len(raw), n)
		}
		if err != nil {
			if d != nil || blobs.len() != 0 {
				t.Fatalf("refused message left a card or %d blobs", blobs.len())
			}
			var pe *intake.PartError
			if !errors.As(err, &pe) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		a := d.Appeal
		if a == nil || !strings.HasPrefix(d.IntakeKey, "email:") {
			t.Fatalf("incomplete draft %+v", d)
		}
		if a.Anonymous != (len(a.Applicants) == 0) || a.Anonymous != (d.Anonymous != "") || len(a.Applicants) > 1 {
			t.Fatalf("anonymous %v (%q) with %d applicants", a.Anonymous, d.Anonymous, len(a.Applicants))
		}
		if n := utf8.RuneCountInString(a.Text); n > lim.MaxTextRunes || !utf8.ValidString(a.Text) {
			t.Fatalf("text of %d characters", n)
		}
		single := []string{a.Summary, d.Sender}
		for _, p := range a.Applicants {
			single = append(single, p.Surname, p.GivenName, p.Patronymic, p.Email)
		}
		for _, at := range a.Attachments {
			single = append(single, at.Name, at.MediaType)
		}
		for _, s := range single {
			if !oneCleanLine(s) || utf8.RuneCountInString(s) > max(lim.MaxFieldRunes, 255) {
				t.Fatalf("single-line field %q", s)
			}
		}
		if len(a.Attachments) != blobs.len() || len(a.Attachments) > lim.MaxAttachments {
			t.Fatalf("%d attachments, %d blobs", len(a.Attachments), blobs.len())
		}
		var total int64
		for _, at := range a.Attachments {
			data := blobs.get(at.Ref)
			if int64(len(data)) != at.Size || sha(data) != at.SHA256 || at.Name == "" || at.Size > lim.MaxAttachmentSize {
				t.Fatalf("attachment %s: size or hash differs", at.Name)
			}
			total += at.Size
		}
		if total > lim.MaxTotalSize {
			t.Fatalf("attachments of %d bytes together", total)
		}
	})
}

// parseAllocBound is what parsing a message of n bytes may allocate: the text held a few
// times over as it is read, decoded (a windows-1251 "€" takes three bytes in UTF-8) and
// tidied, plus buffers of fixed size for each part.
func parseAllocBound(n int) uint64 { return 24*uint64(n) + 1<<20 }

// oneCleanLine: valid UTF-8 without control or bidirectional formatting characters (so no CR
// or LF).
func oneCleanLine(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
	})
}

// allocated reports the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
