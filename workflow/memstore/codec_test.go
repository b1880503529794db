package memstore

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fill sets every field reachable from v to a random value, nil or empty now and then, so that
// a field the codec forgot cannot hide.
func fill(r *rand.Rand, v reflect.Value, locs []*time.Location, depth int) {
	if v.Type() == timeType {
		if r.IntN(5) > 0 {
			t := time.Unix(r.Int64N(4e9)-1e9, r.Int64N(1e9)).In(locs[r.IntN(len(locs))])
			v.Set(reflect.ValueOf(t))
		}
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(r.Uint64()) >> (64 - v.Type().Bits()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(r.Uint64() >> (64 - v.Type().Bits()))
	case reflect.Float64, reflect.Float32:
		v.SetFloat(r.Float64() * 100)
	case reflect.String:
		v.SetString([]string{"", "a", "Иванова", "0005.0005.0056.1147", "г. N, ул. Садовая, д. 17"}[r.IntN(5)])
	case reflect.Slice:
		if r.IntN(4) == 0 || depth > 4 {
			return
		}
		n := r.IntN(4)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(r, s.Index(i), locs, depth+1)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			fill(r, v.Index(i), locs, depth+1)
		}
	case reflect.Pointer:
		if r.IntN(4) == 0 || depth > 4 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem(), locs, depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(r, v.Field(i), locs, depth+1)
		}
	}
}

// Every field of a record, an event and a notification survives the codec exactly: the same
// instants in the same *time.Location, nil and empty slices kept apart.
func TestCodecRoundTrip(t *testing.T) {
	c, err := newCodec(workflow.Record{}, workflow.Event{}, workflow.Notification{})
	require.NoError(t, err)
	locs := []*time.Location{time.UTC, time.Local, time.FixedZone("MSK", 3*3600), time.FixedZone("", -7*3600)}
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 500 {
		for _, v := range []any{&workflow.Record{}, &workflow.Event{}, &workflow.Notification{}} {
			fill(r, reflect.ValueOf(v).Elem(), locs, 0)
			b := c.encode([]byte("prefix"), v)
			out := reflect.New(reflect.TypeOf(v).Elem()).Interface()
			rest, err := c.decode(b[len("prefix"):], out)
			require.NoError(t, err)
			assert.Empty(t, rest)
			require.True(t, reflect.DeepEqual(v, out), "round %d: %T differs:\n%+v\n%+v", i, v, v, out)
		}
	}
	var zero workflow.Record
	b := c.encode(nil, &zero)
	var back workflow.Record
	_, err = c.decode(b, &back)
	require.NoError(t, err)
	assert.True(t, reflect.DeepEqual(zero, back), "the zero record")
}

// A decoded record shares nothing with the stored bytes that a caller could change.
func TestCodecCopies(t *testing.T) {
	c, err := newCodec(workflow.Record{})
	require.NoError(t, err)
	rec := workflow.Record{Access: &workflow.Access{PINHash: []byte{1, 2, 3}}, Words: []string{"лифт"}}
	b := c.encode(nil, &rec)
	stored := append([]byte(nil), b...)
	var out workflow.Record
	_, err = c.decode(b, &out)
	require.NoError(t, err)
	out.Access.PINHash[0] = 9
	out.Words[0] = "x"
	assert.Equal(t, stored, b)
}

// Types the store does not hold are refused when the codec is built, not when a record is
// written.
func TestCodecRefusesUnknownKinds(t *testing.T) {
	type withMap struct{ M map[string]int }
	type withHidden struct{ h int }
	for _, v := range []any{withMap{}, withHidden{h: 1}} {
		_, err := newCodec(v)
		assert.Error(t, err, "%T", v)
	}
}

// Truncated or garbled bytes are an error, never a panic or a huge allocation.
func FuzzCodecDecode(f *testing.F) {
	c, err := newCodec(workflow.Record{})
	if err != nil {
		f.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	locs := []*time.Location{time.UTC}
	for range 4 {
		var rec workflow.Record
		fill(r, reflect.ValueOf(&rec).Elem(), locs, 0)
		f.Add(c.encode(nil, &rec))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var rec workflow.Record
		rest, err := c.decode(b, &rec)
		if err != nil {
			return
		}
		// What decoded re-encodes to bytes that decode to the same record.
		again := c.encode(nil, &rec)
		var twice workflow.Record
		if _, err := c.decode(again, &twice); err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if !reflect.DeepEqual(rec, twice) {
			t.Fatal("re-encoded record differs")
		}
		if len(rest) > len(b) {
			t.Fatal("rest longer than input")
		}
	})
}

// BenchmarkCodec sets a record's encoding and decoding beside Record.Clone, the copy the
// store made before it kept records encoded.
func BenchmarkCodec(b *testing.B) {
	c, err := newCodec(workflow.Record{})
	if err != nil {
		b.Fatal(err)
	}
	var rec workflow.Record
	fill(rand.New(rand.NewPCG(3, 4)), reflect.ValueOf(&rec).Elem(), []*time.Location{time.UTC}, 0)
	enc := c.encode(nil, &rec)
	b.Run("clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = rec.Clone()
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, len(enc))
		for b.Loop() {
			buf = c.encode(buf[:0], &rec)
		}
		b.ReportMetric(float64(len(enc)), "bytes")
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out workflow.Record
			if _, err := c.decode(enc, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A host that makes a new location for every time fills the table once; later times keep their
// instant and their zone's name and offset.
func TestCodecManyLocations(t *testing.T) {
	c, err := newCodec(workflow.Event{})
	require.NoError(t, err)
	for i := range 3 * maxLocations {
		at := time.Date(2025, 11, 10, 9, 0, i, 7, time.FixedZone("Z", i*60))
		b := c.encode(nil, &workflow.Event{At: at})
		var ev workflow.Event
		_, err := c.decode(b, &ev)
		require.NoError(t, err)
		assert.True(t, at.Equal(ev.At), i)
		name, off := ev.At.Zone()
		assert.Equal(t, "Z", name)
		assert.Equal(t, i*60, off)
		if i < maxLocations {
			assert.Same(t, at.Location(), ev.At.Location(), "in the table")
		}
	}
	assert.Len(t, *c.locs.Load(), maxLocations)
}
