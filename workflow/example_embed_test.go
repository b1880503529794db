package workflow_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
)

// Embedding the engine: the host picks a store and a notifier, receives and registers, and
// runs the dispatcher. The README quotes this function's body (TestREADMEQuotesTheExample).
func ExampleNew() {
	ctx := context.Background()
	tz := time.FixedZone("MSK", 3*60*60)
	clerk := workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	card := appeal.New(uuid.Nil, time.Now(), appeal.ChannelWebForm)
	card.Kind, card.Identified, card.Text = appeal.Complaint, true, "Не вывозят мусор."
	card.Applicants = []appeal.Applicant{{Surname: "Иванова", GivenName: "Мария", Email: "m@example.ru", Consent: true}}

	store := memstore.New(memstore.Options{}) // or sqlitestore.Open(path, …), pgstore.New(pool), your own
	eng, err := workflow.New(store, workflow.Options{
		Org: workflow.Organization{Name: "Администрация города N", Location: tz, Series: "Ж"},
	})
	if err != nil {
		panic(err)
	}
	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: card, IntakeKey: "form-token-1"})
	if err != nil {
		panic(err)
	}
	reg, err := eng.Register(ctx, clerk, rec.Appeal.ID, workflow.RegisterInput{IssuePIN: true})
	if err != nil {
		panic(err)
	}
	notifier := workflow.NotifierFunc(func(ctx context.Context, n workflow.Notification) error {
		fmt.Println(n.To.Channel, n.Subject == "Ваше обращение зарегистрировано под № "+reg.Record.Appeal.Number)
		return nil // send it: e-mail, ЕПГУ account, post, the staff's inbox
	})
	d := workflow.NewDispatcher(store, notifier, workflow.DispatcherOptions{})
	if _, err := d.RunOnce(ctx); err != nil { // a host runs go d.Run(ctx) for the process's life
		panic(err)
	}
	// Output:
	// email true
}

// TestREADMEQuotesTheExample keeps the README's embedding snippet compiling: it is ExampleNew's
// body, which must appear in README.md as it is.
func TestREADMEQuotesTheExample(t *testing.T) {
	fset := token.NewFileSet()
	src, err := os.ReadFile("example_embed_test.go")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(fset, "example_embed_test.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "ExampleNew" {
			start := fset.Position(fn.Body.Lbrace).Offset + 2
			end := strings.Index(string(src[start:]), "\t// Output:")
			body = string(src[start : start+end])
		}
	}
	var want strings.Builder
	for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		want.WriteString(strings.TrimPrefix(l, "\t") + "\n")
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```go\n"+want.String()+"```\n") {
		t.Errorf("README.md must quote ExampleNew's body in a ```go block:\n%s", want.String())
	}
}
