// Command similar finds duplicate and similar appeals in a file of appeals, one JSON object a
// line, and prints one line an appeal:
//
//	go run ./examples/similar appeals.jsonl
//	go run ./examples/similar -window 30 -n 5 appeals.jsonl
//	go run ./examples/similar -json=false appeals.jsonl   # reasons and shared phrases, for reading
//	cat appeals.jsonl | go run ./examples/similar -
//
// Each input line is {"id", "applicant", "email", "received", "subject", "text"}: the id (a
// non-empty string or a number, unique in the file, written back as it was given), the
// applicant's name as given («Петрова Нина Сергеевна», «Петрова Н.С.», «Н.С. Петрова»), the
// e-mail, the receipt date YYYY-MM-DD (an RFC 3339 date and time is read too), the subject
// and the text (the subject stands for an empty text). Other fields are ignored.
//
// With -json (the default) each output line, in input order, is
//
//	{"id": "…", "duplicates": ["…"], "similar": [{"id": "…", "score": 0.73}]}
//
// duplicates: the appeals of the same applicant received within -window days whose text is
// at least -duplicate similar, best first; similar: the other appeals at least -similar
// similar, of any applicant (or at least half of -similar for the same applicant), best first,
// at most -n. A score is the similarity of the two texts, 0 to 1, to three decimals. The same
// applicant means a key in common: the name folded with initials and the e-mail
// (workflow.ApplicantKeys), the name alone, or the e-mail alone — so a letter signed «Петрова
// Н.С.» and one signed «Нина Петрова» from one address are one applicant's.
//
// The exit status is 0 on success, 1 when the input cannot be read or a line is not a valid
// appeal (the message names the line, never its content), 2 on a usage error.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// maxLine is the longest input line read, in bytes.
const maxLine = 1 << 20

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// errUsage is a usage error: exit status 2.
var errUsage = errors.New("usage")

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := similarAppeals(args, stdin, stdout)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "similar: %s (see similar -h)\n", strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	default:
		fmt.Fprintln(stderr, "similar:", err)
		return 1
	}
}

func similarAppeals(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("similar", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", true, "print one JSON object a line (false: text with reasons and shared phrases)")
	window := fs.Int("window", int(similar.DefaultDuplicateWindow/(24*time.Hour)), "duplicates are received at most this many `days` apart (1 or more)")
	dupScore := fs.Float64("duplicate", similar.DefaultDuplicateScore, "the least `score` of a duplicate (above 0, at most 1)")
	simScore := fs.Float64("similar", similar.DefaultSimilarScore, "the least `score` of a similar appeal (above 0, at most 1)")
	limit := fs.Int("n", similar.DefaultLimit, "the most similar appeals an appeal (1 or more)")
	version := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(fs, stdout)
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *version {
		fmt.Fprintln(stdout, "similar", appeal.Version)
		return nil
	}
	switch {
	case fs.NArg() == 0:
		return fmt.Errorf("%w: no input file", errUsage)
	case fs.NArg() > 1:
		return fmt.Errorf("%w: one input file, not %d", errUsage, fs.NArg())
	case *window < 1:
		return fmt.Errorf("%w: -window %d: want 1 or more days", errUsage, *window)
	case !(*dupScore > 0 && *dupScore <= 1):
		return fmt.Errorf("%w: -duplicate %v: want a score above 0 and at most 1", errUsage, *dupScore)
	case !(*simScore > 0 && *simScore <= 1):
		return fmt.Errorf("%w: -similar %v: want a score above 0 and at most 1", errUsage, *simScore)
	case *limit < 1:
		return fmt.Errorf("%w: -n %d: want 1 or more", errUsage, *limit)
	}

	name := fs.Arg(0)
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	appeals, err := read(in)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}

	// The index knows appeals by card id: each line gets one, and the file's id back.
	ids := make(map[uuid.UUID]json.RawMessage, len(appeals))
	for i := range appeals {
		appeals[i].doc.ID = uuid.UUID{0: 1}
		binary.BigEndian.PutUint64(appeals[i].doc.ID[8:], uint64(i))
		ids[appeals[i].doc.ID] = appeals[i].id
	}
	x := similar.NewMemIndex(similar.Options{
		DuplicateWindow: time.Duration(*window) * 24 * time.Hour,
		DuplicateScore:  *dupScore, SimilarScore: *simScore, RelatedScore: *simScore / 2, Limit: *limit,
	})
	for _, a := range appeals {
		if err := x.Put(a.doc); err != nil {
			return err
		}
	}
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, a := range appeals {
		res := x.Query(a.doc)
		if *asJSON {
			if err := enc.Encode(line(a.id, res, ids)); err != nil {
				return err
			}
			continue
		}
		writeText(out, a.id, res, ids)
	}
	return out.Flush()
}

