package sstu

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/google/uuid"
	"github.com/klauspost/compress/flate"
)

// DefaultPartLimit is the default size limit of a zip part: 5×10⁷ bytes (docs/sstu.md §4).
const DefaultPartLimit = 50_000_000

// Progress reports an export's advance.
type Progress struct {
	// Seen counts the entries read from the input.
	Seen int
	// Exported counts the records written.
	Exported int
	// Skipped counts entries left out by rule: not selected for the month, or without a
	// reported question (docs/sstu.md §3).
	Skipped int
	// Refused counts appeals left out because their record breaks a rule (Result.Refusals).
	Refused int
	// Parts are the names of the parts begun, in order.
	Parts []string
	// Bytes is the size of the parts written so far.
	Bytes int64
}

// Result is what an export did: its progress at the end, and every appeal it left out because
// its record breaks a rule, in input order.
type Result struct {
	Progress
	// Refusals are the appeals left out, each with the paths and rules its record breaks.
	Refusals []*InvalidError
}

// Exporter writes a month's report as zip parts. Set Org and Blobs; the rest has defaults. An
// Exporter holds no state between exports and is safe for concurrent use.
type Exporter struct {
	// Org is the organization's settings.
	Org Org
	// Blobs opens answer documents by their Ref (only Open is used).
	Blobs appeal.Blobs
	// Validator checks each record before it is written; a record with an error is left out
	// and listed in Result.Refusals.
	Validator Validator
	// Select picks the month's entries; nil means InMonth.
	Select Selector
	// PartLimit is the most bytes of one part; 0 means DefaultPartLimit. A part ends before
	// the entry that would take it over the limit.
	PartLimit int64
	// Limits are those of the readers the parts are for (zero means the defaults): a part
	// also ends before Limits.Entries entries or Limits.Bytes uncompressed bytes would be
	// exceeded, and a record over Limits.EntryBytes is refused. Problems and Records do not
	// apply.
	Limits Limits
	// Name is the prefix of part names, "<Name>001.zip", …; empty means "rro-YYYY-MM-".
	Name string
	// Workers is how many records are encoded and compressed at once; 0 means
	// runtime.GOMAXPROCS(0). The output is the same for any number.
	Workers int
	// Progress, if set, is called every 1,000 entries, when a part is begun, and at the end.
	Progress func(Progress)
}

// The export errors; each is wrapped with the appeal or part it concerns.
var (
	// ErrAttachment: the host's storage failed while the answer's bytes were read.
	ErrAttachment = errors.New("sstu: attachment bytes")
	// ErrPartLimit: PartLimit is out of range (at most 4 GiB − 1 without zip64 offsets).
	ErrPartLimit = errors.New("sstu: part limit out of range")
	// ErrMonth: the month is not a month of 1980–2107, the years a zip time can hold.
	ErrMonth = errors.New("sstu: month out of range")
)

// FileName is the zip entry name of an appeal's record: a UUID derived from the appeal's id
// (SHA-1, version 5), so a re-export names it the same.
func FileName(appealID uuid.UUID) string { return string(appendName(nil, fileID(appealID))) }

// fileNamespace is the namespace of FileName's UUIDs: uuid5(URL, github.com/fz59/appeals/sstu).
var fileNamespace = uuid.UUID{0x58, 0xb8, 0x30, 0x9a, 0x7b, 0xd5, 0x51, 0xb4, 0xaa, 0x31, 0x5b, 0x61, 0xf6, 0x09, 0x33, 0xd0}

func fileID(appealID uuid.UUID) uuid.UUID { return uuid.NewSHA1(fileNamespace, appealID[:]) }

