// Command sstucheck validates ССТУ.РФ report files received from other systems — zip parts
// and JSON records — and prints each problem as "file: path: rule". Warnings (fields not in
// the upload, date-times, …) end in "(warning)" and never change the exit status; -strict
// makes them errors.
//
//	go run ./examples/sstucheck rro-2024-03-001.zip rro-2024-03-002.zip
//	go run ./examples/sstucheck -strict record.json
//	go run ./examples/sstucheck -classifier edition.csv -q export.zip
//
// All zip files given form one report (the parts of one export); each JSON file is checked on
// its own. The exit status is 0 when there is no error, 1 when there is one, 2 when a file
// cannot be read or the arguments are wrong.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/sstu"
)

// errProblems means the files have errors: exit status 1.
var errProblems = errors.New("the files have errors")

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, errProblems):
		os.Exit(1)
	default:
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "sstucheck:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sstucheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	strict := fs.Bool("strict", false, "treat warnings as errors")
	edition := fs.String("classifier", "", "classifier edition CSV (code,level,parent_code,title,edition); default: the embedded one")
	quiet := fs.Bool("q", false, "print errors only, not warnings")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sstucheck [-strict] [-q] [-classifier edition.csv] file.zip|file.json ...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return flag.ErrHelp
	}
	v := &sstu.Validator{Strict: *strict}
	if *edition != "" {
		c, err := loadEdition(*edition)
		if err != nil {
			return err
		}
		v.Codes = c
	}

	var problems []sstu.Problem
	var parts []sstu.Part
	for _, name := range fs.Args() {
		if strings.EqualFold(filepath.Ext(name), ".zip") {
			p, f, err := sstu.OpenPart(name)
			if err != nil {
				return err
			}
			defer f.Close()
			parts = append(parts, p)
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		problems = append(problems, v.JSON(name, data)...)
	}
	if len(parts) > 0 {
		problems = append(problems, v.Zip(parts...)...)
	}

	var errs, warns int
	for _, p := range problems {
		if p.Severity == sstu.Warning {
			warns++
			if *quiet {
				continue
			}
		} else {
			errs++
		}
		fmt.Fprintln(stdout, p)
	}
	fmt.Fprintf(stderr, "%d error(s), %d warning(s) in %d file(s)\n", errs, warns, fs.NArg())
	if errs > 0 {
		return errProblems
	}
	return nil
}

func loadEdition(name string) (*classifier.Classifier, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return classifier.Load(f, filepath.Base(name))
}
