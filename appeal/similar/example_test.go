package similar_test

import (
	"fmt"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/google/uuid"
)

func Example() {
	card := func(id byte, day int, text string) *appeal.Appeal {
		a := appeal.New(uuid.UUID{id}, time.Date(2026, 3, day, 10, 0, 0, 0, time.UTC), appeal.ChannelWebForm)
		a.Text = text
		return a
	}
	// The applicant keys are the engine's workflow.ApplicantKeys of each applicant.
	petrova := []string{"петрова н с|email:petrova@example.org"}
	ivanov := []string{"иванов и и|email:ivanov@example.org"}
	letter := "Уважаемый глава! С осени в нашем доме № 14 по ул. Садовой течёт крыша, вода льётся " +
		"по стенам в квартиры пятого этажа. Управляющая компания на заявки не отвечает. " +
		"Прошу обязать её отремонтировать кровлю. С уважением, Петрова Н.С."

	var n textnorm.Normalizer
	x := similar.NewMemIndex(similar.Options{})
	_ = x.Put(similar.NewDocument(card(1, 2, letter), petrova, &n))
	_ = x.Put(similar.NewDocument(card(2, 3, "Прошу выдать справку о составе семьи."), ivanov, &n))
	_ = x.Put(similar.NewDocument(card(3, 4, letter), ivanov, &n)) // a neighbour's copy

	resent := "Здравствуйте! Пишу повторно. С осени в нашем доме № 14 по ул. Садовой течет крыша, " +
		"вода льется по стенам в квартиры пятого этажа. Управляющая компания на заявки не отвечает. " +
		"Прошу обязать ее отремонтировать кровлю. Петрова Нина Сергеевна"
	res := x.Query(similar.NewDocument(card(4, 20, resent), petrova, &n))
	for _, m := range res.Duplicates {
		fmt.Printf("duplicate %d: score %.2f, same applicant %v, phrases %q\n", m.ID[0], m.Score, m.SameApplicant, m.Phrases)
	}
	for _, m := range res.Similar {
		fmt.Printf("similar %d: score %.2f, same applicant %v\n", m.ID[0], m.Score, m.SameApplicant)
	}
	// Output:
	// duplicate 1: score 0.91, same applicant true, phrases ["осен д14 ул" "садов течет крыш" "вод льет стен"]
	// similar 3: score 0.91, same applicant false
}

// A signature is stored with the appeal and read back at start.
func ExampleSignature_MarshalBinary() {
	sig := similar.Sign(textnorm.Tokens("Течёт крыша в доме № 14 по ул. Садовой"))
	b, _ := sig.MarshalBinary()
	var back similar.Signature
	err := back.UnmarshalBinary(b)
	fmt.Println(len(b), err, back.Shingles == sig.Shingles)
	// Output: 338 <nil> true
}
