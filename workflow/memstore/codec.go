package memstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// codec writes the store's records, events and notifications as compact bytes, and reads
// them back. A stored record is then one byte slice, which the garbage collector need not
// scan, instead of a tree of strings and slices it traces on every cycle; and a read builds a
// fresh copy (the caller may change it) with one allocation for all its strings.
//
// The format follows the Go types, field by field, with no names or tags: it is only ever
// read back by the codec that wrote it, in the same process. Integers are varints, strings
// and slices carry their length (a slice its length plus one, 0 for nil), pointers a presence
// byte. A time keeps its instant and its *time.Location, by number in the codec's table (the
// monotonic reading is dropped, as Time.Round(0) drops it); past maxLocations, its zone's
// name and offset.
type codec struct {
	plans map[reflect.Type]*plan // built by newCodec, read-only after

	// locs are the locations of the times written, by number: a few (UTC, the
	// organization's zone), copied on the rare add so that reads take no lock.
	locs  atomic.Pointer[[]*time.Location]
	addMu sync.Mutex
}

// plan is how one type is written and read, at the address of a value of it.
type plan struct {
	enc func(e *encoder, p unsafe.Pointer)
	dec func(d *decoder, p unsafe.Pointer)
}

// empty is where an empty (not nil) decoded slice points, with no capacity.
var empty [0]uint64

// sliceHeader is the layout of every Go slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

var timeType = reflect.TypeFor[time.Time]()

// errCorrupt is a decoding failure: the bytes were not written by this codec.
var errCorrupt = errors.New("corrupt encoding")

