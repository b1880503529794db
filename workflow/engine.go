package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"text/template"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow/answers"
	"github.com/google/uuid"
)

// Engine runs the commands on appeals kept in a Store and queues notices for a Notifier's
// dispatcher. It is safe for concurrent use; every command is atomic: two commands on one
// appeal at once leave one winner and one ErrConflict.
type Engine struct {
	store   Store
	opt     Options
	counter *deadline.Counter
	tmpl    *template.Template
	log     *slog.Logger
	next    map[transition]transitionResult // appeal.Next for every state × event, computed once
	recent  *recent                         // nil unless Options.RecentRecords
	answers *answers.Set                    // the answer templates
	similar similar.Index                   // duplicate and similar appeals
}

type transition struct {
	from appeal.State
	ev   appeal.Action
}

type transitionResult struct {
	to  appeal.State
	err *appeal.TransitionError
}

// New returns an engine over store. The notifier is not called by commands (they only queue
// notices in the outbox); pass it to NewDispatcher. New fails only on bad templates.
func New(store Store, opt Options) (*Engine, error) {
	if store == nil {
		return nil, errors.New("workflow: New: nil store")
	}
	opt.fill()
	tmpl, err := notices(opt.Templates)
	if err != nil {
		return nil, err
	}
	set, err := answers.Default()
	if err != nil {
		return nil, fmt.Errorf("workflow: %w", err)
	}
	if opt.Answers != nil {
		if set, err = set.Over(opt.Answers); err != nil {
			return nil, fmt.Errorf("workflow: %w", err)
		}
	}
	e := &Engine{store: store, opt: opt, tmpl: tmpl, log: opt.Logger, answers: set, similar: opt.Similar,
		counter: deadline.NewCounter(opt.Calendar, opt.Policy), recent: newRecent(opt.RecentRecords),
		next: make(map[transition]transitionResult)}
	for _, s := range appeal.States() {
		for _, ev := range appeal.Actions() {
			to, err := appeal.Next(s, ev)
			var te *appeal.TransitionError
			errors.As(err, &te)
			e.next[transition{s, ev}] = transitionResult{to, te}
		}
	}
	return e, nil
}

// Counter returns the deadline counter the engine uses (calendar, policy, zone).
func (e *Engine) Counter() *deadline.Counter { return e.counter }

// validateOptions are the organization's settings for appeal.Validate.
func (e *Engine) validateOptions() appeal.ValidateOptions {
	return appeal.ValidateOptions{AcceptEmail: e.opt.Org.AcceptEmail}
}

// transit returns the state event ev leads to from s, as appeal.Next does, from the table.
func (e *Engine) transit(s appeal.State, ev appeal.Action) (appeal.State, error) {
	r, ok := e.next[transition{s, ev}]
	if !ok {
		return appeal.Next(s, ev)
	}
	if r.err != nil {
		te := *r.err
		return s, &te
	}
	return r.to, nil
}

// command is one command: its name, the lifecycle event it fires ("" when the state stays),
// the states it may run in when it fires none, and what it changes.
type command struct {
	name   Command
	event  appeal.Action
	states []appeal.State
	mutate func(c *change) error
	// system marks the engine's own command (Monitor), which no actor runs and no Authorizer
	// sees.
	system bool
	// input is the command's input, checked against Options.Inputs before anything else.
	input any
}

// working are the states in which an appeal is being considered.
var working = []appeal.State{appeal.StateRegistered, appeal.StateUnderReview, appeal.StateInExecution,
	appeal.StateAnswerDrafting, appeal.StateAnswerApproved}

// change is the work in progress of one command on a clone of the record.
type change struct {
	e     *Engine
	ctx   context.Context
	cmd   Command
	actor Actor
	rec   *Record
	now   time.Time
	today deadline.Date
	ev    Event
	out   []Notification
	// number, when a command sets it, draws a registration number in the save.
	number *NumberDraw
	// afterSave run once the change is saved: the in-memory helpers (the Suggester, the
	// similarity index) learn only what the store kept.
	afterSave []func()
}

// after runs fn once the change is saved.
func (c *change) after(fn func()) { c.afterSave = append(c.afterSave, fn) }

// run is the one path of every command on an existing appeal: load, authorize, check the
// lifecycle, mutate a clone, save with the event and the notices at the version read.
//
// With Options.RecentRecords, a command on an appeal this engine saved lately runs first on
// its copy and skips the load. Only a save that the store accepts at the copy's version counts:
// a conflict or any refusal on the copy (which may be stale: another engine may have moved the
// appeal on) is forgotten, and the command runs again on the stored record, exactly as without
// the copy.
func (e *Engine) run(ctx context.Context, actor Actor, id uuid.UUID, cmd command) (*Record, error) {
	if rec := e.recent.get(id); rec != nil {
		if out, err := e.exec(ctx, actor, rec, cmd, execGuess); err == nil {
			return out, nil
		}
		e.recent.drop(id)
	}
	rec, err := e.store.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("workflow: %s %s: %w", cmd.name, id, err)
	}
	return e.exec(ctx, actor, rec, cmd, execSave)
}

// execMode says how exec stores its change.
type execMode int

