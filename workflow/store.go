package workflow

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
)

// Store keeps records, their events (the audit trail) and the notification outbox. It is the
// host's side of the engine, kept small on purpose; workflow/memstore is the reference and
// workflow/storetest.Run the suite every adapter must pass.
//
// Every method is safe for concurrent use. Adapters map their backend's errors onto
// ErrNotFound, ErrConflict, ErrExists and ErrDuplicate, and return records the caller may
// change freely (never an alias of the store's own copy).
type Store interface {
	// Create stores a new record (ch.Record) with its first events and notifications in one
	// atomic step and sets its Version to 1. It returns ErrExists when the id is taken and a
	// *DuplicateError when another record has the same non-empty IntakeKey; then nothing is
	// stored.
	Create(ctx context.Context, ch Change) error

	// Get returns the record with its version, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (*Record, error)

	// Save stores ch.Record, appends its events and queues its notifications in one atomic
	// step, only if the stored version still equals ch.Record.Version; it then increments
	// the record's Version. Otherwise it returns ErrConflict (or ErrNotFound) and stores
	// nothing.
	Save(ctx context.Context, ch Change) error

	// List yields the records that match f, in ascending id order (ids are UUID v7, so that
	// is creation order), streaming: an adapter never loads every match at once. Iteration
	// stops at the first error, which is yielded with a nil record. The loop body may call
	// the store (Monitor saves the records it lists), so an adapter holds no lock a write
	// needs while it yields.
	List(ctx context.Context, f Filter) iter.Seq2[*Record, error]

	// History returns the appeal's events in the order they were appended, with Seq set
	// (1, 2, 3, …), or ErrNotFound.
	History(ctx context.Context, id uuid.UUID) ([]Event, error)

	// ClaimNotifications leases up to limit pending or uncertain notifications whose
	// NextAttempt is not after now (delivered and failed ones are never claimed again): each
	// claimed one gets Attempts+1 and NextAttempt = now+lease, so that another dispatcher does
	// not take it meanwhile. Oldest CreatedAt first.
	ClaimNotifications(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Notification, error)

	// UpdateNotification stores a claimed notification's new delivery state (Status,
	// NextAttempt, LastError), or returns ErrNotFound.
	UpdateNotification(ctx context.Context, n Notification) error
}

// Change is what one command stores in one atomic step: the record, the events it appends to
// the history and the notifications it queues in the outbox.
type Change struct {
	// Record is the record to store; Events are appended to its history; Notifications are
	// queued in the outbox.
	Record        *Record
	Events        []Event
	Notifications []Notification
	// Number, when set, asks the store to draw the next registration number of a series and
	// year within the same atomic step: a change that is refused or loses a conflict uses up
	// no number, so numbers have no holes.
	Number *NumberDraw
}

// NumberDraw asks a Store for the next registration number in a series and year: 1, 2, 3, …
// Numbers never repeat within a series and year, even under concurrent saves or after a crash,
// and a number is spent only when the change that drew it is stored.
type NumberDraw struct {
	// Series and Year scope the number.
	Series string
	Year   int
	// Apply receives the change and the number before anything is written, and completes the
	// change with it: the card's number, the event, the notice. It runs inside the store's
	// atomic step, so it must be quick and must not call the store; the store then writes the
	// change as Apply left it. An error from Apply stores nothing and spends no number; the
	// store returns it wrapped.
	Apply func(ch *Change, n int64) error
}

// Counter is an optional Store ability: counting matches server-side. Engine.Count uses it
// when the store has it and falls back to iterating List otherwise.
type Counter interface {
	// Count returns how many records List(ctx, f) would yield (After and Limit included).
	Count(ctx context.Context, f Filter) (int, error)
}

// Filter selects records for Store.List. Zero fields match everything; set fields are ANDed.
type Filter struct {
	// States: the record's state is one of these.
	States []appeal.State
	// TermKinds, DueFrom, DueTo, ControlFrom and ControlTo select by running term (Index.Terms):
	// a record matches when one of its running terms is of one of TermKinds (any kind when
	// empty), with its legal date within [DueFrom, DueTo] and its control date within
	// [ControlFrom, ControlTo], bounds inclusive, zero bounds open. With all five zero, terms do
	// not matter; with any set, a record without a running term never matches. Overdue on day
	// d is DueTo: d−1; due soon within n days is ControlTo: d+n.
	TermKinds              []TermKind
	DueFrom, DueTo         deadline.Date
	ControlFrom, ControlTo deadline.Date
	// Person: the responsible person or an executor (Index.People).
	Person string
	// Code: a question code equal to this, or starting with it followed by "." (a classifier
	// subtree such as "0005.0005").
	Code string
	// Applicant: an applicant match key (ApplicantKey).
	Applicant string
	// RegisteredFrom and RegisteredTo bound Index.RegisteredOn, inclusive; unregistered records
	// never match a registration bound.
	RegisteredFrom, RegisteredTo deadline.Date
	// Number: the registration number, exactly.
	Number string
	// After: only records whose id is greater (a cursor: the last id of the previous page).
	After uuid.UUID
	// Limit: at most this many records (0: no limit).
	Limit int
}