// Export writes month m's report to dst: each entry the selector picks becomes one record,
// validated, then written as <uuid>.json into the current part; a new part starts before the
// one that would exceed PartLimit or the Limits. Entries are written in input order and every
// zip time is the first day of the month, so the same input gives the same bytes, whatever
// Workers. Attachments are streamed from Blobs into the compressor, never held whole.
//
// One bad record never stops the month: an appeal whose record breaks a rule, is larger than a
// part, or whose answer's bytes are missing or not as long as the card says, is left out and
// listed in Result.Refusals. The export stops only when it cannot go on (the entries' error,
// ctx, the host's storage or dst failing); it then calls dst.Abort, so nothing of the month is
// left behind, and returns the error with the result so far. On success it calls dst.Commit.
func (x *Exporter) Export(ctx context.Context, m Month, entries iter.Seq2[*Entry, error], dst Destination) (Result, error) {
	limit := x.PartLimit
	if limit == 0 {
		limit = DefaultPartLimit
	}
	if limit < entryBound(0)+endLen || limit > maxPartLimit {
		return Result{}, fmt.Errorf("%w: %d bytes", ErrPartLimit, limit)
	}
	if m.Month < time.January || m.Month > time.December || m.Year < 1980 || m.Year > 2107 {
		return Result{}, fmt.Errorf("%w: %s", ErrMonth, m)
	}
	name := x.Name
	if name == "" {
		name = "rro-" + m.String() + "-"
	}
	e := &monthExport{x: x, ctx: ctx, m: m, dst: dst, limit: limit, lim: x.Limits.or(), name: name,
		mod: time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC), bw: bufio.NewWriterSize(nil, 256<<10)}
	e.sel = x.Select
	if e.sel == nil {
		e.sel = InMonth
	}
	err := e.run(entries)
	if err == nil {
		err = e.closePart()
	}
	if err == nil {
		err = dst.Commit()
	} else {
		err = errors.Join(err, e.abort())
	}
	e.report()
	return e.res, err
}

// monthExport is the state of one Export call. Stage 1 (the caller's goroutine) selects and maps
// each entry into a job; stage 2 (Workers goroutines, or inline for one) validates, encodes
// and compresses it into the job's buffer; stage 3 (the caller again) writes the jobs in input
// order, so the bytes do not depend on which worker finished first.
type monthExport struct {
	x     *Exporter
	ctx   context.Context
	m     Month
	dst   Destination
	sel   Selector
	limit int64
	lim   Limits
	name  string
	mod   time.Time
	bw    *bufio.Writer
	part  *zipPart
	res   Result
}

// job is one record on its way through the stages.
type job struct {
	rec    Record
	id     uuid.UUID
	weight int64 // bytes it may hold in flight: its JSON and attachments, estimated
	// stage 2's results
	z       bytes.Buffer // the compressed entry
	crc     uint32
	usize   int64
	refusal *InvalidError
	err     error
	done    chan struct{} // a worker sends on it when stage 2 is over; reused with the job
}

// inFlight bounds the estimated bytes of the jobs between stage 1 and stage 3, so that a few
// records with large answers do not sit in memory at once; one job always goes.
const inFlight = 64 << 20

func (e *monthExport) run(entries iter.Seq2[*Entry, error]) error {
	workers := e.x.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers == 1 {
		w := newWorker(e)
		j := &job{}
		for en, err := range entries {
			ok, err := e.next(en, err, j)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			w.run(j)
			if err := e.write(j); err != nil {
				return err
			}
		}
		return nil
	}

	// The queue is deep, and so is the channel, so that a record with a large answer at the
	// head of the queue does not leave the other workers without records, nor the caller's
	// turn on the processor without records to hand out (measured: 4 deep gave 1.05× on two
	// cores, 64 deep 1.7×).
	depth := 64 * workers
	jobs := make(chan *job, depth)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(e)
			for j := range jobs {
				w.run(j)
				j.done <- struct{}{}
			}
		}()
	}
	defer func() { close(jobs); wg.Wait() }()

	free := make([]*job, 0, depth)
	var queue []*job // dispatched, in input order
	var weight int64
	// drain writes the oldest job once it is done.
	drain := func() error {
		j := queue[0]
		<-j.done
		queue = queue[1:]
		weight -= j.weight
		err := e.write(j)
		free = append(free, j)
		return err
	}
	for en, err := range entries {
		var j *job
		if n := len(free); n > 0 {
			j, free = free[n-1], free[:n-1]
		} else {
			j = &job{done: make(chan struct{}, 1)}
		}
		ok, err := e.next(en, err, j)
		if err != nil {
			return err
		}
		if !ok {
			free = append(free, j)
			continue
		}
		for len(queue) > 0 && (len(queue) >= depth || weight+j.weight > inFlight) {
			if err := drain(); err != nil {
				return err
			}
		}
		queue = append(queue, j)
		weight += j.weight
		jobs <- j
	}
	for len(queue) > 0 {
		if err := drain(); err != nil {
			return err
		}
	}
	return nil
}

