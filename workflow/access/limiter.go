package access

import (
	"context"
	"errors"
	"hash/maphash"
	"sync"
	"time"
)

// ErrLimited is what a Limiter returns (or wraps) to refuse an attempt.
var ErrLimited = errors.New("access: too many attempts, try later")

// Attempt is one status lookup by number and PIN, as a Limiter sees it.
type Attempt struct {
	// Client identifies the caller as the host knows it: the client's IP address (for IPv6,
	// its /64 prefix), a session or an API key. Callers with an empty Client share one.
	Client string
	// Number is the registration number as entered.
	Number string
}

// Limiter rate-limits status lookups by number and PIN. The engine calls Allow before every
// lookup: a non-nil error (wrapping ErrLimited) refuses the attempt before any record is read.
// After every attempt Allow let through, the engine calls Done once, with failed true when the
// number was unknown or the PIN wrong — a guess that missed — and false when the lookup
// succeeded or could not be made (the store failed). Implementations are safe for concurrent
// use.
type Limiter interface {
	Allow(ctx context.Context, at Attempt) error
	Done(ctx context.Context, at Attempt, failed bool)
}

// LimiterFunc adapts a function to a Limiter that decides each attempt by itself and is not
// told the outcomes: a host's own rate limiter in front, or one that allows everything.
type LimiterFunc func(ctx context.Context, at Attempt) error

// Allow calls f.
func (f LimiterFunc) Allow(ctx context.Context, at Attempt) error { return f(ctx, at) }

// Done does nothing.
func (LimiterFunc) Done(context.Context, Attempt, bool) {}

// LimiterOptions configure a MemoryLimiter. A zero field takes its default.
type LimiterOptions struct {
	// ClientBurst is how many failed lookups a client may make in a row before it is refused
	// for every number; default 10.
	ClientBurst int
	// ClientEvery is how long a client waits to earn one failure back; default 6 minutes (ten
	// an hour once the burst is spent).
	ClientEvery time.Duration
	// NumberBurst is how many failed lookups of one number, from all clients together, make
	// the number contested; default 10.
	NumberBurst int
	// NumberEvery is how long a number takes to earn one failure back; default 10 minutes.
	NumberEvery time.Duration
	// MaxKeys bounds the clients, and the numbers, remembered at once; default 100 000 each
	// (some 5 MB in all when full).
	MaxKeys int
	// Now returns the current moment; nil means time.Now. The engine passes its Clock.
	Now func() time.Time
}

