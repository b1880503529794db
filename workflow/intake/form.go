package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal"
)

// Form is what the internet reception's form (интернет-приемная) sends: the applicant's
// personal and contact data, where the answer should go, the text, the attachments and the
// consent to personal-data processing. The form field names DecodeForm reads are given
// with each field; a problem FromForm reports names the same field.
type Form struct {
	// Surname ("surname"), GivenName ("given_name") and Patronymic ("patronymic", if any) of
	// the citizen, or of the person signing for an organization.
	Surname    string
	GivenName  string
	Patronymic string
	// Organization ("organization") is the organization's name when an organization writes
	// (art. 1 p.4); empty for a citizen.
	Organization string
	// PostalAddress ("postal_address") is where a paper answer goes.
	PostalAddress string
	// Email ("email") is where an electronic answer goes.
	Email string
	// Phone ("phone") is a contact phone number.
	Phone string
	// AnswerChannel ("answer_channel": "email", "post" or "account") is how the applicant
	// wants the answer (art. 10 p.4).
	AnswerChannel appeal.AnswerChannel
	// Text ("text") is the appeal's text.
	Text string
	// Kind ("kind": "proposal", "statement", "complaint", "information_request") is the
	// appeal's kind (art. 4).
	Kind appeal.Kind
	// Addressee ("addressee") is the body, official or position the appeal is addressed to.
	Addressee string
	// Consent ("consent": on/true/1/yes or off/false/0/no) is the consent to personal-data
	// processing (152-ФЗ art. 9); the form cannot be sent without it.
	Consent bool
	// Identified records that the site identified the applicant (ЕСИА), as art. 4 p.1 wants
	// for e-appeals since 30.03.2025. DecodeForm never reads it from the request — the
	// browser must not vouch for itself: the host sets it from its own session.
	Identified bool
	// Account is the applicant's personal-account id on ЕПГУ or the site (art. 7 p.3); like
	// Identified, the host sets it from its session, never from the request.
	Account string
	// Token ("token") is the form's one-time token, rendered into the page by the site. It
	// becomes the Draft's IntakeKey, so a form sent twice makes one appeal.
	Token string
	// Attachments are the files, already kept by the host's Blobs ("attachments" in a
	// multipart form; see DecodeMultipart).
	Attachments []appeal.Attachment

	// problems are what decoding found; FromForm reports them with its own.
	problems []appeal.Problem
}

// Draft is a draft card made by intake, with the key that makes intake idempotent.
type Draft struct {
	// Appeal is the draft card, in appeal.StateReceived with a fresh UUID v7.
	Appeal *appeal.Appeal
	// IntakeKey is the Record's IntakeKey: derived from the form token or from the e-mail's
	// Message-ID and sender, hashed, so that it holds no personal data and has a fixed length.
	IntakeKey string
	// Sender is the e-mail sender's display name as decoded, for the clerk when it did not
	// split into a surname, given name and patronymic — or, for an anonymous letter, what its
	// From header said; empty for forms.
	Sender string
	// Anonymous says why intake marked the card appeal.Appeal.Anonymous (art. 11 p.1), for the
	// clerk; empty when it did not.
	Anonymous AnonymousReason
}

// AnonymousReason says why intake took a letter in as anonymous (анонимное обращение, art. 11
// p.1): it has nobody to answer to.
type AnonymousReason string

const (
	// NoSender: the e-mail has no From header, or an empty one.
	NoSender AnonymousReason = "no sender"
	// SenderUnreadable: the e-mail's From header holds no address that can be read — not an
	// address list, an empty group, control characters, or longer than Limits.MaxFieldRunes.
	SenderUnreadable AnonymousReason = "sender unreadable"
)

// formField ties a form field's name to the Form's string field and the card's path.
type formField struct {
	key, card string
	ptr       func(*Form) *string
}

