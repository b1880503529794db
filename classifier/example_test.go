package classifier_test

import (
	"errors"
	"fmt"

	"github.com/fz59/appeals/classifier"
)

func ExampleClassifier_Get() {
	c := classifier.Embedded()
	code, err := classifier.Parse("5.5.55.1122") // padding zeros may be left out
	if err != nil {
		panic(err)
	}
	node, err := c.Get(code)
	if err != nil {
		panic(err)
	}
	fmt.Println(node.Code, node.Level, node.Title)

	_, err = c.Get(classifier.MustParse("0005.0009.0104.0886"))
	fmt.Println(errors.Is(err, classifier.ErrUnknownCode), err)
	// Output:
	// 0005.0005.0055.1122 question Переселение из подвалов, бараков, коммуналок, общежитий, аварийных домов, ветхого жилья, санитарно-защитной зоны
	// true classifier: code 0005.0009.0104.0886 is not in edition Классификаторы на 31.10.2025 (2025-10-31)
}

func ExampleClassifier_Search() {
	c := classifier.Embedded()
	for _, m := range c.Search("пересел авар", 3) {
		fmt.Println(m.Code, m.Kind, m.Title)
	}
	for _, m := range c.Search("0001.0001.0005.0007", 1) {
		for _, p := range m.Path {
			fmt.Printf("%s %s\n", p.Code, p.Title)
		}
	}
	// Output:
	// 0005.0005.0055.1122 all-words Переселение из подвалов, бараков, коммуналок, общежитий, аварийных домов, ветхого жилья, санитарно-защитной зоны
	// 0001.0001.0005.0009 some-words Переселение соотечественников из стран СНГ
	// 0001.0001.0005.0010 some-words Переселение соотечественников из иностранных государств (кроме стран СНГ, Грузии, Южной Осетии)
	// 0001.0000.0000.0000 Государство, общество, политика
	// 0001.0001.0000.0000 Конституционный строй
	// 0001.0001.0005.0000 Население Российской Федерации
	// 0001.0001.0005.0007 Демография. Перепись населения
}

func ExampleClassifier_Subset() {
	org, err := classifier.Embedded().Subset(
		classifier.MustParse("0005.0005.0055.0000"), // a whole topic
		classifier.MustParse("0001.0001.0005.0007"), // one question
	)
	if err != nil {
		panic(err)
	}
	fmt.Println(org.Assignable(classifier.MustParse("0001.0001.0005.0007")))
	fmt.Println(org.Assignable(classifier.MustParse("0001.0001.0005.0008")))
	for _, m := range org.Search("перепись", 5) {
		fmt.Println(m.Code, m.Title)
	}
	// Output:
	// <nil>
	// classifier: code 0001.0001.0005.0008 is not in the organization's subset of edition Классификаторы на 31.10.2025 (2025-10-31)
	// 0001.0001.0005.0007 Демография. Перепись населения
}

func ExampleParse() {
	_, err := classifier.Parse("0005.0000.0055.1122")
	fmt.Println(err)
	var pe *classifier.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Block, pe.Offset)
	}
	// Output:
	// classifier: invalid code: block 3 at offset 10: expected 0000, since block 2 is 0000 and lower levels are padding
	// 3 10
}