// newCodec builds the plans of the types given (as values of them).
func newCodec(types ...any) (*codec, error) {
	c := &codec{plans: make(map[reflect.Type]*plan)}
	c.locs.Store(new([]*time.Location))
	for _, v := range types {
		if _, err := c.plan(reflect.TypeOf(v)); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *codec) plan(t reflect.Type) (*plan, error) {
	if p, ok := c.plans[t]; ok {
		return p, nil
	}
	p := &plan{}
	c.plans[t] = p // before the fields: a type that refers to itself finds its plan
	k := t.Kind()
	switch {
	case t == timeType:
		p.enc, p.dec = c.encTime, c.decTime
	case k == reflect.Bool:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.buf = append(e.buf, *(*byte)(v)) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*bool)(v) = d.uint() != 0 }
	case k == reflect.Int || k == reflect.Int64:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.buf = binary.AppendVarint(e.buf, *(*int64)(v)) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*int64)(v) = d.int() }
	case k == reflect.Int32:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.buf = binary.AppendVarint(e.buf, int64(*(*int32)(v))) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*int32)(v) = int32(d.int()) }
	case k == reflect.Int16:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.buf = binary.AppendVarint(e.buf, int64(*(*int16)(v))) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*int16)(v) = int16(d.int()) }
	case k == reflect.Int8:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.buf = binary.AppendVarint(e.buf, int64(*(*int8)(v))) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*int8)(v) = int8(d.int()) }
	case k == reflect.Uint || k == reflect.Uint64 || k == reflect.Uintptr:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.uint(*(*uint64)(v)) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*uint64)(v) = d.uint() }
	case k == reflect.Uint32:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.uint(uint64(*(*uint32)(v))) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*uint32)(v) = uint32(d.uint()) }
	case k == reflect.Uint16:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.uint(uint64(*(*uint16)(v))) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*uint16)(v) = uint16(d.uint()) }
	case k == reflect.Uint8:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.buf = append(e.buf, *(*uint8)(v)) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*uint8)(v) = d.byte() }
	case k == reflect.Float64:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.buf = binary.LittleEndian.AppendUint64(e.buf, *(*uint64)(v)) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*uint64)(v) = d.fixed64() }
	case k == reflect.String:
		p.enc = func(e *encoder, v unsafe.Pointer) { e.string(*(*string)(v)) }
		p.dec = func(d *decoder, v unsafe.Pointer) { *(*string)(v) = d.string() }
	case k == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		p.enc = func(e *encoder, v unsafe.Pointer) {
			b := *(*[]byte)(v)
			if b == nil {
				e.uint(0)
				return
			}
			e.uint(uint64(len(b)) + 1)
			e.buf = append(e.buf, b...)
		}
		p.dec = func(d *decoder, v unsafe.Pointer) {
			if n, ok := d.length(1); ok {
				*(*[]byte)(v) = append(make([]byte, 0, n), d.bytes(n)...)
			}
		}
	case k == reflect.Slice:
		elem := t.Elem()
		ep, err := c.plan(elem)
		if err != nil {
			return nil, err
		}
		size := elem.Size()
		p.enc = func(e *encoder, v unsafe.Pointer) {
			h := (*sliceHeader)(v)
			if h.data == nil {
				e.uint(0)
				return
			}
			e.uint(uint64(h.len) + 1)
			for i := range h.len {
				ep.enc(e, unsafe.Add(h.data, uintptr(i)*size))
			}
		}
		p.dec = func(d *decoder, v unsafe.Pointer) {
			n, ok := d.length(1)
			if !ok {
				return
			}
			if n == 0 {
				*(*sliceHeader)(v) = sliceHeader{data: unsafe.Pointer(&empty)} // empty, not nil
				return
			}
			s := reflect.NewAt(t, v).Elem() // the field itself: Grow allocates only the array
			s.Grow(n)
			s.SetLen(n)
			data := s.UnsafePointer()
			for i := 0; i < n && d.err == nil; i++ {
				ep.dec(d, unsafe.Add(data, uintptr(i)*size))
			}
		}
	case k == reflect.Array && t.Elem().Kind() == reflect.Uint8:
		n := t.Len()
		p.enc = func(e *encoder, v unsafe.Pointer) { e.buf = append(e.buf, unsafe.Slice((*byte)(v), n)...) }
		p.dec = func(d *decoder, v unsafe.Pointer) { copy(unsafe.Slice((*byte)(v), n), d.bytes(n)) }
	case k == reflect.Array:
		ep, err := c.plan(t.Elem())
		if err != nil {
			return nil, err
		}
		n, size := t.Len(), t.Elem().Size()
		p.enc = func(e *encoder, v unsafe.Pointer) {
			for i := range n {
				ep.enc(e, unsafe.Add(v, uintptr(i)*size))
			}
		}
		p.dec = func(d *decoder, v unsafe.Pointer) {
			for i := 0; i < n && d.err == nil; i++ {
				ep.dec(d, unsafe.Add(v, uintptr(i)*size))
			}
		}
	case k == reflect.Pointer:
		elem := t.Elem()
		ep, err := c.plan(elem)
		if err != nil {
			return nil, err
		}
		p.enc = func(e *encoder, v unsafe.Pointer) {
			q := *(*unsafe.Pointer)(v)
			if q == nil {
				e.buf = append(e.buf, 0)
				return
			}
			e.buf = append(e.buf, 1)
			ep.enc(e, q)
		}
		p.dec = func(d *decoder, v unsafe.Pointer) {
			if d.byte() == 1 {
				q := reflect.New(elem).UnsafePointer()
				ep.dec(d, q)
				*(*unsafe.Pointer)(v) = q
			}
		}
	case k == reflect.Struct:
		type field struct {
			off uintptr
			p   *plan
		}
		fields := make([]field, t.NumField())
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				return nil, fmt.Errorf("memstore: codec: %s.%s is unexported", t, f.Name)
			}
			fp, err := c.plan(f.Type)
			if err != nil {
				return nil, err
			}
			fields[i] = field{f.Offset, fp}
		}
		p.enc = func(e *encoder, v unsafe.Pointer) {
			for _, f := range fields {
				f.p.enc(e, unsafe.Add(v, f.off))
			}
		}
		p.dec = func(d *decoder, v unsafe.Pointer) {
			for _, f := range fields {
				if d.err != nil {
					return
				}
				f.p.dec(d, unsafe.Add(v, f.off))
			}
		}
	default:
		return nil, fmt.Errorf("memstore: codec: %s: a %s is not stored", t, k)
	}
	return p, nil
}

// encode appends v's encoding to buf; v is a pointer to a value of a type of newCodec.
func (c *codec) encode(buf []byte, v any) []byte {
	rv := reflect.ValueOf(v)
	e := encoder{buf: buf}
	c.plans[rv.Type().Elem()].enc(&e, rv.UnsafePointer())
	return e.buf
}

// decode reads into v (a pointer to a zero value of a type of newCodec) what encode wrote,
// and returns the bytes after it. The strings read are cut from b itself, not copied: b must
// never change afterwards (the store's encodings are written once and then only read, see
// packEntry), and a string read keeps b alive.
func (c *codec) decode(b []byte, v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	d := decoder{buf: b, str: unsafe.String(unsafe.SliceData(b), len(b))}
	c.plans[rv.Type().Elem()].dec(&d, rv.UnsafePointer())
	if d.err != nil {
		return nil, d.err
	}
	return b[d.off:], nil
}

