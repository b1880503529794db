package workflow

import (
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"text/template"
	"time"

	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/classifier/suggest"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow/access"
	"github.com/fz59/appeals/workflow/answers"
	"github.com/fz59/appeals/workflow/routing"
	"github.com/google/uuid"
)

// Options configure an Engine. The zero value works: the real clock, the Russian production
// calendar, the law's counting policy, Moscow time, the embedded classifier, the default role
// model and no logging.
type Options struct {
	// Clock returns the current moment; nil means time.Now. The engine reads time only here.
	Clock func() time.Time
	// Calendar is the production calendar (производственный календарь); nil means
	// deadline.Russia(deadline.CalendarOptions{}).
	Calendar *deadline.Calendar
	// Policy is the counting policy; its Location is replaced by Org.Location.
	Policy deadline.Policy
	// Org is the organization's settings.
	Org Organization
	// Classifier is the edition, or the organization's subset of it (Classifier.Subset), that
	// question codes are checked against; nil means classifier.Embedded().
	Classifier *classifier.Classifier
	// Suggester, when set, suggests classifier codes for each appeal's text at receipt and at
	// classification (Record.Suggestions), learns from each classification, and is refilled
	// from the store by Warm. Build it over the organization's classifier or its Subset, so it
	// suggests only codes the organization uses.
	Suggester *suggest.Model
	// Similar is the index of duplicate and similar appeals (appeal/similar) the engine keeps
	// current on receipt and registration and that Warm fills from the store; nil means an
	// in-memory one (similar.MemIndex) with DuplicateWindow.
	Similar similar.Index
	// DuplicateWindow is how far apart two appeals of one applicant may be received to be
	// duplicate candidates; 0 means 60 days.
	DuplicateWindow time.Duration
	// Routing, when set, names the department and the responsible person of an appeal by its
	// questions when it is classified: the most specific rule wins (workflow/routing).
	Routing *routing.Table
	// Reminders are the thresholds Monitor reminds staff at.
	Reminders Reminders
	// Authorizer decides who may run which command; nil means DefaultAuthorizer().
	Authorizer Authorizer
	// AccessLog, when set, records every read of an appeal (who, when, which, why): Get,
	// History, PublicStatus, List, Worklist, SSTUEntries, RetentionFiles.
	AccessLog AccessLog
	// Logger receives one record per command (ids, numbers, states, never personal data); nil
	// discards.
	Logger *slog.Logger
	// Templates replace notice texts: every template it defines under a name of the default
	// set (workflow/templates/notices.tmpl, e.g. "registration.body") is used instead of the
	// default. Parse them with NoticeFuncs.
	Templates *template.Template
	// Answers are the organization's answer templates over the default set (workflow/answers):
	// each template it defines replaces the default of that name. Nil keeps the defaults.
	Answers *answers.Set
	// Signer, when set, signs the answer when it is approved (Approve); with
	// Organization.RequireSignature an answer is sent only signed.
	Signer Signer
	// NewID issues appeal ids; nil means uuid.NewV7.
	NewID func() (uuid.UUID, error)
	// Limiter is asked before every status lookup by number and PIN (Lookup), with the client
	// and the number, and told whether the attempt failed; an error refuses the attempt. Nil
	// means an access.MemoryLimiter with its defaults on Clock; a host that limits in front
	// passes access.LimiterFunc.
	Limiter access.Limiter
	// Inputs bound the length of command inputs (texts, reasons, lists); zero fields take the
	// defaults named there.
	Inputs Inputs
	// RecentRecords keeps copies of the last this many records the engine saved, so that the
	// next command on one of them skips Store.Get: one round-trip a command instead of two on a
	// database. A stale copy (another process changed the appeal) costs a retry on a fresh load,
	// never a wrong result. 0 keeps none; a few thousand suit a department's open appeals.
	RecentRecords int
	// ExtendedStatus moves questions to SSTU InWorkExtended on extension; by default they stay
	// InWork, which is what the SSTU export sends (docs/sstu.md).
	ExtendedStatus bool
}

