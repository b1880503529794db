package sstu

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// The readers and the validator take any bytes without panicking, and whatever ReadJSON reads
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
	f.Add([]byte("\uFEFF{\"createDate\":\"2024-02-30T10:00:00\"}"))
	var v Validator
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = v.JSON("f.json", data)
		recs, err := ReadJSON("f.json", data)
		if err != nil {
			return
		}
		for _, r := range recs {
			again, err := r.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			back, err := ReadJSON("again.json", again)
			if err != nil {
				t.Fatalf("%v\n%s", err, again)
			}
			if len(back) != 1 || !reflect.DeepEqual(back[0], r) {
				t.Fatalf("round trip changed the record:\n%+v\n%+v", r, back)
			}
			_ = v.Record(&back[0])
		}
	})
}

func FuzzZip(f *testing.F) {
	var m memParts
	x := newExporter()
	x.PartLimit = 3000
	if _, err := x.Export(f.Context(), march24, synth(6, 3, 40), m.create); err != nil {
		f.Fatal(err)
	}
	for _, p := range m.parts() {
		f.Add(m.files[p.Name].Bytes())
	}
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	var v Validator
	f.Fuzz(func(t *testing.T, data []byte) {
		p := Part{Name: "f.zip", ReaderAt: bytes.NewReader(data), Size: int64(len(data))}
		_ = v.Zip(p)
		for range ReadZip(p) {
		}
	})
}
