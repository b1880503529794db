package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// searchBenchVar names the environment variable that runs BenchmarkSearch: it stores a million
// cards in each store, which takes a while.
const searchBenchVar = "APPEALS_BENCH_SEARCH"

// searchQueries are BenchmarkSearch's queries, as a person types them.
var searchQueries = []struct{ name, query string }{
	{"one-word", "Садовая"},                    // a street: about one card in 80
	{"three-words", "Кузнецова садовая крыша"}, // an applicant, her street and her trouble
	{"common-word", "прошу"},                   // in almost every text: the engine's cap bites
	{"number", "Ж-4242/2025"},                  // one card
}

// BenchmarkSearch: a search over 100,000 and then 1,000,000 realistic cards (searchCard) on
// each store, read as Engine.Search reads it (up to MaxSearchHits+1 records); at 100,000 beside
// it the engine's fallback for a store without search, which scans List and checks the words.
// ns/op is one search; hits/op how many records it read. Run with APPEALS_BENCH_SEARCH=1 (and
// APPEALS_PG_DSN for pgstore) and -benchtime=20x or so: one op of the scan takes seconds.
func BenchmarkSearch(b *testing.B) {
	if os.Getenv(searchBenchVar) == "" {
		b.Skip("set " + searchBenchVar + "=1 to run: it stores 1,000,000 cards in each store")
	}
	eachStore(b, func(b *testing.B, s workflow.Store) {
		stored := 0
		for _, size := range []int{100_000, 1_000_000} {
			start := time.Now()
			fillCards(b, s, stored, size)
			b.Logf("%d cards stored in %v", size-stored, time.Since(start).Round(time.Second))
			stored = size
			if a, ok := s.(interface{ analyze(*testing.B) }); ok {
				a.analyze(b)
			}
			for _, q := range searchQueries {
				words := slices.Compact(slices.Sorted(slices.Values(textnorm.Tokens(q.query))))
				b.Run(fmt.Sprintf("cards=%d/%s/search", size, q.name), func(b *testing.B) {
					searched := s.(workflow.Searcher)
					benchSearch(b, func() (int, error) { return readHits(searched.Search(b.Context(), words, workflow.Filter{})) })
				})
				if size == 100_000 {
					b.Run(fmt.Sprintf("cards=%d/%s/scan", size, q.name), func(b *testing.B) {
						benchSearch(b, func() (int, error) { return readHits(scanned(s, b, words)) })
					})
				}
			}
		}
	})
}

// benchSearch runs search b.N times and reports the hits it read.
func benchSearch(b *testing.B, search func() (int, error)) {
	hits := 0
	for b.Loop() {
		n, err := search()
		require.NoError(b, err)
		hits = n
	}
	b.ReportMetric(float64(hits), "hits/op")
}

// scanned is Engine.Search's fallback: List, keeping the records that hold every word.
func scanned(s workflow.Store, b *testing.B, words []string) func(yield func(*workflow.Record, error) bool) {
	return func(yield func(*workflow.Record, error) bool) {
		for rec, err := range s.List(b.Context(), workflow.Filter{}) {
			if err != nil || holdsAll(rec.Words, words) {
				if !yield(rec, err) {
					return
				}
			}
		}
	}
}

// readHits reads found as Engine.Search does, up to MaxSearchHits+1 records.
func readHits(found func(yield func(*workflow.Record, error) bool)) (int, error) {
	n := 0
	for _, err := range found {
		if err != nil {
			return n, err
		}
		if n++; n > workflow.MaxSearchHits {
			break
		}
	}
	return n, nil
}

