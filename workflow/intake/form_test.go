package intake_test

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow/intake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// before547 is a receipt moment when a web form needed no identification (547-ФЗ came into
// force on 30.03.2025).
var before547 = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

func formFixture(t testing.TB, name string) intake.Form {
	t.Helper()
	v, err := url.ParseQuery(strings.TrimSpace(string(readFixture(t, "form", name))))
	require.NoError(t, err)
	return intake.DecodeForm(v)
}

func TestFromFormValid(t *testing.T) {
	f := formFixture(t, "valid_citizen.form")
	f.Identified = true // set by the host from its ЕСИА session
	d, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
	require.NoError(t, err)
	a := d.Appeal
	assert.Equal(t, appeal.ChannelWebForm, a.Channel)
	assert.Equal(t, appeal.StateReceived, a.State)
	assert.Equal(t, received, a.ReceivedAt)
	assert.EqualValues(t, 7, a.ID.Version())
	assert.Equal(t, appeal.Statement, a.Kind)
	assert.True(t, a.Identified)
	assert.Equal(t, "Администрация города Энска", a.Addressee)
	assert.Equal(t, "Прошу отремонтировать детскую площадку во дворе.\nСпасибо.", a.Text)
	assert.Equal(t, []appeal.Applicant{{Surname: "Петрова", GivenName: "Анна", Patronymic: "Сергеевна",
		PostalAddress: "123456, г. Энск, ул. Садовая, д. 1, кв. 2", Email: "petrova@example.org",
		Phone: "+7 (900) 000-00-00", AnswerChannel: appeal.AnswerByEmail, Consent: true}}, a.Applicants)
	assert.Regexp(t, `^form:[0-9a-f]{64}$`, d.IntakeKey)
	assert.NoError(t, appeal.Validate(a, appeal.ValidateOptions{}))
}

func TestFromFormOrganization(t *testing.T) {
	f := formFixture(t, "valid_organization.form")
	d, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, before547)
	require.NoError(t, err)
	p := d.Appeal.Applicants[0]
	assert.Equal(t, appeal.Organization, p.Kind)
	assert.Equal(t, "ТСЖ «Садовая, 1»", p.OrganizationName)
}

// A form sent twice (a double click, a reload) carries the same token, so both drafts have
// the same IntakeKey and Store.Create keeps one; another form has another key.
func TestFromFormDoubleSubmitSameKey(t *testing.T) {
	f := formFixture(t, "valid_citizen.form")
	f.Identified = true
	first, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
	require.NoError(t, err)
	second, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received.Add(time.Second))
	require.NoError(t, err)
	assert.Equal(t, first.IntakeKey, second.IntakeKey)
	assert.NotEqual(t, first.Appeal.ID, second.Appeal.ID)
	f.Token = "another-token-0000000000000002"
	other, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
	require.NoError(t, err)
	assert.NotEqual(t, first.IntakeKey, other.IntakeKey)
	assert.NotContains(t, first.IntakeKey, "f0rm-t0ken")
}

