package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/fz59/appeals/workflow/pgstore"
	"github.com/fz59/appeals/workflow/sqlitestore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// config is what one run does.
type config struct {
	n, pgN    int    // appeals on memstore and sqlite; on PostgreSQL at most pgN
	seed      uint64 // the generator's seed
	workers   int    // goroutines running commands on memstore
	dbWorkers int    // goroutines running commands on sqlite and PostgreSQL
	days      int    // the simulated span, days before endDay
	sample    int    // appeals the lookups are measured on
	dir       string // where temporary files go
	stores    []string
	pgDSN     string
	// memprofile, when set, names the heap profile written after the simulated year of each
	// store (the store's name is put before its extension).
	memprofile string
	// bars makes the progress bars; nil shows none.
	bars func(desc string, total int64) progress
	// warn tells of a store skipped.
	warn func(msg string)
}

// storeNames are the stores, in the order "all" runs them.
var storeNames = []string{"memstore", "sqlite", "pg"}

// result is one store's run: its steps and the wall time of the whole run.
type result struct {
	store string
	n     int
	steps []*step
	wall  time.Duration
}

// runAll runs the scenario on each store of cfg in turn, freeing each before the next.
func runAll(ctx context.Context, cfg config) ([]result, error) {
	var out []result
	for _, name := range cfg.stores {
		c := cfg
		if name == "pg" {
			if cfg.pgDSN == "" {
				cfg.warn("pg: skipped: set APPEALS_PG_DSN=postgres://… to run it")
				continue
			}
			c.n = min(c.n, c.pgN)
		}
		if name != "memstore" {
			c.workers = c.dbWorkers
		}
		res, err := runStore(ctx, c, name, true)
		out = append(out, res)
		if err != nil {
			return out, fmt.Errorf("%s: %w", name, err)
		}
		runtime.GC()
		debug.FreeOSMemory()
	}
	return out, nil
}

// runStore runs the scenario on a new store of the kind: the simulated year, then (with all)
// the steps after it.
func runStore(ctx context.Context, cfg config, kind string, all bool) (res result, err error) {
	t0 := time.Now()
	store, closeStore, err := openStore(ctx, cfg, kind)
	if err != nil {
		return res, err
	}
	defer func() { err = errors.Join(err, closeStore()) }()
	smp := newSampler(200 * time.Millisecond)
	defer smp.close()
	s, err := newScenario(cfg, store, smp)
	if err != nil {
		return res, err
	}
	bar := cfg.progress(fmt.Sprintf("%s: %d appeals", kind, cfg.n), s.planned)
	err = s.simulate(ctx, bar)
	bar.finish()
	if err == nil && cfg.memprofile != "" {
		err = writeHeapProfile(cfg.memprofile, kind)
	}
	if err == nil && all {
		err = s.after(ctx, cfg.progress)
	}
	return result{store: kind, n: cfg.n, steps: s.steps, wall: time.Since(t0)}, err
}

func (c config) progress(desc string, total int64) progress {
	if c.bars == nil {
		return noProgress{}
	}
	return c.bars(desc, total)
}

// openStore opens an empty store of the kind and returns how to close it and remove what it
// left: the SQLite file, the PostgreSQL schema.
func openStore(ctx context.Context, cfg config, kind string) (workflow.Store, func() error, error) {
	switch kind {
	case "memstore":
		return memstore.New(memstore.Options{}), func() error { return nil }, nil
	case "sqlite":
		dir, err := os.MkdirTemp(cfg.dir, "scale-sqlite-")
		if err != nil {
			return nil, nil, err
		}
		st, err := sqlitestore.Open(filepath.Join(dir, "appeals.db"), sqlitestore.Options{})
		if err != nil {
			return nil, nil, errors.Join(err, os.RemoveAll(dir))
		}
		return st, func() error { return errors.Join(st.Close(), os.RemoveAll(dir)) }, nil
	case "pg":
		return openPG(ctx, cfg)
	}
	return nil, nil, fmt.Errorf("unknown store %q (valid: %s)", kind, strings.Join(storeNames, ", "))
}

// openPG makes a schema of its own on the server, migrated, dropped at close.
func openPG(ctx context.Context, cfg config) (workflow.Store, func() error, error) {
	schema := "scale_" + strings.ToLower(rand.Text()[:12])
	admin, err := pgx.Connect(ctx, cfg.pgDSN)
	if err != nil {
		return nil, nil, fmt.Errorf("connect: %w", err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return nil, nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() error {
		c, err := pgx.Connect(context.Background(), cfg.pgDSN)
		if err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	pc, err := pgxpool.ParseConfig(cfg.pgDSN)
	if err != nil {
		return nil, nil, errors.Join(err, drop())
	}
	pc.ConnConfig.RuntimeParams["search_path"] = schema
	pc.MaxConns = int32(cfg.workers + 4)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, nil, errors.Join(err, drop())
	}
	st := pgstore.New(pool)
	if err := st.Migrate(ctx); err != nil {
		pool.Close()
		return nil, nil, errors.Join(err, drop())
	}
	return st, func() error { pool.Close(); return drop() }, nil
}

// writeHeapProfile writes the heap profile, after a collection, to file with the store's name
// before its extension.
func writeHeapProfile(file, store string) error {
	ext := filepath.Ext(file)
	f, err := os.Create(strings.TrimSuffix(file, ext) + "-" + store + ext)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// progress is a progress bar; noProgress shows nothing.
type progress interface {
	add(n int64)
	finish()
}

type noProgress struct{}

func (noProgress) add(int64) {}
func (noProgress) finish()   {}
