package access_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow/access"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a settable clock for the limiter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newLimiter(opt access.LimiterOptions) (*access.MemoryLimiter, *clock) {
	c := &clock{t: time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)}
	opt.Now = c.now
	return access.NewMemoryLimiter(opt), c
}

var ctx = context.Background()

// try makes one lookup attempt: Allow, then Done with its outcome. It reports whether the
// attempt was let through.
func try(l access.Limiter, client, number string, failed bool) bool {
	at := access.Attempt{Client: client, Number: number}
	if err := l.Allow(ctx, at); err != nil {
		if !errors.Is(err, access.ErrLimited) {
			panic(err)
		}
		return false
	}
	l.Done(ctx, at, failed)
	return true
}

// Many failures from one client lock that client, for every number, until it earns them back;
// other clients are not touched.
func TestMemoryLimiterLocksAGuessingClient(t *testing.T) {
	l, c := newLimiter(access.LimiterOptions{})
	for i := range 10 {
		require.True(t, try(l, "attacker", "Ж-2026-"+strconv.Itoa(i), true), "failure %d", i+1)
	}
	assert.False(t, try(l, "attacker", "Ж-2026-100", true), "an 11th failure in a row")
	assert.False(t, try(l, "attacker", "Ж-2026-0", false), "locked for every number, right PIN or not")
	assert.True(t, try(l, "citizen", "Ж-2026-0", false), "another client is not touched")

	c.advance(6*time.Minute - time.Second)
	assert.False(t, try(l, "attacker", "Ж-2026-100", true))
	c.advance(time.Second)
	assert.True(t, try(l, "attacker", "Ж-2026-100", true), "one failure earned back in 6 minutes")
	assert.False(t, try(l, "attacker", "Ж-2026-101", true))
	c.advance(time.Hour)
	for i := range 10 {
		assert.True(t, try(l, "attacker", "Ж-2026-"+strconv.Itoa(200+i), true), "after an hour, a full burst again: %d", i)
	}
}

// Failures on one number from many clients make the number contested: it is then refused to
// clients with failures outstanding, but a client that never failed — the citizen — gets in.
func TestMemoryLimiterContestedNumber(t *testing.T) {
	l, c := newLimiter(access.LimiterOptions{})
	const number = "Ж-2026-000123"
	for i := range 10 {
		require.True(t, try(l, "bot-"+strconv.Itoa(i), number, true))
	}
	assert.False(t, try(l, "bot-0", number, true), "a client that failed is slowed down on the contested number")
	assert.True(t, try(l, "bot-0", "Ж-2026-000999", true), "but not on other numbers")
	assert.True(t, try(l, "citizen", number, false), "a client that never failed gets in")
	assert.True(t, try(l, "citizen", number, false), "and again: a success is no failure")
	assert.True(t, try(l, "bot-new", number, true), "a fresh client: one try")
	assert.False(t, try(l, "bot-new", number, true), "and no more while the number is contested")

	c.advance(6 * time.Minute)
	assert.True(t, try(l, "bot-new", number, true), "one failure earned back: one more try")
	c.advance(10 * 10 * time.Minute)
	assert.True(t, try(l, "bot-1", number, true), "the contest is over")
	assert.True(t, try(l, "bot-1", number, true))
}

// Successful lookups do not count: a client may look its appeal up as often as it likes.
func TestMemoryLimiterSuccessesDoNotCount(t *testing.T) {
	l, _ := newLimiter(access.LimiterOptions{})
	for i := range 100 {
		require.True(t, try(l, "citizen", "Ж-2026-000123", false), "lookup %d", i+1)
	}
	for i := range 10 {
		require.True(t, try(l, "citizen", "Ж-2026-000123", true), "failure %d still in the burst", i+1)
	}
}

// Allow charges in advance: attempts at once from one client cannot all pass before the first
// fails.
func TestMemoryLimiterChargesInAdvance(t *testing.T) {
	l, _ := newLimiter(access.LimiterOptions{ClientBurst: 3})
	passed := 0
	for i := range 20 {
		if l.Allow(ctx, access.Attempt{Client: "c", Number: strconv.Itoa(i)}) == nil {
			passed++
		}
	}
	assert.Equal(t, 3, passed)
}

// The host's key and the number may be of any length: each costs one entry.
func TestMemoryLimiterLongKeys(t *testing.T) {
	l, _ := newLimiter(access.LimiterOptions{ClientBurst: 1})
	long := string(make([]byte, 1<<20))
	assert.True(t, try(l, long, long, true))
	assert.False(t, try(l, long, "other", true))
	assert.True(t, try(l, long[1:], long, true))
}

