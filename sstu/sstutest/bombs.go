package sstutest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"strings"

	"github.com/fz59/appeals/sstu"
	"github.com/google/uuid"
	"github.com/klauspost/compress/flate"
)

// Bomb is a hostile upload: a zip part of a few kilobytes to a few megabytes that would cost
// gigabytes of memory, or minutes, if read naively.
type Bomb struct {
	// Name is the part's file name.
	Name string
	// Data is the zip part.
	Data []byte
	// Rule is the problem the default sstu.Limits refuse it with (once per entry when the
	// bomb has several such entries).
	Rule sstu.Rule
}

// Bombs returns, built afresh, the zip parts that any reader or validator of ССТУ.РФ uploads
// must refuse quickly and in bounded memory: one entry of a million records, ten of them, an
// entry of 120 MiB of spaces, one whose directory understates its size (with the CRC-32 of
// what it states, so only the size gives it away), 100,000 tiny entries,
// an entry of a million nulls and a record holding a million nulls. They take a few megabytes
// together, and well under a second to build.
func Bombs() []Bomb {
	records := "[" + strings.Repeat("{},", 999_999) + "{}]"
	nulls := "[" + strings.Repeat("null,", 999_999) + "null]"
	spaces, spacesCRC := repeated(' ', 120<<20)
	many := plain(name(0), records)
	ten := make([]entry, 10)
	for i := range ten {
		ten[i] = many
		ten[i].name = name(i)
	}
	return []Bomb{
		{"million-records.zip", build(many), sstu.RuleOneObject},
		{"ten-million-record-entries.zip", build(ten...), sstu.RuleOneObject},
		{"whitespace.zip", build(entry{name(0), spaces, spacesCRC, 120 << 20}), sstu.RuleEntrySize},
		{"understated-size.zip", build(entry{name(0), spaces, crc32.ChecksumIEEE(bytes.Repeat([]byte{' '}, 1000)), 1000}), sstu.RuleZip},
		{"tiny-entries.zip", tiny(100_000), sstu.RuleEntries},
		{"million-nulls.zip", build(plain(name(0), nulls)), sstu.RuleOneObject},
		{"record-of-nulls.zip", build(plain(name(0), `{"questions":`+nulls+"}")), sstu.RuleValues},
	}
}

// entry is one zip entry: its name, Deflate bytes, CRC-32 and the uncompressed size its
// directory record states.
type entry struct {
	name  string
	data  []byte
	crc   uint32
	usize uint64
}

func name(i int) string {
	return sstu.FileName(uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i >> 16), byte(i >> 8), byte(i)}))
}

// plain is an entry of s, compressed.
func plain(name, s string) entry {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestSpeed) // a valid level
	w.Write([]byte(s))
	w.Close()
	return entry{name, b.Bytes(), crc32.ChecksumIEEE([]byte(s)), uint64(len(s))}
}

// repeated returns the Deflate stream of n bytes c, n a multiple of 1 MiB, and its CRC-32:
// one MiB compressed once and flushed to a byte boundary, repeated, then a final empty block.
func repeated(c byte, n int) ([]byte, uint32) {
	mib := bytes.Repeat([]byte{c}, 1<<20)
	var chunk, end bytes.Buffer
	w, _ := flate.NewWriter(&chunk, flate.BestSpeed)
	w.Write(mib)
	w.Flush()
	w, _ = flate.NewWriter(&end, flate.BestSpeed)
	w.Close()
	var crc uint32
	for range n >> 20 {
		crc = crc32.Update(crc, crc32.IEEETable, mib)
	}
	return append(bytes.Repeat(chunk.Bytes(), n>>20), end.Bytes()...), crc
}

// build writes the entries as a zip part.
func build(entries ...entry) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: e.crc,
			CompressedSize64: uint64(len(e.data)), UncompressedSize64: e.usize}) // to a bytes.Buffer, with a valid header
		w.Write(e.data)
	}
	zw.Close()
	return b.Bytes()
}

// tiny writes a zip part of n stored entries "{}", all named "a.json" (a name may repeat in a
// zip): the local entries are one pattern repeated and only the offsets vary in the
// directory, so 100,000 entries take milliseconds where archive/zip.Writer takes a second.
func tiny(n int) []byte {
	le := binary.LittleEndian
	const file = "a.json"
	const body = "{}"
	// common is what the local header and the directory record share after their version.
	common := []byte{0, 0, 0, 0, 0, 0, 0x21, 0} // flags, stored, 1980-01-01 00:00
	common = le.AppendUint32(common, crc32.ChecksumIEEE([]byte(body)))
	common = le.AppendUint32(le.AppendUint32(common, uint32(len(body))), uint32(len(body)))
	common = le.AppendUint16(le.AppendUint16(common, uint16(len(file))), 0)

	local := append(le.AppendUint16(le.AppendUint32(nil, 0x04034b50), 20), common...)
	local = append(local, file+body...)
	out := bytes.Repeat(local, n)
	dirAt := len(out)
	for i := range n {
		out = le.AppendUint16(le.AppendUint16(le.AppendUint32(out, 0x02014b50), 20), 20)
		out = append(out, common...)
		out = append(out, make([]byte, 10)...) // comment, disk, attributes
		out = append(le.AppendUint32(out, uint32(i*len(local))), file...)
	}
	end64 := len(out)
	out = le.AppendUint64(le.AppendUint32(out, 0x06064b50), 44)
	out = le.AppendUint16(le.AppendUint16(out, 45), 45)
	out = le.AppendUint64(out, 0) // this disk, the directory's disk
	out = le.AppendUint64(le.AppendUint64(out, uint64(n)), uint64(n))
	out = le.AppendUint64(le.AppendUint64(out, uint64(end64-dirAt)), uint64(dirAt))
	out = le.AppendUint32(le.AppendUint32(out, 0x07064b50), 0) // the locator; the zip64 end record's disk
	out = le.AppendUint32(le.AppendUint64(out, uint64(end64)), 1)
	out = le.AppendUint32(out, 0x06054b50)
	out = append(out, 0, 0, 0, 0) // disks
	return append(out, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0)
}
