package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
)

func Example() {
	ctx := context.Background()
	st := memstore.New(memstore.Options{})

	id := uuid.Must(uuid.NewV7())
	card := appeal.New(id, time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC), appeal.ChannelWebForm)
	card.Responsible = "clerk-1"
	rec := &workflow.Record{Appeal: card}
	if err := st.Create(ctx, workflow.Change{Record: rec, Events: []workflow.Event{{AppealID: id, Command: "receive"}}}); err != nil {
		panic(err)
	}

	stale := rec.Clone()
	rec.Appeal.Summary = "О ремонте дороги"
	fmt.Println(st.Save(ctx, workflow.Change{Record: rec, Events: []workflow.Event{{AppealID: id, Command: "edit"}}}), rec.Version)
	fmt.Println(st.Save(ctx, workflow.Change{Record: stale}) != nil)

	for r, err := range st.List(ctx, workflow.Filter{Person: "clerk-1"}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(r.Appeal.Summary, r.Version)
	}
	h, _ := st.History(ctx, id)
	fmt.Println(len(h), h[1].Seq, h[1].Command)
	// Output:
	// <nil> 2
	// true
	// О ремонте дороги 2
	// 2 2 edit
}
