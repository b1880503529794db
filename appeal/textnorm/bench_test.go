package textnorm

import (
	"strings"
	"testing"

	"github.com/kljensen/snowball/russian"
)

// letter is a citizen's letter of 1,500 characters, the size the normalizer is
// budgeted for (well under 100 µs).
const letter = `Уважаемый Андрей Викторович!
Обращаюсь к Вам уже не в первый раз по поводу состояния нашего дома № 14 по ул. Садовой.
С осени прошлого года в подъезде № 2 протекает крыша, во время дождей вода стоит на
лестничной площадке пятого этажа, штукатурка в квартирах 37 и 41 обвалилась, обои
отклеились, в углах появилась плесень. Мы неоднократно подавали заявки в управляющую
компанию ООО «УК Жилстандарт», последний раз 12.03.2025, однако до сих пор никто не пришёл
даже осмотреть кровлю. Диспетчер каждый раз отвечает, что ремонт включён в план на следующий
год, но такие же обещания мы слышали и год назад. Плату за содержание и текущий ремонт
общего имущества мы вносим ежемесячно и без задолженности, в квитанции за февраль начислено
2 480 рублей. Кроме того, в подвале дома постоянно стоит вода, по подъезду распространяется
неприятный запах, а у входа в подъезд уже третий месяц не работает освещение, вечером
пожилым людям страшно выходить на улицу. Летом жильцы сами, за свой счёт, покупали рубероид и
мастику, но управляющая компания запретила подниматься на крышу, сославшись на технику
безопасности, и пообещала прислать бригаду «в течение недели», которой мы так и не дождались.
Прошу Вас провести проверку деятельности
управляющей компании, обязать её выполнить ремонт кровли и подвала в кратчайшие сроки и
сделать перерасчёт платы за период, когда услуги не оказывались. О результатах прошу
сообщить мне письменно по адресу: г. Пермь, ул. Садовая, д. 14, кв. 41.
С уважением, Петрова Н. С.`

func BenchmarkAppendTokens(b *testing.B) {
	var n Normalizer
	var tokens []string
	b.SetBytes(int64(len(letter)))
	b.ReportAllocs()
	for b.Loop() {
		tokens = n.AppendTokens(tokens[:0], letter)
	}
	b.ReportMetric(float64(len(tokens)), "tokens")
}

func BenchmarkTokens(b *testing.B) {
	b.SetBytes(int64(len(letter)))
	b.ReportAllocs()
	for b.Loop() {
		Tokens(letter)
	}
}

// BenchmarkStem compares this package's stemmer with github.com/kljensen/snowball on the
// letter's words.
func BenchmarkStem(b *testing.B) {
	words := strings.FieldsFunc(Fold(letter), func(r rune) bool { return r < 'а' || r > 'я' })
	b.Run("textnorm", func(b *testing.B) {
		var s stemmer
		var buf []byte
		b.ReportAllocs()
		for b.Loop() {
			for _, w := range words {
				buf = s.appendStem(buf[:0], []byte(w))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(words)), "ns/word")
	})
	b.Run("kljensen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, w := range words {
				russian.Stem(w, true)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(words)), "ns/word")
	})
}