const (
	execSave   execMode = iota // Store.Save of a record read from the store
	execCreate                 // Store.Create of a new record
	execGuess                  // Store.Save of a recent copy: a failure is not reported
)

// exec runs cmd on rec and stores the change as mode says.
func (e *Engine) exec(ctx context.Context, actor Actor, rec *Record, cmd command, mode execMode) (*Record, error) {
	id := rec.Appeal.ID
	create := mode == execCreate
	fail := func(err error) (*Record, error) {
		if mode != execGuess && e.log.Enabled(ctx, slog.LevelWarn) {
			e.log.LogAttrs(ctx, slog.LevelWarn, "workflow command refused", slog.String("command", string(cmd.name)),
				slog.String("appeal", id.String()), slog.String("actor", actor.ID), slog.String("error", err.Error()))
		}
		return nil, fmt.Errorf("workflow: %s %s: %w", cmd.name, id, err)
	}
	var authRec *Record
	if !create {
		authRec = rec
	}
	if err := e.authorize(ctx, actor, cmd, authRec); err != nil {
		return fail(err)
	}
	if err := e.checkInput(cmd.name, cmd.input); err != nil {
		return fail(err)
	}
	now := e.opt.Clock()
	// rec is the engine's own copy (Store.Get and List return copies the caller may change), so
	// the command works on it directly; on a refusal it is dropped.
	c := &change{e: e, ctx: ctx, cmd: cmd.name, actor: actor, rec: rec, now: now,
		today: deadline.DateOf(now, e.opt.Org.Location)}
	from := rec.Appeal.State
	c.ev = Event{AppealID: id, At: now, Actor: actor.ID, Command: cmd.name, From: from}
	var beforeBuf, afterBuf [8]Term // the terms before and after, on the stack for most records
	var before []Term
	if !create {
		before = rec.appendTerms(beforeBuf[:0])
	}
	if cmd.event != "" {
		if err := c.apply(cmd.event); err != nil {
			return fail(err)
		}
	} else if !slices.Contains(cmd.states, from) {
		return fail(&appeal.TransitionError{From: from, Action: appeal.Action(cmd.name), Reason: "allowed in " + stateList(cmd.states)})
	}
	if err := cmd.mutate(c); err != nil {
		return fail(err)
	}
	c.ev.To = c.rec.Appeal.State
	if !open(c.ev.To) {
		c.rec.closeTerms(c.today)
	}
	c.ev.Late = append(lateClosings(before, c.rec.appendTerms(afterBuf[:0])), c.ev.Late...)
	ch := Change{Record: c.rec, Events: []Event{c.ev}, Notifications: c.out, Number: c.number}
	var err error
	if create {
		err = e.store.Create(ctx, ch)
	} else {
		err = e.store.Save(ctx, ch)
	}
	if err != nil {
		return fail(err)
	}
	if e.recent != nil {
		e.recent.put(c.rec.Clone())
	}
	for _, fn := range c.afterSave {
		fn()
	}
	if e.log.Enabled(ctx, slog.LevelInfo) {
		e.log.LogAttrs(ctx, slog.LevelInfo, "workflow command", slog.String("command", string(cmd.name)),
			slog.String("appeal", id.String()), slog.String("number", c.rec.Appeal.Number), slog.String("actor", actor.ID),
			slog.String("from", string(from)), slog.String("to", string(c.ev.To)), slog.Int64("version", c.rec.Version),
			slog.Int("notices", len(c.out)))
	}
	return c.rec, nil
}

// authorize asks the Authorizer and turns its refusal into a *DeniedError.
func (e *Engine) authorize(ctx context.Context, actor Actor, cmd command, rec *Record) error {
	if cmd.system {
		return nil
	}
	err := e.opt.Authorizer.Authorize(ctx, actor, cmd.name, rec)
	if err == nil {
		return nil
	}
	if de := (*DeniedError)(nil); !errors.As(err, &de) {
		err = &DeniedError{Actor: actor.ID, Command: cmd.name, Reason: err.Error()}
	}
	return err
}

// apply moves the card through ev. A registered appeal goes to the manager on the way to a
// resolution or a draft answer: the submit step is implied.
func (c *change) apply(ev appeal.Action) error {
	a := c.rec.Appeal
	if a.State == appeal.StateRegistered && (ev == appeal.ActionResolve || ev == appeal.ActionDraftAnswer) {
		next, err := c.e.transit(a.State, appeal.ActionSubmit)
		if err != nil {
			return err
		}
		a.State = next
	}
	next, err := c.e.transit(a.State, ev)
	if err != nil {
		return err
	}
	a.State = next
	return nil
}

// changed records the fields the command changed.
func (c *change) changed(fields ...string) { c.ev.Changed = append(c.ev.Changed, fields...) }

// public sets what the applicant sees of this event.
func (c *change) public(stage string, planned deadline.Date, detail string) {
	c.ev.Public = &PublicNote{Stage: stage, Planned: planned, Detail: detail}
}

func stateList(ss []appeal.State) string {
	s := ""
	for i, st := range ss {
		if i > 0 {
			s += ", "
		}
		s += string(st)
	}
	return s
}
