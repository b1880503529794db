package sqlitestore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/sqlitestore"
	"github.com/google/uuid"
)

// A small body keeps its appeals in one file beside the program: open it (created and
// migrated on first use), hand it to the engine, and copy it every night.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "appeals")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := sqlitestore.Open(filepath.Join(dir, "appeals.db"), sqlitestore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	eng, err := workflow.New(store, workflow.Options{Clock: func() time.Time { return now },
		Org: workflow.Organization{Name: "Администрация села N", Series: "ОГ"}})
	if err != nil {
		log.Fatal(err)
	}

	clerk := workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	card := appeal.New(uuid.Nil, now, appeal.ChannelWebForm)
	card.Kind, card.Identified = appeal.Complaint, true
	card.Text = "Прошу отремонтировать дорогу у школы."
	card.Applicants = []appeal.Applicant{{Surname: "Петрова", GivenName: "Анна", Email: "petrova@example.org",
		AnswerChannel: appeal.AnswerByEmail, Consent: true}}
	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: card})
	if err != nil {
		log.Fatal(err)
	}
	reg, err := eng.Register(ctx, clerk, rec.Appeal.ID, workflow.RegisterInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reg.Record.Appeal.Number, reg.Record.Version)

	// The nightly copy, taken while the store stays in use, is a store file of its own.
	nightly := filepath.Join(dir, "appeals-2025-03-03.db")
	if err := store.Backup(ctx, nightly); err != nil {
		log.Fatal(err)
	}
	copied, err := sqlitestore.Open(nightly, sqlitestore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer copied.Close()
	h, err := copied.History(ctx, rec.Appeal.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(h), h[1].Command)
	// Output:
	// ОГ-2025-000001 2
	// 2 register
}
