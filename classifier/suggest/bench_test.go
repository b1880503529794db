package suggest

import (
	"testing"

	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
)

// letter is a citizen's letter of about 1,500 characters, the size Suggest is budgeted for.
const letter = `Уважаемый глава района! Пишу вам уже не первый раз, может хоть теперь кто-то прочитает.
Я живу по адресу ул. Свердлова д. 27 кв. 63, пятый этаж, крайняя квартира. Каждую зиму у нас
в квартире холодно, угловая комната промерзает, на стенах иней, ребёнок спит в шапке. Батареи
еле тёплые, я мерила градусником — в комнате +15, на кухне +17. Звонили в управляющую компанию
«Уют», приходил слесарь, спустил воздух и ушёл, сказал что всё работает. Через два дня опять
холодно. Писали заявление в УК — ответа нет. Звонили в теплосеть — говорят это не к ним, это
внутридомовые сети, обращайтесь в УК. А УК говорит что это теплосеть даёт плохую температуру.
И так по кругу уже третий год! При этом за отопление платим по 5-6 тысяч в месяц, как будто у
нас тропики. Соседи сверху и сбоку жалуются на то же самое. Я прошу: 1) обязать управляющую
компанию устранить причину, промыть систему или что там нужно сделать, 2) сделать перерасчёт
за всё время когда температура была ниже нормы, 3) проверить работу этой УК, потому что они
вообще ничего не делают — подъезд не убирают, лампочки не меняют, на звонки не отвечают. Мы
многодетная семья, у нас четверо детей, младшему 1 год, он постоянно болеет. Помогите
пожалуйста, я уже не знаю куда обращаться. С уважением, многодетная мама, Иванова Н. С.`

func TestLetterSize(t *testing.T) {
	if n := len([]rune(letter)); n < 1400 || n > 1600 {
		t.Fatalf("the benchmark letter has %d characters, want about 1,500", n)
	}
}

func BenchmarkSuggest(b *testing.B) {
	m, err := New(classifier.Embedded(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("knowledge", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(m.Suggest(letter, 10)) == 0 {
				b.Fatal("nothing suggested")
			}
		}
	})
	// The floor: what textnorm alone costs on the letter.
	b.Run("tokens-only", func(b *testing.B) {
		var n textnorm.Normalizer
		var toks []string
		b.ReportAllocs()
		for b.Loop() {
			toks = n.AppendTokens(toks[:0], letter)
		}
	})
}
