package sstu

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"io"
	"time"

	"github.com/google/uuid"
)

// zipPart writes one zip part: Deflate entries named <uuid>.json at the root, each compressed
// before it is written, so its local header has its CRC and sizes; a zip64 end record when
// there are 65,535 entries or more. It keeps 32 bytes per entry for the central directory,
// where archive/zip keeps a FileHeader, so a part of 50,000 small entries stays small in
// memory. Offsets and sizes fit in 32 bits because a part is at most maxPartLimit.
type zipPart struct {
	name    string
	dst     io.WriteCloser
	w       *bufio.Writer
	n       int64 // bytes written so far
	usize   int64 // uncompressed bytes of the entries
	dosTime uint16
	dosDate uint16
	dir     []dirEntry
	scratch [64]byte
	err     error // first write error
}

type dirEntry struct {
	id                uuid.UUID
	crc, csize, usize uint32
	offset            uint32
}

const (
	nameLen       = 36 + 5 // "<uuid>.json"
	localLen      = 30 + nameLen
	centralLen    = 46 + nameLen
	endLen        = 56 + 20 + 22 // zip64 end record, its locator, the end record
	maxPartLimit  = 1<<32 - 1
	zipVersion    = 20 // 2.0: Deflate
	zip64Version  = 45
	methodDeflate = 8
)

// entryBound is the most bytes an entry of n uncompressed bytes adds to a part, central
// directory included: Deflate falls back to stored blocks of at most 65,535 bytes with 5 bytes
// of overhead each, and n/1000+64 covers that.
func entryBound(n int64) int64 {
	return localLen + n + n/1000 + 64 + centralLen
}

// maxRecord is the largest record JSON that fits in an empty part of limit bytes, whatever it
// compresses to: the inverse of entryBound.
func maxRecord(limit int64) int64 {
	return (limit - endLen - localLen - 64 - centralLen) * 1000 / 1001
}

func newZipPart(name string, dst io.WriteCloser, buf *bufio.Writer, mod time.Time) *zipPart {
	buf.Reset(dst)
	p := &zipPart{name: name, dst: dst, w: buf}
	p.dosDate = uint16((mod.Year()-1980)<<9 | int(mod.Month())<<5 | mod.Day())
	p.dosTime = uint16(mod.Hour()<<11 | mod.Minute()<<5 | mod.Second()/2)
	return p
}

// fits reports whether an entry of csize compressed and usize uncompressed bytes still fits
// in the part: under limit bytes, its directory and end records included, and within the
// readers' entries and bytes.
func (p *zipPart) fits(csize, usize, limit int64, lim Limits) bool {
	return p.n+int64(len(p.dir)+1)*centralLen+localLen+csize+endLen <= limit &&
		len(p.dir) < lim.Entries && p.usize+usize <= lim.Bytes
}

func (p *zipPart) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.w.Write(b)
	p.n += int64(n)
	p.err = err
	return n, err
}

func appendName(b []byte, id uuid.UUID) []byte {
	var s [36]byte
	hex.Encode(s[0:8], id[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], id[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], id[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], id[8:10])
	s[23] = '-'
	hex.Encode(s[24:], id[10:])
	return append(append(b, s[:]...), ".json"...)
}

// entry writes the entry for id: its local header and its Deflate bytes.
func (p *zipPart) entry(id uuid.UUID, deflated []byte, crc uint32, usize int64) {
	d := dirEntry{id: id, crc: crc, csize: uint32(len(deflated)), usize: uint32(usize), offset: uint32(p.n)}
	b := p.header(binary.LittleEndian.AppendUint32(p.scratch[:0], 0x04034b50), &d)
	b = append(b, 0, 0) // extra
	p.Write(appendName(b, id))
	p.Write(deflated)
	p.dir = append(p.dir, d)
	p.usize += usize
}

// header appends what the local header and the directory record of an entry share: the
// version needed, flags, method, time, CRC, sizes and the name's length.
func (p *zipPart) header(b []byte, d *dirEntry) []byte {
	le := binary.LittleEndian
	b = le.AppendUint16(b, zipVersion)
	b = le.AppendUint16(b, 0) // flags
	b = le.AppendUint16(b, methodDeflate)
	b = le.AppendUint16(b, p.dosTime)
	b = le.AppendUint16(b, p.dosDate)
	b = le.AppendUint32(b, d.crc)
	b = le.AppendUint32(b, d.csize)
	b = le.AppendUint32(b, d.usize)
	return le.AppendUint16(b, nameLen)
}

// close writes the central directory and the end records, and closes the destination.
func (p *zipPart) close() error {
	le := binary.LittleEndian
	dirStart := p.n
	for i := range p.dir {
		d := &p.dir[i]
		b := le.AppendUint16(le.AppendUint32(p.scratch[:0], 0x02014b50), zipVersion) // made by
		b = p.header(b, d)
		b = append(b, make([]byte, 12)...) // extra, comment, disk, attributes
		b = le.AppendUint32(b, d.offset)
		p.Write(appendName(b, d.id))
	}
	dirLen := p.n - dirStart
	count := uint64(len(p.dir))
	count16 := uint16(min(count, 0xffff))
	if count >= 0xffff {
		end64 := p.n
		b := le.AppendUint32(p.scratch[:0], 0x06064b50)
		b = le.AppendUint64(b, 44)
		b = le.AppendUint16(b, zip64Version)
		b = le.AppendUint16(b, zip64Version)
		b = le.AppendUint64(b, 0) // this disk, the directory's disk
		b = le.AppendUint64(b, count)
		b = le.AppendUint64(b, count)
		b = le.AppendUint64(b, uint64(dirLen))
		b = le.AppendUint64(b, uint64(dirStart))
		p.Write(b)
		b = le.AppendUint32(p.scratch[:0], 0x07064b50)
		b = le.AppendUint32(b, 0)
		b = le.AppendUint64(b, uint64(end64))
		b = le.AppendUint32(b, 1)
		p.Write(b)
	}
	b := le.AppendUint32(p.scratch[:0], 0x06054b50)
	b = le.AppendUint32(b, 0) // disks
	b = le.AppendUint16(b, count16)
	b = le.AppendUint16(b, count16)
	b = le.AppendUint32(b, uint32(dirLen))
	b = le.AppendUint32(b, uint32(dirStart))
	b = le.AppendUint16(b, 0)
	p.Write(b)
	err := p.err
	if err == nil {
		err = p.w.Flush()
	}
	if cerr := p.dst.Close(); err == nil {
		err = cerr
	}
	return err
}