func formFields() []formField {
	const first = "applicants[0]."
	return []formField{
		{"surname", first + "surname", func(f *Form) *string { return &f.Surname }},
		{"given_name", first + "givenName", func(f *Form) *string { return &f.GivenName }},
		{"patronymic", first + "patronymic", func(f *Form) *string { return &f.Patronymic }},
		{"organization", first + "organizationName", func(f *Form) *string { return &f.Organization }},
		{"postal_address", first + "postalAddress", func(f *Form) *string { return &f.PostalAddress }},
		{"email", first + "email", func(f *Form) *string { return &f.Email }},
		{"phone", first + "phone", func(f *Form) *string { return &f.Phone }},
		{"answer_channel", first + "answerChannel", func(f *Form) *string { return (*string)(&f.AnswerChannel) }},
		{"text", "text", func(f *Form) *string { return &f.Text }},
		{"kind", "kind", func(f *Form) *string { return (*string)(&f.Kind) }},
		{"addressee", "addressee", func(f *Form) *string { return &f.Addressee }},
		{"account", first + "account", func(f *Form) *string { return &f.Account }},
		{"token", "", func(f *Form) *string { return &f.Token }},
	}
}

// formName maps a card path from appeal.Validate to the form field's name.
func formName(card string) string {
	for _, ff := range formFields() {
		if ff.card == card {
			return ff.key
		}
	}
	switch card {
	case "applicants[0].consent":
		return "consent"
	case "applicants[0].kind":
		return "organization"
	}
	if rest, ok := strings.CutPrefix(card, "attachments["); ok {
		if i, _, ok := strings.Cut(rest, "]"); ok {
			return "attachments[" + i + "]"
		}
	}
	return card
}

// DecodeForm reads a Form from submitted form values (r.PostForm, or multipart.Form.Value).
// It never fails: what it cannot take (a field repeated with different values, a consent that
// is not yes or no) FromForm reports with the other problems. Values are kept as sent but
// trimmed, the text's line breaks as "\n"; FromForm checks their characters. Identified and
// Account are never read from the values.
func DecodeForm(v url.Values) Form {
	var f Form
	for _, ff := range formFields() {
		if ff.key == "account" {
			continue
		}
		*ff.ptr(&f) = f.value(v, ff.key)
	}
	f.Text = strings.ReplaceAll(f.Text, "\r\n", "\n")
	switch c := strings.ToLower(f.value(v, "consent")); c {
	case "on", "true", "1", "yes", "да":
		f.Consent = true
	case "", "off", "false", "0", "no", "нет":
	default:
		f.problem("consent", RuleYesNo, "")
	}
	return f
}

// value returns the trimmed first value of key, noting a conflicting repeat.
func (f *Form) value(v url.Values, key string) string {
	vals := v[key]
	if len(vals) == 0 {
		return ""
	}
	for _, x := range vals[1:] {
		if x != vals[0] {
			f.problem(key, RuleRepeated, "")
			break
		}
	}
	return strings.TrimSpace(vals[0])
}

func (f *Form) problem(field string, r appeal.Rule, detail string) {
	f.problems = append(f.problems, appeal.Problem{Field: field, Rule: r, Detail: detail})
}

// DecodeMultipart reads a Form from a multipart form (r.MultipartForm): the values as
// DecodeForm does, and the files of the "attachments" field, each streamed to blobs with its
// size and SHA-256 computed on the way. Files that break the limits (count, size, total,
// media type) are not stored at all; they become problems that FromForm reports. An error
// is returned only when storing fails (the host's Blobs, the context, reading a file); then
// the files already stored are discarded and the Form is empty.
//
// When FromForm then refuses the Form, call Discard(ctx, blobs, f.Attachments).
func DecodeMultipart(ctx context.Context, mf *multipart.Form, lim Limits, blobs appeal.Blobs) (Form, error) {
	if mf == nil {
		return Form{}, nil
	}
	lim = lim.withDefaults()
	f := DecodeForm(mf.Value)
	// Another field's name is the sender's input: the problem does not repeat it.
	for key := range mf.File {
		if key != "attachments" {
			f.problem("attachments", appeal.RuleAttachment, "files are taken only from this field")
			break
		}
	}
	files := mf.File["attachments"]
	items := make([]sized, len(files))
	for i, fh := range files {
		name := fileName(fh.Filename, i)
		items[i] = sized{name: name, size: fh.Size,
			mediaType: mediaType(fh.Header.Get("Content-Type"), name, func() string { return sniffFile(fh) })}
	}
	if p := attachmentProblems(lim, items); len(p) > 0 {
		f.problems = append(f.problems, p...)
		return f, nil
	}
	if len(files) > 0 && blobs == nil {
		return Form{}, ErrNoBlobs
	}
	for i, fh := range files {
		att, err := putFile(ctx, blobs, fh, items[i], lim.MaxAttachmentSize)
		if err != nil {
			_ = Discard(ctx, blobs, f.Attachments)
			return Form{}, fmt.Errorf("intake: attachments[%d]: %w", i, err)
		}
		f.Attachments = append(f.Attachments, att)
	}
	return f, nil
}