// fillCards stores cards from..to-1 (searchCard) from benchClients goroutines; on a store
// that can take many Creates in one transaction (bulkCreate), in transactions of fillBatch.
func fillCards(b *testing.B, s workflow.Store, from, to int) {
	if bulk, ok := s.(interface {
		bulkCreate(context.Context, []workflow.Change) error
	}); ok {
		batch := make([]workflow.Change, 0, fillBatch)
		for i := from; i < to; i++ {
			if batch = append(batch, workflow.Change{Record: searchCard(i)}); len(batch) == fillBatch || i == to-1 {
				require.NoError(b, bulk.bulkCreate(b.Context(), batch))
				batch = batch[:0]
			}
		}
		return
	}
	errs := make(chan error, benchClients)
	for c := range benchClients {
		go func() {
			var err error
			for i := from + c; i < to && err == nil; i += benchClients {
				err = s.Create(b.Context(), workflow.Change{Record: searchCard(i)})
			}
			errs <- err
		}()
	}
	for range benchClients {
		require.NoError(b, <-errs)
	}
}

// The word lists searchCard builds cards from: invented people on invented streets of real
// towns, writing about what appeals are mostly about.
var (
	surnames = strings.Fields(`Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров
		Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров
		Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов
		Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов
		Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов
		Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов
		Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков
		Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв`)
	menNames    = strings.Fields(`Александр Сергей Дмитрий Андрей Алексей Иван Михаил Евгений Николай Владимир Павел Артём Юрий Виктор Олег Игорь`)
	womenNames  = strings.Fields(`Елена Ольга Наталья Татьяна Ирина Светлана Мария Анна Екатерина Юлия Галина Людмила Алёна Надежда Вера Любовь`)
	patronymics = strings.Fields(`Александров Сергеев Дмитриев Андреев Алексеев Иванов Михайлов Николаев Владимиров Петров Викторов Юрьев`)
	towns       = strings.Fields(`Пермь Кунгур Березники Соликамск Чайковский Лысьва Краснокамск Чусовой Добрянка Губаха`)
	streets     = strings.Fields(`Садовая Ленина Мира Советская Школьная Лесная Молодёжная Центральная Новая Набережная Заречная Полевая Зелёная Пионерская Октябрьская Гагарина Кирова Пушкина Комсомольская Чапаева Строителей Первомайская Луговая Солнечная Речная Северная Южная Горького Свердлова Куйбышева Лермонтова Калинина Фрунзе Маяковского Победы Кооперативная Рабочая Юбилейная Весенняя Вокзальная Космонавтов Матросова Дзержинского Энтузиастов Крупской Революции Чкалова Мичурина Ватутина Суворова Толстого Некрасова Белинского Жукова Титова Королёва Цветочная Берёзовая Сосновая Кедровая Рябиновая Вишнёвая Черёмуховая Липовая Тополиная Дачная Парковая Заводская Фабричная Шахтёрская Трактовая Нагорная Подгорная Озёрная Ключевая Родниковая Уральская Сибирская Камская Чусовская Пермская`)
	topics      = []string{"О ремонте дороги", "О вывозе мусора", "О протечке крыши", "О работе управляющей компании", "Об уличном освещении", "О благоустройстве двора", "О работе общественного транспорта", "О начислении платы за коммунальные услуги", "О ремонте подъезда", "О детской площадке", "Об отоплении", "О водоснабжении", "О бродячих собаках", "О работе поликлиники", "О месте в детском саду", "О сносе аварийного дома"}
	troubles    = []string{"во дворе третий месяц не вывозят мусор, контейнеры переполнены", "течёт крыша, в квартире на потолке пятна и плесень", "в подъезде не работает освещение и сломан домофон", "на дороге у дома глубокие ямы, машины повреждают колёса", "зимой в квартире холодно, батареи едва тёплые", "из крана идёт ржавая вода, а летом воды нет неделями", "автобус по маршруту ходит раз в час и опаздывает", "в квитанции за февраль начислено вдвое больше обычного", "детская площадка разрушена, качели сломаны", "по двору бегает стая бродячих собак, дети боятся выходить", "в поликлинику невозможно записаться к врачу", "подвал затоплен, по подъезду распространяется запах", "фонари на улице не горят с осени", "лифт не работает второй месяц, пожилые жильцы не могут выйти", "дом признан аварийным, но расселение откладывают", "ребёнку второй год не дают места в детском саду"}
	complaints  = []string{"Мы неоднократно обращались в управляющую компанию, но ответа не получили.", "Заявки подавали по телефону и письменно, последний раз 12.03.2025.", "Диспетчер каждый раз обещает прислать бригаду, но никто не приходит.", "Плату за содержание общего имущества мы вносим без задолженности.", "Жильцы собрали подписи, копия прилагается.", "Ситуация повторяется каждый год.", "Пожилым людям и детям опасно выходить на улицу.", "Ранее я уже писал об этом, но меры не приняты."}
	requests    = []string{"Прошу провести проверку и принять меры.", "Прошу обязать управляющую компанию устранить нарушения в кратчайшие сроки.", "Прошу сделать перерасчёт платы за период, когда услуги не оказывались.", "Прошу включить ремонт в план на этот год.", "Прошу сообщить о принятых мерах письменно.", "Прошу разобраться и дать ответ по существу."}
)