// next is stage 1: it counts the entry and maps it into j; false when it is not reported.
func (e *monthExport) next(en *Entry, err error, j *job) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("sstu: reading entries: %w", err)
	}
	if err := e.ctx.Err(); err != nil {
		return false, err
	}
	p := &e.res.Progress
	p.Seen++
	if p.Seen%1000 == 0 {
		e.report()
	}
	if en == nil || !e.sel(en, e.m, e.x.Org.loc()) {
		p.Skipped++
		return false, nil
	}
	e.x.Org.fill(&j.rec, en)
	if len(j.rec.Questions) == 0 {
		p.Skipped++
		return false, nil
	}
	j.id = uuid.UUID{}
	if en.Appeal != nil {
		j.id = en.Appeal.ID
	}
	j.weight = 4 << 10
	for i := range j.rec.Questions {
		if a := j.rec.Questions[i].Attachment; a != nil {
			j.weight += a.EncodedLen()
		}
	}
	return true, nil
}

// worker is stage 2's state, one per goroutine.
type worker struct {
	e       *monthExport
	enc     recordWriter
	fw      *flate.Writer
	copyBuf []byte
	max     int64 // the largest record JSON: it fits in an empty part and in the Limits
}

func newWorker(e *monthExport) *worker {
	fw, _ := flate.NewWriter(nil, flate.BestSpeed) // BestSpeed is a valid level
	return &worker{e: e, fw: fw, copyBuf: make([]byte, 7*chunk), max: min(e.lim.EntryBytes, e.lim.Bytes, maxRecord(e.limit))}
}

// run is stage 2 for one job: validate, encode, compress. A record that breaks a rule
// becomes j.refusal; j.err is set only when the export must stop.
func (w *worker) run(j *job) {
	j.refusal, j.err = nil, nil
	j.z.Reset()
	if ps := w.e.x.Validator.Record(&j.rec); HasErrors(ps) {
		j.refusal = &InvalidError{Appeal: j.id, Problems: ps}
		return
	}
	w.enc.reset()
	w.enc.append(&j.rec)
	if w.enc.size() > w.max {
		j.refusal = &InvalidError{Appeal: j.id, Problems: []Problem{{Path: "$", Rule: RuleEntrySize}}}
		return
	}
	w.fw.Reset(&j.z)
	sink := entrySink{fw: w.fw}
	buf, prev := w.enc.buf, 0
	for _, h := range w.enc.holes {
		sink.Write(buf[prev:h.off])
		prev = h.off
		if err := w.stream(&sink, h.att); err != nil {
			if errors.Is(err, errAttachmentBytes) {
				path := "$.questions[" + strconv.Itoa(h.question) + "].attachment.content"
				j.refusal = &InvalidError{Appeal: j.id, Problems: []Problem{{Path: path, Rule: RuleAttachmentBytes}}}
			} else {
				j.err = fmt.Errorf("sstu: appeal %s: %w", j.id, err)
			}
			return
		}
	}
	sink.Write(buf[prev:])
	w.fw.Close() // writes to a bytes.Buffer: no error
	j.crc, j.usize = sink.crc, sink.n
}

// errAttachmentBytes: the host has no bytes under the reference, or not Size of them.
var errAttachmentBytes = errors.New("attachment bytes")