func TestFromFormRejects(t *testing.T) {
	type problem struct {
		field string
		rule  appeal.Rule
	}
	valid := func(t *testing.T) intake.Form {
		f := formFixture(t, "valid_citizen.form")
		f.Identified = true
		return f
	}
	pdfAtt := func(size int64, mt string) appeal.Attachment {
		return appeal.Attachment{Name: "a.pdf", MediaType: mt, Size: size, SHA256: sha(pdf), Ref: "blob-1"}
	}
	tests := []struct {
		name  string
		form  func(t *testing.T) intake.Form
		at    time.Time
		ch    appeal.Channel
		lim   intake.Limits
		want  []problem
		exact bool
	}{
		{name: "no consent", form: func(t *testing.T) intake.Form { return formFixture(t, "no_consent.form") },
			want: []problem{{"consent", appeal.RuleConsent}}},
		{name: "web form not identified since 30.03.2025", form: func(t *testing.T) intake.Form {
			f := valid(t)
			f.Identified = false
			return f
		}, want: []problem{{"identified", appeal.RuleIdentification}}, exact: true},
		{name: "web form not identified before 30.03.2025 is fine but for the token", at: before547, form: func(t *testing.T) intake.Form {
			f := valid(t)
			f.Identified, f.Token = false, ""
			return f
		}, want: []problem{{"token", intake.RuleToken}}, exact: true},
		{name: "ЕПГУ without account, e-mail or postal address", ch: appeal.ChannelEPGU, form: func(t *testing.T) intake.Form {
			f := valid(t)
			f.Email, f.PostalAddress, f.AnswerChannel = "", "", ""
			return f
		}, want: []problem{{"account", appeal.RuleAccount}}, exact: true},
		{name: "answer to the account without one", ch: appeal.ChannelEPGU, form: func(t *testing.T) intake.Form {
			f := valid(t)
			f.AnswerChannel = appeal.AnswerToAccount
			return f
		}, want: []problem{{"account", appeal.RuleAnswerChannel}}, exact: true},
		{name: "text too long", lim: intake.Limits{MaxTextRunes: 20}, form: valid,
			want: []problem{{"text", intake.RuleTextLength}}, exact: true},
		{name: "field too long", lim: intake.Limits{MaxFieldRunes: 10}, form: valid,
			want: []problem{{"postal_address", intake.RuleFieldLength}, {"email", intake.RuleFieldLength},
				{"phone", intake.RuleFieldLength}, {"addressee", intake.RuleFieldLength}, {"token", intake.RuleFieldLength}}, exact: true},
		{name: "attachments over every limit", lim: intake.Limits{MaxAttachments: 2, MaxAttachmentSize: 100, MaxTotalSize: 150},
			form: func(t *testing.T) intake.Form {
				f := valid(t)
				f.Attachments = []appeal.Attachment{pdfAtt(90, "application/pdf"), pdfAtt(101, "application/pdf"),
					pdfAtt(10, "application/x-msdownload")}
				return f
			}, want: []problem{{"attachments", intake.RuleAttachmentCount}, {"attachments[1]", intake.RuleAttachmentSize},
				{"attachments[2]", intake.RuleMediaType}, {"attachments", intake.RuleTotalSize}}, exact: true},
		{name: "attachments refused", lim: intake.Limits{MaxAttachments: -1}, form: func(t *testing.T) intake.Form {
			f := valid(t)
			f.Attachments = []appeal.Attachment{pdfAtt(90, "application/pdf")}
			return f
		}, want: []problem{{"attachments", intake.RuleAttachmentCount}}, exact: true},
		{name: "attachment without a reference", form: func(t *testing.T) intake.Form {
			f := valid(t)
			f.Attachments = []appeal.Attachment{{Name: "a.pdf", MediaType: "application/pdf", Size: 1}}
			return f
		}, want: []problem{{"attachments[0]", appeal.RuleAttachment}}, exact: true},
		{name: "a field repeated with another value", form: func(t *testing.T) intake.Form {
			f := formFixture(t, "repeated_fields.form")
			f.Identified = true
			return f
		}, want: []problem{{"surname", intake.RuleRepeated}}, exact: true},
		{name: "everything wrong at once", form: func(t *testing.T) intake.Form { return formFixture(t, "everything_wrong.form") },
			want: []problem{{"consent", intake.RuleYesNo}, {"token", intake.RuleToken},
				{"kind", appeal.RuleKind}, {"text", appeal.RuleEssence}, {"identified", appeal.RuleIdentification},
				{"surname", appeal.RuleName}, {"given_name", appeal.RuleName},
				{"email", appeal.RuleEmailAddress}, {"phone", appeal.RulePhone}, {"answer_channel", appeal.RuleAnswerChannel},
				{"consent", appeal.RuleConsent}}, exact: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, ch := tt.at, tt.ch
			if at.IsZero() {
				at = received
			}
			if ch == "" {
				ch = appeal.ChannelWebForm
			}
			d, err := intake.FromForm(tt.form(t), ch, tt.lim, at)
			require.Error(t, err)
			assert.Nil(t, d)
			assert.ErrorIs(t, err, appeal.ErrInvalid)
			var ve *appeal.ValidationError
			require.ErrorAs(t, err, &ve)
			got := make([]problem, len(ve.Problems))
			for i, p := range ve.Problems {
				got[i] = problem{p.Field, p.Rule}
			}
			if tt.exact {
				assert.Equal(t, tt.want, got)
			} else {
				assert.Subset(t, got, tt.want)
			}
			assertNoContent(t, err.Error(), "Петрова", "petrova", "Садовая", "площадк", "f0rm-t0ken", "not-an-address", "call me", "pigeon", "poem")
		})
	}
}

