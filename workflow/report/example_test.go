package report_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/fz59/appeals/workflow/report"
	"github.com/google/uuid"
)

// exampleEngine is an engine on memstore whose clock stands at *now, with the appeals
// received on the given days through the given channels, each registered the day after.
func exampleEngine(now *time.Time, received ...receipt) *workflow.Engine {
	ctx := context.Background()
	msk := time.FixedZone("MSK", 3*60*60)
	eng, err := workflow.New(memstore.New(memstore.Options{}), workflow.Options{
		Clock: func() time.Time { return *now },
		Org:   workflow.Organization{Name: "Администрация", Location: msk, Series: "Ж"},
	})
	if err != nil {
		panic(err)
	}
	clerk := workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	for i, r := range received {
		a := appeal.New(uuid.UUID{15: byte(i + 1)}, r.on.In(msk).Add(10*time.Hour), r.ch)
		a.Kind, a.Text, a.Addressee, a.Signed, a.Identified, a.Dated = appeal.Complaint, "Текст", "Глава", true, true, r.on
		a.Applicants = []appeal.Applicant{{Surname: "Петров", GivenName: "Петр", Email: "p@example.ru",
			PostalAddress: "г. N, ул. Мира, д. 1", Consent: true}}
		*now = a.ReceivedAt
		if _, err := eng.Receive(ctx, clerk, workflow.Intake{Card: a}); err != nil {
			panic(err)
		}
		*now = now.AddDate(0, 0, 1)
		if _, err := eng.Register(ctx, clerk, a.ID, workflow.RegisterInput{}); err != nil {
			panic(err)
		}
	}
	return eng
}

// receipt is an appeal's receipt day and channel.
type receipt struct {
	on deadline.Date
	ch appeal.Channel
}

// The reports read the engine's List, so the actor's rights and the access log apply.
func Example() {
	now := time.Time{}
	eng := exampleEngine(&now,
		receipt{deadline.NewDate(2025, time.November, 5), appeal.ChannelPost},
		receipt{deadline.NewDate(2025, time.November, 6), appeal.ChannelWebForm},
		receipt{deadline.NewDate(2025, time.November, 7), appeal.ChannelEPGU})
	auditor := workflow.Actor{ID: "audit-1", Roles: []workflow.Role{workflow.RoleAuditor}}
	ctx := context.Background()

	p := report.Period{From: deadline.NewDate(2025, time.November, 1), To: deadline.NewDate(2025, time.November, 30)}
	rp, err := report.New(report.Options{Period: p, Today: deadline.NewDate(2025, time.December, 1), Counter: eng.Counter()})
	if err != nil {
		panic(err)
	}
	rows, err := rp.Summary(ctx, eng.List(ctx, auditor, p.Registered()))
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		if r.Group == report.GroupChannel && r.Count > 0 {
			fmt.Printf("%s: %d, %s %%\n", r.Title, r.Count, r.Share.StringFixed(report.Places))
		}
	}
	// Output:
	// почта: 1, 33.4 %
	// интернет-приемная: 1, 33.3 %
	// ЕПГУ (Госуслуги): 1, 33.3 %
}

// MissedTerms streams the inspection's list into a file as it reads the appeals, and returns
// the sums by kind.
func ExampleReporter_MissedTerms() {
	now := time.Time{}
	eng := exampleEngine(&now, receipt{deadline.NewDate(2025, time.November, 5), appeal.ChannelPost})
	auditor := workflow.Actor{ID: "audit-1", Roles: []workflow.Role{workflow.RoleAuditor}}
	ctx := context.Background()

	rp, err := report.New(report.Options{
		Period:  report.Period{From: deadline.NewDate(2025, time.November, 1), To: deadline.NewDate(2025, time.December, 31)},
		Today:   deadline.NewDate(2025, time.December, 15),
		Counter: eng.Counter(),
		History: report.EngineHistory(eng, auditor),
	})
	if err != nil {
		panic(err)
	}
	w, err := report.NewCSVWriter(os.Stdout, report.MissedTable)
	if err != nil {
		panic(err)
	}
	kinds, err := rp.MissedTerms(ctx, eng.List(ctx, auditor, workflow.Filter{}), w.Write)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		panic(err)
	}
	total := kinds[len(kinds)-1]
	fmt.Println("всего нарушений:", total.Total, "в среднем дней:", total.AverageDays.Decimal.StringFixed(report.Places))
	// Output:
	// ID обращения,Рег. номер,Дата регистрации,Срок,№ поручения или запроса,Основание,Дата по закону,Дата исполнения,Дней просрочки,Состояние,Сотрудник,Чем закрыт
	// 00000000-0000-0000-0000-000000000001,Ж-2025-000001,2025-11-06,решение о рассмотрении или перенаправлении по компетенции,,ст. 8 ч. 3,2025-11-13,,32,просрочен,,
	// 00000000-0000-0000-0000-000000000001,Ж-2025-000001,2025-11-06,рассмотрение обращения,,ст. 12 ч. 1,2025-12-08,,7,просрочен,,
	// всего нарушений: 2 в среднем дней: 19.5
}

// Shares add up to exactly 100 % by the largest-remainder method.
func ExampleShares() {
	fmt.Println(report.Shares([]int{1, 1, 1}))
	fmt.Println(report.Shares([]int{1, 1, 1, 1, 1, 1}))
	// Output:
	// [33.4 33.3 33.3]
	// [16.7 16.7 16.7 16.7 16.6 16.6]
}
