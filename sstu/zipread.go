package sstu

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"

	"github.com/klauspost/compress/flate"
)

// errZip is wrapped by every error of the zip reader. The reader streams a part's directory and
// holds one entry at a time, so that neither the number of entries nor their sizes decide its
// memory: archive/zip keeps a FileHeader for every entry of the directory, which is what a
// small file of a million empty entries exploits. The errors name the structure at fault,
// never a name or a byte of the part.
var errZip = errors.New("not a valid zip part")

const (
	sigLocal    = 0x04034b50
	sigCentral  = 0x02014b50
	sigEnd      = 0x06054b50
	sigEnd64    = 0x06064b50
	sigLocator  = 0x07064b50
	zip64Extra  = 0x0001
	flagCrypted = 0x1
	methodStore = 0
)

// zipDir is where a part's directory is and how many entries its end record declares.
type zipDir struct {
	r     io.ReaderAt
	size  int64
	base  int64  // added to every offset: bytes prepended to the zip, as archive/zip allows
	start int64  // the first directory record
	count uint64 // entries the end record declares
}

// readDir finds the end record (zip64 when the plain one says so) at the end of the part.
func readDir(r io.ReaderAt, size int64) (zipDir, error) {
	d := zipDir{r: r, size: size}
	tail := make([]byte, min(size, 22+65535))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return d, err
	}
	p := -1
	for i := len(tail) - 22; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) == sigEnd {
			if i+22+int(binary.LittleEndian.Uint16(tail[i+20:])) <= len(tail) {
				p = i
			}
			break
		}
	}
	if p < 0 {
		return d, fmt.Errorf("%w: no end record", errZip)
	}
	le := binary.LittleEndian
	end := tail[p:]
	endAt := size - int64(len(tail)) + int64(p)
	if le.Uint16(end[4:]) != 0 || le.Uint16(end[6:]) != 0 {
		return d, fmt.Errorf("%w: a part of a multi-disk archive", errZip)
	}
	d.count = uint64(le.Uint16(end[10:]))
	dirSize, dirOff := uint64(le.Uint32(end[12:])), uint64(le.Uint32(end[16:]))
	if d.count == 0xffff || dirSize == 0xffff || dirOff == 0xffffffff {
		var loc [20]byte
		if endAt >= 20 {
			if _, err := r.ReadAt(loc[:], endAt-20); err != nil {
				return d, err
			}
		}
		if le.Uint32(loc[:]) == sigLocator && le.Uint32(loc[4:]) == 0 && le.Uint32(loc[16:]) == 1 {
			var e64 [56]byte
			at := int64(le.Uint64(loc[8:]))
			if at < 0 || at > size-56 {
				return d, fmt.Errorf("%w: zip64 end record outside the part", errZip)
			}
			if _, err := r.ReadAt(e64[:], at); err != nil {
				return d, err
			}
			if le.Uint32(e64[:]) != sigEnd64 {
				return d, fmt.Errorf("%w: zip64 end record", errZip)
			}
			if le.Uint32(e64[16:]) != 0 || le.Uint32(e64[20:]) != 0 {
				return d, fmt.Errorf("%w: a part of a multi-disk archive", errZip)
			}
			endAt = at
			d.count, dirSize, dirOff = le.Uint64(e64[32:]), le.Uint64(e64[40:]), le.Uint64(e64[48:])
		}
	}
	if dirSize > uint64(size) || dirOff > uint64(size) {
		return d, fmt.Errorf("%w: directory outside the part", errZip)
	}
	d.base = endAt - int64(dirSize) - int64(dirOff)
	if d.start = d.base + int64(dirOff); d.start < 0 || d.start >= size {
		return d, fmt.Errorf("%w: directory outside the part", errZip)
	}
	if d.base > 0 { // as archive/zip: an end record wrong about prepended bytes
		var h [4]byte
		if _, err := r.ReadAt(h[:], int64(dirOff)); err == nil && le.Uint32(h[:]) == sigCentral {
			d.base, d.start = 0, int64(dirOff)
		}
	}
	return d, nil
}

// zipFile is one directory record. name is valid until the next record.
type zipFile struct {
	name         []byte
	flags        uint16
	method       uint16
	crc          uint32
	csize, usize uint64
	offset       int64 // of the local header, base included
}

// files yields the count records the end record declares, in order, then stops: a first
// error ends the sequence.
func (d *zipDir) files() iter.Seq2[*zipFile, error] {
	return func(yield func(*zipFile, error) bool) {
		br := bufio.NewReaderSize(io.NewSectionReader(d.r, d.start, d.size-d.start), 32<<10)
		var f zipFile
		var fixed [46]byte
		var vars []byte
		le := binary.LittleEndian
		for i := uint64(0); i < d.count; i++ {
			if _, err := io.ReadFull(br, fixed[:]); err != nil || le.Uint32(fixed[:]) != sigCentral {
				yield(nil, fmt.Errorf("%w: directory record %d of %d", errZip, i+1, d.count))
				return
			}
			f.flags, f.method = le.Uint16(fixed[8:]), le.Uint16(fixed[10:])
			f.crc = le.Uint32(fixed[16:])
			f.csize, f.usize = uint64(le.Uint32(fixed[20:])), uint64(le.Uint32(fixed[24:]))
			nameLen, extraLen, commentLen := int(le.Uint16(fixed[28:])), int(le.Uint16(fixed[30:])), int(le.Uint16(fixed[32:]))
			offset := uint64(le.Uint32(fixed[42:]))
			if n := nameLen + extraLen + commentLen; cap(vars) < n {
				vars = make([]byte, n)
			}
			vars = vars[:nameLen+extraLen+commentLen]
			if _, err := io.ReadFull(br, vars); err != nil {
				yield(nil, fmt.Errorf("%w: directory record %d of %d", errZip, i+1, d.count))
				return
			}
			f.name = vars[:nameLen]
			var ok bool
			if offset, ok = f.zip64(vars[nameLen:nameLen+extraLen], offset); !ok || offset > uint64(d.size) {
				yield(nil, fmt.Errorf("%w: sizes of directory record %d", errZip, i+1))
				return
			}
			f.offset = d.base + int64(offset)
			if !yield(&f, nil) {
				return
			}
		}
	}
}

