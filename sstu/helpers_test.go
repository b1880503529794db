package sstu

import (
	"archive/zip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

const (
	ourDept   = "f1ae1eef-16ea-44cb-b77f-6b978ee4075d"
	otherDept = "6bc82a49-6a97-43f4-9e42-a07d417b60b6"
	otherBody = "Государственная жилищная инспекция"
)

var (
	perm    = time.FixedZone("PERM", 5*60*60)
	march24 = Month{2024, time.March}
	testOrg = Org{DepartmentID: ourDept, Location: perm, Bodies: map[string]string{otherBody: otherDept}}
)

// genBlobs serves attachment refs "gen:<size>:<seed>" as pseudo-random bytes made on the fly, so
// a test or benchmark never holds an attachment whole. It stores nothing.
type genBlobs struct{}

func (genBlobs) Open(_ context.Context, ref string) (io.ReadCloser, error) {
	var size, seed int64
	if _, err := fmt.Sscanf(ref, "gen:%d:%d", &size, &seed); err != nil {
		return nil, fmt.Errorf("%w: %v", appeal.ErrNoBlob, err)
	}
	return io.NopCloser(io.LimitReader(&genReader{x: uint64(seed)*2654435761 + 1}, size)), nil
}

func (genBlobs) Put(context.Context, string, string, io.Reader) (string, error) {
	return "", errors.New("genBlobs stores nothing")
}

// genBytes returns what genBlobs serves for ref, for assertions.
func genBytes(t testing.TB, ref string) []byte {
	rc, err := genBlobs{}.Open(context.Background(), ref)
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

type genReader struct{ x uint64 }

func (g *genReader) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += 8 {
		g.x ^= g.x << 13
		g.x ^= g.x >> 7
		g.x ^= g.x << 17
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], g.x)
		copy(p[i:], b[:])
	}
	return len(p), nil
}

// card builds a registered appeal received on 2024-03-04 (Perm time) with one question in
// status s; the fields each status needs are filled.
func card(i int, s appeal.QuestionStatus) *appeal.Appeal {
	id := uuid.NewSHA1(uuid.NameSpaceOID, binary.BigEndian.AppendUint64(nil, uint64(i)))
	a := appeal.New(id, time.Date(2024, 3, 4, 9, 30, 0, 0, perm), appeal.ChannelPost)
	a.Number = fmt.Sprintf("П-%d", i)
	a.RegisteredAt = time.Date(2024, 3, 5, 10, 0, 0, 0, perm)
	a.Applicants = []appeal.Applicant{{Surname: "Иванов", GivenName: "Иван", PostalAddress: "г. Пермь, ул. Ленина, 1", Email: "i@example.org"}}
	q := appeal.Question{Code: "0005.0005.0055.1122", Status: s}
	switch s {
	case appeal.StatusNotRegistered: // sent on by a body, registration refused: like the real sample
		a.RegisteredAt = time.Time{}
		a.Number = ""
		a.State = appeal.StateRefused
		a.Channel = appeal.ChannelOtherBody
		a.CoverLetter = &appeal.CoverLetter{Sender: otherBody, Number: "А26-05-84857211-СО1", Date: deadline.NewDate(2024, 3, 1)}
	case appeal.StatusSupported:
		q.MeasuresTaken = true
	case appeal.StatusTransferred:
		q.Transfer = &appeal.Transfer{Body: otherBody, Number: "01-15/123", Date: deadline.NewDate(2024, 3, 7)}
	}
	if s.Result() || s == appeal.StatusLeftWithoutAnswer {
		q.AnsweredOn = deadline.NewDate(2024, 3, 28)
	}
	a.Questions = []appeal.Question{q}
	return a
}

// entryFor wraps a card with an answer of size bytes (none when size < 0).
func entryFor(a *appeal.Appeal, size int64, seed int) *Entry {
	e := &Entry{Appeal: a}
	if size >= 0 {
		e.Answer = &appeal.Attachment{Name: "Ответ.pdf", Size: size, Ref: fmt.Sprintf("gen:%d:%d", size, seed)}
	}
	return e
}

// synth is the benchmark's month: about 1.3 questions per appeal, a share with an answer of
// answerSize bytes, the rest in work or transferred; some from another body via МЭДО.
func synth(n int, answerEvery int, answerSize int64) iter.Seq2[*Entry, error] {
	statuses := []appeal.QuestionStatus{appeal.StatusInWork, appeal.StatusTransferred, appeal.StatusInWorkExtended, appeal.StatusLeftWithoutAnswer}
	codes := []string{"0005.0005.0055.1122", "0001.0001.0001.0001", "0005.0005.0056.1147"}
	return func(yield func(*Entry, error) bool) {
		for i := range n {
			a := card(i, statuses[i%len(statuses)])
			if i%7 == 0 {
				a.Channel = appeal.ChannelMEDO
				a.CoverLetter = &appeal.CoverLetter{Sender: otherBody, Number: fmt.Sprintf("А26-05-%08d", i), Date: deadline.NewDate(2024, 3, 1)}
			}
			if i%10 < 3 {
				q := a.Questions[0]
				q.Code = codes[1+i%2]
				a.Questions = append(a.Questions, q)
			}
			size := int64(-1)
			if answerEvery > 0 && i%answerEvery == 0 {
				size = answerSize
				for k := range a.Questions {
					a.Questions[k].Status = appeal.StatusAnswered
					a.Questions[k].Transfer = nil
					a.Questions[k].AnsweredOn = deadline.NewDate(2024, 3, 28)
				}
			}
			if !yield(entryFor(a, size, i), nil) {
				return
			}
		}
	}
}

// export runs an export of entries into memory.
func export(t testing.TB, x *Exporter, entries iter.Seq2[*Entry, error]) (*Memory, Result) {
	t.Helper()
	var m Memory
	res, err := x.Export(context.Background(), march24, entries, &m)
	require.NoError(t, err)
	return &m, res
}

func newExporter() *Exporter { return &Exporter{Org: testOrg, Blobs: genBlobs{}} }

// partBytes returns the bytes of each part, by name.
func partBytes(t testing.TB, m *Memory) map[string][]byte {
	out := map[string][]byte{}
	for _, p := range m.Parts() {
		b := make([]byte, p.Size)
		_, err := p.ReaderAt.ReadAt(b, 0)
		require.NoError(t, err)
		out[p.Name] = b
	}
	return out
}

// zipEntries returns the raw bytes of every entry of a part, by name.
func zipEntries(t testing.TB, p Part) map[string][]byte {
	zr, err := zip.NewReader(p.ReaderAt, p.Size)
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		out[f.Name] = b
	}
	return out
}

// loaded returns the records Org maps from entries, with the attachment bytes read in, as
// ReadZip should give them back.
func loaded(t testing.TB, entries iter.Seq2[*Entry, error]) []Record {
	var out []Record
	for e := range entries {
		out = append(out, withContent(t, testOrg.Record(e)))
	}
	return out
}

// withContent replaces the attachments' refs in r with the bytes genBlobs serves.
func withContent(t testing.TB, r Record) Record {
	for i := range r.Questions {
		if a := r.Questions[i].Attachment; a != nil {
			r.Questions[i].Attachment = &Attachment{Name: a.Name, Content: genBytes(t, a.Ref)}
		}
	}
	return r
}

// readJSON reads the records of a JSON file, stopping at the first error.
func readJSON(file string, data []byte) ([]Record, error) {
	var out []Record
	for r, err := range (&Reader{}).JSON(file, data) {
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
