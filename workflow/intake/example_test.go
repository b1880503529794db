package intake_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow/intake"
)

// A letter in windows-1251 from a mailbox: the sender becomes the applicant, the subject a
// first summary, the body the text; the Message-ID gives the intake key.
func ExampleParseEmail() {
	msg := "From: =?windows-1251?B?0ejk7vDu4uAgwO3t4CDC6Ory7vDu4u3g?= <sidorova@example.net>\r\n" +
		"Subject: =?utf-8?B?0JLRi9Cy0L7QtyDQvNGD0YHQvtGA0LA=?=\r\n" +
		"Message-ID: <cp1251-0002@example.net>\r\n" +
		"Content-Type: text/plain; charset=windows-1251\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" +
		"z/Du+PMg7/Do7f/y/CDs5fD7Lg==\r\n"
	received := time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC)
	d, err := intake.ParseEmail(context.Background(), strings.NewReader(msg), intake.Limits{}, nil, received)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := d.Appeal.Applicants[0]
	fmt.Println(p.Surname, p.GivenName, p.Patronymic, p.Email)
	fmt.Println(d.Appeal.Channel, d.Appeal.Summary, "—", d.Appeal.Text)
	fmt.Println(d.IntakeKey[:6])
	// Output:
	// Сидорова Анна Викторовна sidorova@example.net
	// email Вывоз мусора — Прошу принять меры.
	// email:
}

// A letter with no sender is taken in as an anonymous appeal (art. 11 p.1): no applicant, and
// the draft says why, for the clerk.
func ExampleParseEmail_anonymous() {
	msg := "To: priemnaya@example.gov\r\nSubject: Fonar\r\n\r\nThe street light at the bus stop is out.\r\n"
	received := time.Date(2026, 2, 10, 23, 40, 0, 0, time.UTC)
	d, err := intake.ParseEmail(context.Background(), strings.NewReader(msg), intake.Limits{}, nil, received)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Appeal.Anonymous, len(d.Appeal.Applicants), d.Anonymous)
	// Output:
	// true 0 no sender
}

// A web form without consent, from a site that did not identify the applicant: every
// problem at once, named by the form's fields.
func ExampleFromForm() {
	v := url.Values{"surname": {"Петрова"}, "given_name": {"Анна"}, "email": {"petrova@example.org"},
		"text": {"Прошу отремонтировать детскую площадку."}, "kind": {"statement"},
		"token": {"9f1c2e7a-5b44-4c8e-a1d0-3e2f6b7c8d90"}}
	f := intake.DecodeForm(v)
	f.Identified = false // the host's session says so; never the request
	received := time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC)
	_, err := intake.FromForm(f, appeal.ChannelWebForm, intake.Limits{}, received)
	var ve *appeal.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// identified: art. 4 p.1 (547-ФЗ): identified applicant
	// consent: 152-ФЗ art. 9: consent to personal data processing
}
