package textnorm_test

import (
	"fmt"

	"github.com/fz59/appeals/appeal/textnorm"
)

func ExampleNormalizer_AppendTokens() {
	var n textnorm.Normalizer // reuse it: its buffers are kept from call to call
	var tokens []string
	for _, text := range []string{
		"Течёт крыша в доме № 5, кв. 12!",
		"Прошу отремонтировать дорогу на ул. Ленина, 10",
	} {
		tokens = n.AppendTokens(tokens[:0], text)
		fmt.Printf("%q\n", tokens)
	}
	// Output:
	// ["течет" "крыш" "д5" "кв12"]
	// ["прош" "отремонтирова" "дорог" "ул" "ленин" "д10"]
}

func ExampleTokens() {
	fmt.Printf("%q\n", textnorm.Tokens("Уважаемая управляющая компания! Во дворе ЁЛКА упала."))
	// Output: ["уважа" "управля" "компан" "двор" "елк" "упа"]
}

func ExampleStem() {
	fmt.Println(textnorm.Stem("квартирами"), textnorm.Stem("Поликлиники"))
	// Output: квартир поликлиник
}
