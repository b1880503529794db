package sstu

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
	"github.com/klauspost/compress/flate"
)

// Allocs is allocs for the tests of package sstu_test.
var Allocs = allocs

// fuzzLimits keep the fuzzed calls small enough to bound, and the problem cap low enough to
// be reached.
var fuzzLimits = Limits{Problems: 8, Records: 50}

// pathGrammar is every path a problem may have: indexes, plain ASCII names and stand-ins,
// never a string from the input other than a plain name.
var pathGrammar = regexp.MustCompile(`^\$(\[\d+\]|\.[A-Za-z_][A-Za-z0-9_]*|\["#[0-9a-f]{8}"\])*$`)

// allocs returns the bytes f allocates: a bound on what it adds to the heap, whatever the
// garbage collector does meanwhile.
func allocs(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// checkProblems asserts the bounds of a problem list: at most the cap, then one RuleMore; each
// path in the grammar.
func checkProblems(t *testing.T, ps []Problem) {
	t.Helper()
	if len(ps) > fuzzLimits.Problems+1 {
		t.Fatalf("%d problems, cap %d", len(ps), fuzzLimits.Problems)
	}
	for i, p := range ps {
		if p.Rule == RuleMore {
			if i != fuzzLimits.Problems || p.More < 1 {
				t.Fatalf("RuleMore at %d counting %d", i, p.More)
			}
			continue
		}
		if !pathGrammar.MatchString(p.Path) {
			t.Fatalf("path %q outside the grammar", p.Path)
		}
	}
}

// roundTrip asserts that a record read back writes to JSON that reads as the same record.
func roundTrip(t *testing.T, r Record) {
	t.Helper()
	again, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := readJSON("again.json", again)
	if err != nil {
		t.Fatalf("%v\n%s", err, again)
	}
	if len(back) != 1 || !reflect.DeepEqual(back[0], r) {
		t.Fatalf("round trip changed the record:\n%+v\n%+v", r, back)
	}
}

// The validator and the reader take any bytes: the problems stay within the cap and the path
// grammar, the allocations within a bound of the input's size, and whatever the reader reads
// writes back to JSON that reads the same.
func FuzzJSON(f *testing.F) {
	sample, err := os.ReadFile("testdata/perm-smd-handlingreport-request.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	r := validRecord()
	valid, _ := r.MarshalJSON()
	f.Add(valid)
	f.Add([]byte(`[{"questions":[{"attachment":{"content":"@"},"transfer":1}]},null,3]`))
	f.Add([]byte("\uFEFF{\"createDate\":\"2024-02-30T10:00:00\",\"имя\":1e999}"))
	f.Add([]byte(`[null,null,null,null,null,null,null,null,null,null,null]`))
	v := Validator{Limits: fuzzLimits}
	rd := Reader{Limits: fuzzLimits}
	v.JSON("warm.json", sample) // compiles the schema, loads the classifier
	f.Fuzz(func(t *testing.T, data []byte) {
		var ps []Problem
		if n := allocs(func() { ps = v.JSON("f.json", data) }); n > 1<<20+400*uint64(len(data)) {
			t.Fatalf("%d bytes allocated for %d", n, len(data))
		}
		checkProblems(t, ps)
		for r, err := range rd.JSON("f.json", data) {
			if err == nil {
				roundTrip(t, r)
			}
		}
	})
}

// validUTF8 is what the writer makes of s: each byte that is not UTF-8 becomes U+FFFD.
func validUTF8(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

// A record of any strings and dates goes through the writer, into a zip part, and back
// through the reader unchanged (strings as the writer makes them valid UTF-8); the typed
// validator and the JSON validator agree on its errors.
func FuzzRecord(f *testing.F) {
	f.Add("А26-05-00000000", "Иванов Иван", "г. Пермь", "i@example.org", "0005.0005.0055.1122", "01-15/123", []byte("%PDF"), 2024, 3, 4, false, uint8(4))
	f.Add("\x00\"\\\u2028<>&", "\xff\xfe", "", "", "0005", "", []byte(nil), 0, 13, 32, true, uint8(200))
	v := Validator{}
	f.Fuzz(func(t *testing.T, number, name, address, email, code, transfer string, content []byte, year, month, d int, direct bool, status uint8) {
		statuses := appeal.QuestionStatuses()
		date := deadline.Date{Year: year, Month: time.Month(month), Day: d}
		q := Question{Code: code, Status: statuses[int(status)%len(statuses)], IncomingDate: date, RegistrationDate: date}
		if status%3 == 0 {
			q.Attachment = &Attachment{Name: name, Content: content}
		}
		if status%5 == 0 {
			q.Transfer = &Transfer{DepartmentID: otherDept, TransferDate: date, TransferNumber: transfer}
		}
		r := Record{DepartmentID: ourDept, IsDirect: direct, Format: FormatOther, Number: number, CreateDate: date,
			Name: name, Address: address, Email: email, Questions: []Question{q}}

		want := r
		want.Number, want.Name, want.Address, want.Email = validUTF8(number), validUTF8(name), validUTF8(address), validUTF8(email)
		wq := q
		wq.Code = validUTF8(code)
		if a := q.Attachment; a != nil {
			wq.Attachment = &Attachment{Name: validUTF8(a.Name), Content: a.Content}
			if len(a.Content) == 0 {
				wq.Attachment.Content = []byte{} // "" decodes to no bytes, not to nil
			}
		}
		if tr := q.Transfer; tr != nil {
			wq.Transfer = &Transfer{DepartmentID: tr.DepartmentID, TransferDate: tr.TransferDate, TransferNumber: validUTF8(tr.TransferNumber)}
		}
		want.Questions = []Question{wq}
		if !validDate(date) { // the writer writes any year; the reader takes only real days
			return
		}

		data, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		got, err := readJSON("r.json", data)
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Fatalf("JSON round trip: %v\n%+v\n%+v", err, want, got)
		}
		p := zipOf(t, data)
		n := 0
		for back, err := range (&Reader{}).Zip(p) {
			if err != nil || !reflect.DeepEqual(back, want) {
				t.Fatalf("zip round trip: %v\n%+v\n%+v", err, want, back)
			}
			n++
		}
		if n != 1 {
			t.Fatalf("%d records from one entry", n)
		}
		typed, fromJSON := pathsRules(v.Record(&want), Error), pathsRules(v.JSON("r.json", data), Error)
		if !reflect.DeepEqual(typed, fromJSON) {
			t.Fatalf("Record and JSON disagree:\n%v\n%v\n%s", typed, fromJSON, data)
		}
	})
}

// zipOf writes one record's JSON as the one entry of a part, as the Exporter does.
func zipOf(t *testing.T, data []byte) Part {
	var buf bytes.Buffer
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestSpeed)
	sink := entrySink{fw: fw}
	sink.Write(data)
	fw.Close()
	p := newZipPart("r.zip", nopCloser{&buf}, bufio.NewWriter(nil), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	p.entry(uuid.UUID{1}, z.Bytes(), sink.crc, sink.n)
	if err := p.close(); err != nil {
		t.Fatal(err)
	}
	return Part{Name: "r.zip", ReaderAt: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len())}
}

// The zip reader takes any bytes: the problems stay within the cap, the allocations within
// what the bytes can inflate to, records read back write back the same, and every entry that
// both it and archive/zip read has the same bytes.
func FuzzZip(f *testing.F) {
	var m Memory
	x := newExporter()
	x.PartLimit = 3000
	if _, err := x.Export(f.Context(), march24, synth(6, 3, 40), &m); err != nil {
		f.Fatal(err)
	}
	for _, b := range partBytes(f, &m) {
		f.Add(b)
	}
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	var stored bytes.Buffer
	zw := zip.NewWriter(&stored)
	for _, name := range []string{"a.json", "dir/", FileName(uuid.UUID{7})} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		w.Write([]byte(`{"number":"1"}`))
	}
	zw.Close()
	f.Add(stored.Bytes())
	v := Validator{Limits: fuzzLimits}
	rd := Reader{Limits: fuzzLimits}
	v.Zip(m.Parts()...) // compiles the schema, loads the classifier
	f.Fuzz(func(t *testing.T, data []byte) {
		p := Part{Name: "f.zip", ReaderAt: bytes.NewReader(data), Size: int64(len(data))}
		var ps []Problem
		if n := allocs(func() { ps = v.Zip(p) }); n > 1<<20+4200*uint64(len(data)) {
			t.Fatalf("%d bytes allocated for %d", n, len(data))
		}
		checkProblems(t, ps)
		for r, err := range rd.Zip(p) {
			if err == nil {
				roundTrip(t, r)
			}
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		i := 0
		for it := range zipItems([]Part{p}, fuzzLimits.or()) {
			if it.name == nil { // the part itself
				continue
			}
			if i >= len(zr.File) {
				t.Fatalf("entry %d, archive/zip has %d", i+1, len(zr.File))
			}
			zf := zr.File[i]
			i++
			if zf.Name != string(it.name) {
				t.Fatalf("entry %d: names differ", i)
			}
			if it.rule != "" {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				continue
			}
			want, err := io.ReadAll(io.LimitReader(rc, 1<<26))
			switch {
			case err != nil:
			case it.err == nil && !bytes.Equal(want, it.data):
				t.Fatalf("entry %d: bytes differ from archive/zip's", i)
			case it.err != nil && zf.Flags&flagCrypted == 0 && zf.CRC32 != 0:
				// archive/zip reads encrypted entries as they are, and checks no CRC of 0
				t.Fatalf("entry %d: archive/zip reads it, we do not: %v", i, it.err)
			}
		}
	})
}
