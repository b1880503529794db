// Command duedate prints a 59-FZ deadline with its legal and control dates
// and the explanation, so a clerk or an integrator can check a date.
//
//	go run ./examples/duedate -rule consideration -from 2025-12-02
//	go run ./examples/duedate -rule consideration -from 2025-12-02 -json
//	go run ./examples/duedate -from 2027-12-10 -calendar ru-2028.csv
//	go run ./examples/duedate -list
//
// Flags:
//
//	-rule NAME       the time limit (default consideration); -list shows them
//	-from DATE       the event date, YYYY-MM-DD, years 1900–2199 (required)
//	-extend DAYS     extend by 1–30 days (art. 12 p.2); needs -reason
//	-reason TEXT     the reason for the extension
//	-decree          treat the 2020–2021 decree non-working days as days off
//	-calendar FILE   load official years from a CSV shaped like deadline/data/ru.csv
//	-json            print JSON instead of text
//	-list            list the rules with their articles
//	-version         print the version
//	-h               print this help
//
// The -json output is one object: {"rule", "from", "days", "legal",
// "control", "estimated", "steps"}; rule is the rule's name, the dates are
// YYYY-MM-DD, estimated is true when the dates rely on a year without an
// official production calendar (the ТК РФ ст. 112 estimate), and steps are
// deadline.Step values. When the result is estimated, a warning line goes to
// stderr before anything is printed.
//
// Exit status: 0 on success and for -h, 1 when a -calendar file cannot be
// read or is refused, 2 for a usage error (a wrong flag or value, an
// argument that is not a flag), with one message on stderr.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
)

func main() {
	os.Exit(exitCode(run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// usageError is a wrong command line: exit status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// exitCode prints err, if any, as one line and returns the exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "duedate:", err)
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("duedate", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors come back once, through exitCode
	fs.Usage = func() {}
	ruleName := fs.String("rule", "consideration", "rule name (see -list)")
	fromText := fs.String("from", "", "event date, YYYY-MM-DD (receipt, registration or request receipt), years 1900–2199")
	asJSON := fs.Bool("json", false, "print {rule, from, days, legal, control, estimated, steps} as JSON")
	list := fs.Bool("list", false, "list the rules with their articles")
	decree := fs.Bool("decree", false, "treat the 2020–2021 decree non-working days as days off")
	extend := fs.Int("extend", 0, "extend by this many days, 1–30 (art. 12 p.2), needs -reason")
	reason := fs.String("reason", "", "reason for the extension")
	calFile := fs.String("calendar", "", "CSV of official calendar years (date,kind as deadline/data/ru.csv)")
	version := fs.Bool("version", false, "print the version and exit")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, "usage: duedate -from YYYY-MM-DD [-rule name] [-extend days -reason text] [-decree] [-calendar file.csv] [-json]")
		fmt.Fprintln(stdout, "       duedate -list | -version")
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return nil
	case err != nil:
		return usageError{err}
	case fs.NArg() > 0:
		return usagef("unexpected argument %q: duedate takes flags only (see -h)", fs.Arg(0))
	case *version:
		fmt.Fprintln(stdout, appeal.Version)
		return nil
	case *list:
		for _, r := range deadline.Rules() {
			fmt.Fprintf(stdout, "%-24s %2d дн. от: %-20s 59-ФЗ %s — %s\n", r.Name, r.Days, r.From, r.Article, r.Title)
		}
		return nil
	}

	rule, err := deadline.ParseRule(*ruleName)
	if err != nil {
		return usagef("-rule: unknown rule %q; valid rules: %s", *ruleName, ruleNames())
	}
	if *fromText == "" {
		return usagef("-from is required: the event date, YYYY-MM-DD")
	}
	from, err := deadline.ParseDate(*fromText)
	if err != nil {
		return usagef("-from: %w", err)
	}
	switch {
	case *extend == 0 && *reason != "":
		return usagef("-reason needs -extend")
	case *extend != 0 && (*extend < 1 || *extend > deadline.MaxExtensionDays):
		return usagef("-extend: %d days; valid: 1–%d (art. 12 p.2)", *extend, deadline.MaxExtensionDays)
	case *extend != 0 && strings.TrimSpace(*reason) == "":
		return usagef("-extend needs -reason (art. 12 p.2)")
	}
	opts := deadline.CalendarOptions{DecreeNonWorking: *decree}
	if *calFile != "" {
		years, err := loadYears(*calFile)
		if err != nil {
			return err
		}
		opts.Years = append(opts.Years, years)
	}
	c := deadline.NewCounter(deadline.Russia(opts), deadline.Policy{})
	d, err := c.Due(rule, from)
	if err != nil {
		return usagef("-from: %w", err)
	}
	if *extend != 0 {
		if d, err = c.Extend(d, *extend, *reason); err != nil {
			return usagef("-extend: %w", err)
		}
	}
	e := c.Explain(d)
	if e.Estimated {
		fmt.Fprintln(stderr, "duedate: "+e.Steps[0].Text)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Rule      deadline.Rule   `json:"rule"`
			From      deadline.Date   `json:"from"`
			Days      int             `json:"days"`
			Legal     deadline.Date   `json:"legal"`
			Control   deadline.Date   `json:"control"`
			Estimated bool            `json:"estimated"`
			Steps     []deadline.Step `json:"steps"`
		}{d.Rule, d.From, d.Days, d.Legal, d.Control, e.Estimated, e.Steps})
	}
	fmt.Fprintf(stdout, "правило:          %s (59-ФЗ %s, %d дн.)\n", rule, e.Rule.Article, d.Days)
	fmt.Fprintf(stdout, "последний день:   %s\n", d.Legal)
	fmt.Fprintf(stdout, "контрольный срок: %s\n", d.Control)
	fmt.Fprintln(stdout, e)
	return nil
}

// ruleNames lists the rules' names, for the -rule error.
func ruleNames() string {
	var names []string
	for _, r := range deadline.Rules() {
		names = append(names, r.Name)
	}
	return strings.Join(names, ", ")
}

func loadYears(name string) (deadline.Years, error) {
	f, err := os.Open(name)
	if err != nil {
		return deadline.Years{}, fmt.Errorf("-calendar: %w", err)
	}
	defer f.Close()
	y, err := deadline.LoadCSV(f)
	if err != nil {
		return deadline.Years{}, fmt.Errorf("-calendar %s: %w", name, err)
	}
	return y, nil
}
