// Command sstucheck validates ССТУ.РФ report files received from other systems — zip parts
// and JSON records — and prints each problem as "file: path: rule". Warnings (fields not in
// the upload, date-times, …) end in "(warning)" and never change the exit status; -strict
// makes them errors. It is what integrators' test suites run on their output (Go tests can
// call sstutest.Valid instead).
//
//	go run ./examples/sstucheck -sample .                        # writes rro-2024-03-001.zip, a sample month
//	go run ./examples/sstucheck rro-2024-03-001.zip rro-2024-03-002.zip
//	go run ./examples/sstucheck -strict record.json
//	go run ./examples/sstucheck -json -classifier edition.csv export.zip
//
// All zip files given form one report (the parts of one export); each JSON file is checked on
// its own. Work is bounded whatever the input (docs/sstu.md §6): -max-entries (entries of one
// zip part, default 50000), -max-bytes (uncompressed bytes of one part, default 268435456),
// -max-entry-bytes (one entry or JSON file, default 50000000), -max-records (records of one
// JSON file, default 50000), -max-problems (problems printed, default 1000; the rest are
// counted as "N more problems").
//
// Flags: -strict, -q (errors only), -classifier FILE (an edition CSV:
// code,level,parent_code,title,edition), -json, the limits above, -sample DIR (write a sample
// month's export into DIR and exit), -version, -h.
//
// Exit status: 0 when no error was found (warnings allowed), 1 when one was, 2 for a usage
// error (one line on stderr) or a file that cannot be opened.
//
// With -json, stdout is one JSON object, stable for other languages' test runners:
//
//	{
//	  "version": "0.1.0",          // appeal.Version
//	  "ok": false,                 // true exactly when the exit status is 0
//	  "errors": 1,                 // errors in "problems"
//	  "warnings": 1,               // warnings in "problems"
//	  "more": 0,                   // problems left out past -max-problems
//	  "moreErrors": false,         // whether any of those is an error
//	  "problems": [                // in file order, then path order within a record
//	    {"file": "a.zip/7d4d….json", "path": "$.questions[0].code", "rule": "code in the classifier edition", "severity": "error"},
//	    {"file": "a.zip#2", "path": "$", "rule": "one object per <uuid>.json at the zip root", "severity": "warning"}
//	  ]
//	}
//
// "file" is the JSON file, "part.zip/<uuid>.json" for an entry, or "part.zip#n" for the n-th
// entry of a part when it has another name; "path" is a JSON path; "rule" is one of the
// stable sstu.Rule values (docs/sstu.md §5); "severity" is "error" or "warning". No problem
// holds a value from the files.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/sstu"
	"github.com/google/uuid"
)

// errProblems means the files have errors: exit status 1.
var errProblems = errors.New("the files have errors")

// errUsage marks a usage error: exit status 2, one line.
var errUsage = errors.New("usage")

// memoryLimit keeps the heap near the bound docs/sstu.md §6 promises, unless GOMEMLIMIT says
// otherwise: the garbage collector works harder rather than let a large record's garbage pile
// up.
const memoryLimit = 192 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errProblems):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "sstucheck:", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		os.Exit(2)
	}
}

