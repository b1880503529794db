package sstu

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/klauspost/compress/flate"
	"hash/crc32"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Files gives the bytes of an attachment reference; the host implements it.
type Files interface {
	// Open returns the bytes under ref; the caller closes the reader.
	Open(ctx context.Context, ref string) (io.ReadCloser, error)
}

// FilesFunc adapts a function to Files.
type FilesFunc func(ctx context.Context, ref string) (io.ReadCloser, error)

// Open calls f.
func (f FilesFunc) Open(ctx context.Context, ref string) (io.ReadCloser, error) { return f(ctx, ref) }

// CreatePart opens the destination of one zip part, e.g. a file named name.
type CreatePart func(name string) (io.WriteCloser, error)

// CreateInDir returns a CreatePart that creates the parts as files in dir.
func CreateInDir(dir string) CreatePart {
	return func(name string) (io.WriteCloser, error) { return os.Create(filepath.Join(dir, name)) }
}

// DefaultPartLimit is the default size limit of a zip part: 5×10⁷ bytes (S1; sstu.md §2).
const DefaultPartLimit = 50_000_000

// Progress reports an export's advance.
type Progress struct {
	// Seen counts the entries read from the input.
	Seen int
	// Exported counts the records written.
	Exported int
	// Skipped counts entries left out: not selected for the month, or without a reported
	// question.
	Skipped int
	// Parts are the names of the parts begun, in order.
	Parts []string
	// Bytes is the size of the parts written so far.
	Bytes int64
}

// Exporter writes a month's report as zip parts. Set Org and Files; the rest has defaults.
// An Exporter is not safe for concurrent use; use one per export.
type Exporter struct {
	// Org is the organization's settings.
	Org Org
	// Files opens answer documents.
	Files Files
	// Validator checks each record before it is written; any error stops the export with an
	// *InvalidError.
	Validator Validator
	// Select picks the month's entries; nil means InMonth.
	Select Selector
	// PartLimit is the most bytes of one part; 0 means DefaultPartLimit. A part ends before
	// the entry that could take it over the limit.
	PartLimit int64
	// Name is the prefix of part names, "<Name>001.zip", …; empty means "rro-YYYY-MM-".
	Name string
	// Progress, if set, is called every 1,000 entries, when a part is begun, and at the end.
	Progress func(Progress)

	enc     recordWriter
	rec     Record
	fw      *flate.Writer
	bw      *bufio.Writer
	copyBuf []byte
}

