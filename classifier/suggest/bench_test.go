package suggest

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal/textnorm"
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
пожалуйста, я уже не знаю куда обращаться. Прошу также разобраться, почему в квитанции за
октябрь начислено 7 800 рублей за отопление, когда в квартире было холодно весь месяц, и кто
должен отвечать за это. С уважением, многодетная мама, Иванова Н. С.`

func TestLetterSize(t *testing.T) {
	if n := len([]rune(letter)); n < 1400 || n > 1600 {
		t.Fatalf("the benchmark letter has %d characters, want about 1,500", n)
	}
}

// BenchmarkSuggest suggests 10 codes for the letter with the built-in knowledge alone, and with
// the history of 100,000 appeals; tokens-only is the floor, what textnorm alone costs on it.
func BenchmarkSuggest(b *testing.B) {
	b.Run("knowledge", func(b *testing.B) {
		suggestLoop(b, newModel(b, Options{}))
	})
	b.Run("history-100k", func(b *testing.B) {
		m := newModel(b, Options{})
		if _, err := m.Rebuild(context.Background(), slices.Values(corpus100k())); err != nil {
			b.Fatal(err)
		}
		suggestLoop(b, m)
	})
	b.Run("tokens-only", func(b *testing.B) {
		var n textnorm.Normalizer
		var toks []string
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			toks = n.AppendTokens(toks[:0], letter)
		}
		reportCPU(b, cpu)
	})
}

func suggestLoop(b *testing.B, m *Model) {
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if len(m.Suggest(letter, 10)) == 0 {
			b.Fatal("nothing suggested")
		}
	}
	reportCPU(b, cpu)
}

// corpus returns n classified appeals made from the labelled set: each is one labelled text, its
// code, and sentences of other texts and made-up surnames and streets around it, 300 to 1,500
// characters, so that the vocabulary grows the way a store's does. The same n gives the same
// corpus.
func corpus(tb testing.TB, n int) []Example {
	train, test := readLabelled(tb)
	all := append(train, test...)
	var sentences []string
	for _, l := range all {
		for s := range strings.SplitSeq(l.Text, ". ") {
			sentences = append(sentences, s)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	syllables := []string{"ко", "ва", "лё", "ми", "ру", "ст", "на", "за", "пе", "тр", "ов", "ин"}
	name := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syllables[rng.IntN(len(syllables))])
		}
		return b.String()
	}
	out := make([]Example, n)
	var b strings.Builder
	for i := range out {
		l := all[rng.IntN(len(all))]
		b.Reset()
		b.WriteString("Уважаемый " + name() + "! ")
		b.WriteString(l.Text)
		for b.Len() < 600+rng.IntN(2400) { // bytes: 300 to 1,500 Russian letters
			b.WriteString(" " + sentences[rng.IntN(len(sentences))] + ".")
		}
		b.WriteString(" Адрес: ул. " + name() + "ская, д. 5, " + name() + "ова А. А.")
		out[i] = Example{Text: b.String(), Code: l.Codes[0]}
	}
	return out
}

var corpus100k = sync.OnceValue(func() []Example { return corpus(&testing.B{}, 100_000) })

// BenchmarkRebuild rebuilds the history from 100,000 classified appeals, as the engine does at
// start, against the obvious alternative of a Learn per appeal. It reports the model's heap.
func BenchmarkRebuild(b *testing.B) {
	examples := corpus100k()
	b.Run("Rebuild", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			m := newModel(b, Options{})
			before := heap()
			r, err := m.Rebuild(context.Background(), slices.Values(examples))
			if err != nil || r.Learned != len(examples) {
				b.Fatal(r, err)
			}
			b.ReportMetric(float64(heap()-before)/(1<<20), "history-MB")
			b.ReportMetric(float64(m.hist.pairs), "pairs")
			b.ReportMetric(float64(len(m.hist.words)), "words")
			runtime.KeepAlive(m)
		}
		reportCPU(b, cpu)
	})
	b.Run("Learn-each", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			m := newModel(b, Options{})
			for _, ex := range examples {
				if err := m.Learn(ex.Text, ex.Code); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkNew builds the knowledge and reports its heap.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		before := heap()
		m := newModel(b, Options{})
		b.ReportMetric(float64(heap()-before)/(1<<20), "knowledge-MB")
		runtime.KeepAlive(m)
	}
}

// heap returns the bytes in use on the heap after a collection.
func heap() uint64 {
	runtime.GC()
	runtime.GC() // a second cycle frees what the first left to sync.Pool victims
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// cpuTime returns the CPU time the process has used. Other sessions share the machine, so
// wall time swings; CPU time per operation, divided by the cores used, is what an idle machine
// would take.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(cpuTime()-since)/float64(b.N)/1e6, "cpu-ms/op")
}