func TestDecodeFormEncoding(t *testing.T) {
	v := url.Values{"surname": {"Пет\x00рова"}, "given_name": {"Ан\xffна"}, "text": {"  строка\r\nвторая  "},
		"consent": {"Да"}, "identified": {"true"}, "account": {"forged"}}
	f := intake.DecodeForm(v)
	assert.Equal(t, "строка\nвторая", f.Text)
	assert.True(t, f.Consent)
	assert.False(t, f.Identified, "the browser cannot vouch for its own identification")
	assert.Empty(t, f.Account)
	_, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, before547)
	var ve *appeal.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has("surname", intake.RuleEncoding))
	assert.True(t, ve.Has("given_name", intake.RuleEncoding))
}

// Single-line fields refuse line breaks, and every field control characters and invalid
// UTF-8; fields but the text refuse tabs and the bidirectional formatting characters. Each
// problem names the field, never the value; a Form the host filled itself is checked alike.
func TestFromFormCharacters(t *testing.T) {
	single := []string{"surname", "given_name", "patronymic", "postal_address", "email", "phone", "addressee", "token"}
	tests := []struct {
		name, value string
		rule        appeal.Rule // "": accepted
		text        appeal.Rule
	}{
		{"line feed", "Пет\nрова", intake.RuleSingleLine, ""},
		{"carriage return", "Пет\rрова", intake.RuleSingleLine, ""},
		{"right-to-left override", "Пет\u202eавортеП", intake.RuleEncoding, ""},
		{"isolate", "Пет\u2067рова", intake.RuleEncoding, ""},
		{"tab", "Пет\tрова", intake.RuleEncoding, ""},
		{"NUL", "Пет\x00рова", intake.RuleEncoding, intake.RuleEncoding},
		{"C1 control", "Пет\u0085рова", intake.RuleEncoding, intake.RuleEncoding},
		{"invalid UTF-8", "Пет\xffрова", intake.RuleEncoding, intake.RuleEncoding},
	}
	for _, tt := range tests {
		for _, field := range append(single, "text") {
			t.Run(tt.name+" in "+field, func(t *testing.T) {
				v := formValues(t)
				v.Set(field, v.Get(field)+tt.value+v.Get(field))
				f := intake.DecodeForm(v)
				f.Identified = true
				want := tt.rule
				if field == "text" {
					want = tt.text
				}
				_, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
				if want == "" {
					require.NoError(t, err)
					return
				}
				var ve *appeal.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.True(t, ve.Has(field, want), "%v", ve.Problems)
				assert.NotContains(t, err.Error(), "рова")
			})
		}
	}
	// A Form filled by the host, not decoded from a request, is checked the same.
	f := formFixture(t, "valid_citizen.form")
	f.Identified, f.Surname, f.Text = true, "Петрова\r\nBcc: all@example.org", "строка\r\nвторая\tстрока"
	_, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
	var ve *appeal.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []appeal.Problem{{Field: "surname", Rule: intake.RuleSingleLine}}, ve.Problems)
}

