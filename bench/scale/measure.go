package main

import (
	"bufio"
	"bytes"
	"math/bits"
	"os"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"time"
)

// hist is a log-linear histogram of durations: exact below 64 ns, then 32 buckets per
// doubling, so a quantile is within about 1.6 % of the true value. It takes 15 KB whatever the
// count; it is not safe for concurrent use (each worker keeps its own and they are merged).
type hist struct {
	counts [histBuckets]uint64
	n      uint64
}

const histBuckets = 64 + 57*32

func bucket(ns int64) int {
	if ns < 64 {
		return int(max(ns, 0))
	}
	shift := bits.Len64(uint64(ns)) - 6
	return 64 + (shift-1)*32 + int(uint64(ns)>>shift) - 32
}

// mid is the middle of bucket i, in nanoseconds.
func mid(i int) int64 {
	if i < 64 {
		return int64(i)
	}
	shift := (i-64)/32 + 1
	top := int64((i-64)%32 + 32)
	return top<<shift + 1<<(shift-1)
}

func (h *hist) add(d time.Duration) {
	h.counts[bucket(int64(d))]++
	h.n++
}

func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile is the q-quantile (0 < q ≤ 1) of what was added; 0 when nothing was.
func (h *hist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			return time.Duration(mid(i))
		}
	}
	return time.Duration(mid(histBuckets - 1))
}

// step is one measured step of a store's run: its work, the wall time spent in it, the
// latency of each operation and the memory while it ran.
type step struct {
	name  string
	n     int64         // operations done
	wall  time.Duration // wall time inside the step
	cpu   time.Duration // process CPU time inside the step
	lat   hist
	heap  atomic.Uint64 // the peak of the heap's objects, bytes
	rss   atomic.Uint64 // the peak resident set, bytes
	begun time.Time
	cpu0  time.Duration
}

// sampler watches the heap and the resident set of the process every period and keeps the
// peaks of the step running. It reads runtime/metrics, which does not stop the world (as
// runtime.ReadMemStats does), and /proc/self/status.
type sampler struct {
	cur  atomic.Pointer[step]
	stop chan struct{}
	done chan struct{}
	buf  []metrics.Sample
}

func newSampler(period time.Duration) *sampler {
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{}),
		buf: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
	go func() {
		defer close(s.done)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

// sample records the heap and the resident set now in the running step.
func (s *sampler) sample() {
	st := s.cur.Load()
	if st == nil {
		return
	}
	metrics.Read(s.buf)
	heap := s.buf[0].Value.Uint64()
	raise(&st.heap, heap)
	raise(&st.rss, rss().cur)
}

func raise(a *atomic.Uint64, v uint64) {
	for {
		old := a.Load()
		if v <= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// begin makes st the running step.
func (s *sampler) begin(st *step) {
	st.begun, st.cpu0 = time.Now(), cpuTime()
	s.cur.Store(st)
	s.sample()
}

// end stops st's clock and leaves no step running.
func (s *sampler) end(st *step) {
	s.sample()
	s.cur.Store(nil)
	st.wall += time.Since(st.begun)
	st.cpu += cpuTime() - st.cpu0
}

func (s *sampler) close() {
	close(s.stop)
	<-s.done
}

// memory is the resident set of the process now and at its peak, from /proc/self/status;
// zeros where there is no such file.
type memory struct{ cur, peak uint64 }

func rss() memory {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return memory{}
	}
	var m memory
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte("VmRSS:")):
			m.cur = kB(line[len("VmRSS:"):])
		case bytes.HasPrefix(line, []byte("VmHWM:")):
			m.peak = kB(line[len("VmHWM:"):])
		}
	}
	return m
}

// kB reads "   1234 kB" as bytes.
func kB(b []byte) uint64 {
	f := bytes.Fields(b)
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseUint(string(f[0]), 10, 64)
	return v << 10
}