func putFile(ctx context.Context, blobs appeal.Blobs, fh *multipart.FileHeader, it sized, max int64) (appeal.Attachment, error) {
	if err := ctx.Err(); err != nil {
		return appeal.Attachment{}, err
	}
	r, err := fh.Open()
	if err != nil {
		return appeal.Attachment{}, err
	}
	defer r.Close()
	return put(ctx, blobs, it.name, it.mediaType, r, max)
}

func sniffFile(fh *multipart.FileHeader) string {
	r, err := fh.Open()
	if err != nil {
		return ""
	}
	defer r.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(r, head)
	return http.DetectContentType(head[:n])
}

// sized is what the limits look at in an attachment.
type sized struct {
	name, mediaType string
	size            int64
}

// attachmentProblems checks count, sizes and media types against the limits.
func attachmentProblems(lim Limits, items []sized) []appeal.Problem {
	var ps []appeal.Problem
	if len(items) > max(lim.MaxAttachments, 0) {
		ps = append(ps, appeal.Problem{Field: "attachments", Rule: RuleAttachmentCount,
			Detail: "at most " + strconv.Itoa(max(lim.MaxAttachments, 0))})
	}
	var total int64
	for i, it := range items {
		field := "attachments[" + strconv.Itoa(i) + "]"
		if it.size > lim.MaxAttachmentSize {
			ps = append(ps, appeal.Problem{Field: field, Rule: RuleAttachmentSize,
				Detail: "at most " + strconv.FormatInt(lim.MaxAttachmentSize, 10) + " bytes"})
		}
		if !lim.accepts(it.mediaType) {
			ps = append(ps, appeal.Problem{Field: field, Rule: RuleMediaType, Detail: "not among the accepted types"})
		}
		total += it.size
	}
	if total > lim.MaxTotalSize {
		ps = append(ps, appeal.Problem{Field: "attachments", Rule: RuleTotalSize,
			Detail: "at most " + strconv.FormatInt(lim.MaxTotalSize, 10) + " bytes"})
	}
	return ps
}

