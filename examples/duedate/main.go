// Command duedate prints a 59-FZ deadline with its legal and control dates
// and the explanation, so a clerk or an integrator can check a date.
//
//	go run ./examples/duedate -rule consideration -from 2025-12-02
//	go run ./examples/duedate -rule consideration -from 2025-12-02 -json
//	go run ./examples/duedate -list
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/fz59/appeals/deadline"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "duedate:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("duedate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ruleName := fs.String("rule", "consideration", "rule name (see -list)")
	fromText := fs.String("from", "", "event date, YYYY-MM-DD (receipt, registration or request receipt)")
	asJSON := fs.Bool("json", false, "print {rule, from, days, legal, control, steps} as JSON")
	list := fs.Bool("list", false, "list the rules with their articles")
	decree := fs.Bool("decree", false, "treat the 2020–2021 decree non-working days as days off")
	extend := fs.Int("extend", 0, "extend by this many days (art. 12 p.2), needs -reason")
	reason := fs.String("reason", "", "reason for the extension")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *list {
		for _, r := range deadline.Rules() {
			fmt.Fprintf(stdout, "%-24s %2d дн. от: %-20s 59-ФЗ %s — %s\n", r.Name, r.Days, r.From, r.Article, r.Title)
		}
		return nil
	}
	rule, err := deadline.ParseRule(*ruleName)
	if err != nil {
		return err
	}
	from, err := deadline.ParseDate(*fromText)
	if err != nil {
		return fmt.Errorf("-from: %w", err)
	}
	var opts []deadline.CalendarOption
	if *decree {
		opts = append(opts, deadline.WithDecreeNonWorking())
	}
	c := deadline.NewCounter(deadline.Russia(opts...), deadline.Policy{})
	d, err := c.Due(rule, from)
	if err != nil {
		return err
	}
	if *extend != 0 {
		if d, err = c.Extend(d, *extend, *reason); err != nil {
			return err
		}
	}
	e := c.Explain(d)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Rule    deadline.Rule   `json:"rule"`
			From    deadline.Date   `json:"from"`
			Days    int             `json:"days"`
			Legal   deadline.Date   `json:"legal"`
			Control deadline.Date   `json:"control"`
			Steps   []deadline.Step `json:"steps"`
		}{d.Rule, d.From, d.Days, d.Legal, d.Control, e.Steps})
	}
	fmt.Fprintf(stdout, "правило:          %s (59-ФЗ %s, %d дн.)\n", rule, e.Rule.Article, d.Days)
	fmt.Fprintf(stdout, "последний день:   %s\n", d.Legal)
	fmt.Fprintf(stdout, "контрольный срок: %s\n", d.Control)
	fmt.Fprintln(stdout, e)
	return nil
}