func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, `usage: similar [flags] FILE.jsonl|-

Reads appeals, one JSON object a line: {"id","applicant","email","received" (YYYY-MM-DD),
"subject","text"}, indexes them all, and prints one line an appeal, in input order:
{"id": ..., "duplicates": [ids], "similar": [{"id": ..., "score": ...}, ...]}.
Duplicates are the same applicant's appeals within -window days, at least -duplicate similar;
similar are any applicant's, at least -similar similar, best first, at most -n.
Exit status: 0 done, 1 unreadable input or an invalid line (named by number), 2 usage.

flags:`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// input is one appeal read.
type input struct {
	id  json.RawMessage // as the file gave it: a JSON string or number
	doc similar.Document
}

// record is an input line.
type record struct {
	ID        json.RawMessage `json:"id"`
	Applicant string          `json:"applicant"`
	Email     string          `json:"email"`
	Received  string          `json:"received"`
	Subject   string          `json:"subject"`
	Text      string          `json:"text"`
}

// read reads every line; the first bad one stops it with an error naming its number.
func read(r io.Reader) ([]input, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var n textnorm.Normalizer
	var out []input
	seen := map[string]int{}
	for num := 1; ; num++ {
		raw, err := readLine(br)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", num, err)
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		a, err := parse(raw, &n)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", num, err)
		}
		key := idKey(a.id)
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("line %d: id: the id of line %d again", num, first)
		}
		seen[key] = num
		out = append(out, a)
	}
}

// readLine reads one line without its end, refusing one longer than maxLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLine+1 { // +1: the '\n'
			return nil, fmt.Errorf("longer than %d bytes", maxLine)
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r")), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(line) > 0:
			return line, nil
		default:
			return nil, err
		}
	}
}

// parse checks one line and builds its document.
func parse(raw []byte, n *textnorm.Normalizer) (input, error) {
	if !utf8.Valid(raw) {
		return input{}, errors.New("not UTF-8")
	}
	var rec record
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&rec); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return input{}, fmt.Errorf("%s: want a string", typeErr.Field)
		}
		return input{}, errors.New("not a JSON object") // the decoder's message may quote the line
	}
	if dec.More() {
		return input{}, errors.New("more than one JSON value")
	}
	if err := checkID(rec.ID); err != nil {
		return input{}, err
	}
	received, err := time.Parse(time.DateOnly, rec.Received)
	if err != nil {
		if received, err = time.Parse(time.RFC3339, rec.Received); err != nil {
			return input{}, errors.New("received: want a date YYYY-MM-DD")
		}
	}
	text := rec.Text
	if strings.TrimSpace(text) == "" {
		text = rec.Subject
	}
	tokens := n.AppendTokens(nil, text)
	return input{id: bytes.Clone(rec.ID), doc: similar.Document{
		ReceivedAt: received,
		Applicants: applicantKeys(orderName(rec.Applicant), rec.Email),
		Signature:  similar.Sign(tokens),
		Tokens:     tokens,
	}}, nil
}

