package suggest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
)

var code = classifier.MustParse

func newModel(t testing.TB, opts Options) *Model {
	t.Helper()
	m, err := New(classifier.Embedded(), opts)
	require.NoError(t, err)
	return m
}

func codesOf(got []Suggestion) []string {
	out := make([]string, len(got))
	for i, s := range got {
		out[i] = s.Code.String()
	}
	return out
}

// TestSuggestColloquial: citizens' words, abbreviations and misspellings find the question the
// classifier words differently.
func TestSuggestColloquial(t *testing.T) {
	m := newModel(t, Options{})
	tests := []struct {
		text string
		want string // a question among the first three
	}{
		{"почему опять насчитали 8 тысяч за отопление", "0005.0005.0056.1149"},
		{"УК не убирает подъезд, лифт не работает", "0005.0005.0056.1168"},
		{"капремонт крыши сделали плохо, течёт ещё сильнее", "0005.0005.0056.1170"},
		{"хочу потратить маткапитал на обучение сына", "0002.0007.0072.0286"},
		{"страховая по ОСАГО занизила выплату после аварии", "0003.0008.0078.0470"},
		{"в МФЦ огромные очереди, работает одно окно", "0001.0002.0025.0092"},
		{"нет горячей воды уже неделю", "0005.0005.0056.1154"},
		{"батареи холодные, в квартире +15", "0005.0005.0056.1156"},
		{"ямы на дороге по колено, машины ломаются", "0003.0009.0097.0699"},
		{"стая бродячих собак напала на ребёнка у школы", "0003.0011.0127.0866"},
		{"мужа мобилизовали, когда вернут домой", "0004.0015.0148.0898"},
		{"атопление не включили, в доме холодина", "0005.0005.0056.1156"}, // «атопление»: one wrong letter
		{"сабаки бегают стаями по поселку", "0003.0011.0127.0866"},        // «сабаки»
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := m.Suggest(tt.text, 3)
			assert.Contains(t, codesOf(got), tt.want)
		})
	}
}

// TestSuggestWords: each suggestion names words of the text, as written, the ones that led to
// it.
func TestSuggestWords(t *testing.T) {
	m := newModel(t, Options{})
	got := m.Suggest("Почему опять насчитали 8 тысяч за ОТОПЛЕНИЕ? Квитанция неправильная", 3)
	require.NotEmpty(t, got)
	assert.Equal(t, "0005.0005.0056.1149", got[0].Code.String())
	assert.Equal(t, "Оплата жилищно-коммунальных услуг (ЖКХ), взносов в Фонд капитального ремонта", got[0].Title)
	assert.Contains(t, got[0].Words, "насчитали")
	assert.Contains(t, got[0].Words, "Квитанция", "as written")
	for _, s := range got {
		for _, w := range s.Words {
			assert.Contains(t, []string{"Почему", "опять", "насчитали", "тысяч", "ОТОПЛЕНИЕ", "Квитанция", "неправильная"}, w)
		}
	}
}

// TestSuggestShape: at most n suggestions, best first, distinct questions, each assignable, with
// a positive score and a title; nothing for a text the model knows no word of.
func TestSuggestShape(t *testing.T) {
	m := newModel(t, Options{})
	cls := classifier.Embedded()
	for _, n := range []int{1, 3, 10, 50} {
		got := m.Suggest(letter, n)
		require.NotEmpty(t, got)
		assert.LessOrEqual(t, len(got), n)
		seen := make(map[classifier.Code]bool)
		for i, s := range got {
			assert.NoError(t, cls.Assignable(s.Code))
			assert.Positive(t, s.Score)
			node, err := cls.Get(s.Code)
			require.NoError(t, err)
			assert.Equal(t, node.Title, s.Title)
			q := questionOf(s.Code)
			assert.False(t, seen[q], "question %s twice", q)
			seen[q] = true
			if i > 0 {
				assert.GreaterOrEqual(t, got[i-1].Score, s.Score, "order")
			}
		}
	}
	assert.Nil(t, m.Suggest(letter, 0))
	assert.Nil(t, m.Suggest(letter, -1))
	assert.Empty(t, m.Suggest("", 5))
	assert.Empty(t, m.Suggest("ыыы щщщ 12345 !!!", 5))
}