// searchCard returns the i-th card of the benchmarks, the same every run but for its id: a
// citizen of one of the towns writes about one or two troubles at home, in three to six
// sentences (some thirty to seventy words), with a registration number, an e-mail and a phone
// of their own; its Words are what the engine computes (the tokens of the number, the
// applicant, the address, the summary and the text). Surnames are skewed, as they are: the
// first of the list is some twenty times as common as the last.
func searchCard(i int) *workflow.Record {
	r := rand.New(rand.NewPCG(59, uint64(i)))
	a := appeal.New(uuid.Must(uuid.NewV7()), t0, appeal.ChannelWebForm)
	a.Kind, a.Identified = appeal.Complaint, true
	a.Number = fmt.Sprintf("Ж-%d/2025", i)
	x := r.Float64()
	p := appeal.Applicant{Surname: surnames[int(float64(len(surnames))*x*x)], Patronymic: pick(r, patronymics)}
	if r.IntN(2) == 0 {
		p.GivenName, p.Patronymic = pick(r, menNames), p.Patronymic+"ич"
	} else { // Иванов → Иванова, Соловьёв → Соловьёва
		p.Surname, p.GivenName, p.Patronymic = p.Surname+"а", pick(r, womenNames), p.Patronymic+"на"
	}
	p.Email = fmt.Sprintf("user%d@example.ru", i)
	p.Phone = fmt.Sprintf("+7 9%02d %03d-%02d-%02d", r.IntN(100), r.IntN(1000), r.IntN(100), r.IntN(100))
	p.PostalAddress = fmt.Sprintf("г. %s, ул. %s, д. %d, кв. %d", pick(r, towns), pick(r, streets), 1+r.IntN(120), 1+r.IntN(250))
	a.Applicants = []appeal.Applicant{p}
	a.Summary = pick(r, topics)
	var text strings.Builder
	text.WriteString("Уважаемый глава! ")
	for range 1 + r.IntN(2) {
		text.WriteString("Сообщаю, что " + pick(r, troubles) + ". ")
	}
	for range 1 + r.IntN(3) {
		text.WriteString(pick(r, complaints) + " ")
	}
	text.WriteString(pick(r, requests))
	a.Text = text.String()

	var n textnorm.Normalizer
	var toks []string
	for _, f := range []string{a.Number, p.Surname + " " + p.GivenName + " " + p.Patronymic + " " + p.Email + " " + p.Phone, p.PostalAddress, a.Summary, a.Text} {
		toks = n.AppendTokens(toks, f)
	}
	return &workflow.Record{Appeal: a, Series: "Ж", Words: slices.Compact(slices.Sorted(slices.Values(toks)))}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// fillBatch is how many cards fillCards stores in one transaction where it can.
const fillBatch = 2000

// bulkCreate stores chs as Create does, in one transaction of the writer: the same rows and
// statements, one commit for them all. BenchmarkSearch fills a million cards with it in
// minutes; one Create a commit took hours.
func (s *Store) bulkCreate(ctx context.Context, chs []workflow.Change) error {
	encs := make([]*encoded, len(chs))
	for i, ch := range chs {
		enc, err := s.encode(ch)
		if err != nil {
			return err
		}
		encs[i] = enc
	}
	return s.exec(ctx, func(tx *sql.Tx) error {
		for i, ch := range chs {
			if err := s.createTx(tx, ch, encs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