// FromForm makes a draft card from a Form that came on channel ch (usually
// appeal.ChannelWebForm or appeal.ChannelEPGU) and was received at receivedAt: one applicant,
// the text, the kind, the addressee and the attachments. It checks each field's characters
// (valid UTF-8; no control or bidirectional formatting characters; line breaks and tabs only
// in the text), the Limits, the form token and the card's requisites (appeal.Validate: art. 7
// and the channel rules in force on receivedAt, e.g. an identified applicant for a web form
// since 30.03.2025) and returns every problem at once as one *appeal.ValidationError whose
// fields are the form's field names. On error no card is returned.
func FromForm(f Form, ch appeal.Channel, lim Limits, receivedAt time.Time) (*Draft, error) {
	lim = lim.withDefaults()
	probs := slices.Clone(f.problems)
	probs = append(probs, f.fieldProblems(lim)...)
	items := make([]sized, len(f.Attachments))
	for i, a := range f.Attachments {
		items[i] = sized{name: a.Name, mediaType: a.MediaType, size: a.Size}
	}
	probs = append(probs, attachmentProblems(lim, items)...)

	id, err := appeal.NewID()
	if err != nil {
		return nil, fmt.Errorf("intake: card id: %w", err)
	}
	a := appeal.New(id, receivedAt, ch)
	a.Kind, a.Addressee, a.Text, a.Identified = f.Kind, f.Addressee, f.Text, f.Identified
	a.Attachments = slices.Clone(f.Attachments)
	p := appeal.Applicant{Surname: f.Surname, GivenName: f.GivenName, Patronymic: f.Patronymic,
		PostalAddress: f.PostalAddress, Email: f.Email, Phone: f.Phone, Account: f.Account,
		AnswerChannel: f.AnswerChannel, Consent: f.Consent}
	if f.Organization != "" {
		p.Kind, p.OrganizationName = appeal.Organization, f.Organization
	}
	a.Applicants = []appeal.Applicant{p}

	var ve *appeal.ValidationError
	if err := appeal.Validate(a, appeal.ValidateOptions{}); errors.As(err, &ve) {
		for _, pr := range ve.Problems {
			pr.Field = formName(pr.Field)
			probs = append(probs, pr)
		}
	}
	if len(probs) > 0 {
		return nil, &appeal.ValidationError{Problems: probs}
	}
	return &Draft{Appeal: a, IntakeKey: intakeKey("form", f.Token)}, nil
}

// fieldProblems checks the characters and lengths of the fields, and the token.
func (f *Form) fieldProblems(lim Limits) []appeal.Problem {
	var ps []appeal.Problem
	for _, ff := range formFields() {
		v := *ff.ptr(f)
		text := ff.key == "text"
		if !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return forbidden(r, text) }) {
			ps = append(ps, appeal.Problem{Field: ff.key, Rule: RuleEncoding})
		}
		if !text && strings.ContainsAny(v, "\r\n") {
			ps = append(ps, appeal.Problem{Field: ff.key, Rule: RuleSingleLine})
		}
		n, limit, rule := utf8.RuneCountInString(v), lim.MaxFieldRunes, RuleFieldLength
		if text {
			limit, rule = lim.MaxTextRunes, RuleTextLength
		}
		if n > limit {
			ps = append(ps, appeal.Problem{Field: ff.key, Rule: rule, Detail: "at most " + strconv.Itoa(limit) + " characters"})
		}
	}
	if !tokenOK(f.Token) {
		ps = append(ps, appeal.Problem{Field: "token", Rule: RuleToken})
	}
	return ps
}

// forbidden reports the characters a form value may not hold besides line breaks (which
// RuleSingleLine refuses outside the text): control characters, tabs outside the text, and
// outside the text the bidirectional formatting characters, which reorder what the clerk sees
// (a name shown backwards, "\u202Efdp.exe" as "exe.pdf"). The text may keep them: Arabic and
// Hebrew writing uses the marks.
func forbidden(r rune, text bool) bool {
	switch r {
	case '\n', '\r':
		return false
	case '\t':
		return !text
	}
	return unicode.IsControl(r) || !text && unicode.Is(unicode.Bidi_Control, r)
}

func tokenOK(s string) bool {
	if len(s) < 16 || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// intakeKey derives an IntakeKey: the kind of intake and a SHA-256 of the identifying parts,
// so the key has a fixed length and carries no personal data (a Message-ID may hold an
// address).
func intakeKey(kind string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return kind + ":" + hex.EncodeToString(h.Sum(nil))
}

// fileName makes a safe attachment name: the base name only, no control or bidirectional
// formatting characters (so the extension a clerk sees is the one the name has), valid UTF-8,
// at most 255 bytes; "attachment-N" when nothing is left.
func fileName(raw string, i int) string {
	s := strings.ToValidUTF8(raw, "")
	if k := strings.LastIndexAny(s, `/\`); k >= 0 {
		s = s[k+1:]
	}
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s))
	for len(s) > 255 {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	if s == "" || s == "." || s == ".." {
		return "attachment-" + strconv.Itoa(i+1)
	}
	return s
}
