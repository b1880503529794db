package deadline_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/fz59/appeals/deadline"
)

// A written appeal registered on 2 December 2025: the 30-day consideration
// term (art. 12 p.1) ends on 1 January, a holiday.
func ExampleCounter_Due() {
	c := deadline.NewCounter(deadline.Russia(deadline.CalendarOptions{}), deadline.Policy{})
	d, err := c.Due(deadline.Consideration, deadline.NewDate(2025, time.December, 2))
	if err != nil {
		panic(err)
	}
	fmt.Println("legal:  ", d.Legal)
	fmt.Println("control:", d.Control)
	fmt.Println(c.Explain(d))
	// Output:
	// legal:   2026-01-12
	// control: 2025-12-30
	// Регистрация 02.12.2025; +30 календарных дней (59-ФЗ ст. 12 ч. 1; отсчет со следующего дня, ГК РФ ст. 191) — 01.01.2026; 01.01.2026 — нерабочий праздничный день (Новогодние каникулы); последний день срока переносится на ближайший следующий рабочий день 12.01.2026 (ГК РФ ст. 193); контрольный срок — предшествующий рабочий день 30.12.2025.
}

// An extension (продление срока, art. 12 p.2) after an inter-agency request.
func ExampleCounter_Extend() {
	c := deadline.NewCounter(nil, deadline.Policy{})
	d, _ := c.Due(deadline.Consideration, deadline.NewDate(2026, time.April, 9))
	x, err := c.Extend(d, 30, "запрос в другой орган")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Legal, "→", x.Legal)
	_, err = c.Extend(x, 10, "еще раз")
	fmt.Println(err)
	// Output:
	// 2026-05-12 → 2026-06-11
	// extend consideration from 2026-04-09: deadline: already extended; art. 12 p.2 allows one extension
}

// Working-day arithmetic for internal regulations that count working days.
func ExampleCalendar_AddWorkingDays() {
	cal := deadline.Russia(deadline.CalendarOptions{})
	from := deadline.NewDate(2025, time.December, 26)
	to := cal.AddWorkingDays(from, 5)
	fmt.Println(to, cal.WorkingDaysBetween(from, to))
	fmt.Println(cal.Day(deadline.NewDate(2026, time.January, 7)).Name)
	// Output:
	// 2026-01-14 5
	// Рождество Христово
}

// Status at a moment, by day in the organization's zone.
func ExampleCounter_Status() {
	vlad := time.FixedZone("Asia/Vladivostok", 10*3600)
	c := deadline.NewCounter(nil, deadline.Policy{Location: vlad})
	d, _ := c.Due(deadline.Registration, deadline.NewDate(2025, time.December, 2)) // due 2025-12-05
	// 14:30 UTC on 5 Dec is already 00:30 on 6 Dec in Vladivostok.
	now := time.Date(2025, time.December, 5, 14, 30, 0, 0, time.UTC)
	fmt.Println(c.Status(d, c.DateOf(now), deadline.Date{}))
	// Output:
	// overdue
}

// A year without an official calendar yet: the ТК 112 estimate, marked.
func ExampleDeadline_Estimated() {
	c := deadline.NewCounter(nil, deadline.Policy{})
	d, _ := c.Due(deadline.Consideration, deadline.NewDate(2027, time.December, 10))
	fmt.Println(d.Legal, d.Estimated)
	fmt.Println(c.Explain(d).Steps[0].Text)
	// Output:
	// 2028-01-10 true
	// внимание: производственного календаря на 2028 год нет (еще не утвержден или не загружен); даты рассчитаны по ст. 112 ТК РФ без переносов выходных дней Правительством РФ и могут измениться
}

// The day the government publishes a year's calendar, a host loads it.
func ExampleLoadCSV() {
	file, err := os.Open("testdata/ru-2028.csv") // as the resolution sets 2028
	if err != nil {
		panic(err)
	}
	defer file.Close()
	years, err := deadline.LoadCSV(file)
	if err != nil {
		panic(err)
	}
	c := deadline.NewCounter(deadline.Russia(deadline.CalendarOptions{Years: []deadline.Years{years}}), deadline.Policy{})
	d, _ := c.Due(deadline.Consideration, deadline.NewDate(2027, time.December, 10))
	fmt.Println(years.List(), d.Legal, d.Estimated)

	_, err = deadline.LoadCSV(strings.NewReader("date,kind\n2028-01-09,holiday\n"))
	fmt.Println(err)
	// Output:
	// [2028] 2028-01-11 false
	// deadline: calendar CSV line 2: holiday: not a holiday of ТК РФ ст. 112 ч. 1 (a day off by a transfer is nonworking)
}

// Moving an assignment's due date off a day off.
func ExampleCalendar_NextWorkingDay() {
	cal := deadline.Russia(deadline.CalendarOptions{})
	day := deadline.NewDate(2026, time.January, 3)
	fmt.Println(cal.NextWorkingDay(day), cal.PreviousWorkingDay(day))
	// Output:
	// 2026-01-12 2025-12-30
}

// Refusing a moment outside the supported years where it enters.
func ExampleCheckTime() {
	fmt.Println(deadline.CheckTime(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)))
	fmt.Println(deadline.CheckTime(time.Time{}))
	_, err := deadline.ParseDate("9999-12-31")
	fmt.Println(errors.Is(err, deadline.ErrDateRange))
	// Output:
	// <nil>
	// deadline: bad date: year 1 outside 1900–2199
	// true
}