// TestSuggestRefinement: a refinement is suggested when the text names it, else the question.
func TestSuggestRefinement(t *testing.T) {
	m := newModel(t, Options{})
	got := m.Suggest("прошу назначить мне пенсию по старости, стаж 40 лет", 3)
	require.NotEmpty(t, got)
	assert.Equal(t, "0002.0007.0071.0282.0025", got[0].Code.String(), "«по старости» is refinement 0025 of «Назначение пенсии»")
	got = m.Suggest("прошу назначить мне пенсию, стаж 40 лет", 3)
	require.NotEmpty(t, got)
	assert.Equal(t, "0002.0007.0071.0282", got[0].Code.String())
}

// TestSuggestSubset: a model over an organization's subset suggests only what the subset can
// assign; a question kept only as the parent of chosen refinements yields a refinement.
func TestSuggestSubset(t *testing.T) {
	org, err := classifier.Embedded().Subset(
		code("0005.0005.0056.0000"),      // the whole topic «Коммунальное хозяйство»
		code("0002.0007.0071.0282.0025"), // one refinement: pensions by age
	)
	require.NoError(t, err)
	m, err := New(org, Options{})
	require.NoError(t, err)
	for _, text := range []string{letter, "почему опять насчитали 8 тысяч за отопление", "ямы на дороге", "прошу назначить пенсию"} {
		for _, s := range m.Suggest(text, 10) {
			assert.NoError(t, org.Assignable(s.Code), "%s for %q", s.Code, text)
		}
	}
	got := m.Suggest("прошу назначить пенсию", 3)
	require.NotEmpty(t, got)
	assert.Equal(t, "0002.0007.0071.0282.0025", got[0].Code.String())
	assert.Empty(t, m.Suggest("стая бродячих собак", 3), "animals are outside the subset")
}

// learnedTexts are letters about a nuisance the vocabulary has no words for (its own slang),
// and probe is a new letter about it.
var (
	learnedTexts = []string{
		"квакербоды и вейкбордисты носятся у пляжа на Круглом, гидробайки ревут",
		"опять квакербоды и гидробайки, вейкбордисты распугали рыбаков",
		"прошу запретить квакербоды, вейкбордисты не дают покоя, гидробайки ночью",
		"гидробайки и квакербоды у купальни, вейкбордисты без правил",
		"вейкбордисты, гидробайки, квакербоды — каждый выходной одно и то же",
	}
	probe = "квакербоды с вейкбордистами и гидробайки опять"
)

// TestLearn: words the knowledge lacks point, once clerks gave them a code, to that code; Forget
// takes it back.
func TestLearn(t *testing.T) {
	m := newModel(t, Options{})
	target := code("0003.0009.0099.0730") // ГИМС, маломерные суда
	assert.Empty(t, m.Suggest(probe, 5), "the knowledge has none of these words")
	for _, text := range learnedTexts {
		require.NoError(t, m.Learn(text, target))
	}
	got := m.Suggest(probe, 5)
	require.NotEmpty(t, got)
	assert.Equal(t, target, got[0].Code)
	assert.Subset(t, got[0].Words, []string{"квакербоды", "гидробайки"})
	for _, text := range learnedTexts {
		require.NoError(t, m.Forget(text, target))
	}
	assert.Empty(t, m.Suggest(probe, 5), "forgotten")
	assert.Zero(t, m.hist.pairs)
	assert.Empty(t, m.hist.words)
}

func TestLearnRefusesCodes(t *testing.T) {
	m := newModel(t, Options{})
	err := m.Learn("текст", code("0005.0009.0104.0886"))
	assert.ErrorIs(t, err, classifier.ErrUnknownCode)
	err = m.Learn("текст", code("0005.0005.0056.0000"))
	assert.ErrorIs(t, err, classifier.ErrNotAssignable, "a topic")
	assert.ErrorIs(t, m.Forget("текст", classifier.Code{}), classifier.ErrUnknownCode)
	assert.NotContains(t, m.Learn("Иванов Иван, ул. Ленина", code("0005.0005.0056.0000")).Error(), "Иванов", "the error does not repeat the text")

	org, err := classifier.Embedded().Subset(code("0005.0005.0056.0000"))
	require.NoError(t, err)
	om, err := New(org, Options{})
	require.NoError(t, err)
	assert.ErrorIs(t, om.Learn("ямы на дороге", code("0003.0009.0097.0699")), classifier.ErrUnknownCode, "outside the subset")
	assert.Zero(t, om.hist.pairs)
}