// Match reports whether an index matches the filter: the one definition of the filter that
// memstore uses directly and other adapters translate into their query language.
func (f Filter) Match(ix Index) bool {
	if len(f.States) > 0 && !containsState(f.States, ix.State) {
		return false
	}
	if f.termBound() && !f.anyTerm(ix.Terms) {
		return false
	}
	if !inRange(ix.RegisteredOn, f.RegisteredFrom, f.RegisteredTo) {
		return false
	}
	if f.Person != "" && !contains(ix.People, f.Person) {
		return false
	}
	if f.Code != "" && !anyCodeUnder(ix.Codes, f.Code) {
		return false
	}
	if f.Applicant != "" && !contains(ix.Applicants, f.Applicant) {
		return false
	}
	if f.Number != "" && ix.Number != f.Number {
		return false
	}
	return f.After == uuid.Nil || compareIDs(ix.ID, f.After) > 0
}

// termBound reports whether the filter selects by running term.
func (f Filter) termBound() bool {
	return len(f.TermKinds) > 0 || !f.DueFrom.IsZero() || !f.DueTo.IsZero() || !f.ControlFrom.IsZero() || !f.ControlTo.IsZero()
}

// anyTerm reports whether one of the terms meets every term condition of the filter.
func (f Filter) anyTerm(terms []IndexTerm) bool {
	for _, t := range terms {
		if (len(f.TermKinds) == 0 || slices.Contains(f.TermKinds, t.Kind)) &&
			inRange(t.Legal, f.DueFrom, f.DueTo) && inRange(t.Control, f.ControlFrom, f.ControlTo) {
			return true
		}
	}
	return false
}