// maxLocations bounds the table: a host that makes a new *time.Location for every time (as
// parsing an offset does) gets its times written with their zone's name and offset instead.
const maxLocations = 64

// A time is written as 0 (the zero time in UTC), or as its zone — 1 followed by the zone's
// offset and name, or 2+n for location n of the table — then its Unix seconds and nanoseconds.
func (c *codec) encTime(e *encoder, v unsafe.Pointer) {
	t := *(*time.Time)(v)
	loc := t.Location()
	switch no, ok := c.locNumber(loc); {
	case t.IsZero() && loc == time.UTC:
		e.uint(0)
		return
	case ok:
		e.uint(no + 2)
	default:
		name, offset := t.Zone()
		e.uint(1)
		e.buf = binary.AppendVarint(e.buf, int64(offset))
		e.string(name)
	}
	e.buf = binary.AppendVarint(e.buf, t.Unix())
	e.uint(uint64(t.Nanosecond()))
}

// locNumber is the number of loc in the table, added when new; false when the table is full.
func (c *codec) locNumber(loc *time.Location) (uint64, bool) {
	for i, l := range *c.locs.Load() {
		if l == loc {
			return uint64(i), true
		}
	}
	c.addMu.Lock()
	defer c.addMu.Unlock()
	locs := *c.locs.Load()
	for i, l := range locs {
		if l == loc {
			return uint64(i), true
		}
	}
	if len(locs) == maxLocations {
		return 0, false
	}
	grown := append(locs[:len(locs):len(locs)], loc)
	c.locs.Store(&grown)
	return uint64(len(locs)), true
}

func (c *codec) decTime(d *decoder, v unsafe.Pointer) {
	var loc *time.Location
	switch no := d.uint(); {
	case no == 0:
		return
	case no == 1:
		offset := d.int()
		if offset < -24*3600 || offset > 24*3600 {
			d.fail()
			return
		}
		loc = time.FixedZone(d.string(), int(offset))
	default:
		if locs := *c.locs.Load(); no-2 < uint64(len(locs)) {
			loc = locs[no-2]
		}
	}
	sec, nsec := d.int(), d.uint()
	if loc == nil || nsec >= 1e9 || d.err != nil {
		d.fail()
		return
	}
	*(*time.Time)(v) = time.Unix(sec, int64(nsec)).In(loc)
}

type encoder struct{ buf []byte }

func (e *encoder) uint(u uint64) { e.buf = binary.AppendUvarint(e.buf, u) }

func (e *encoder) string(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// decoder reads an encoding; after a failure every read returns zero and err stays set.
type decoder struct {
	buf []byte
	str string // buf, shared as a string: what the strings read are cut from
	off int
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.off = len(d.buf)
}

func (d *decoder) uint() uint64 {
	u, n := binary.Uvarint(d.buf[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return u
}

func (d *decoder) int() int64 {
	i, n := binary.Varint(d.buf[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return i
}

func (d *decoder) fixed64() uint64 {
	if len(d.buf)-d.off < 8 {
		d.fail()
		return 0
	}
	u := binary.LittleEndian.Uint64(d.buf[d.off:])
	d.off += 8
	return u
}

func (d *decoder) byte() byte {
	if d.off >= len(d.buf) {
		d.fail()
		return 0
	}
	b := d.buf[d.off]
	d.off++
	return b
}

// length reads a slice's length; ok is false for a nil slice (or a failure). Each element
// takes at least min bytes, so a length the rest cannot hold is a failure, not a huge
// allocation.
func (d *decoder) length(min int) (int, bool) {
	u := d.uint()
	if u == 0 || u-1 > uint64((len(d.buf)-d.off)/min) {
		if u != 0 {
			d.fail()
		}
		return 0, false
	}
	return int(u - 1), true
}

func (d *decoder) bytes(n int) []byte {
	if n > len(d.buf)-d.off {
		d.fail()
		return make([]byte, n)
	}
	b := d.buf[d.off : d.off+n]
	d.off += n
	return b
}

func (d *decoder) string() string {
	u := d.uint()
	if u > uint64(len(d.buf)-d.off) {
		d.fail()
		return ""
	}
	s := d.str[d.off : d.off+int(u)]
	d.off += int(u)
	return s
}