// A flood of distinct clients and numbers, each failing once, keeps each table within MaxKeys
// entries: a full limiter takes under 32 bytes a key and table (5 MB with the defaults), and
// the heap stays flat as the flood goes on (unbounded tables would grow by some 50 bytes a key
// and table, 4 MB here). The clock moves fast enough that budgets also come back full during
// the flood.
func TestMemoryLimiterBoundedMemory(t *testing.T) {
	const keys = 20_000
	base := heap()
	l, c := newLimiter(access.LimiterOptions{MaxKeys: keys})
	flood := func(from, to int) {
		for i := from; i < to; i++ {
			k := strconv.Itoa(i)
			try(l, k, k, true)
			if i%1000 == 0 {
				c.advance(15 * time.Second)
			}
		}
	}
	flood(0, 2*keys) // the tables reach their size
	full := heap()
	assert.Less(t, full-base, int64(2*keys*32), "a full limiter takes %d bytes", full-base)
	flood(2*keys, 4*keys)
	grew := heap() - full
	assert.Less(t, grew, int64(256<<10), "the heap grew by %d bytes", grew)
	t.Logf("full limiter %d bytes; grew by %d over %d more keys", full-base, grew, 2*keys)
	assert.True(t, try(l, "citizen", "7", false), "still answering")
	runtime.KeepAlive(l)
}

func heap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// The guarantee, against random traffic: a client with no failure outstanding is never refused,
// and no client gets more failures through than its burst and what it earned back.
func TestMemoryLimiterCleanClientNeverRefused(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			checkLimiter(t, rand.New(rand.NewPCG(seed, 59)), 2000)
		})
	}
}

func FuzzMemoryLimiter(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(59), uint64(2026))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		checkLimiter(t, rand.New(rand.NewPCG(a, b)), 500)
	})
}

// checkLimiter runs steps of random traffic — a few attackers and a few numbers, fresh
// clients, a citizen who always has the right PIN, the clock moving — on two limiters alike: a
// roomy one, and a small one (MaxKeys 16) that evicts all the time. On both, the citizen and
// fresh clients are never refused; on the roomy one, no client gets more failures through than
// its burst and what it earned back since. (Eviction forgets failures: that is its price.)
func checkLimiter(t *testing.T, r *rand.Rand, steps int) {
	const burst, every = 3, time.Minute
	opt := access.LimiterOptions{ClientBurst: burst, ClientEvery: every, NumberBurst: 2, NumberEvery: 5 * time.Minute}
	roomy, c := newLimiter(opt)
	opt.MaxKeys, opt.Now = 16, c.now
	small := access.NewMemoryLimiter(opt)
	start := c.t
	failures := map[string]int{}
	for step := range steps {
		number := "N-" + strconv.Itoa(r.IntN(4))
		switch r.IntN(10) {
		case 0:
			c.advance(time.Duration(r.Int64N(int64(2 * every))))
		case 1, 2:
			if !try(roomy, "citizen", number, false) || !try(small, "citizen", number, false) {
				t.Fatalf("step %d: the citizen, who never failed, was refused %s", step, number)
			}
		case 3:
			fresh := fmt.Sprintf("fresh-%d", step)
			if !try(roomy, fresh, number, true) || !try(small, fresh, number, true) {
				t.Fatalf("step %d: a fresh client was refused", step)
			}
		default:
			client := "bot-" + strconv.Itoa(r.IntN(30))
			try(small, client, number, true)
			if try(roomy, client, number, true) {
				failures[client]++
				if most := burst + int(c.t.Sub(start)/every); failures[client] > most {
					t.Fatalf("step %d: %s failed %d times, at most %d allowed", step, client, failures[client], most)
				}
			}
		}
	}
}

// LimiterFunc lets a host's own function decide; it is not told outcomes.
func TestLimiterFunc(t *testing.T) {
	var seen []access.Attempt
	var lim access.Limiter = access.LimiterFunc(func(_ context.Context, at access.Attempt) error {
		seen = append(seen, at)
		if len(seen) > 2 {
			return access.ErrLimited
		}
		return nil
	})
	at := access.Attempt{Client: "203.0.113.7", Number: "59-1/2026"}
	assert.True(t, try(lim, at.Client, at.Number, true))
	assert.True(t, try(lim, at.Client, at.Number, false))
	assert.False(t, try(lim, at.Client, at.Number, false))
	assert.Equal(t, []access.Attempt{at, at, at}, seen)
}

func BenchmarkMemoryLimiter(b *testing.B) {
	l := access.NewMemoryLimiter(access.LimiterOptions{})
	i := 0
	for b.Loop() {
		k := strconv.Itoa(i % 200_000)
		at := access.Attempt{Client: k, Number: k}
		if l.Allow(ctx, at) == nil {
			l.Done(ctx, at, i%2 == 0)
		}
		i++
	}
}