// checkID accepts a non-empty JSON string or a number.
func checkID(raw json.RawMessage) error {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return errors.New("id: required")
	}
	switch v := v.(type) {
	case string:
		if strings.TrimSpace(v) == "" {
			return errors.New("id: required")
		}
	case float64:
	default:
		return errors.New("id: want a string or a number")
	}
	return nil
}

// idKey is what makes two ids the same: the string, or the number as written.
func idKey(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return "s" + s
	}
	return "n" + string(raw)
}

// applicantKeys are the keys of an applicant: the engine's ApplicantKeys (name and e-mail),
// and the name alone and the e-mail alone, so that a letter with the e-mail left out, or
// signed in another order, is still the applicant's.
func applicantKeys(name, email string) []string {
	keys := workflow.ApplicantKeys(appeal.Applicant{Surname: name, Email: email})
	for _, p := range []appeal.Applicant{{Surname: name}, {Email: email}} {
		for _, k := range workflow.ApplicantKeys(p) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// orderName puts the surname first: «Н.С. Петрова» and «Нина Сергеевна Петрова» become
// «Петрова Н.С.» and «Петрова Нина Сергеевна», the order ApplicantKeys reads.
func orderName(name string) string {
	words := strings.Fields(strings.ReplaceAll(name, ".", ". "))
	if len(words) < 2 {
		return name
	}
	last := words[len(words)-1]
	initialsFirst := utf8.RuneCountInString(strings.TrimSuffix(last, ".")) > 1
	for _, w := range words[:len(words)-1] {
		if utf8.RuneCountInString(strings.TrimSuffix(w, ".")) > 1 {
			initialsFirst = false
		}
	}
	patronymicSecond := len(words) == 3 && isPatronymic(words[1]) && !isPatronymic(last)
	if initialsFirst || patronymicSecond {
		return last + " " + strings.Join(words[:len(words)-1], " ")
	}
	return name
}

func isPatronymic(w string) bool {
	w = strings.ToLower(w)
	for _, suf := range []string{"вич", "вна", "чна", "ична"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// outLine is an output line.
type outLine struct {
	ID         json.RawMessage   `json:"id"`
	Duplicates []json.RawMessage `json:"duplicates"`
	Similar    []outItem         `json:"similar"`
}

type outItem struct {
	ID    json.RawMessage `json:"id"`
	Score float64         `json:"score"`
}

func line(id json.RawMessage, res similar.Result, ids map[uuid.UUID]json.RawMessage) outLine {
	l := outLine{ID: id, Duplicates: []json.RawMessage{}, Similar: []outItem{}}
	for _, m := range res.Duplicates {
		l.Duplicates = append(l.Duplicates, ids[m.ID])
	}
	for _, m := range res.Similar {
		l.Similar = append(l.Similar, outItem{ID: ids[m.ID], Score: round(m.Score)})
	}
	return l
}

func writeText(w io.Writer, id json.RawMessage, res similar.Result, ids map[uuid.UUID]json.RawMessage) {
	fmt.Fprintf(w, "%s\n", shown(id))
	for _, group := range []struct {
		title   string
		matches []similar.Match
	}{{"duplicate", res.Duplicates}, {"similar", res.Similar}} {
		for _, m := range group.matches {
			var why []string
			if m.SameApplicant {
				why = append(why, "same applicant")
			}
			if len(m.Phrases) > 0 {
				why = append(why, "shared: «"+strings.Join(m.Phrases, "», «")+"»")
			}
			fmt.Fprintf(w, "  %-9s %s  %.3f  %s\n", group.title, shown(ids[m.ID]), m.Score, strings.Join(why, "; "))
		}
	}
}

// shown is an id as text: the string, or the number as written.
func shown(id json.RawMessage) string { return idKey(id)[1:] }

func round(s float64) float64 { return math.Round(s*1000) / 1000 }