// zip64 takes the sizes and offset that do not fit in 32 bits from the zip64 extra field, as
// archive/zip does: false when one is needed and missing.
func (f *zipFile) zip64(extra []byte, offset uint64) (uint64, bool) {
	needU, needC, needO := f.usize == 0xffffffff, f.csize == 0xffffffff, offset == 0xffffffff
	le := binary.LittleEndian
	for len(extra) >= 4 {
		tag, n := le.Uint16(extra), int(le.Uint16(extra[2:]))
		if len(extra)-4 < n {
			break
		}
		field := extra[4 : 4+n]
		extra = extra[4+n:]
		if tag != zip64Extra {
			continue
		}
		for _, v := range [...]struct {
			need *bool
			into *uint64
		}{{&needU, &f.usize}, {&needC, &f.csize}, {&needO, &offset}} {
			if *v.need {
				if len(field) < 8 {
					return 0, false
				}
				*v.into, *v.need = le.Uint64(field), false
				field = field[8:]
			}
		}
	}
	return offset, !needC && !needO
}

// entryReader decompresses entries, reusing its buffers from one to the next.
type entryReader struct {
	br *bufio.Reader
	fr io.ReadCloser // a flate reader
}

// read returns the bytes of f in buf[:0]: its stored bytes, or its Deflate stream inflated,
// checked against the directory's size and CRC-32. A size the compressed bytes cannot make
// is refused before reading; the caller bounds the size by the limits.
func (er *entryReader) read(d *zipDir, f *zipFile, buf []byte) ([]byte, error) {
	if f.flags&flagCrypted != 0 {
		return buf, fmt.Errorf("%w: encrypted entry", errZip)
	}
	var local [30]byte
	if _, err := d.r.ReadAt(local[:], f.offset); err != nil || binary.LittleEndian.Uint32(local[:]) != sigLocal {
		return buf, fmt.Errorf("%w: local header", errZip)
	}
	start := f.offset + 30 + int64(binary.LittleEndian.Uint16(local[26:])) + int64(binary.LittleEndian.Uint16(local[28:]))
	if f.csize > uint64(d.size) || start > d.size-int64(f.csize) {
		return buf, fmt.Errorf("%w: entry data outside the part", errZip)
	}
	var src io.Reader = io.NewSectionReader(d.r, start, int64(f.csize))
	switch f.method {
	case methodStore:
		if f.usize != f.csize {
			return buf, fmt.Errorf("%w: sizes of a stored entry", errZip)
		}
	case methodDeflate:
		if f.usize > maxInflate*f.csize+1024 {
			return buf, fmt.Errorf("%w: size beyond what the entry's data can inflate to", errZip)
		}
		if er.br == nil {
			er.br = bufio.NewReaderSize(src, 32<<10)
			er.fr = flate.NewReader(er.br)
		} else {
			er.br.Reset(src)
			if err := er.fr.(flate.Resetter).Reset(er.br, nil); err != nil {
				return buf, err
			}
		}
		src = er.fr
	default:
		return buf, fmt.Errorf("%w: compression method %d", errZip, f.method)
	}
	buf, err := readSized(src, int64(f.usize), buf)
	if err == nil && crc32.ChecksumIEEE(buf) != f.crc {
		err = fmt.Errorf("%w: CRC-32 of the entry", errZip)
	}
	return buf, err
}

// maxInflate is the most bytes one byte of Deflate can inflate to: a length of 258 in two
// bits, with one more for the distance.
const maxInflate = 1032

// readSized reads exactly n bytes from r into buf[:0] and checks that r ends there. buf is
// made n long at once: the caller has bounded n, by the limits and by what the entry's
// compressed bytes can inflate to.
func readSized(r io.Reader, n int64, buf []byte) ([]byte, error) {
	if int64(cap(buf)) < n {
		buf = make([]byte, 0, n)
	}
	buf = buf[:0]
	for int64(len(buf)) < n {
		k, err := r.Read(buf[len(buf):n])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			break
		}
		if err != nil {
			return buf, fmt.Errorf("%w: entry data: %v", errZip, errNoDetail(err))
		}
	}
	if int64(len(buf)) < n {
		return buf, fmt.Errorf("%w: entry shorter than its size", errZip)
	}
	var one [1]byte
	for {
		k, err := r.Read(one[:])
		if k > 0 {
			return buf, fmt.Errorf("%w: entry longer than its size", errZip)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, fmt.Errorf("%w: entry data: %v", errZip, errNoDetail(err))
		}
	}
}

// errNoDetail keeps an I/O error's own words for a read error of the part, and replaces a
// decompressor's, which may quote an offset, by a fixed phrase.
func errNoDetail(err error) string {
	var ce flate.CorruptInputError
	if errors.As(err, &ce) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "corrupt Deflate stream"
	}
	return err.Error()
}
