package suggest_test

import (
	"fmt"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/classifier/suggest"
)

func ExampleModel_Suggest() {
	m, err := suggest.New(classifier.Embedded(), suggest.Options{})
	if err != nil {
		panic(err)
	}
	for _, text := range []string{
		"Почему опять насчитали 8 тысяч за отопление?",
		"В квартире холодно, батареи еле тёплые",
	} {
		s := m.Suggest(text, 1)[0]
		fmt.Println(s.Code, s.Title, s.Words)
	}
	// Output:
	// 0005.0005.0056.1149 Оплата жилищно-коммунальных услуг (ЖКХ), взносов в Фонд капитального ремонта [насчитали отопление]
	// 0005.0005.0056.1156 Перебои в теплоснабжении [холодно батареи тёплые квартире]
}

func ExampleModel_Learn() {
	m, err := suggest.New(classifier.Embedded(), suggest.Options{})
	if err != nil {
		panic(err)
	}
	// Words the vocabulary lacks: the clerks' codes teach them.
	gims := classifier.MustParse("0003.0009.0099.0730") // ГИМС, маломерные суда
	for _, text := range []string{
		"вейкбордисты носятся у пляжа, гидробайки ревут",
		"опять гидробайки, вейкбордисты распугали рыбаков",
		"вейкбордисты и гидробайки у купальни, каждый выходной",
		"гидробайки ревут с утра, вейкбордисты с ними",
	} {
		if err := m.Learn(text, gims); err != nil {
			panic(err)
		}
	}
	s := m.Suggest("снова гидробайки и вейкбордисты", 1)[0]
	fmt.Println(s.Code, s.Words)
	// Output: 0003.0009.0099.0730 [гидробайки вейкбордисты]
}