func (o LimiterOptions) withDefaults() LimiterOptions {
	if o.ClientBurst <= 0 {
		o.ClientBurst = 10
	}
	if o.ClientEvery <= 0 {
		o.ClientEvery = 6 * time.Minute
	}
	if o.NumberBurst <= 0 {
		o.NumberBurst = 10
	}
	if o.NumberEvery <= 0 {
		o.NumberEvery = 10 * time.Minute
	}
	if o.MaxKeys <= 0 {
		o.MaxKeys = 100_000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// MemoryLimiter is the engine's default Limiter: failure budgets kept in memory, one for each
// client and one for each number, so that guessing at a citizen's number cannot lock the
// citizen out of their own appeal.
//
//   - Allow charges the attempt to its client's and its number's budgets in advance, so that
//     many attempts at once cannot all pass before the first fails; Done refunds a lookup that
//     did not fail. Successful lookups never count.
//   - A client whose ClientBurst failures are spent is refused for every number, until it
//     earns one back after ClientEvery.
//   - A number with NumberBurst failures from all clients together is contested. While it
//     is, it is refused to every client that has a failure not yet earned back — and let
//     through for a client with none. The citizen, who has not been guessing, still gets in
//     from their own client; each of an attacker's clients gets one try at that number every
//     ClientEvery instead of a burst.
//
// A client with no failure outstanding is never refused, whatever others do
// (TestMemoryLimiterCleanClientNeverRefused). Budgets are token buckets in the form of the
// generic cell rate algorithm: one moment a key, under a hash of the key with a random seed
// (a key of any length costs the same). When a table reaches MaxKeys it is rebuilt without the
// budgets that are full again, and without arbitrary others past seven eighths of MaxKeys.
// A dropped client starts clean and a dropped number uncontested: both err toward letting
// citizens in, and give an attacker nothing a fresh client key would not.
// Memory stays within MaxKeys under a flood of distinct keys (TestMemoryLimiterBoundedMemory).
// The budgets are per process: behind several replicas, share the client key's replica (sticky
// routing) or put a shared limiter in front.
type MemoryLimiter struct {
	now   func() time.Time
	epoch time.Time
	seed  maphash.Seed

	mu      sync.Mutex
	clients budgets
	numbers budgets
}

// NewMemoryLimiter returns a MemoryLimiter with the options, defaults filled in.
func NewMemoryLimiter(opt LimiterOptions) *MemoryLimiter {
	opt = opt.withDefaults()
	return &MemoryLimiter{now: opt.Now, epoch: opt.Now(), seed: maphash.MakeSeed(),
		clients: newBudgets(opt.ClientBurst, opt.ClientEvery, opt.MaxKeys),
		numbers: newBudgets(opt.NumberBurst, opt.NumberEvery, opt.MaxKeys)}
}

// Allow refuses a client whose budget is spent, and a client with any failure outstanding on
// a contested number; otherwise it charges the attempt to both budgets.
func (l *MemoryLimiter) Allow(_ context.Context, at Attempt) error {
	now := l.now().Sub(l.epoch)
	c, n := maphash.String(l.seed, at.Client), maphash.String(l.seed, at.Number)
	l.mu.Lock()
	defer l.mu.Unlock()
	owed := l.clients.owed(c, now)
	if l.clients.spent(owed) || owed > 0 && l.numbers.spent(l.numbers.owed(n, now)) {
		return ErrLimited
	}
	l.clients.charge(c, now)
	l.numbers.charge(n, now)
	return nil
}

// Done refunds the charge of an attempt that did not fail.
func (l *MemoryLimiter) Done(_ context.Context, at Attempt, failed bool) {
	if failed {
		return
	}
	now := l.now().Sub(l.epoch)
	c, n := maphash.String(l.seed, at.Client), maphash.String(l.seed, at.Number)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clients.refund(c, now)
	l.numbers.refund(n, now)
}

// budgets is one table of token buckets in GCRA form: for each key the moment (since the
// limiter's epoch) its budget will be full again; a moment passed, or no entry, is a full
// budget. Entries are never deleted one by one but dropped when the table is rebuilt, so that
// the map never holds deleted slots and never grows past MaxKeys.
type budgets struct {
	every time.Duration // one failure earned back
	depth time.Duration // the whole budget: burst × every
	max   int
	full  map[uint64]time.Duration
}

func newBudgets(burst int, every time.Duration, maxKeys int) budgets {
	return budgets{every: every, depth: time.Duration(burst) * every, max: maxKeys,
		full: make(map[uint64]time.Duration, maxKeys)}
}

// owed is how long until the key's budget is full: 0 when nothing is owed.
func (b *budgets) owed(k uint64, now time.Duration) time.Duration {
	return max(b.full[k]-now, 0)
}

// spent reports that less than one failure is left.
func (b *budgets) spent(owed time.Duration) bool { return owed > b.depth-b.every }

// charge takes one failure from the key's budget, never more than the whole budget.
func (b *budgets) charge(k uint64, now time.Duration) {
	if _, ok := b.full[k]; !ok && len(b.full) >= b.max {
		b.makeRoom(now)
	}
	b.full[k] = now + min(b.owed(k, now)+b.every, b.depth)
}

// refund gives one failure back.
func (b *budgets) refund(k uint64, now time.Duration) {
	if t, ok := b.full[k]; ok {
		b.full[k] = max(t-b.every, now)
	}
}

// makeRoom rebuilds the table without the budgets that are full again, and without arbitrary
// others past seven eighths of MaxKeys: a rebuild, O(MaxKeys), comes at most once every
// MaxKeys/8 new keys, however the table is flooded.
func (b *budgets) makeRoom(now time.Duration) {
	keep := b.max - max(b.max/8, 1)
	fresh := make(map[uint64]time.Duration, b.max)
	for k, t := range b.full {
		if len(fresh) == keep {
			break
		}
		if t > now {
			fresh[k] = t
		}
	}
	b.full = fresh
}