// multipartForm builds a parsed multipart form as net/http would hand it over.
func multipartForm(t *testing.T, values url.Values, files map[string][]fileSpec) *multipart.Form {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			require.NoError(t, w.WriteField(k, v))
		}
	}
	for field, fs := range files {
		for _, f := range fs {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+f.name+`"`)
			if f.mediaType != "" {
				h.Set("Content-Type", f.mediaType)
			}
			pw, err := w.CreatePart(h)
			require.NoError(t, err)
			_, err = pw.Write(f.data)
			require.NoError(t, err)
		}
	}
	require.NoError(t, w.Close())
	mf, err := multipart.NewReader(&buf, w.Boundary()).ReadForm(1 << 20)
	require.NoError(t, err)
	t.Cleanup(func() { _ = mf.RemoveAll() })
	return mf
}

type fileSpec struct {
	name, mediaType string
	data            []byte
}

func formValues(t *testing.T) url.Values {
	v, err := url.ParseQuery(strings.TrimSpace(string(readFixture(t, "form", "valid_citizen.form"))))
	require.NoError(t, err)
	return v
}

func TestDecodeMultipart(t *testing.T) {
	blobs := newBlobs()
	jpg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 40)...)
	mf := multipartForm(t, formValues(t), map[string][]fileSpec{"attachments": {
		{"C:\\Users\\Анна\\Договор.pdf", "application/pdf", pdf},
		{"фото.jpg", "application/octet-stream", jpg},
		{"scan", "", jpg}, // no type, no extension: sniffed
	}})
	f, err := intake.DecodeMultipart(context.Background(), mf, intake.Limits{}, blobs)
	require.NoError(t, err)
	require.Len(t, f.Attachments, 3)
	want := []struct {
		name, mt string
		data     []byte
	}{{"Договор.pdf", "application/pdf", pdf}, {"фото.jpg", "image/jpeg", jpg}, {"scan", "image/jpeg", jpg}}
	for i, w := range want {
		a := f.Attachments[i]
		assert.Equal(t, w.name, a.Name)
		assert.Equal(t, w.mt, a.MediaType)
		assert.EqualValues(t, len(w.data), a.Size)
		assert.Equal(t, sha(w.data), a.SHA256)
		assert.Equal(t, w.data, blobs.get(a.Ref))
	}
	f.Identified = true
	d, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
	require.NoError(t, err)
	assert.Equal(t, f.Attachments, d.Appeal.Attachments)
}

func TestDecodeMultipartRefusesBeforeStoring(t *testing.T) {
	blobs := newBlobs()
	mf := multipartForm(t, formValues(t), map[string][]fileSpec{
		"attachments":   {{"ok.pdf", "application/pdf", pdf}, {"setup.exe", "application/octet-stream", []byte("MZ")}, {"a", "application/x-petrova", pdf}},
		"photo-petrova": {{"x.png", "image/png", []byte("\x89PNG")}},
	})
	f, err := intake.DecodeMultipart(context.Background(), mf, intake.Limits{}, blobs)
	require.NoError(t, err)
	assert.Zero(t, blobs.len(), "nothing stored when a file breaks a limit")
	assert.Empty(t, f.Attachments)
	f.Identified = true
	_, err = intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
	var ve *appeal.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has("attachments", appeal.RuleAttachment), "a file in another field")
	assert.True(t, ve.Has("attachments[1]", intake.RuleMediaType))
	assert.True(t, ve.Has("attachments[2]", intake.RuleMediaType))
	assertNoContent(t, err.Error(), "petrova", "photo")
}

func TestDecodeMultipartStoreFails(t *testing.T) {
	blobs := newBlobs()
	blobs.failOn = 2
	mf := multipartForm(t, formValues(t), map[string][]fileSpec{"attachments": {
		{"a.pdf", "application/pdf", pdf}, {"b.pdf", "application/pdf", pdf}}})
	f, err := intake.DecodeMultipart(context.Background(), mf, intake.Limits{}, blobs)
	assert.ErrorIs(t, err, errHost)
	assert.Empty(t, f.Attachments)
	assert.Zero(t, blobs.len(), "the first file is discarded")

	_, err = intake.DecodeMultipart(context.Background(), mf, intake.Limits{}, nil)
	assert.ErrorIs(t, err, intake.ErrNoBlobs)
}