// stream writes the Base64 of an attachment's bytes, checking their length.
func (w *worker) stream(sink io.Writer, a *Attachment) error {
	if w.e.x.Blobs == nil {
		return fmt.Errorf("%w: the Exporter has no Blobs", ErrAttachment)
	}
	rc, err := w.e.x.Blobs.Open(w.e.ctx, a.Ref)
	if errors.Is(err, appeal.ErrNoBlob) {
		return errAttachmentBytes
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAttachment, err)
	}
	defer rc.Close()
	// Whole groups of 3 bytes encode alone, so each full chunk of the copy buffer is encoded
	// as it comes and only the last one is padded.
	in, out := w.copyBuf[:3*chunk], w.copyBuf[3*chunk:]
	src := io.LimitReader(rc, a.Size+1)
	var n int64
	for {
		k, err := io.ReadFull(src, in)
		n += int64(k)
		if n > a.Size {
			return errAttachmentBytes
		}
		base64.StdEncoding.Encode(out, in[:k])
		sink.Write(out[:base64.StdEncoding.EncodedLen(k)])
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			if n != a.Size {
				return errAttachmentBytes
			}
			return nil
		case err != nil:
			return fmt.Errorf("%w: %w", ErrAttachment, err)
		}
	}
}

// chunk is the number of 3-byte groups an attachment is read in: 24 KiB in, 32 KiB out.
const chunk = 8 << 10

// entrySink is the uncompressed side of an entry: it keeps the CRC and length and feeds the
// compressor.
type entrySink struct {
	fw  *flate.Writer
	crc uint32
	n   int64
}

func (s *entrySink) Write(b []byte) (int, error) {
	s.crc = crc32.Update(s.crc, crc32.IEEETable, b)
	s.n += int64(len(b))
	return s.fw.Write(b)
}

// write is stage 3 for one job, in input order: the refusal is listed, or the entry goes into
// the current part, or a new one when it does not fit. A job with an error stops the export.
func (e *monthExport) write(j *job) error {
	defer func() {
		if j.z.Cap() > 4<<20 { // let a large answer's buffer go
			j.z = bytes.Buffer{}
		}
	}()
	p := &e.res.Progress
	switch {
	case j.err != nil:
		return j.err
	case j.refusal != nil:
		p.Refused++
		e.res.Refusals = append(e.res.Refusals, j.refusal)
		return nil
	}
	if e.part != nil && !e.part.fits(int64(j.z.Len()), j.usize, e.limit, e.lim) {
		if err := e.closePart(); err != nil {
			return err
		}
	}
	if e.part == nil {
		pname := fmt.Sprintf("%s%03d.zip", e.name, len(p.Parts)+1)
		w, err := e.dst.Create(pname)
		if err != nil {
			return fmt.Errorf("sstu: part %s: %w", pname, err)
		}
		e.part = newZipPart(pname, w, e.bw, e.mod)
		p.Parts = append(p.Parts, pname)
		e.report()
	}
	e.part.entry(fileID(j.id), j.z.Bytes(), j.crc, j.usize)
	if e.part.err != nil {
		return fmt.Errorf("sstu: part %s: %w", e.part.name, e.part.err)
	}
	p.Exported++
	return nil
}

// closePart ends the current part, if any.
func (e *monthExport) closePart() error {
	if e.part == nil {
		return nil
	}
	err := e.part.close()
	e.res.Bytes += e.part.n
	name := e.part.name
	e.part = nil
	if err != nil {
		return fmt.Errorf("sstu: part %s: %w", name, err)
	}
	return nil
}

// abort closes the part being written and discards the export's parts.
func (e *monthExport) abort() error {
	if e.part != nil {
		e.part.dst.Close()
		e.part = nil
	}
	return e.dst.Abort()
}

func (e *monthExport) report() {
	if e.x.Progress != nil {
		p := e.res.Progress
		p.Parts = slices.Clone(p.Parts)
		e.x.Progress(p)
	}
}