func inRange(d, from, to deadline.Date) bool {
	if from.IsZero() && to.IsZero() {
		return true
	}
	if d.IsZero() {
		return false
	}
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

func containsState(ss []appeal.State, s appeal.State) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func anyCodeUnder(codes []string, prefix string) bool {
	for _, c := range codes {
		if c == prefix || len(c) > len(prefix) && c[:len(prefix)] == prefix && c[len(prefix)] == '.' {
			return true
		}
	}
	return false
}

// compareIDs orders UUIDs bytewise (for v7, by time).
func compareIDs(a, b uuid.UUID) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Event is one entry of an appeal's history: who did what and when, the state before and
// after, the reason, and the fields changed. Events are append-only; they are the audit
// trail and, filtered, the applicant's timeline.
type Event struct {
	// AppealID is the appeal's id.
	AppealID uuid.UUID `json:"appealId"`
	// Seq is the event's position in the appeal's history (1, 2, …), set by the store.
	Seq int64 `json:"seq"`
	// At is when it happened (the engine's clock).
	At time.Time `json:"at"`
	// Actor is the staff id, "applicant" or "system".
	Actor string `json:"actor"`
	// Command is the command that wrote the event (e.g. CmdRegister, CmdExtend).
	Command Command `json:"command"`
	// From and To are the lifecycle states before and after (equal when the state stayed).
	From appeal.State `json:"from"`
	To   appeal.State `json:"to"`
	// Reason is the reason given (an extension's reason, an art. 11 ground, …).
	Reason string `json:"reason,omitempty"`
	// Changed names the fields the command changed.
	Changed []string `json:"changed,omitempty"`
	// Picks are the codes a classification chose, with their rank among the suggestions.
	Picks []Pick `json:"picks,omitempty"`
	// Late lists the terms this step closed after their legal date, with the days late: a
	// late step is done and recorded as late, never refused.
	Late []Late `json:"late,omitempty"`
	// Public holds what the applicant may see of this event (stage, planned date, where
	// forwarded, measures); nil for internal steps.
	Public *PublicNote `json:"public,omitempty"`
}

// PublicNote is the part of an event the applicant may see (art. 5, art. 8 p.3, art. 12 p.2).
type PublicNote struct {
	// Stage is the stage in plain Russian, e.g. «Зарегистрировано».
	Stage string `json:"stage"`
	// Planned is the planned answer date, when known.
	Planned deadline.Date `json:"planned,omitzero"`
	// Detail: the extension's reason, where forwarded, measures taken, …
	Detail string `json:"detail,omitempty"`
}

// NotificationStatus is where a notification stands in the outbox.
type NotificationStatus string

// The notification statuses.
const (
	// NotificationPending: waiting for (another) delivery attempt.
	NotificationPending NotificationStatus = "pending"
	// NotificationDelivered: the notifier confirmed delivery.
	NotificationDelivered NotificationStatus = "delivered"
	// NotificationUncertain: the notifier may have sent it and could not tell ("maybe sent");
	// it is retried with the same idempotency key, so the receiver can drop a duplicate.
	NotificationUncertain NotificationStatus = "uncertain"
	// NotificationFailed: given up after the last attempt; a person must look.
	NotificationFailed NotificationStatus = "failed"
)

// RecipientRole is why a notification goes to its recipient.
type RecipientRole string

// The recipient roles.
const (
	// RecipientApplicant — the applicant (заявитель).
	RecipientApplicant RecipientRole = "applicant"
	// RecipientClerk — the clerk or registry office that registers and sends.
	RecipientClerk RecipientRole = "clerk"
	// RecipientManager — the manager who decides (руководитель), when nobody is responsible yet.
	RecipientManager RecipientRole = "manager"
	// RecipientResponsible — the person answerable for the appeal (ответственный).
	RecipientResponsible RecipientRole = "responsible"
	// RecipientExecutor — the executor of an assignment (исполнитель).
	RecipientExecutor RecipientRole = "executor"
	// RecipientRequester — the member of staff who sent an inter-agency request.
	RecipientRequester RecipientRole = "requester"
)

// NoticeChannel is how a notification travels.
type NoticeChannel string

// The notice channels. The applicant's follow appeal.AnswerChannel; staff get ChannelInternal.
const (
	ChannelEmail    NoticeChannel = "email"    // an electronic document to an e-mail address
	ChannelPost     NoticeChannel = "post"     // a letter to a postal address
	ChannelAccount  NoticeChannel = "account"  // the ЕПГУ personal account or the system it came by
	ChannelInternal NoticeChannel = "internal" // the host's own channel to staff
)

// Recipient says who a notification goes to and how.
type Recipient struct {
	// Role is why the recipient gets it.
	Role RecipientRole `json:"role"`
	// Staff is the staff id (or group id) for a staff recipient.
	Staff string `json:"staff,omitempty"`
	// Channel is how.
	Channel NoticeChannel `json:"channel"`
	// Address is the e-mail, postal address or account id.
	Address string `json:"address,omitempty"`
	// Copy marks a copy by another channel than the one the law sends the notice by (the
	// host's choice, Organization.CopyToPreferred); the lawful one goes too.
	Copy bool `json:"copy,omitempty"`
}

// Notification is one message in the outbox: written in the same save as the change that
// caused it, delivered later by the dispatcher, with retries.
type Notification struct {
	// ID is the idempotency key: stable for the notification's life, derived from the appeal,
	// the event and the kind, so a redelivery can be recognized.
	ID uuid.UUID `json:"id"`
	// AppealID is the appeal's id.
	AppealID uuid.UUID `json:"appealId"`
	// Kind names the notice.
	Kind NoticeKind `json:"kind"`
	// To is the recipient.
	To Recipient `json:"to"`
	// Subject and Body are the rendered text.
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// CreatedAt is when it was queued.
	CreatedAt time.Time `json:"createdAt"`
	// Status, Attempts, NextAttempt and LastError are the delivery state the dispatcher keeps.
	Status      NotificationStatus `json:"status"`
	Attempts    int                `json:"attempts"`
	NextAttempt time.Time          `json:"nextAttempt"`
	LastError   string             `json:"lastError,omitempty"`
}

// Notifier delivers one notification: to the applicant by e-mail, SMS, post or personal
// account, or to a member of staff. It returns nil when delivered, an error wrapping
// ErrMaybeSent when it cannot tell whether the message went out, and any other error when it
// surely did not.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, n Notification) error

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, n Notification) error { return f(ctx, n) }