func TestDiscard(t *testing.T) {
	blobs := newBlobs()
	mf := multipartForm(t, formValues(t), map[string][]fileSpec{"attachments": {{"a.pdf", "application/pdf", pdf}}})
	f, err := intake.DecodeMultipart(context.Background(), mf, intake.Limits{}, blobs)
	require.NoError(t, err)
	require.Equal(t, 1, blobs.len())
	// Without identification since 30.03.2025 FromForm refuses; the host drops the files.
	_, err = intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
	require.Error(t, err)
	require.NoError(t, intake.Discard(context.Background(), blobs, f.Attachments))
	assert.Zero(t, blobs.len())

	blobs.noDel = true
	f, err = intake.DecodeMultipart(context.Background(), mf, intake.Limits{}, blobs)
	require.NoError(t, err)
	assert.ErrorIs(t, intake.Discard(context.Background(), blobs, f.Attachments), errHost)
	assert.NoError(t, intake.Discard(context.Background(), putOnly{}, f.Attachments), "a Blobs that cannot delete")
}

type putOnly struct{ appeal.Blobs }

// FuzzDecodeForm checks, for any query: a refusal is an *appeal.ValidationError with problems
// and no card; an accepted card has its single-line fields on one clean line and within the
// limits, is valid, and has an intake key; and decoding allocates at most a bound linear in
// the query.
func FuzzDecodeForm(f *testing.F) {
	for _, name := range fixtures(f, "form") {
		f.Add(strings.TrimSpace(string(readFixture(f, "form", filepath.Base(name)))))
	}
	// A valid form but for a line break or a bidirectional override in a single-line field.
	valid := strings.TrimSpace(string(readFixture(f, "form", "valid_citizen.form")))
	for _, bad := range []string{"%0A", "%0D", "%E2%80%AE", "%09"} {
		f.Add(strings.Replace(valid, "surname=", "surname=x"+bad, 1))
	}
	lim := intake.Limits{MaxTextRunes: 500, MaxFieldRunes: 100}
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		var d *intake.Draft
		if n := allocated(func() {
			form := intake.DecodeForm(v)
			form.Identified = true
			d, err = intake.FromForm(form, appeal.ChannelWebForm, lim, received)
		}); n > formAllocBound(len(query)) {
			t.Fatalf("a %d-byte query allocated %d bytes", len(query), n)
		}
		if err != nil {
			var ve *appeal.ValidationError
			if d != nil || !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("refusal without problems or with a card: %v", err)
			}
			return
		}
		a := d.Appeal
		if verr := appeal.Validate(a, appeal.ValidateOptions{}); verr != nil {
			t.Fatalf("accepted an invalid card: %v", verr)
		}
		if !strings.HasPrefix(d.IntakeKey, "form:") {
			t.Fatal("no intake key")
		}
		p := a.Applicants[0]
		for _, s := range []string{p.Surname, p.GivenName, p.Patronymic, p.OrganizationName, p.PostalAddress, p.Email,
			p.Phone, string(p.AnswerChannel), string(a.Kind), a.Addressee} {
			if !oneCleanLine(s) || utf8.RuneCountInString(s) > lim.MaxFieldRunes {
				t.Fatalf("single-line field %q", s)
			}
		}
		if !utf8.ValidString(a.Text) || utf8.RuneCountInString(a.Text) > lim.MaxTextRunes {
			t.Fatal("text over the limit or not UTF-8")
		}
	})
}

// formAllocBound is what decoding and checking a form of n bytes may allocate: the values a
// few times over, and the card and its validation.
func formAllocBound(n int) uint64 { return 8*uint64(n) + 256<<10 }