// The export errors; each is wrapped with the appeal or part it concerns.
var (
	// ErrTooLarge: one appeal's record does not fit in a part.
	ErrTooLarge = errors.New("sstu: record larger than the part limit")
	// ErrAttachment: the host's bytes for an attachment could not be read, or their length is
	// not the Size the entry gave.
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

// Export writes month m's report: each entry the selector picks becomes one record, validated,
// then written as <uuid>.json into the current part; a new part starts before the one that
// would exceed PartLimit. Entries are written in input order and every zip time is the first
// day of the month, so the same input gives the same bytes. Attachments are streamed from
// Files, never held whole. Nothing is written for an empty month.
//
// Export stops at the first error (from entries, Files, create, a record's validation, or
// ctx) and returns it with the progress so far; the parts begun are then incomplete and the
// host should delete them.
func (x *Exporter) Export(ctx context.Context, m Month, entries iter.Seq2[*Entry, error], create CreatePart) (Progress, error) {
	limit := x.PartLimit
	if limit == 0 {
		limit = DefaultPartLimit
	}
	if limit < entryBound(0)+endLen || limit > maxPartLimit {
		return Progress{}, fmt.Errorf("%w: %d bytes", ErrPartLimit, limit)
	}
	if m.Month < time.January || m.Month > time.December || m.Year < 1980 || m.Year > 2107 {
		return Progress{}, fmt.Errorf("%w: %s", ErrMonth, m)
	}
	sel := x.Select
	if sel == nil {
		sel = InMonth
	}
	name := x.Name
	if name == "" {
		name = "rro-" + m.String() + "-"
	}
	mod := time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC)
	if x.fw == nil {
		x.fw, _ = flate.NewWriter(nil, flate.BestSpeed) // BestSpeed is a valid level
		x.bw = bufio.NewWriterSize(nil, 256<<10)
		x.copyBuf = make([]byte, 32<<10)
	}

	var prog Progress
	var part *zipPart
	fail := func(err error) (Progress, error) {
		if part != nil {
			part.dst.Close()
		}
		return prog, err
	}
	report := func() {
		if x.Progress != nil {
			p := prog
			p.Parts = slices.Clone(prog.Parts)
			x.Progress(p)
		}
	}
	for e, err := range entries {
		if err != nil {
			return fail(fmt.Errorf("sstu: reading entries: %w", err))
		}
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		prog.Seen++
		if prog.Seen%1000 == 0 {
			report()
		}
		if e == nil || !sel(e, m, x.Org.loc()) {
			prog.Skipped++
			continue
		}
		x.Org.fill(&x.rec, e)
		if len(x.rec.Questions) == 0 {
			prog.Skipped++
			continue
		}
		var id uuid.UUID
		if e.Appeal != nil {
			id = e.Appeal.ID
		}
		if ps := x.Validator.Record(&x.rec); HasErrors(ps) {
			return fail(&InvalidError{Appeal: id, Problems: ps})
		}
		x.enc.reset()
		x.enc.append(&x.rec)
		size := x.enc.size()
		if entryBound(size)+endLen > limit {
			return fail(fmt.Errorf("%w: appeal %s: %d bytes of JSON", ErrTooLarge, id, size))
		}
		if part != nil && !part.fits(size, limit) {
			err := part.close()
			prog.Bytes += part.n
			if part = nil; err != nil {
				return fail(fmt.Errorf("sstu: part %s: %w", prog.Parts[len(prog.Parts)-1], err))
			}
		}
		if part == nil {
			pname := fmt.Sprintf("%s%03d.zip", name, len(prog.Parts)+1)
			dst, err := create(pname)
			if err != nil {
				return fail(fmt.Errorf("sstu: part %s: %w", pname, err))
			}
			part = newZipPart(pname, dst, x.bw, mod)
			prog.Parts = append(prog.Parts, pname)
			report()
		}
		if err := x.writeEntry(ctx, part, fileID(id)); err != nil {
			return fail(fmt.Errorf("sstu: appeal %s: %w", id, err))
		}
		prog.Exported++
	}
	if part != nil {
		err := part.close()
		prog.Bytes += part.n
		if err != nil {
			return prog, fmt.Errorf("sstu: part %s: %w", part.name, err)
		}
	}
	report()
	return prog, nil
}

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

// writeEntry writes the record in x.enc as the entry id, filling its holes with the Base64 of
// the attachments read through Files.
func (x *Exporter) writeEntry(ctx context.Context, part *zipPart, id uuid.UUID) error {
	part.begin(id)
	x.fw.Reset(part)
	sink := entrySink{fw: x.fw}
	buf, prev := x.enc.buf, 0
	for _, h := range x.enc.holes {
		sink.Write(buf[prev:h.off])
		prev = h.off
		if err := x.stream(ctx, &sink, h.att); err != nil {
			return err
		}
	}
	sink.Write(buf[prev:])
	if err := x.fw.Close(); err != nil {
		return err
	}
	part.end(sink.crc, sink.n)
	return part.err
}

// stream writes the Base64 of an attachment's bytes, checking their length.
func (x *Exporter) stream(ctx context.Context, sink io.Writer, a *Attachment) error {
	if x.Files == nil {
		return fmt.Errorf("%w: the Exporter has no Files", ErrAttachment)
	}
	rc, err := x.Files.Open(ctx, a.Ref)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAttachment, err)
	}
	defer rc.Close()
	enc := base64.NewEncoder(base64.StdEncoding, sink)
	n, err := io.CopyBuffer(enc, io.LimitReader(rc, a.Size+1), x.copyBuf)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAttachment, err)
	}
	if n != a.Size {
		return fmt.Errorf("%w: read %d bytes, Size says %d", ErrAttachment, n, a.Size)
	}
	return enc.Close()
}