const usage = `usage: sstucheck [flags] file.zip|file.json ...
       sstucheck -sample DIR

Checks ССТУ.РФ report files: all zips as the parts of one report, each JSON file alone.
Exit status: 0 no error, 1 errors found, 2 usage error or unreadable file.

Flags:
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sstucheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	strict := fs.Bool("strict", false, "treat warnings as errors")
	edition := fs.String("classifier", "", "classifier edition CSV (code,level,parent_code,title,edition); default: the embedded one")
	quiet := fs.Bool("q", false, "print errors only, not warnings")
	asJSON := fs.Bool("json", false, "print one JSON object (version, ok, errors, warnings, more, moreErrors, problems)")
	version := fs.Bool("version", false, "print the version and exit")
	sample := fs.String("sample", "", "write a sample month's export into `DIR` and exit")
	var lim sstu.Limits
	limit(fs, "max-entries", "entries of one zip part", sstu.DefaultEntries, func(n int64) { lim.Entries = int(n) })
	limit(fs, "max-bytes", "uncompressed bytes of one zip part", sstu.DefaultBytes, func(n int64) { lim.Bytes = n })
	limit(fs, "max-entry-bytes", "bytes of one zip entry or JSON file", sstu.DefaultEntryBytes, func(n int64) { lim.EntryBytes = n })
	limit(fs, "max-records", "records of one JSON file", sstu.DefaultRecords, func(n int64) { lim.Records = int(n) })
	limit(fs, "max-problems", "problems printed; the rest are counted", sstu.DefaultProblems, func(n int64) { lim.Problems = int(n) })
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return err
		}
		if strings.HasPrefix(err.Error(), "flag provided but not defined") {
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, "-"+f.Name) })
			return fmt.Errorf("%w: %v (flags: %s; -h for help)", errUsage, err, strings.Join(names, ", "))
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case *version:
		fmt.Fprintln(stdout, "sstucheck", appeal.Version)
		return nil
	case *sample != "":
		if fs.NArg() > 0 {
			return fmt.Errorf("%w: -sample takes no files", errUsage)
		}
		return writeSample(*sample, stdout)
	case fs.NArg() == 0:
		return fmt.Errorf("%w: no files to check: give .zip or .json files (-h for help)", errUsage)
	}
	v := &sstu.Validator{Strict: *strict, Limits: lim}
	if *edition != "" {
		c, err := loadEdition(*edition)
		if err != nil {
			return err
		}
		v.Codes = c
	}
	problems, err := v.Files(fs.Args()...)
	if errors.Is(err, sstu.ErrFileKind) {
		return fmt.Errorf("%w: %v", errUsage, strings.TrimPrefix(err.Error(), "sstu: "))
	}
	if err != nil {
		return err
	}
	out := summarize(problems, *quiet)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		for _, p := range out.Problems {
			fmt.Fprintln(stdout, p)
		}
		more := ""
		if out.More > 0 {
			more = fmt.Sprintf(", %d more problem(s) not shown", out.More)
			fmt.Fprintln(stdout, problems[len(problems)-1])
		}
		fmt.Fprintf(stderr, "%d error(s), %d warning(s)%s in %d file(s)\n", out.Errors, out.Warnings, more, fs.NArg())
	}
	if !out.OK {
		return errProblems
	}
	return nil
}

// limit defines a flag of a positive whole number.
func limit(fs *flag.FlagSet, name, what string, def int64, set func(int64)) {
	fs.Func(name, fmt.Sprintf("most %s (default %d)", what, def), func(s string) error {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return errors.New("want a whole number of at least 1")
		}
		set(n)
		return nil
	})
}

// result is the -json output; see the package comment.
type result struct {
	Version    string         `json:"version"`
	OK         bool           `json:"ok"`
	Errors     int            `json:"errors"`
	Warnings   int            `json:"warnings"`
	More       int            `json:"more"`
	MoreErrors bool           `json:"moreErrors"`
	Problems   []sstu.Problem `json:"problems"`
}

// summarize counts the problems and sets the RuleMore mark apart; quiet leaves warnings out.
func summarize(ps []sstu.Problem, quiet bool) result {
	r := result{Version: appeal.Version, Problems: []sstu.Problem{}}
	for _, p := range ps {
		switch {
		case p.Rule == sstu.RuleMore:
			r.More, r.MoreErrors = p.More, p.Severity == sstu.Error
		case p.Severity == sstu.Warning:
			r.Warnings++
			if !quiet {
				r.Problems = append(r.Problems, p)
			}
		default:
			r.Errors++
			r.Problems = append(r.Problems, p)
		}
	}
	r.OK = r.Errors == 0 && !r.MoreErrors
	return r
}

func loadEdition(name string) (*classifier.Classifier, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return classifier.Load(f, filepath.Base(name))
}

// writeSample writes a sample month, March 2024, of a district administration: an answered
// appeal with its answer document, one in work, one sent on by another body through МЭДО and
// forwarded by competence, and an anonymous one. It prints the parts' names.
func writeSample(dir string, stdout io.Writer) error {
	ctx := context.Background()
	msk := sstu.Moscow()
	var blobs appeal.MemoryBlobs
	answer := []byte("%PDF-1.4\n% sample answer\n")
	ref, err := blobs.Put(ctx, "Ответ.pdf", "application/pdf", bytes.NewReader(answer))
	if err != nil {
		return err
	}
	at := func(day, hour int) time.Time { return time.Date(2024, time.March, day, hour, 0, 0, 0, msk) }
	card := func(n int, ch appeal.Channel, code string, s appeal.QuestionStatus) *appeal.Appeal {
		a := appeal.New(uuid.NewSHA1(uuid.NameSpaceOID, []byte("sstucheck sample "+strconv.Itoa(n))), at(n+1, 10), ch)
		a.Number, a.RegisteredAt, a.State = "01-"+strconv.Itoa(100+n), at(n+2, 9), appeal.StateUnderReview
		a.Applicants = []appeal.Applicant{{Surname: "Петрова", GivenName: "Анна", PostalAddress: "г. N, ул. Садовая, 1"}}
		a.Questions = []appeal.Question{{Code: code, Status: s}}
		return a
	}
	answered := card(1, appeal.ChannelEPGU, "0005.0005.0056.1147", appeal.StatusSupported)
	answered.Questions[0].MeasuresTaken, answered.Questions[0].AnsweredOn = true, deadline.NewDate(2024, 3, 20)
	inWork := card(2, appeal.ChannelPost, "0005.0005.0055.1122", appeal.StatusInWork)
	forwarded := card(3, appeal.ChannelMEDO, "0001.0001.0001.0001", appeal.StatusTransferred)
	forwarded.CoverLetter = &appeal.CoverLetter{Sender: "Управление Президента РФ по работе с обращениями", Number: "А26-05-00000001", Date: deadline.NewDate(2024, 3, 1)}
	forwarded.Questions[0].Transfer = &appeal.Transfer{Body: "ГЖИ", DepartmentID: "6bc82a49-6a97-43f4-9e42-a07d417b60b6", Number: "01-15/7", Date: deadline.NewDate(2024, 3, 7)}
	anonymous := card(4, appeal.ChannelPost, "0005.0005.0055.1122", appeal.StatusInWork)
	anonymous.Anonymous, anonymous.Applicants = true, nil
	entries := []*sstu.Entry{
		{Appeal: answered, Answer: &appeal.Attachment{Name: "Ответ.pdf", Size: int64(len(answer)), Ref: ref}},
		{Appeal: inWork}, {Appeal: forwarded}, {Appeal: anonymous},
	}
	x := &sstu.Exporter{Org: sstu.Org{DepartmentID: "f1ae1eef-16ea-44cb-b77f-6b978ee4075d"}, Blobs: &blobs}
	seq := func(yield func(*sstu.Entry, error) bool) {
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
	res, err := x.Export(ctx, sstu.Month{Year: 2024, Month: time.March}, seq, &sstu.Dir{Path: dir})
	if err != nil {
		return err
	}
	if len(res.Refusals) > 0 {
		return res.Refusals[0]
	}
	for _, p := range res.Parts {
		fmt.Fprintln(stdout, filepath.Join(dir, p))
	}
	return nil
}
