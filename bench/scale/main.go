// Command scale runs a national-scale synthetic load through fz59/appeals and prints what each
// step costs: a year of appeals (names, addresses and letters made up from word lists in this
// program, classifier codes of the embedded edition weighted toward housing and social
// support), received, registered and carried through their whole lifecycle on a store, then
// the end-of-year work on that store: the all-terms monitor, the month's ССТУ.РФ export, two
// reports, the similar-appeal lookup, the applicant's history, a restart (Engine.Warm) with
// code suggestions, and a search.
//
//	cd bench && go run ./scale -n 1000000
//
// # The scenario
//
// Appeal i arrives on day i·days/n of the year before 15.12.2025, by ЕПГУ, the web form, post
// or in person, or sent on by another body (10 %, with its cover letter, on paper or by МЭДО).
// Staff work on the working days of the production calendar: registration on the first
// working day from receipt, classification and the resolution with one assignment the next,
// the executor's report a week later, the draft answer with every question's result, the
// approval, sending and closing. Of every 100 appeals, 1 is refused registration (not an
// appeal), 3 get an art. 11 outcome (left without answer or returned, then closed), 5 have
// their term extended by 30 days (art. 12 p.2), 2 are answered after the term; the rest run
// on time. The last weeks' appeals are still open at the end. Everything comes from -seed: the
// same seed gives the same appeals and the same commands. The engine's clock is fake
// (workflow.Options.Clock): each day's batches run at that day's moment.
//
// # Flags
//
//	-n N            appeals on memstore and sqlite (default 1000000)
//	-pg-n N         at most this many on PostgreSQL (default 100000)
//	-store S        memstore, sqlite, pg or all (default all); pg runs when APPEALS_PG_DSN
//	                is set, in a schema of its own dropped after, and is skipped otherwise
//	-seed N         the generator's seed (default 59)
//	-workers N      goroutines running commands on memstore (default GOMAXPROCS)
//	-db-workers N   goroutines running commands on sqlite and pg (default 64: a database's
//	                clients wait on its commits, and the stores commit concurrent writes
//	                together, sqlitestore up to 64 in one transaction)
//	-days N         the simulated span in days (default 365)
//	-sample N       appeals the similar lookup and the suggestions are measured on; the
//	                applicant's history takes a twentieth of them, the search a fiftieth (default 1000)
//	-dir DIR        where the SQLite file and the export go, removed after (default $TMPDIR)
//	-curve LIST     instead of the scenario: the memstore lifecycle at each n of the
//	                comma-separated LIST, and a chart of its cost against n
//	-chart FILE     the chart -curve writes, .svg or .png (default cost.svg)
//	-cpuprofile F   write a CPU profile of the run to F
//	-memprofile F   write a heap profile after each store's simulated year, to F with the
//	                store's name before the extension (heap-memstore.pprof)
//	-json           print JSON lines instead of the table
//	-quiet          no progress bars on stderr
//	-version        print the library's version and exit
//
// # Output
//
// A Markdown table on stdout, a row per store and step: the store, the step, n (the
// operations it did: commands, reminders queued, records exported, records read by a report,
// lookups), the wall time in seconds, ops/s (n over that time), the p50 and p99 latency of one
// operation (a command, a lookup; for a step that is one call, that call), the CPU time per
// operation in µs (the process's, over the step), the peak heap (runtime/metrics heap objects,
// sampled every 200 ms) and the peak resident set (/proc/self/status) while the step ran, in
// MB. With -json each row is a JSON object on a line with the keys store, step, n, wall_s,
// ops_per_s, p50_us, p99_us, cpu_us_per_op, peak_heap_mb and rss_mb; with -curve the keys
// are n, commands, cpu_us_per_command, wall_us_per_command and heap_kb_per_appeal. These
// flags and keys are an interface. Progress goes to stderr. Exit status 0 on success, 1 when
// a step fails, 2 for a usage error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/schollz/progressbar/v3"
)

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the parsed flags.
type options struct {
	cfg        config
	store      string
	curve      []int
	chart      string
	cpuprofile string
	json       bool
	quiet      bool
	version    bool
}

const usageHead = `usage: scale [flags]

Runs a year of synthetic appeals through fz59/appeals on memstore, sqlite and PostgreSQL
(APPEALS_PG_DSN) and prints each step's throughput, latency and memory as a Markdown table.

`