// Organization is the organization's settings.
type Organization struct {
	// Name is the organization's name in the nominative, used in notices; NameGenitive
	// («Администрации города N») and NamePrepositional («Администрации города N», after «в»)
	// are its other cases where the notice texts need them, the nominative when empty.
	Name, NameGenitive, NamePrepositional string
	// Location is the organization's time zone: deadlines are days in it. Nil means Moscow
	// time (UTC+3).
	Location *time.Location
	// DepartmentID is the organization's SSTU department GUID.
	DepartmentID string
	// AnonymousName is the name the ССТУ.РФ report gives an anonymous appeal, which must have
	// one (empty: sstu.DefaultAnonymousName, «Аноним»; docs/sstu.md).
	AnonymousName string
	// HeadOfSubject marks the head of a subject of the RF (высшее должностное лицо субъекта):
	// appeals it receives about possible violations of migration law are considered in 20 days
	// (art. 12 p.1.1).
	HeadOfSubject bool
	// Series is the registration-number series used when a record names none.
	Series string
	// Number formats a registration number from the series, the year and the number that
	// store drew for the registration (NumberDraw); nil means DefaultNumber.
	Number func(series string, year int, n int64) string
	// AcceptEmail keeps e-mail a filing channel after 30.03.2025, for organizations outside
	// art. 4 p.1 as amended by 547-ФЗ (docs/law.md).
	AcceptEmail bool
	// CopyToPreferred also sends a notice to the applicant's preferred answer channel when the
	// law sends it by another (a paper appeal's answer goes by post even when the applicant
	// prefers e-mail, art. 10 p.4): the copy is marked Recipient.Copy.
	CopyToPreferred bool
	// Signatory is who signs the organization's letters (a name and position), for the answer
	// templates.
	Signatory string
	// RequireSignature refuses to send an answer that was not signed (Options.Signer).
	RequireSignature bool
}

// DefaultNumber formats a registration number as "{series}-{year}-{n:06}", e.g.
// "Ж-2025-000042", or "{year}-{n:06}" without a series.
func DefaultNumber(series string, year int, n int64) string {
	num := fmt.Sprintf("%06d", n)
	if series == "" {
		return strconv.Itoa(year) + "-" + num
	}
	return series + "-" + strconv.Itoa(year) + "-" + num
}

// Reminders are the thresholds at which Monitor reminds of each running term (напоминания),
// and who is reminded when the record names nobody yet. Each crossing is reminded once per
// term.
type Reminders struct {
	// Before are days before the control date (контрольный срок) to remind at; nil means
	// 3, 1 and 0. Negative values are ignored; with none left, due-soon reminders are off.
	Before []int
	// OverdueEvery repeats the overdue reminder every this many days after the legal date has
	// passed, while the term runs; 0 means every day.
	OverdueEvery int
	// Registry is the staff or group id reminded of a registration term while nobody is
	// responsible (the registry office, канцелярия); empty means "registry".
	Registry string
	// Manager is the staff or group id reminded of the competence decision, the art. 11
	// notice and consideration while nobody is responsible; empty means "manager".
	Manager string
}

// moscow is the default zone: UTC+3 without DST since 2014, fixed so that no tzdata is needed.
var moscow = time.FixedZone("MSK", 3*60*60)

func (o *Options) fill() {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Calendar == nil {
		o.Calendar = deadline.Russia(deadline.CalendarOptions{})
	}
	if o.Org.Location == nil {
		o.Org.Location = moscow
	}
	o.Policy.Location = o.Org.Location
	if o.Org.Number == nil {
		o.Org.Number = DefaultNumber
	}
	if o.Classifier == nil {
		o.Classifier = classifier.Embedded()
	}
	if o.Reminders.Before == nil {
		o.Reminders.Before = []int{3, 1, 0}
	}
	// A copy, without negative values, tightest first.
	o.Reminders.Before = slices.Sorted(func(yield func(int) bool) {
		for _, d := range o.Reminders.Before {
			if d >= 0 && !yield(d) {
				return
			}
		}
	})
	if o.Reminders.OverdueEvery <= 0 {
		o.Reminders.OverdueEvery = 1
	}
	if o.Reminders.Registry == "" {
		o.Reminders.Registry = "registry"
	}
	if o.Reminders.Manager == "" {
		o.Reminders.Manager = "manager"
	}
	if o.Limiter == nil {
		o.Limiter = access.NewMemoryLimiter(access.LimiterOptions{Now: o.Clock})
	}
	o.Inputs.fill()
	if o.Similar == nil {
		o.Similar = similar.NewMemIndex(similar.Options{DuplicateWindow: o.DuplicateWindow})
	}
	if o.Authorizer == nil {
		o.Authorizer = DefaultAuthorizer()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.NewID == nil {
		o.NewID = uuid.NewV7
	}
}
