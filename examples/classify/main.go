// Command classify finds classifier codes: the way a clerk types them (words, a code or its
// start), or, with -suggest, the codes an appeal's text is likely about.
//
//	go run ./examples/classify перепись
//	go run ./examples/classify пересел авар
//	go run ./examples/classify -n 5 0005.0005.00
//	go run ./examples/classify -json 1122
//	go run ./examples/classify -suggest -text "почему опять насчитали 8 тысяч за отопление"
//	go run ./examples/classify -suggest appeals.jsonl > codes.jsonl
//	go run ./examples/classify -suggest -learn classified.jsonl appeals.jsonl
//
// Search (the default) prints the best matches with their code and path; -json prints them as a
// JSON array of {code, level, title, kind, path}.
//
// With -suggest and -text, it prints the top suggestions (5 unless -n) for the text, each code
// with its title and the words of the text that led to it; -json prints them as a JSON array of
// {code, title, score, words}. With -suggest and a FILE (or - for standard input) of JSON lines
// {"id": …, "text": "…"}, it writes one line {"id": …, "codes": [ranked codes]} per input line
// (up to 10 codes unless -n), the id copied as given. -learn FILE first teaches the model JSON
// lines {"text": "…", "code": "…"} of appeals clerks classified.
//
// Flags:
//
//	-n N         how many matches or suggestions (default: 10; 5 for -suggest -text)
//	-json        print search matches, or -suggest -text suggestions, as JSON
//	-csv FILE    use another edition, read from this CSV (code,level,parent_code,title,edition)
//	-suggest     suggest codes for appeal texts instead of searching
//	-text TEXT   with -suggest: the one text to suggest codes for
//	-learn FILE  with -suggest: classified appeals to learn first
//	-version     print the module version
//
// The exit status is 0 on success, 1 when a file cannot be read or holds a bad line, and 2 on a
// usage error (printed as one line).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/classifier/suggest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage: classify [-n N] [-json] [-csv FILE] words | code | code prefix
       classify -suggest [-n N] [-json] [-csv FILE] [-learn FILE] -text TEXT
       classify -suggest [-n N] [-csv FILE] [-learn FILE] FILE.jsonl|-
       classify -version`

// usageError is a wrong command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// maxLine bounds one JSON line of -suggest and -learn input.
const maxLine = 16 << 20

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed as one line below; -h prints to stdout
	limit := fs.Int("n", 0, "how many matches or suggestions (default: 10; 5 for -suggest -text)")
	asJSON := fs.Bool("json", false, "print search matches, or -suggest -text suggestions, as JSON")
	csvPath := fs.String("csv", "", "use another edition, read from this CSV (code,level,parent_code,title,edition)")
	suggestMode := fs.Bool("suggest", false, "suggest codes for appeal texts instead of searching")
	text := fs.String("text", "", "with -suggest: the one text to suggest codes for")
	learn := fs.String("learn", "", "with -suggest: classified appeals (JSON lines {text, code}) to learn first")
	version := fs.Bool("version", false, "print the module version")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "classify: %v (classify -h for usage)\n", err)
		return 2
	}
	err := func() error {
		if *version {
			if fs.NArg() > 0 {
				return usageError{"-version takes no arguments"}
			}
			fmt.Fprintln(stdout, "classify", appeal.Version)
			return nil
		}
		if *limit < 0 {
			return usageError{"-n must be at least 1"}
		}
		c, err := edition(*csvPath)
		if err != nil {
			return err
		}
		if !*suggestMode {
			if *text != "" || *learn != "" {
				return usageError{"-text and -learn need -suggest"}
			}
			return search(c, strings.Join(fs.Args(), " "), or(*limit, 10), *asJSON, stdout)
		}
		return suggestCodes(c, fs.Args(), *text, *learn, *limit, *asJSON, stdin, stdout)
	}()
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "classify: %s (classify -h for usage)\n", ue.msg)
		return 2
	default:
		fmt.Fprintln(stderr, "classify:", err)
		return 1
	}
}

func or(n, otherwise int) int {
	if n > 0 {
		return n
	}
	return otherwise
}

func search(c *classifier.Classifier, query string, limit int, asJSON bool, stdout io.Writer) error {
	if strings.TrimSpace(query) == "" {
		return usageError{"nothing to search for"}
	}
	matches := c.Search(query, limit)
	if asJSON {
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

func suggestCodes(c *classifier.Classifier, args []string, text, learn string, limit int, asJSON bool, stdin io.Reader, stdout io.Writer) error {
	switch {
	case text != "" && len(args) > 0:
		return usageError{"-suggest -text takes no file"}
	case text == "" && len(args) != 1:
		return usageError{"-suggest needs -text TEXT or one FILE.jsonl (- for standard input)"}
	case text == "" && asJSON:
		return usageError{"-json is for -suggest -text; a FILE gets JSON lines anyway"}
	}
	m, err := suggest.New(c, suggest.Options{})
	if err != nil {
		return err
	}
	if learn != "" {
		if err := learnFile(m, learn); err != nil {
			return err
		}
	}
	if text != "" {
		return printSuggestions(m.Suggest(text, or(limit, 5)), asJSON, stdout)
	}
	in := stdin
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	return suggestLines(m, in, args[0], or(limit, 10), stdout)
}

func printSuggestions(got []suggest.Suggestion, asJSON bool, stdout io.Writer) error {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(append([]suggest.Suggestion{}, got...))
	}
	if len(got) == 0 {
		fmt.Fprintln(stdout, "no suggestions: the text has no word the model knows")
		return nil
	}
	for _, s := range got {
		fmt.Fprintf(stdout, "%-24s %s\n", s.Code, s.Title)
		fmt.Fprintf(stdout, "%24s score %.1f: %s\n", "", s.Score, strings.Join(s.Words, ", "))
	}
	return nil
}

// lines calls fn with each non-blank line of r and its 1-based number.
func lines(r io.Reader, name string, fn func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxLine)
	for n := 1; sc.Scan(); n++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		if err := fn(n, sc.Bytes()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func suggestLines(m *suggest.Model, r io.Reader, name string, limit int, stdout io.Writer) error {
	w := bufio.NewWriter(stdout)
	err := lines(r, name, func(n int, line []byte) error {
		var in struct {
			ID   json.RawMessage `json:"id"`
			Text string          `json:"text"`
		}
		if err := json.Unmarshal(line, &in); err != nil {
			return fmt.Errorf("%s: line %d: not a JSON object with id and text", name, n)
		}
		out := struct {
			ID    json.RawMessage   `json:"id"`
			Codes []classifier.Code `json:"codes"`
		}{ID: in.ID, Codes: []classifier.Code{}}
		if out.ID == nil {
			out.ID = json.RawMessage("null")
		}
		for _, s := range m.Suggest(in.Text, limit) {
			out.Codes = append(out.Codes, s.Code)
		}
		b, err := json.Marshal(out)
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", name, n, err)
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

func learnFile(m *suggest.Model, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return lines(f, name, func(n int, line []byte) error {
		var in struct {
			Text string `json:"text"`
			Code string `json:"code"`
		}
		if err := json.Unmarshal(line, &in); err != nil {
			return fmt.Errorf("%s: line %d: not a JSON object with text and code", name, n)
		}
		code, err := classifier.Parse(in.Code)
		if err == nil {
			err = m.Learn(in.Text, code)
		}
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", name, n, err)
		}
		return nil
	})
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
	c, err := classifier.Load(f, path)
	if err != nil {
		return nil, err
	}
	return c, nil
}