// madeUp returns a made-up word, different for each i, that textnorm keeps whole.
func madeUp(i int) string {
	var b strings.Builder
	b.WriteString("зю")
	for ; i > 0; i /= 20 {
		b.WriteRune([]rune("бвгджзклмнпрстфхцчшщ")[i%20])
	}
	return b.String() + "ок"
}

// TestMaxHistory: the pairs never pass Options.MaxHistory; a decay halves the counts and drops
// the pairs seen once, so what recurs survives.
func TestMaxHistory(t *testing.T) {
	const limit = 200
	m := newModel(t, Options{MaxHistory: limit})
	steady := code("0005.0005.0056.1149")
	for i := range 300 {
		require.NoError(t, m.Learn("квитанция начисления "+madeUp(i), steady))
		require.LessOrEqual(t, m.hist.pairs, limit)
	}
	w, ok := m.hist.words["квитанц"]
	require.True(t, ok, "a word in every text survives the decays")
	assert.Len(t, w.codes, 1)
	assert.Less(t, m.hist.n[m.k.byCode[steady]], float32(300), "the counts were halved")
	assert.Less(t, len(m.hist.words), 200, "words seen once were dropped")
	assert.NotContains(t, m.hist.words, textnorm.Tokens(madeUp(1))[0], "the oldest one-off word is gone")
	assert.Contains(t, m.hist.words, textnorm.Tokens(madeUp(299))[0], "the newest is kept")
}

func TestRebuild(t *testing.T) {
	m := newModel(t, Options{})
	target := code("0003.0009.0099.0730")
	require.NoError(t, m.Learn("старые слова: байдарочники", target))
	var examples []Example
	for _, text := range learnedTexts {
		examples = append(examples, Example{text, target})
	}
	examples = append(examples,
		Example{"старый код", code("0005.0009.0104.0886")}, // an older edition's code
		Example{"тема, не вопрос", code("0005.0005.0056.0000")},
	)
	r, err := m.Rebuild(context.Background(), slices.Values(examples))
	require.NoError(t, err)
	assert.Equal(t, Rebuilt{Learned: len(learnedTexts), Skipped: 2}, r)
	assert.NotContains(t, m.hist.words, "байдарочник", "Rebuild replaces what was learned")
	got := m.Suggest(probe, 3)
	require.NotEmpty(t, got)
	assert.Equal(t, target, got[0].Code)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = m.Rebuild(ctx, slices.Values(examples[:1]))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, m.hist.words, "квакербод", "a cancelled Rebuild keeps the history")
}

// TestRebuildMatchesLearn: Rebuild (on all CPUs) learns what Learn one by one does.
func TestRebuildMatchesLearn(t *testing.T) {
	train, _ := readLabelled(t)
	one := trained(t, train)
	all := newModel(t, Options{})
	examples := make([]Example, len(train))
	for i, l := range train {
		examples[i] = Example{l.Text, l.Codes[0]}
	}
	_, err := all.Rebuild(context.Background(), slices.Values(examples))
	require.NoError(t, err)
	assert.Equal(t, one.hist.pairs, all.hist.pairs)
	assert.Equal(t, one.hist.texts, all.hist.texts)
	assert.Equal(t, one.hist.n, all.hist.n)
	assert.Equal(t, len(one.hist.words), len(all.hist.words))
	for _, l := range train[:20] {
		assert.Equal(t, one.Suggest(l.Text, 5), all.Suggest(l.Text, 5))
	}
}

// TestConcurrent runs Suggest, Learn, Forget and Rebuild at once; -race checks the locking.
func TestConcurrent(t *testing.T) {
	m := newModel(t, Options{MaxHistory: 500})
	train, test := readLabelled(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i, l := range test[g*20 : g*20+20] {
				m.Suggest(l.Text, 5)
				if i%5 == 0 {
					assert.NoError(t, m.Learn(l.Text, l.Codes[0]))
					assert.NoError(t, m.Forget(l.Text, l.Codes[0]))
				}
			}
		})
	}
	wg.Go(func() {
		examples := make([]Example, len(train))
		for i, l := range train {
			examples[i] = Example{l.Text, l.Codes[0]}
		}
		_, err := m.Rebuild(context.Background(), slices.Values(examples))
		assert.NoError(t, err)
	})
	wg.Wait()
}