func parse(args []string, stdout io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&o.cfg.n, "n", 1_000_000, "appeals on memstore and sqlite")
	fs.IntVar(&o.cfg.pgN, "pg-n", 100_000, "at most this many appeals on PostgreSQL")
	fs.StringVar(&o.store, "store", "all", "memstore, sqlite, pg or all")
	fs.Uint64Var(&o.cfg.seed, "seed", 59, "the generator's seed")
	fs.IntVar(&o.cfg.workers, "workers", runtime.GOMAXPROCS(0), "goroutines running commands on memstore")
	fs.IntVar(&o.cfg.dbWorkers, "db-workers", 64, "goroutines running commands on sqlite and pg")
	fs.IntVar(&o.cfg.days, "days", 365, "the simulated span in days")
	fs.IntVar(&o.cfg.sample, "sample", 1000, "appeals the lookups are measured on")
	fs.StringVar(&o.cfg.dir, "dir", os.TempDir(), "where the SQLite file and the export go")
	curve := fs.String("curve", "", "comma-separated n: the memstore lifecycle at each, and a chart")
	fs.StringVar(&o.chart, "chart", "cost.svg", "the chart -curve writes (.svg or .png)")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile to this file")
	fs.StringVar(&o.cfg.memprofile, "memprofile", "", "write a heap profile after each store's year to this file (the store's name added)")
	fs.BoolVar(&o.json, "json", false, "print JSON lines instead of the table")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress bars on stderr")
	fs.BoolVar(&o.version, "version", false, "print the library's version and exit")
	fs.Usage = func() {
		fmt.Fprint(stdout, usageHead)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
		}
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q: scale takes flags only", fs.Arg(0))
	case o.cfg.n < 1:
		return o, errors.New("-n: must be at least 1")
	case o.cfg.pgN < 1:
		return o, errors.New("-pg-n: must be at least 1")
	case o.cfg.workers < 1 || o.cfg.dbWorkers < 1:
		return o, errors.New("-workers, -db-workers: must be at least 1")
	case o.cfg.days < 30 || o.cfg.days > 3000:
		return o, errors.New("-days: must be 30 to 3000")
	case o.cfg.sample < 1:
		return o, errors.New("-sample: must be at least 1")
	case !strings.HasSuffix(o.chart, ".svg") && !strings.HasSuffix(o.chart, ".png"):
		return o, fmt.Errorf("-chart %q: the name must end in .svg or .png", o.chart)
	}
	switch {
	case o.store == "all":
		o.cfg.stores = storeNames
	case slices.Contains(storeNames, o.store):
		o.cfg.stores = []string{o.store}
	default:
		return o, fmt.Errorf("-store %q: valid: %s, all", o.store, strings.Join(storeNames, ", "))
	}
	if *curve != "" {
		for f := range strings.SplitSeq(*curve, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || v < 1 {
				return o, fmt.Errorf("-curve %q: a comma-separated list of appeal counts, each at least 1", *curve)
			}
			o.curve = append(o.curve, v)
		}
	}
	return o, nil
}

func cli(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "scale:", err)
		return 2
	case o.version:
		fmt.Fprintln(stdout, appeal.Version)
		return 0
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "scale:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "scale:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	o.cfg.pgDSN = os.Getenv("APPEALS_PG_DSN")
	o.cfg.warn = func(msg string) { fmt.Fprintln(stderr, "scale:", msg) }
	if !o.quiet {
		o.cfg.bars = func(desc string, total int64) progress { return newBar(stderr, desc, total) }
	}
	if len(o.curve) > 0 {
		err = runCurve(ctx, o, stdout)
	} else {
		var res []result
		res, err = runAll(ctx, o.cfg)
		if werr := write(stdout, res, o.json); err == nil {
			err = werr
		}
		for _, r := range res {
			fmt.Fprintf(stderr, "scale: %s: %d appeals in %s\n", r.store, r.n, r.wall.Round(time.Second))
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "scale:", err)
		return 1
	}
	return 0
}

// row is one line of the output.
type row struct {
	Store     string  `json:"store"`
	Step      string  `json:"step"`
	N         int64   `json:"n"`
	Wall      float64 `json:"wall_s"`
	OpsPerSec float64 `json:"ops_per_s"`
	P50       float64 `json:"p50_us"`
	P99       float64 `json:"p99_us"`
	CPUPerOp  float64 `json:"cpu_us_per_op"`
	HeapMB    float64 `json:"peak_heap_mb"`
	RSSMB     float64 `json:"rss_mb"`
}

func rows(res []result) []row {
	var out []row
	for _, r := range res {
		for _, st := range r.steps {
			rw := row{Store: r.store, Step: st.name, N: st.n, Wall: st.wall.Seconds(),
				P50: us(st.lat.quantile(0.5)), P99: us(st.lat.quantile(0.99)),
				HeapMB: mb(st.heap.Load()), RSSMB: mb(st.rss.Load())}
			if st.wall > 0 {
				rw.OpsPerSec = float64(st.n) / st.wall.Seconds()
			}
			if st.n > 0 {
				rw.CPUPerOp = us(st.cpu) / float64(st.n)
			}
			out = append(out, rw)
		}
	}
	return out
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
func mb(b uint64) float64        { return float64(b) / (1 << 20) }

// write prints the rows as the Markdown table or as JSON lines.
func write(w io.Writer, res []result, asJSON bool) error {
	rs := rows(res)
	if asJSON {
		return jsonLines(w, rs)
	}
	var b strings.Builder
	b.WriteString("| store | step | n | wall s | ops/s | p50 | p99 | CPU µs/op | peak heap MB | RSS MB |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %s | %d | %.1f | %s | %s | %s | %.0f | %.0f | %.0f |\n", r.Store, r.Step, r.N, r.Wall,
			rate(r.OpsPerSec), latency(r.P50), latency(r.P99), r.CPUPerOp, r.HeapMB, r.RSSMB)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonLines writes each value as a JSON line.
func jsonLines[T any](w io.Writer, vs []T) error {
	enc := json.NewEncoder(w)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return nil
}

// rate prints ops/s with three significant digits or so.
func rate(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// latency prints µs as µs, ms or s.
func latency(u float64) string {
	switch {
	case u >= 1e6:
		return strconv.FormatFloat(u/1e6, 'f', 2, 64) + " s"
	case u >= 1e3:
		return strconv.FormatFloat(u/1e3, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(u, 'f', 0, 64) + " µs"
}

// bar is a progress bar on stderr.
type bar struct{ pb *progressbar.ProgressBar }

func newBar(w io.Writer, desc string, total int64) *bar {
	opts := []progressbar.Option{progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(desc),
		progressbar.OptionThrottle(250 * time.Millisecond), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
		progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish(), progressbar.OptionSetRenderBlankState(true)}
	if total < 0 {
		opts = append(opts, progressbar.OptionSpinnerType(14))
	}
	return &bar{pb: progressbar.NewOptions64(total, opts...)}
}

func (b *bar) add(n int64) { _ = b.pb.Add64(n) }
func (b *bar) finish()     { _ = b.pb.Finish() }
