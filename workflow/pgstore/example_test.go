package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/pgstore"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The host opens a pool on its own database, migrates once at startup and hands the store
// to the engine. (Not run by go test: it needs a server; the package's tests run the same
// calls against APPEALS_PG_DSN.)
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("APPEALS_PG_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	store := pgstore.New(pool)
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	eng, err := workflow.New(store, workflow.Options{Org: workflow.Organization{Name: "Администрация города N", Series: "ОГ"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(eng.Counter().Calendar() != nil)
}