func TestVocabularyErrors(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		line int
		want string
	}{
		{"header", "code,terms\n0005.0005.0056.1149,\"квитанция\"\n", 1, "header must be code,main,terms"},
		{"empty", "", 1, "header"},
		{"fields", "code,main,terms\n0005.0005.0056.1149,квитанция\n", 2, "wrong number of fields"},
		{"code", "code,main,terms\nИванов Иван,,квитанция\n", 2, "code: classifier: invalid code"},
		{"theme", "code,main,terms\n0005.0005.0000.0000,,жилище\n", 2, "terms belong to topics, questions and refinements"},
		{"main on a question", "code,main,terms\n0005.0005.0056.1149,1150,квитанция\n", 2, "only a topic has a main question"},
		{"main not a number", "code,main,terms\n0005.0005.0056.0000,x1,коммуналка\n", 2, "main must be the 4th block of a question of topic"},
		{"long term", "code,main,terms\n0005.0005.0056.1149,,один два три четыре пять шесть семь\n", 2, "at most 6 are matched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(classifier.Embedded(), Options{Vocabulary: strings.NewReader(tt.csv)})
			require.Error(t, err)
			ve, ok := errors.AsType[*VocabularyError](err)
			require.True(t, ok, "%T", err)
			assert.Equal(t, tt.line, ve.Line)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "Иванов", "the error does not repeat the row")
			assert.NotContains(t, err.Error(), "квитанция")
		})
	}
	m, err := New(classifier.Embedded(), Options{Vocabulary: strings.NewReader("code,main,terms\n0005.0009.0104.0886,,старое\n0005.0005.0056.1149,,квакербод\n")})
	require.NoError(t, err, "a code of another edition is skipped")
	assert.Equal(t, "0005.0005.0056.1149", m.Suggest("квакербод", 1)[0].Code.String())
}

