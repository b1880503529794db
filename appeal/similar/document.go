package similar

import (
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/google/uuid"
)

// Document is what the index knows of one appeal.
type Document struct {
	// ID is the appeal card's id.
	ID uuid.UUID
	// ReceivedAt is the appeal's receipt moment; duplicates are looked for within a window of
	// it (Options.DuplicateWindow).
	ReceivedAt time.Time
	// Applicants are the match keys of the appeal's applicants, as the caller computes them
	// (the engine's workflow.ApplicantKeys of each applicant); two appeals with a key in
	// common have the same applicant. Only their hashes are kept.
	Applicants []string
	// Address is the building the applicant writes from (AddressKey), or "".
	Address string
	// Signature is the text's signature (Sign).
	Signature Signature
	// Tokens are the text's tokens, when known: a query shows the phrases it shares with each
	// match from them. The index does not keep them.
	Tokens []string
}

// NewDocument builds the document of an appeal card: its id, receipt, the given applicant
// keys, the first applicant's address (AddressKey) and the signature of its text (the
// summary when the card has no text). n normalizes the text; it may be reused between calls.
func NewDocument(a *appeal.Appeal, applicantKeys []string, n *textnorm.Normalizer) Document {
	text := DocumentText(a)
	d := Document{ID: a.ID, ReceivedAt: a.ReceivedAt, Applicants: applicantKeys}
	if len(a.Applicants) > 0 {
		d.Address = AddressKey(a.Applicants[0].PostalAddress, n)
	}
	d.Tokens = n.AppendTokens(nil, text)
	d.Signature = Sign(d.Tokens)
	return d
}

// DocumentText is the text a card's document is made of (NewDocument): its text, or its
// summary when it has no text.
func DocumentText(a *appeal.Appeal) string {
	if strings.TrimSpace(a.Text) == "" {
		return a.Summary
	}
	return a.Text
}

// AddressKey is the building of a postal address: its street and house tokens (textnorm),
// without the postcode, the region and town before the street, and the flat, room or office:
// «614000, г. Пермь, ул. Ленина, д. 5, кв. 7» and «Пермь, улица Ленина, дом 5» are both
// "ул ленин д5". An address without a house number («д…» token) has no key: a town or a
// street alone says nothing of neighbours.
func AddressKey(address string, n *textnorm.Normalizer) string {
	tokens := n.AppendTokens(nil, address)
	house := -1
	for i, t := range tokens {
		if textnorm.AddressPart(t) == "д" {
			house = i
			break
		}
	}
	if house < 0 {
		return ""
	}
	start := 0
	for i := house - 1; i >= 0; i-- {
		if p := textnorm.AddressPart(tokens[i]); p != "" && p == tokens[i] { // a street type
			start = i
			break
		}
	}
	end := house + 1
	for end < len(tokens) {
		if p := textnorm.AddressPart(tokens[end]); p != "к" && p != "стр" {
			break
		}
		end++
	}
	return strings.Join(tokens[start:end], " ")
}
