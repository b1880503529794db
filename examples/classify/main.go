// Command classify finds classifier codes the way a clerk types them: words, a code or its start.
// It prints the best matches with their code and path.
//
//	go run ./examples/classify перепись
//	go run ./examples/classify пересел авар
//	go run ./examples/classify -n 5 0005.0005.00
//	go run ./examples/classify -json 1122
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fz59/appeals/classifier"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "classify:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: classify [-n N] [-json] [-csv FILE] words | code | code prefix")
		fs.PrintDefaults()
	}
	limit := fs.Int("n", 10, "how many matches to print")
	asJSON := fs.Bool("json", false, "print the matches as JSON: code, level, title, kind, path")
	csvPath := fs.String("csv", "", "search another edition, read from this CSV (code,level,parent_code,title,edition)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	query := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(query) == "" {
		fs.Usage()
		return errors.New("nothing to search for")
	}
	c, err := edition(*csvPath)
	if err != nil {
		return err
	}
	matches := c.Search(query, *limit)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(append([]classifier.Match{}, matches...))
	}
	if len(matches) == 0 {
		fmt.Fprintf(stdout, "nothing found for %q in %s\n", query, c.Edition())
		return nil
	}
	for _, m := range matches {
		fmt.Fprintf(stdout, "%-24s %s\n", m.Code, m.Title)
		if len(m.Path) > 1 {
			titles := make([]string, len(m.Path)-1)
			for i, p := range m.Path[:len(m.Path)-1] {
				titles[i] = p.Title
			}
			fmt.Fprintf(stdout, "%24s %s\n", "", strings.Join(titles, " › "))
		}
	}
	return nil
}

func edition(path string) (*classifier.Classifier, error) {
	if path == "" {
		return classifier.Embedded(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return classifier.Load(f, path)
}
