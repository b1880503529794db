package retention_test

import (
	"fmt"
	"os"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/retention"
)

func ExampleSchedule_Decide() {
	sched := retention.Standard()
	file := retention.File{
		Number:   "02-16/2024",
		Category: retention.CategoryPersonal,
		Closed:   deadline.NewDate(2024, time.December, 31),
	}
	for _, on := range []deadline.Date{deadline.NewDate(2029, time.December, 31), deadline.NewDate(2030, time.January, 1)} {
		d, err := sched.Decide(file, on)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s on %s: %s, %s, from %s: %s\n", file.Number, on, d.Rule.Period, d.Rule.Ref(), d.Eligible, d.Status)
	}
	fmt.Println(sched.CheckDestroy(file, deadline.NewDate(2030, time.January, 1)))
	// Output:
	// 02-16/2024 on 2029-12-31: 5 лет ЭПК, ст. 154 «б» (2019), from 2030-01-01: keep
	// 02-16/2024 on 2030-01-01: 5 лет ЭПК, ст. 154 «б» (2019), from 2030-01-01: review due
	// retention: file "02-16/2024" (ст. 154 «б» (2019), 5 лет ЭПК): expert review required before destruction: ЭПК mark, no decision of the expert commission
}

func ExampleSchedule_Draft() {
	act := retention.DestructionAct{
		Number:   "1",
		Date:     deadline.NewDate(2030, time.January, 15),
		Approval: "протокол ЭК от 15.01.2030 № 1",
	}
	files := []retention.File{
		{Number: "02-14/2024", Title: "Жалобы о коррупции", Category: retention.CategorySerious,
			Registered: deadline.NewDate(2024, time.January, 9), Closed: deadline.NewDate(2024, time.December, 27)},
		{Number: "02-15/2024", Title: "Обращения оперативного характера", Category: retention.CategoryOperational,
			Registered: deadline.NewDate(2024, time.January, 10), Closed: deadline.NewDate(2024, time.December, 31), Volumes: 2},
		{Number: "02-15/2025", Title: "Обращения оперативного характера", Category: retention.CategoryOperational,
			Registered: deadline.NewDate(2025, time.January, 1), Closed: deadline.NewDate(2025, time.January, 1)},
	}
	tot, err := retention.Standard().Draft(act, retention.FromSlice(files), retention.NewCSVSheet(os.Stdout), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("read %d, to destroy %d, kept %d, permanent %d\n", tot.Files, tot.Destroy.Files, tot.Kept, tot.Permanent)
	// Output:
	// № п/п,Заголовок дела,Крайние даты,Индекс дела,Количество дел (томов),Срок хранения и статья по перечню,Примечание
	// 1,Обращения оперативного характера,10.01.2024–31.12.2024,02-15/2024,2,"5 лет, ст. 154 «в» (2019)",
	// Итого,1 дело,2024,,2,,
	// read 3, to destroy 1, kept 1, permanent 1
}

func ExampleSuggester_Suggest() {
	s := retention.NewSuggester()
	c, err := s.Suggest(retention.Facts{
		Kind:      appeal.Complaint,
		Questions: []string{"0004.0016.0162.1003"}, // Борьба с коррупцией
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Category, "—", c.Reason)

	c, _ = s.Suggest(retention.Facts{Kind: appeal.Statement})
	c, err = c.Override(retention.CategorySerious, "Иванова И.И.", "сведения о злоупотреблениях")
	fmt.Println(c.Category, "by", c.By, "instead of", c.Suggested, err)
	// Output:
	// serious — complaint with question 0004.0016.0162.1003 under corruption code 0004.0016.0162.1003
	// serious by Иванова И.И. instead of personal <nil>
}