// TestEmbeddedVocabulary keeps the data honest: every row names a node of the embedded edition
// once, and no one-word term is the stem of an everyday word that says nothing about a subject
// (the Snowball stem of «годен» is that of «год», of «почта» that of «почти»).
func TestEmbeddedVocabulary(t *testing.T) {
	var n textnorm.Normalizer
	cls := classifier.Embedded()
	everyday := make(map[string]string)
	for _, w := range strings.Fields(`год года году лет раз время день дня человек люди дело жизнь жить живу
		могу может мог почти сколько очень опять снова теперь потом просто нужно надо прошу просим помогите
		пожалуйста спасибо здравствуйте уважаемый дома дети ребенок мама муж жена сын дочь пришел приходил
		сделать сделали работа живем хорошо плохо ничего никто новый новому старый большой маленький первый
		второй ждать каждый другой место месте месяц рублей тысяч деньги писала звонили сказали говорят
		обещали мир хочу должны нужен почему тогда вообще больше долго рядом стали стала находится случай супруг супруга
		ответ решение вопрос`) {
		for _, tok := range textnorm.Tokens(w) { // stop words have none
			everyday[tok] = w
		}
	}
	seen := make(map[string]bool)
	err := readTerms(strings.NewReader(embeddedVocabulary), vocabularyHeader, func(line int, rec []string) error {
		c, err := classifier.Parse(rec[0])
		require.NoError(t, err, "line %d", line)
		_, err = cls.Get(c)
		require.NoError(t, err, "line %d", line)
		assert.False(t, seen[rec[0]], "line %d: %s repeats", line, rec[0])
		seen[rec[0]] = true
		for term := range strings.SplitSeq(rec[2], ";") {
			toks := subjectTokens(nil, &n, term)
			assert.NotEmpty(t, toks, "line %d: %q has no word", line, term)
			if len(toks) == 1 {
				w, ok := everyday[toks[0]]
				assert.False(t, ok, "line %d: %q has the stem of «%s»", line, term, w)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, len(seen), 1000)
}

func TestTitleSubject(t *testing.T) {
	assert.Equal(t, "Здравоохранение ", titleSubject("Здравоохранение (за исключением международного сотрудничества)"))
	assert.Equal(t, "Государственные и муниципальные услуги (многофункциональные центры)", titleSubject("Государственные и муниципальные услуги (многофункциональные центры)"))
	assert.Equal(t, "Служба  в Р", titleSubject("Служба (за исключением (особенностей) службы) в Р"))
	assert.Equal(t, "Туризм ", titleSubject("Туризм (кроме выездного)"))
}

func TestSubjectTokens(t *testing.T) {
	var n textnorm.Normalizer
	tests := []struct{ in, want string }{
		{"ул. Лесная, д. 5, кв. 3 — нет воды", "нет вод"},
		{"улица Школьная дом 12: яма", "ям"},
		{"на улице темно", "темн"},
		{"улица не освещена", "освещ"},
		{"ул. 8 Марта 5, протекает крыша", "протека крыш"},
		{"оплатила 12 000 руб. 12.03.2025", "оплат руб"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, strings.Join(subjectTokens(nil, &n, tt.in), " "), tt.in)
	}
}

func FuzzSuggest(f *testing.F) {
	for _, s := range []string{letter, "почему опять насчитали 8 тысяч за отопление", "", "ул. д. кв.", "ёЁ-—…", "атопление сабаки", "\xff\xfe"} {
		f.Add(s)
	}
	m := newModel(f, Options{})
	cls := classifier.Embedded()
	f.Fuzz(func(t *testing.T, text string) {
		got := m.Suggest(text, 5)
		if len(got) > 5 {
			t.Fatalf("%d suggestions", len(got))
		}
		for i, s := range got {
			if err := cls.Assignable(s.Code); err != nil {
				t.Fatalf("%s: %v", s.Code, err)
			}
			if s.Score <= 0 || i > 0 && got[i-1].Score < s.Score {
				t.Fatalf("scores %v", got)
			}
			for _, w := range s.Words {
				if w == "" || !strings.Contains(text, w) {
					t.Fatalf("word %q is not in the text", w)
				}
			}
		}
	})
}

// vocabularyModel is a model whose vocabulary is rows (code,main,terms lines).
func vocabularyModel(t *testing.T, rows ...string) *Model {
	t.Helper()
	return newModel(t, Options{Vocabulary: strings.NewReader("code,main,terms\n" + strings.Join(rows, "\n") + "\n")})
}

// TestWordCountsOnce: a word of the text gives a code its best term's evidence once, however
// many of the code's terms it is in; two telling words beat one word repeated in overlapping
// phrases.
func TestWordCountsOnce(t *testing.T) {
	m := vocabularyModel(t,
		`0005.0005.0056.1149,,"кварк; кварк глюон; глюон кварк"`,
		`0003.0009.0099.0730,,"кварк; глюон"`,
	)
	got := m.Suggest("кварк глюон", 2)
	require.Len(t, got, 2)
	assert.Equal(t, "0003.0009.0099.0730", got[0].Code.String())
}

// TestSpreadOverTopics: with close evidence, a question of another topic comes before a second
// question of the first one's topic.
func TestSpreadOverTopics(t *testing.T) {
	m := vocabularyModel(t,
		`0005.0005.0056.1149,,"кварк; глюон"`,
		`0005.0005.0056.1150,,"кварк; мезон"`,
		`0003.0009.0099.0730,,"бозон"`,
	)
	got := m.Suggest("кварк глюон мезон бозон бозон бозон", 3)
	assert.Equal(t, []string{"0005.0005.0056.1149", "0003.0009.0099.0730", "0005.0005.0056.1150"}, codesOf(got))
}

// TestRefinementNeedsItsOwnWords: a word that speaks for the question says nothing about which
// of its refinements the text is about.
func TestRefinementNeedsItsOwnWords(t *testing.T) {
	m := vocabularyModel(t, `0004.0016.0159.0988,,"полиция"`) // «полиция» is a term of refinement 0021, МВД России, too
	got := m.Suggest("полиция", 1)
	require.NotEmpty(t, got)
	assert.Equal(t, "0004.0016.0159.0988", got[0].Code.String())
}
